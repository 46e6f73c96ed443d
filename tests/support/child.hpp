// How the test-support helpers start `plenary` (server, process, run_plenary): one way to
// set up the child between fork and exec, and one reading of the "listening on" line.
// Internal to tests/support; the tests use harness.hpp and process.hpp.
// Thread-safety: a command is read-only once made; find_listening shares no state.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace plenary::test::child {

// A program to run, its argv and environment laid out before fork: the child of a
// multi-threaded test may only make async-signal-safe calls (no allocation) before exec.
class command {
 public:
  // `env`: the child's whole environment; nullopt inherits the test's.
  explicit command(std::vector<std::string> argv,
                   std::optional<std::vector<std::string>> env = std::nullopt);
  command(const command&) = delete;
  command& operator=(const command&) = delete;

  // In the child, after fork and its own redirections: switches to user `run_as` when >= 0
  // (root only: no supplementary groups, gid = uid), asks for SIGKILL when the test process
  // `parent` dies (a test killed by its timeout, or by SIGPIPE under `| head`, leaves no
  // orphan; the kernel sends it when the *thread* that forked ends, so start children from
  // the test's own thread), then execs. Exits 125 when the switch fails, 127 when exec does.
  [[noreturn]] void exec_in_child(int run_as, pid_t parent) const;

 private:
  std::vector<std::string> argv_, env_;
  bool own_env_ = false;
  std::vector<char*> argv_ptrs_, env_ptrs_;
};

// What `plenary serve` prints once it accepts connections:
// "plenary 0.1.0 listening on http://127.0.0.1:8080 (data: ...)"; an IPv6 host is in
// brackets ("http://[::1]:8080"). The one pattern of every helper that waits for it.
struct listening_address {
  std::string host;
  unsigned short port = 0;
};
std::optional<listening_address> find_listening(const std::string& output);

}  // namespace plenary::test::child
