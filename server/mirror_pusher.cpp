#include "server/mirror_pusher.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "storage/push_mirror.hpp"

namespace plenary::server {

mirror_pusher::mirror_pusher(std::string url_template, metrics& m)
    : template_(std::move(url_template)), metrics_(m), thread_([this] { run(); }) {}

mirror_pusher::~mirror_pusher() { finish(); }

std::string mirror_pusher::url_for(const std::string& slug) const {
  std::string url = template_;
  static constexpr std::string_view placeholder = "{slug}";
  for (auto at = url.find(placeholder); at != std::string::npos;
       at = url.find(placeholder, at + slug.size())) {
    url.replace(at, placeholder.size(), slug);
  }
  return url;
}

std::string mirror_pusher::redacted(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const auto host_start = scheme + 3;
  const auto path = url.find('/', host_start);
  const auto at = url.rfind('@', path == std::string::npos ? url.size() : path);
  if (at == std::string::npos || at < host_start) return url;
  return url.substr(0, host_start) + "***" + url.substr(at);
}

void mirror_pusher::schedule(const std::string& slug, const std::filesystem::path& git_dir) {
  {
    std::lock_guard lock(mu_);
    job& j = jobs_[slug];
    j.git_dir = git_dir;
    if (j.running) {
      j.again = true;
      return;
    }
    if (j.queued) return;
    j.queued = true;
    queue_.push_back(slug);
  }
  cv_.notify_one();
}

void mirror_pusher::finish() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void mirror_pusher::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and nothing left to push
    const std::string slug = queue_.front();
    queue_.pop_front();
    job& j = jobs_[slug];
    j.queued = false;
    j.running = true;
    do {
      j.again = false;
      const std::filesystem::path git_dir = j.git_dir;
      const std::string url = url_for(slug);
      lock.unlock();
      const auto start = std::chrono::steady_clock::now();
      storage::status pushed = storage::push_mirror(git_dir, url);
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count();
      metrics_.mirror_push(pushed.ok());
      lock.lock();
      if (pushed) {
        if (j.failures > 0) {
          spdlog::info("event=mirror_recovered draft={} url={} failures={}", slug, redacted(url),
                       j.failures);
        } else {
          spdlog::debug("event=mirror_pushed draft={} ms={}", slug, ms);
        }
        j.failures = 0;
      } else {
        // The first failure and then every 100th: a mirror that is down says so without
        // filling the log; the next commit tries again.
        if (j.failures % 100 == 0) {
          std::string why = pushed.err().message;
          const std::string shown = redacted(url);
          for (auto at = why.find(url); !url.empty() && at != std::string::npos;
               at = why.find(url, at + shown.size())) {
            why.replace(at, url.size(), shown);  // libgit2 may quote the URL, secret and all
          }
          spdlog::warn("event=mirror_failed draft={} url={} failures={} error=\"{}\"", slug, shown,
                       j.failures + 1, why);
        }
        ++j.failures;
      }
    } while (j.again);
    j.running = false;
  }
}

}  // namespace plenary::server
