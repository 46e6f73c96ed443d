// The modes of plenary-loadgen, one file each, and their options (read from the command line
// by main.cpp with CLI11). Each mode prints one JSON object of results on standard output and
// returns the exit status; a run that cannot go on dies with a message (client.hpp, die()).
// Every time is taken in this one process with steady_clock: "ack latency" is from just
// before the amend frame is written to the socket to the moment the ack is read; "fan-out"
// is from the same send time to the moment the last listener has read the `amended` event.
#pragma once

#include <string>
#include <vector>

namespace plenary::bench {

// Where the server is, and how many io threads drive the connections.
struct server_options {
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  int threads = 1;
};

// latency.cpp: 1 writer amends one clause `amendments` times (after `warmup` unmeasured
// ones), `gap_ms` apart; `listeners` connections on the same draft receive each `amended`.
struct latency_options : server_options {
  std::string slug, writer_code, listener_code;
  long listeners = 10;
  long amendments = 200;
  long warmup = 10;
  long gap_ms = 5;
  std::string clause;  // "" = the first operative clause
  // Live wording (docs/extensions.md): `typists` more connections, one per code of
  // `typist_codes` (taken in turn), each typing in its own operative clause (not the writer's)
  // `keystrokes` times a second for as long as the amendments run. `server_pid` (> 0): the
  // server's CPU time over the run is reported, per typing message and per event sent.
  long typists = 0;
  double keystrokes = 10;
  std::vector<std::string> typist_codes;
  long server_pid = -1;
};
int run_latency(const latency_options& o);

// throughput.cpp: closed-loop writers, each on its own operative clause, for `seconds` after
// `warmup`. `drafts`: "SLUG=CODE,CODE,..." with one join code per writer.
struct throughput_options : server_options {
  double seconds = 10;
  double warmup = 1;
  std::vector<std::string> drafts;
};
int run_throughput(const throughput_options& o);

// scale.cpp: `per_draft` connections on each draft (its first one writes, `rate` amendments a
// second, for `seconds` after `settle` idle seconds); the server's memory read from
// /proc/<server_pid>. `bind`: source addresses to spread the connections over (127.0.0.x),
// beyond the 28,000 ports of one. `drafts`: "SLUG=WRITER_CODE,LISTENER_CODE".
struct scale_options : server_options {
  long per_draft = 100;
  double rate = 1;
  double seconds = 20;
  double settle = 3;
  long server_pid = -1;
  long parallel = 100;  // handshakes in flight
  std::vector<std::string> bind;
  std::vector<std::string> drafts;
};
int run_scale(const scale_options& o);

// http.cpp: `requests` sequential GETs of each target (after a first, cold one) on one
// keep-alive connection, with `bearer` as the code.
struct http_options : server_options {
  std::string bearer;
  long requests = 100;
  std::vector<std::string> targets;
};
int run_http(const http_options& o);

// open.cpp: starts the server `command` (it must print "listening on http://HOST:PORT") and
// times its start and the first welcome on draft `slug` joined with `code`.
struct open_options {
  std::string slug, code;
  std::vector<std::string> command;
};
int run_open(const open_options& o);

}  // namespace plenary::bench
