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
#include "server/mirror.hpp"
#include "server/registry.hpp"

namespace plenary::server {

class ws_session;

struct app_state {
  app_state(config c, boost::asio::thread_pool::executor_type storage_exec)
      : cfg(std::move(c)),
        mirrors(cfg.mirror.empty() ? nullptr : std::make_unique<mirror>(cfg.mirror, stats)),
        rooms(data_dir(cfg.data), storage_exec, cfg.lim, stats, mirrors.get()),
        guard(cfg.lim) {}

  const config cfg;
  metrics stats;                    // GET /metrics
  std::unique_ptr<mirror> mirrors;  // --mirror; null when not configured
  registry rooms;
  address_guard guard;
  std::filesystem::path web_root;
  std::atomic<bool> stopping{false};

  std::mutex sessions_mu;
  std::unordered_map<const ws_session*, std::weak_ptr<ws_session>> sessions;
};

// One admitted connection of an address; released when destroyed, whichever session owns it.
class admission {
 public:
  admission(std::shared_ptr<app_state> app, std::string addr)
      : app_(std::move(app)), addr_(std::move(addr)) {}
  ~admission() { app_->guard.release(addr_); }
  admission(const admission&) = delete;
  admission& operator=(const admission&) = delete;
  const std::string& address() const noexcept { return addr_; }

 private:
  std::shared_ptr<app_state> app_;
  std::string addr_;
};

}  // namespace plenary::server
