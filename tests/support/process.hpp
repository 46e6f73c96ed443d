// Test support beside harness.hpp, first for the operations tests: a `plenary` process with
// an environment of its own (and, as root, another user) and both outputs kept in files, a
// shell command runner, git, and an amendment helper. Part of plenary_test_support.
// Thread-safety: like harness.hpp, each object belongs to the test thread that made it.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness.hpp"

namespace plenary::test {

// A child process running plenary_bin() with `args`. Its environment is the test's, minus every
// PLENARY_* variable, plus `env`. Standard output and error go to files under `dir`.
// Stopped with SIGTERM (then SIGKILL) when destroyed.
class process {
 public:
  // `run_as`: a user id to switch to before exec (the test must be root for that); `dir` must
  // then be reachable by that user (temp_dir::for_another_user): the binary runs from a copy
  // there.
  process(const std::filesystem::path& dir, std::vector<std::string> args,
          std::map<std::string, std::string> env = {}, int run_as = -1);
  ~process();
  process(const process&) = delete;
  process& operator=(const process&) = delete;

  // Waits for "listening on http://HOST:PORT" on standard output (child.hpp): the port, or nullopt
  // when the process exited or nothing came in time.
  std::optional<unsigned short> wait_listening(std::chrono::milliseconds timeout = 20s);
  // Waits for the process to end by itself: its exit status, or nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout = 20s);
  // SIGTERM, then waits (SIGKILL after 10 s): the exit status.
  int terminate();
  bool running();

  std::string out() const;
  std::string err() const;

 private:
  int pid_ = -1;
  std::optional<int> status_;
  std::filesystem::path out_, err_;
};

struct command_result {
  int status = -1;
  std::string out;  // standard output and standard error together
};

// Runs `sh -c command`, both outputs captured.
command_result sh(const std::string& command);

// Single-quotes for sh.
std::string quote(const std::string& s);

// `git --git-dir=DIR args`, isolated from any user or system configuration.
command_result git(const std::filesystem::path& git_dir, const std::string& args);

std::string read_file(const std::filesystem::path& p);

// Whether `name` is on PATH (or /usr/sbin, /sbin).
std::optional<std::string> find_program(const std::string& name);

// Amends over a joined connection and waits for the ack; the new commit id, "" on failure.
std::string replace_clause(ws_client& c, long id, const std::string& clause,
                           const std::string& base, const std::string& text);

}  // namespace plenary::test
