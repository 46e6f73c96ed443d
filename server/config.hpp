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
  std::size_t max_frame_bytes = 256 * 1024;       // bigger frames close with 1009
  std::size_t max_queue_bytes = 8 * 1024 * 1024;  // a client this far behind is cut off
  std::size_t max_queue_messages = 4096;
  std::size_t max_http_request_bytes = 16 * 1024;  // GET only: headers and a small body
  // A POST of the organizer's API: a text of at most 1 MiB (protocol::max_source_text_bytes)
  // as a JSON string, where a few escapes (quotes, line breaks) grow it, plus the roster.
  std::size_t max_api_body_bytes = 2 * 1024 * 1024 + 64 * 1024;

  // How big a draft may grow; past either, an amendment is refused (bad_request) before
  // anything is committed. Sized so that a full draft's `welcome`, which carries every clause,
  // fits in max_queue_bytes with room to spare: JSON at most doubles a text (`"`, `\`, `\n`
  // escaped), so 2 x 2 MiB of text + 1,000 x ~250 bytes of clause fields (id, rev, by,
  // kind, number) + the presence list (~100 bytes a member) stays under 8 MiB for rooms of
  // up to ~30,000. The demo draft is 12 clauses and 6 KB; a treaty of 300 articles ~1 MB.
  std::size_t max_clauses_per_draft = 1000;
  std::size_t max_draft_text_bytes = 2 * 1024 * 1024;
  // Comments (docs/extensions.md, "Comments"), each at most 2,048 bytes like a note. A joining
  // member gets the open threads in one frame after its welcome: 2,000 threads of a few short
  // comments (~1 KB each as JSON) is ~2 MB, inside max_queue_bytes beside a full welcome; a
  // session of a day with 200 delegations writes a few hundred. A thread of 200 comments is a
  // conversation that belongs in a new thread (or in the room).
  std::size_t max_threads_per_draft = 2000;
  std::size_t max_comments_per_thread = 200;

  std::chrono::seconds handshake_timeout{30};  // Beast's suggested server settings
  std::chrono::seconds idle_timeout{300};      // with keep-alive pings
  std::chrono::seconds http_timeout{30};

  double amend_rate_per_second = 20;  // per connection, token bucket
  double amend_burst = 40;            // 0 rate = unlimited
  // And per delegation (all its connections together, in one draft): twice a connection's,
  // so that two tabs of one delegation never notice, and four no longer quadruple it.
  double delegation_rate_factor = 2;

  int failed_joins_before_delay = 5;  // per address (IPv6: per /64), 10 minutes
  // Addresses whose failed joins are remembered (about 150 bytes each: 15 MB); past that the
  // least recently failed is forgotten. Each failed join costs O(1) however full it is.
  std::size_t max_failed_join_addresses = 100000;
  std::chrono::milliseconds max_join_delay{8000};
  int errors_before_close = 100;  // bad messages in a row -> close 1008

  // Clamped at start to the open-file limit (raised first to its hard limit) minus a reserve
  // for repositories, logs and refusals: see fit_to_open_files in app.cpp.
  std::size_t max_connections = 20000;             // more are answered 503 and closed
  std::size_t max_connections_per_address = 2000;  // IPv6: per /64
  std::size_t max_refusals_in_flight = 256;        // 503s being written; past that, just closed
  std::chrono::seconds refusal_linger{2};          // how long a 503 waits for the client to close
  // accept() out of file descriptors (EMFILE): wait this long before trying again, instead of
  // spinning; ten tries a second cost nothing and resume within 0.1 s of a descriptor freed.
  std::chrono::milliseconds accept_pause{100};
  std::size_t max_batch = 512;  // amendments committed together
  // A socket thread that receives a message for an idle room commits it itself (room.hpp)
  // unless the room's last commit took longer than this: a slow disk's wait then goes to the
  // storage pool, never to a thread serving sockets. An fdatasync here takes 0.2-0.4 ms
  // (docs/performance.md, issue 20); 2 ms is a disk five times slower than that, busy or
  // rotating. 0: every commit goes to the storage pool.
  std::chrono::microseconds commit_here_max{2000};
  // ... and only when the room has committed nothing for this long. Writers in a closed loop
  // (each sends again as soon as acknowledged) keep the pool's threads awake and group better
  // there: committing their messages where they arrived cost 4-10% of the amendments a second
  // at 20 writers and ~0.03 ms of CPU per amendment at 2. A writer who pauses (a person) lets
  // every thread fall asleep, and then each hand-over wakes one: 1 ms is well past a closed
  // loop's gaps (0.3-0.6 ms) and well under a person's.
  std::chrono::microseconds commit_here_after{1000};

  // Live wording (docs/extensions.md): a typist's wording goes out at most once per interval
  // (5 a second: fast enough to read as typing, 10 typists in a room of 100 stay under 5,000
  // frames/s); the latest wording waits, earlier ones are dropped, nothing queues up.
  std::chrono::milliseconds typing_interval{200};
  // ... and a room sends at most this many `typing` frames a second in all: each typist's
  // interval grows with typists x listeners past it (1,000 members and 20 typists: one
  // wording a second each, not five). At 5 a second, 20 typists in a room of 1,000 made
  // ~100,000 frames a second and held the amendments' ack p99 near 1 s on 2 cores
  // (docs/performance.md, "Live wording"); 20,000 leaves rooms of 100 at the full 5 a second.
  std::size_t typing_frames_per_second = 20000;
  std::chrono::seconds typing_idle{60};  // no input for this long: the wording stops
  // A connection with this many frames still to write is behind: it gets no wording (it would
  // only read old previews late); the next wording after it catches up replaces them anyway.
  std::size_t typing_max_behind = 8;
  // A wording goes to this many connections at a time; the next ones once these have it queued.
  // Handed to a room of 100 at once, one wording put ~200 writes ahead of everything else on the
  // socket threads, and an amendment arriving behind them waited ~1 ms: with 10 typists the
  // ack p99 was +48% over the run without (1,000 amendments, 3 runs); in chunks of 16, +25%;
  // of 4, +17% (docs/performance.md, "Live wording"). 1,000 members: a wording then reaches the
  // last listener after 250 hand-overs, a few milliseconds.
  std::size_t typing_fanout_chunk = 4;

  // compare answers kept per room, by their (from, to) commit pair: both commits are
  // immutable, so a kept answer never goes stale. The word diff of the largest clauses costs
  // up to ~70 ms each (issue 21: forty of them, 3 s a request); a repeated compare is then a
  // lookup. At most this many answers and this many bytes of them per room (the compare of a
  // full 2 MiB draft is ~5 MB of JSON: it is not kept).
  std::size_t compare_cache_entries = 32;
  std::size_t compare_cache_bytes = 4 * 1024 * 1024;
  // HTTP reads of drafts (draft, log, history, blame, proposals, versions, compare) in
  // progress at once per address (IPv6: per /64); more are answered 429 at once. The pages
  // make at most 3 at a time; 8 leaves room for a few tabs behind one NAT.
  std::size_t max_http_reads_per_address = 8;
};

