// Per-address bookkeeping against abuse: open connections per address and in total, and
// failed join attempts, which slow down the next answers to that address. Also: which address
// a request comes from when it comes through a trusted reverse proxy (--trusted-proxy).
// An "address" here is an IPv4 address, or an IPv6 /64: one host is routinely given a whole
// /64 (SLAAC, privacy addresses), so counting its 2^64 addresses apart would let it open as
// many connections and try as many codes as it likes.
// HTTP reads of drafts in progress are counted per key too (begin_read).
// Failed joins are tracked for at most limits::max_failed_join_addresses keys, least recently
// failed first out, each in O(1): the lock is the one every new connection takes.
// Thread safety: every public function may be called from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/config.hpp"

namespace plenary::server {

class address_guard {
 public:
  explicit address_guard(const limits& lim) : lim_(lim) {}

  enum class verdict { admitted, too_many_from_address, too_many_in_total };
  // Counts a new connection, in the total and for `addr`, when admitted; otherwise nothing is
  // counted and the verdict says which cap was reached. An empty `addr` counts it in the
  // total only: a connection from a trusted proxy, whose clients are known request by
  // request (charge()). release() undoes admit() with the same `addr`.
  verdict admit(const std::string& addr);
  void release(const std::string& addr);
  // Counts one more connection for `addr` alone (not the total), unless `addr` is at its
  // cap: then nothing is counted and false is returned. discharge() undoes it.
  bool charge(const std::string& addr);
  void discharge(const std::string& addr);

  // Records a failed join from `addr` and returns how long to wait before answering it:
  // nothing for the first few, then doubling up to a cap.
  std::chrono::milliseconds failed_join(const std::string& addr);

  // An HTTP read of a draft starts for `addr`: false (nothing counted) when `addr` already has
  // limits::max_http_reads_per_address in progress. end_read() undoes it. An empty `addr`
  // (a proxy's client not known) is not limited.
  bool begin_read(const std::string& addr);
  void end_read(const std::string& addr);

  std::size_t connections() const;
  // How many keys the failed-join table holds (at most limits::max_failed_join_addresses).
  std::size_t tracked_failures() const;

 private:
  struct failures {
    std::string key;
    int count = 0;
    std::chrono::steady_clock::time_point since;  // first failure of the window
    std::chrono::steady_clock::time_point last;   // the list is in order of this, newest first
  };
  const limits& lim_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::size_t> open_;
  std::size_t total_ = 0;
  std::unordered_map<std::string, std::size_t> reading_;  // reads in progress, by key
  std::list<failures> failed_;                            // most recent failure first
  std::unordered_map<std::string_view, std::list<failures>::iterator>
      failed_by_key_;  // into failed_
};

// Amendments (and procedural messages) per delegation of a draft, all its connections
// together: a token bucket per (draft, state code) at limits::amend_rate_per_second x
// delegation_rate_factor, bursts likewise (rate 0: unlimited). Without it a delegation could
// open more connections to multiply its rate (issue 21: 540 clauses in 9 s over 4). Holds one
// entry per delegation that amended, a few hundred per draft at most.
class delegation_rates {
 public:
  explicit delegation_rates(const limits& lim) : lim_(lim) {}
  // Takes a token for `state` in `slug`; false (taking nothing) when its bucket is empty.
  bool take(const std::string& slug, const std::string& state);

 private:
  struct bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point refilled;
  };
  const limits& lim_;
  std::mutex mu_;
  std::unordered_map<std::string, bucket> buckets_;  // "<slug> <STATE>"
};

// The key `addr` (a canonical address) is counted under: itself for IPv4, its /64 for IPv6
// ("2001:db8:1:2::/64"); anything else as it is.
std::string address_key(const std::string& addr);

// The canonical text of an IPv4 or IPv6 address (an IPv4-mapped IPv6 address as IPv4, so that
// a dual-stack listener and an IPv4 one see the same key), or nullopt when `text` is anything
// else: a port, brackets, a zone (`%eth0`), a name, spaces.
std::optional<std::string> canonical_address(std::string_view text);

// The client behind a trusted proxy, from the request's X-Forwarded-For list (every field of
// the header, in order, joined by commas): like nginx's realip with real_ip_recursive on, the
// right-most entry that is not itself one of `trusted` (canonical addresses); the left-most
// when all are. Entries left of it were written by the client and are never looked at.
// nullopt when an entry looked at is not an IP address (or the list is empty): the caller
// then keeps the proxy's own address.
std::optional<std::string> forwarded_client(std::string_view forwarded_for,
                                            const std::vector<std::string>& trusted);

}  // namespace plenary::server
