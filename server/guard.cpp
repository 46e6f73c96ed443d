#include "server/guard.hpp"

#include <algorithm>
#include <boost/asio/ip/address.hpp>

namespace plenary::server {

namespace {
constexpr auto failure_window = std::chrono::minutes(10);
}  // namespace

std::string address_key(const std::string& addr) {
  if (addr.find(':') == std::string::npos) return addr;
  boost::system::error_code ec;
  auto v6 = boost::asio::ip::make_address_v6(addr, ec);
  if (ec) return addr;
  auto bytes = v6.to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

address_guard::verdict address_guard::admit(const std::string& address) {
  const std::string addr = address_key(address);
  std::lock_guard lock(mu_);
  if (addr.empty()) {
    if (total_ >= lim_.max_connections) return verdict::too_many_in_total;
    ++total_;
    return verdict::admitted;
  }
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

void address_guard::release(const std::string& address) {
  const std::string addr = address_key(address);
  std::lock_guard lock(mu_);
  if (addr.empty()) {
    if (total_ > 0) --total_;
    return;
  }
  auto it = open_.find(addr);
  if (it == open_.end()) return;
  --total_;
  if (--it->second == 0) open_.erase(it);
}

bool address_guard::begin_read(const std::string& address) {
  const std::string addr = address_key(address);
  if (addr.empty()) return true;
  std::lock_guard lock(mu_);
  auto& n = reading_[addr];
  if (n >= lim_.max_http_reads_per_address) return false;
  ++n;
  return true;
}

void address_guard::end_read(const std::string& address) {
  const std::string addr = address_key(address);
  if (addr.empty()) return;
  std::lock_guard lock(mu_);
  auto it = reading_.find(addr);
  if (it == reading_.end()) return;
  if (--it->second == 0) reading_.erase(it);
}

bool address_guard::charge(const std::string& address) {
  const std::string addr = address_key(address);
  std::lock_guard lock(mu_);
  auto& n = open_[addr];
  if (n >= lim_.max_connections_per_address) {
    if (n == 0) open_.erase(addr);
    return false;
  }
  ++n;
  return true;
}

void address_guard::discharge(const std::string& address) {
  const std::string addr = address_key(address);
  std::lock_guard lock(mu_);
  auto it = open_.find(addr);
  if (it == open_.end()) return;
  if (--it->second == 0) open_.erase(it);
}

std::size_t address_guard::connections() const {
  std::lock_guard lock(mu_);
  return total_;
}

std::size_t address_guard::tracked_failures() const {
  std::lock_guard lock(mu_);
  return failed_.size();
}

std::chrono::milliseconds address_guard::failed_join(const std::string& address) {
  std::string key = address_key(address);
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mu_);
  // Out from the old end: keys whose last failure left the window (each key leaves once, so
  // this is O(1) amortised), then the least recent while the table is full.
  const auto drop_oldest = [&] {
    failed_by_key_.erase(failed_.back().key);
    failed_.pop_back();
  };
  while (!failed_.empty() && now - failed_.back().last > failure_window) drop_oldest();
  auto it = failed_by_key_.find(key);
  if (it == failed_by_key_.end()) {
    while (!failed_.empty() &&
           failed_.size() >= std::max<std::size_t>(1, lim_.max_failed_join_addresses)) {
      drop_oldest();
    }
    failed_.push_front(failures{std::move(key), 0, now, now});
    it = failed_by_key_.emplace(failed_.front().key, failed_.begin()).first;
  } else {
    failed_.splice(failed_.begin(), failed_, it->second);  // iterators stay valid
  }
  failures& f = *it->second;
  if (f.count == 0 || now - f.since > failure_window) {
    f.since = now;
    f.count = 0;
  }
  f.last = now;
  ++f.count;
  int over = f.count - lim_.failed_joins_before_delay;
  if (over <= 0) return std::chrono::milliseconds(0);
  std::chrono::milliseconds delay(250LL << std::min(over - 1, 16));
  return std::min(delay, lim_.max_join_delay);
}

bool delegation_rates::take(const std::string& slug, const std::string& state) {
  const double rate = lim_.amend_rate_per_second * lim_.delegation_rate_factor;
  if (rate <= 0) return true;
  const double burst = lim_.amend_burst * lim_.delegation_rate_factor;
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mu_);
  auto [it, added] = buckets_.try_emplace(slug + " " + state, bucket{burst, now});
  bucket& b = it->second;
  const std::chrono::duration<double> dt = now - b.refilled;
  b.refilled = now;
  b.tokens = std::min(burst, b.tokens + dt.count() * rate);
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
}

std::optional<std::string> canonical_address(std::string_view text) {
  if (text.empty() || text.size() > 45 || text.find('%') != std::string_view::npos) {
    return std::nullopt;
  }
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6()).to_string();
  }
  return a.to_string();
}

std::optional<std::string> forwarded_client(std::string_view list,
                                            const std::vector<std::string>& trusted) {
  while (true) {
    auto comma = list.rfind(',');
    std::string_view entry = comma == std::string_view::npos ? list : list.substr(comma + 1);
    auto first = entry.find_first_not_of(" \t");
    entry = first == std::string_view::npos ? std::string_view{} : entry.substr(first);
    entry = entry.substr(0, entry.find_last_not_of(" \t") + 1);
    auto client = canonical_address(entry);
    if (!client) return std::nullopt;
    if (std::find(trusted.begin(), trusted.end(), *client) == trusted.end()) return client;
    if (comma == std::string_view::npos) return client;  // all trusted: the left-most
    list = list.substr(0, comma);
  }
}

}  // namespace plenary::server
