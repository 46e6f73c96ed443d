// Pushes each draft's repository to its mirror (`--mirror URL_TEMPLATE`, `{slug}` replaced)
// after commits, on one thread of its own: never on a room's strand, so an acknowledgement
// never waits for the mirror. Pushes coalesce per draft: while one runs, any number of
// requests for the same draft make exactly one more push after it. A failed push logs a
// warning; the next commit tries again. Each push is storage/push_mirror.hpp's (the git side).
// Thread safety: schedule() may be called from any thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "server/metrics.hpp"

namespace plenary::server {

class mirror_pusher {
 public:
  mirror_pusher(std::string url_template, metrics& m);
  ~mirror_pusher();  // finish();
  mirror_pusher(const mirror_pusher&) = delete;
  mirror_pusher& operator=(const mirror_pusher&) = delete;

  // Asks for a push of the draft `slug` (its repository at `git_dir`).
  void schedule(const std::string& slug, const std::filesystem::path& git_dir);

  // Runs the pushes still asked for, then stops the thread. Called once the rooms are shut
  // down, so the mirror ends with every commit.
  void finish();

  // The template with `{slug}` replaced.
  std::string url_for(const std::string& slug) const;

  // The URL without a password or token ("https://user:secret@host/x" -> "https://***@host/x"),
  // for logs.
  static std::string redacted(const std::string& url);

 private:
  struct job {
    std::filesystem::path git_dir;
    bool queued = false;   // in queue_, waiting for the thread
    bool running = false;  // being pushed now
    bool again = false;    // asked for while running: push once more afterwards
    int failures = 0;      // in a row
  };

  void run();

  const std::string template_;
  metrics& metrics_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, job> jobs_;  // by slug
  std::deque<std::string> queue_;    // slugs waiting, each at most once
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace plenary::server
