#include "server/registry.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/post.hpp>

#include "storage/text.hpp"

namespace plenary::server {

registry::registry(data_dir dir, boost::asio::thread_pool::executor_type storage_exec,
                   boost::asio::thread_pool::executor_type read_exec, const limits& lim,
                   metrics& stats, mirror_pusher* mirrors, int socket_threads)
    : dir_(std::move(dir)),
      storage_exec_(storage_exec),
      read_exec_(read_exec),
      lim_(lim),
      stats_(stats),
      mirrors_(mirrors),
      commit_slots_(std::max(0, socket_threads - 1)) {}

void registry::with_room(const std::string& slug, callback done) {
  if (!storage::is_valid_slug(slug) || !dir_.has_draft(slug)) {
    storage::error e = storage::make_error(storage::error_kind::not_found,
                                           "there is no draft named `" + slug + "`");
    done(nullptr, &e);
    return;
  }
  {
    std::unique_lock lock(mu_);
    if (archiving_.contains(slug)) {
      lock.unlock();
      storage::error e = storage::make_error(storage::error_kind::not_found,
                                             "the draft `" + slug + "` is being archived");
      done(nullptr, &e);
      return;
    }
    entry& e = rooms_[slug];
    if (e.opened) {
      auto r = e.opened;
      lock.unlock();  // callbacks run outside the lock
      done(std::move(r), nullptr);
      return;
    }
    e.waiting.push_back(std::move(done));
    if (e.waiting.size() > 1) return;  // someone is opening it already
  }
  boost::asio::post(storage_exec_, [this, slug] {
    std::shared_ptr<room> opened;
    std::optional<storage::error> failure;
    auto access = dir_.load_access(slug);
    if (!access) {
      failure = access.err();
    } else {
      // Acknowledged once in the write-ahead log; main and the mirror follow (issue 20).
      storage::open_options options{.write_ahead = true};
      // Once per streak of failed checkpoints, and when it ends: git behind the log is worth
      // an operator's look (a stale main.lock), yet loses nothing (the log holds it all).
      options.on_checkpoint_failed = [slug](const storage::error& why,
                                            std::chrono::milliseconds retry_in) {
        spdlog::warn(
            "event=checkpoint_failed draft={} retry_ms={} error=\"{}\" (git lags behind; the "
            "acknowledged amendments are safe in the write-ahead log and retried by themselves)",
            slug, retry_in.count(), why.message);
      };
      options.on_checkpoint_recovered = [slug](std::size_t failures,
                                               std::chrono::milliseconds for_ms) {
        spdlog::info("event=checkpoint_recovered draft={} failures={} ms={}", slug, failures,
                     for_ms.count());
      };
      if (mirrors_) {
        options.on_checkpoint = [m = mirrors_, slug, path = dir_.repo_path(slug)] {
          m->schedule(slug, path);
        };
      }
      auto d = storage::draft::open(dir_.repo_path(slug), std::move(options));
      if (!d) {
        failure = d.err();
      } else {
        spdlog::info("event=draft_opened draft={} head={} clauses={}", slug, (*d)->head().head,
                     (*d)->head().clauses.size());
        stats_.draft_opened();
        // A draft made by `draft create` while the server runs reaches the mirror now.
        if (mirrors_) mirrors_->schedule(slug, (*d)->path());
        (*d)->set_limits({lim_.max_clauses_per_draft, lim_.max_draft_text_bytes,
                          lim_.max_threads_per_draft, lim_.max_comments_per_thread});
        opened = std::make_shared<room>(slug, std::move(*d), std::move(*access), storage_exec_,
                                        read_exec_, lim_, stats_, mirrors_, dir_.access_path(slug),
                                        &commit_slots_);
      }
    }
    std::vector<callback> waiting;
    {
      std::lock_guard lock(mu_);
      entry& e = rooms_[slug];
      waiting.swap(e.waiting);
      if (opened) {
        e.opened = opened;
      } else {
        rooms_.erase(slug);  // try again next time
      }
    }
    for (auto& cb : waiting) cb(opened, failure ? &*failure : nullptr);
  });
}

void registry::archive(const std::string& slug, std::int64_t now, archived_callback done) {
  if (!storage::is_valid_slug(slug) || !dir_.has_draft(slug)) {
    return done(storage::make_error(storage::error_kind::not_found,
                                    dir_.is_archived(slug)
                                        ? "the draft `" + slug + "` is archived already"
                                        : "there is no draft named `" + slug + "`"));
  }
  with_room(slug, [this, slug, now, done = std::move(done)](std::shared_ptr<room> r,
                                                            const storage::error* failure) {
    if (!r) return done(*failure);
    {
      std::lock_guard lock(mu_);
      if (!archiving_.insert(slug).second) {
        return done(storage::make_error(storage::error_kind::exists,
                                        "the draft `" + slug + "` is being archived already"));
      }
    }
    r->shut_down([this, r, slug, now, done] {
      r->summary([this, slug, now, done](protocol::draft_summary s) {
        auto moved = dir_.archive_draft(slug, s.title, now);
        {
          std::lock_guard lock(mu_);
          rooms_.erase(slug);  // closed: a restored draft gets a new room
          archiving_.erase(slug);
        }
        done(std::move(moved));
      });
    });
  });
}

void registry::shut_down(std::function<void()> done) {
  std::vector<std::shared_ptr<room>> all;
  {
    std::lock_guard lock(mu_);
    for (auto& [slug, e] : rooms_) {
      if (e.opened) all.push_back(e.opened);
    }
  }
  if (all.empty()) return done();
  auto left = std::make_shared<std::atomic<std::size_t>>(all.size());
  auto finish = std::make_shared<std::function<void()>>(std::move(done));
  for (auto& r : all) {
    r->shut_down([left, finish] {
      if (left->fetch_sub(1) == 1) (*finish)();
    });
  }
}

}  // namespace plenary::server
