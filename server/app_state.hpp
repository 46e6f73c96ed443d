// What every connection of one server shares: configuration, rooms, the address guard,
// and the set of open WebSocket sessions (so that shutdown can close even those that never
// joined). Thread safety: members are const or synchronised themselves.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "server/config.hpp"
#include "server/guard.hpp"
#include "server/metrics.hpp"
#include "server/mirror_pusher.hpp"
#include "server/organizer.hpp"
#include "server/registry.hpp"

namespace plenary::server {

class ws_session;

struct app_state {
  // `socket_threads`: how many threads serve the sockets (config::io_threads resolved).
  app_state(config c, boost::asio::thread_pool::executor_type storage_exec,
            boost::asio::thread_pool::executor_type read_exec, int socket_threads)
      : cfg(std::move(c)),
        mirrors(cfg.mirror.empty() ? nullptr : std::make_unique<mirror_pusher>(cfg.mirror, stats)),
        rooms(data_dir(cfg.data), storage_exec, read_exec, cfg.lim, stats, mirrors.get(),
              socket_threads),
        guard(cfg.lim),
        delegation_rate(cfg.lim),
        organizer(data_dir(cfg.data).organizer_path()) {}

  const config cfg;
  metrics stats;                           // GET /metrics
  std::unique_ptr<mirror_pusher> mirrors;  // --mirror; null when not configured
  registry rooms;
  address_guard guard;
  delegation_rates delegation_rate;  // amendments per delegation, all its connections together
  organizer_key organizer;           // the organizer code in force (DATA/access/organizer.hash)
  std::filesystem::path web_root;
  std::atomic<bool> stopping{false};

  std::mutex sessions_mu;
  std::unordered_map<const ws_session*, std::weak_ptr<ws_session>> sessions;
};

// One admitted connection; released when destroyed, whichever session owns it. It is counted
// in the total from accept on. A direct client's connection is counted for its address from
// accept on too. One from a trusted proxy (`proxied`) carries the requests of many clients in
// turn (nginx keeps upstream connections alive), so it is counted for an address only while
// http_session serves a request of that client (attribute() .. unattribute()), and for the
// life of the WebSocket once upgraded.
class admission {
 public:
  admission(std::shared_ptr<app_state> app, std::string peer, bool proxied = false)
      : app_(std::move(app)), peer_(std::move(peer)), proxied_(proxied) {
    if (!proxied_) client_ = peer_;
  }
  ~admission() { app_->guard.release(client_); }  // client_ empty: the total only
  admission(const admission&) = delete;
  admission& operator=(const admission&) = delete;
  // The client's address: the peer's own, or the one its proxy named for the current request.
  const std::string& address() const noexcept { return client_.empty() ? peer_ : client_; }
  const std::string& peer() const noexcept { return peer_; }
  bool proxied() const noexcept { return proxied_; }
  // Counts this connection for `client` (proxied only); false, counting nothing, when that
  // address is at its cap.
  bool attribute(const std::string& client) {
    unattribute();
    if (!app_->guard.charge(client)) return false;
    client_ = client;
    return true;
  }
  void unattribute() {
    if (!proxied_ || client_.empty()) return;
    app_->guard.discharge(client_);
    client_.clear();
  }

 private:
  std::shared_ptr<app_state> app_;
  std::string peer_;
  std::string client_;  // the address counted per address; empty when none is
  bool proxied_;
};

}  // namespace plenary::server
