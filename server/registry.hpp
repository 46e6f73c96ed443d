// The rooms of a server, by slug. A draft is opened lazily, on the storage pool, the first
// time someone asks for it, so a draft made by `plenary draft create` while the server runs
// is served at once. An absent draft is never remembered as absent. Each room watches its
// access file, so codes reissued by `plenary draft codes` take effect without a restart.
// Thread safety: every public function may be called from any thread.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "server/config.hpp"
#include "server/data_dir.hpp"
#include "server/metrics.hpp"
#include "server/mirror_pusher.hpp"
#include "server/room.hpp"

namespace plenary::server {

class registry {
 public:
  // `done(room, nullptr)` or `done(nullptr, &error)`; called on an unspecified thread.
  using callback = std::function<void(std::shared_ptr<room>, const storage::error*)>;

  // `stats` and `mirrors` (null: no mirror) outlive the registry.
  // `read_exec`: the pool of CPU-bound reads (config::read_threads), handed to each room.
  // `socket_threads`: the server's threads serving sockets; all but one may commit an idle
  // room's message themselves (commit_slots, room.hpp).
  registry(data_dir dir, boost::asio::thread_pool::executor_type storage_exec,
           boost::asio::thread_pool::executor_type read_exec, const limits& lim, metrics& stats,
           mirror_pusher* mirrors, int socket_threads = 1);

  void with_room(const std::string& slug, callback done);

  // Commits what every room has queued and closes its connections with 1001.
  void shut_down(std::function<void()> done);

  // Archives the draft `slug` (the organizer's console): its room commits what is queued
  // and closes every connection with 1001, then data_dir::archive_draft moves its files
  // under DATA/archive/. From the call on, with_room answers `not_found` for it. `done` is
  // called once, on the storage pool.
  using archived_callback = std::function<void(storage::result<data_dir::archived>)>;
  void archive(const std::string& slug, std::int64_t now, archived_callback done);

  const data_dir& dir() const noexcept { return dir_; }
  // The storage pool: where disk work outside a room runs (creating a draft, reissuing).
  boost::asio::thread_pool::executor_type executor() const noexcept { return storage_exec_; }

 private:
  struct entry {
    std::shared_ptr<room> opened;
    std::vector<callback> waiting;  // while opening
  };

  const data_dir dir_;
  boost::asio::thread_pool::executor_type storage_exec_;
  boost::asio::thread_pool::executor_type read_exec_;
  const limits& lim_;
  metrics& stats_;
  mirror_pusher* mirrors_;
  commit_slots commit_slots_;  // shared by the rooms
  std::mutex mu_;
  std::map<std::string, entry> rooms_;
  std::set<std::string> archiving_;  // slugs being archived: not served any more
};

}  // namespace plenary::server
