// Per-address bookkeeping against abuse: open connections per address and in total, and
// failed join attempts, which slow down the next answers to that address.
// Thread safety: every public function may be called from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

#include "server/config.hpp"

namespace plenary::server {

class address_guard {
 public:
  explicit address_guard(const limits& lim) : lim_(lim) {}

  enum class verdict { admitted, too_many_from_address, too_many_in_total };
  // Counts a new connection when admitted; otherwise nothing is counted and the verdict says
  // which cap was reached.
  verdict admit(const std::string& addr);
  void release(const std::string& addr);

  // Records a failed join from `addr` and returns how long to wait before answering it:
  // nothing for the first few, then doubling up to a cap.
  std::chrono::milliseconds failed_join(const std::string& addr);

  std::size_t connections() const;

 private:
  struct failures {
    int count = 0;
    std::chrono::steady_clock::time_point since;
  };
  const limits& lim_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::size_t> open_;
  std::size_t total_ = 0;
  std::unordered_map<std::string, failures> failed_;
};

}  // namespace plenary::server
