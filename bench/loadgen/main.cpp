// plenary-loadgen: a load generator that speaks the contract (docs/protocol.md) over real
// WebSocket connections, many per thread (Beast/Asio, asynchronous), and prints one JSON
// object of results on standard output. bench/run.py drives it; `plenary-loadgen MODE --help`
// lists a mode's options.
//
//   plenary-loadgen latency    --port P --slug S --writer-code C --listener-code C
//                              --listeners N --amendments K [--clause c3] [--gap-ms 5]
//   plenary-loadgen throughput --port P --seconds 10 --warmup 1
//                              --draft SLUG=CODE,CODE,... [--draft ...]   (one code per writer)
//   plenary-loadgen scale      --port P --per-draft N --rate 1 --seconds 20 --settle 3
//                              --server-pid PID --bind 127.0.0.1,127.0.0.2,...
//                              --draft SLUG=WRITER_CODE,LISTENER_CODE [--draft ...]
//   plenary-loadgen http       --port P --bearer C --target /api/... --requests N
//   plenary-loadgen open       --slug S --code C -- plenary serve ...   (spawns the server)
#include <signal.h>

#include <CLI/CLI.hpp>
#include <exception>

#include "client.hpp"
#include "modes.hpp"

namespace {

using namespace plenary::bench;

void add_server_options(CLI::App* mode, server_options& o) {
  mode->add_option("--host", o.host, "The server's address")->capture_default_str();
  mode->add_option("--port", o.port, "The server's port")->required();
  mode->add_option("--threads", o.threads, "io threads driving the connections")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "plenary-loadgen: drives a plenary server over real WebSockets and prints one "
      "JSON object of results",
      "plenary-loadgen"};
  app.require_subcommand(1);

  latency_options lat;
  auto* latency = app.add_subcommand("latency", "1 writer, N listeners: ack and fan-out latency");
  add_server_options(latency, lat);
  latency->add_option("--slug", lat.slug, "The draft")->required();
  latency->add_option("--writer-code", lat.writer_code, "Join code of the writer (a delegation)")
      ->required();
  latency->add_option("--listener-code", lat.listener_code, "Join code of every listener")
      ->required();
  latency->add_option("--listeners", lat.listeners, "Listening connections")
      ->check(CLI::Range(0L, 1000000L))
      ->capture_default_str();
  latency->add_option("--amendments", lat.amendments, "Measured amendments")
      ->check(CLI::Range(1L, 100000000L))
      ->capture_default_str();
  latency->add_option("--warmup", lat.warmup, "Amendments before the measured ones")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  latency->add_option("--gap-ms", lat.gap_ms, "Pause after each acknowledged amendment (ms)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  latency->add_option("--clause", lat.clause, "The clause amended (default: the first operative)");
  latency->add_option("--typists", lat.typists, "Connections typing live wording meanwhile")
      ->check(CLI::Range(0L, 10000L))
      ->capture_default_str();
  latency->add_option("--keystrokes", lat.keystrokes, "Typing messages a second per typist")
      ->check(CLI::Range(0.1, 1000.0))
      ->capture_default_str();
  latency->add_option("--typist-codes", lat.typist_codes, "Join codes of the typists (delegations)")
      ->delimiter(',');
  latency->add_option("--server-pid", lat.server_pid, "The server's pid, for its CPU time");

  throughput_options thr;
  auto* throughput =
      app.add_subcommand("throughput", "Closed-loop writers on their own clauses: amendments/s");
  add_server_options(throughput, thr);
  throughput->add_option("--seconds", thr.seconds, "Measured seconds")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  throughput->add_option("--warmup", thr.warmup, "Seconds before the measured ones")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  throughput->add_option("--draft", thr.drafts, "SLUG=CODE,CODE,... (one join code per writer)")
      ->required()
      ->allow_extra_args(false);

  scale_options sc;
  auto* scale = app.add_subcommand("scale", "Many connections over many drafts: memory, fan-out");
  add_server_options(scale, sc);
  scale->add_option("--per-draft", sc.per_draft, "Connections per draft (the first one writes)")
      ->check(CLI::Range(1L, 1000000L))
      ->capture_default_str();
  scale->add_option("--rate", sc.rate, "Amendments a second per draft")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  scale->add_option("--seconds", sc.seconds, "Seconds of amendments")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  scale->add_option("--settle", sc.settle, "Idle seconds before them")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  scale->add_option("--server-pid", sc.server_pid, "The server's process, for its memory");
  scale->add_option("--parallel", sc.parallel, "Handshakes in flight")
      ->check(CLI::Range(1L, 100000L))
      ->capture_default_str();
  scale->add_option("--bind", sc.bind, "Source addresses, comma-separated (127.0.0.1,127.0.0.2)")
      ->delimiter(',');
  scale->add_option("--draft", sc.drafts, "SLUG=WRITER_CODE,LISTENER_CODE")
      ->required()
      ->allow_extra_args(false);

  http_options ht;
  auto* http = app.add_subcommand("http", "Sequential GETs on one keep-alive connection");
  add_server_options(http, ht);
  http->add_option("--bearer", ht.bearer, "Join code sent as the bearer token")->required();
  http->add_option("--requests", ht.requests, "Warm requests per target")
      ->check(CLI::Range(1L, 100000000L))
      ->capture_default_str();
  http->add_option("--target", ht.targets, "A path to GET (repeat for more)")
      ->required()
      ->allow_extra_args(false);

  open_options op;
  auto* open = app.add_subcommand(
      "open", "Starts the server command given after --, times it to the first welcome");
  open->add_option("--slug", op.slug, "The draft joined")->required();
  open->add_option("--code", op.code, "Its join code")->required();
  open->add_option("command", op.command, "The server command, after --")->required();

  CLI11_PARSE(app, argc, argv);

  ::signal(SIGPIPE, SIG_IGN);
  raise_fd_limit();
  try {
    if (*latency) return run_latency(lat);
    if (*throughput) return run_throughput(thr);
    if (*scale) return run_scale(sc);
    if (*http) return run_http(ht);
    if (*open) return run_open(op);
  } catch (const std::exception& e) {
    die(e.what());
  }
  return 2;
}