struct config {
  std::filesystem::path data = "data";
  std::string listen = "127.0.0.1:8080";
  std::filesystem::path web;  // static files; empty = built-in default
  // Chart.js 3 for the debrief page, served as /vendor/chart.js: Debian's libjs-chart.js (the
  // UMD build, one file, so that no chunk paths need serving). Missing: the page shows its
  // data tables and says that the charts are unavailable.
  std::filesystem::path chart_js = "/usr/share/javascript/chart.js/chart.min.js";
  bool fsync = true;
  int io_threads = 0;       // 0 = one per core
  int storage_threads = 8;  // rooms waiting on fsync do not hold up others
  // Reads whose cost is CPU, not disk (compare's word diff of two versions), run on their own
  // pool of this many threads at a lower priority (nice +10): on 2 cores, two readers
  // comparing versions of 40 large clauses took an amendment's ack p99 from 12 ms to 196 ms
  // when their diffs ran on the storage pool at the amendments' priority (make bench,
  // contention). One thread: concurrent compares wait for each other, not the writers.
  int read_threads = 1;
  std::vector<std::string> allowed_origins;  // empty = same host only
  std::string mirror;                        // git URL template with {slug}; empty = none
  // Reverse proxies (canonical IP addresses, see canonical_address) whose X-Forwarded-For
  // names the client; empty = trust nobody, every address is the connection's own.
  std::vector<std::string> trusted_proxies;
  limits lim;
};

}  // namespace plenary::server
