#include "server/guard.hpp"

#include <algorithm>

namespace plenary::server {

namespace {
constexpr auto failure_window = std::chrono::minutes(10);
constexpr std::size_t max_tracked_addresses = 100000;
}  // namespace

address_guard::verdict address_guard::admit(const std::string& addr) {
  std::lock_guard lock(mu_);
  auto& n = open_[addr];
  if (total_ >= lim_.max_connections || n >= lim_.max_connections_per_address) {
    const bool per_address = n >= lim_.max_connections_per_address;
    if (n == 0) open_.erase(addr);
    return per_address ? verdict::too_many_from_address : verdict::too_many_in_total;
  }
  ++n;
  ++total_;
  return verdict::admitted;
}

void address_guard::release(const std::string& addr) {
  std::lock_guard lock(mu_);
  auto it = open_.find(addr);
  if (it == open_.end()) return;
  --total_;
  if (--it->second == 0) open_.erase(it);
}

std::size_t address_guard::connections() const {
  std::lock_guard lock(mu_);
  return total_;
}

std::chrono::milliseconds address_guard::failed_join(const std::string& addr) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mu_);
  if (failed_.size() >= max_tracked_addresses) {
    std::erase_if(failed_, [&](const auto& kv) { return now - kv.second.since > failure_window; });
  }
  auto& f = failed_[addr];
  if (f.count == 0 || now - f.since > failure_window) f = {0, now};
  ++f.count;
  int over = f.count - lim_.failed_joins_before_delay;
  if (over <= 0) return std::chrono::milliseconds(0);
  std::chrono::milliseconds delay(250LL << std::min(over - 1, 16));
  return std::min(delay, lim_.max_join_delay);
}

}  // namespace plenary::server
