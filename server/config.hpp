// Every limit and timeout of the server in one place, set explicitly (Beast's defaults are
// for other programs: its read_message_max is 16 MB, ours is 256 KiB).
// Thread safety: a plain value, read-only once the server runs.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace plenary::server {

struct limits {
  std::size_t max_frame_bytes = 256 * 1024;        // bigger frames close with 1009
  std::size_t max_queue_bytes = 8 * 1024 * 1024;   // a client this far behind is cut off
  std::size_t max_queue_messages = 4096;
  std::size_t max_http_request_bytes = 16 * 1024;  // GET only: headers and a small body

  std::chrono::seconds handshake_timeout{30};      // Beast's suggested server settings
  std::chrono::seconds idle_timeout{300};          // with keep-alive pings
  std::chrono::seconds http_timeout{30};

  double amend_rate_per_second = 20;               // per connection, token bucket
  double amend_burst = 40;                         // 0 rate = unlimited

  int failed_joins_before_delay = 5;               // per address, per 10 minutes
  std::chrono::milliseconds max_join_delay{8000};
  int errors_before_close = 100;                   // bad messages in a row -> close 1008

  std::size_t max_connections = 20000;             // more are answered 503 and closed
  std::size_t max_connections_per_address = 2000;
  std::size_t max_refusals_in_flight = 256;        // 503s being written; past that, just closed
  std::chrono::seconds refusal_linger{2};          // how long a 503 waits for the client to close
  std::size_t max_batch = 512;                     // amendments committed together

  // Live wording (docs/extensions.md): a typist's wording goes out at most once per interval
  // (5 a second: fast enough to read as typing, 10 typists in a room of 100 stay under 5,000
  // frames/s); the latest wording waits, earlier ones are dropped, nothing queues up.
  std::chrono::milliseconds typing_interval{200};
  std::chrono::seconds typing_idle{60};             // no input for this long: the wording stops
  // A connection with this many frames still to write is behind: it gets no wording (it would
  // only read old previews late); the next wording after it catches up replaces them anyway.
  std::size_t typing_max_behind = 8;
};

struct config {
  std::filesystem::path data = "data";
  std::string listen = "127.0.0.1:8080";
  std::filesystem::path web;                        // static files; empty = built-in default
  bool fsync = true;
  int io_threads = 0;                               // 0 = one per core
  int storage_threads = 8;                          // rooms waiting on fsync do not hold up others
  std::vector<std::string> allowed_origins;         // empty = same host only
  std::string mirror;                               // git URL template with {slug}; empty = none
  // Reverse proxies (canonical IP addresses, see canonical_address) whose X-Forwarded-For
  // names the client; empty = trust nobody, every address is the connection's own.
  std::vector<std::string> trusted_proxies;
  limits lim;
};

}  // namespace plenary::server
