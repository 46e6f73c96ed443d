#include "process.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "child.hpp"

extern char** environ;

namespace plenary::test {
namespace fs = std::filesystem;

process::process(const fs::path& dir, std::vector<std::string> args,
                 std::map<std::string, std::string> env, int run_as) {
  static int counter = 0;
  const std::string tag = std::to_string(::getpid()) + "-" + std::to_string(++counter);
  out_ = dir / ("plenary-" + tag + ".out");
  err_ = dir / ("plenary-" + tag + ".err");

  // Another user cannot always reach the binary: a checkout in a private folder (mode 0700,
  // /root/...) hides the build from `nobody`. A copy in `dir`, which that user reaches.
  std::string bin = plenary_bin();
  if (run_as >= 0) {
    const fs::path copy = dir / "plenary";
    if (!fs::exists(copy)) fs::copy_file(bin, copy);
    fs::permissions(copy,
                    fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                        fs::perms::others_read | fs::perms::others_exec,
                    fs::perm_options::replace);
    bin = copy.string();
  }
  std::vector<std::string> argv_s{bin};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<std::string> env_s;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string_view(*e).starts_with("PLENARY_")) continue;
    env_s.emplace_back(*e);
  }
  for (const auto& [k, v] : env) env_s.push_back(k + "=" + v);
  const child::command cmd(std::move(argv_s), std::move(env_s));

  // Opened before fork (the child only makes async-signal-safe calls), by the test's user:
  // before any switch to `run_as`.
  const int out_fd = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  const int err_fd = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ == 0) {
    if (out_fd < 0 || err_fd < 0 || ::dup2(out_fd, 1) < 0 || ::dup2(err_fd, 2) < 0) ::_exit(126);
    cmd.exec_in_child(run_as, parent);
  }
  if (out_fd >= 0) ::close(out_fd);
  if (err_fd >= 0) ::close(err_fd);
}

process::~process() {
  if (running()) terminate();
}

bool process::running() {
  if (pid_ <= 0 || status_) return false;
  int st = 0;
  if (::waitpid(pid_, &st, WNOHANG) == pid_) {
    status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return false;
  }
  return true;
}

std::optional<unsigned short> process::wait_listening(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto at = child::find_listening(out())) return at->port;
    if (!running()) return std::nullopt;
    std::this_thread::sleep_for(20ms);
  }
  return std::nullopt;
}

std::optional<int> process::wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
    std::this_thread::sleep_for(20ms);
  }
  return status_;
}

int process::terminate() {
  if (!running()) return status_.value_or(-1);
  ::kill(pid_, SIGTERM);
  if (auto st = wait(10s)) return *st;
  ::kill(pid_, SIGKILL);
  int st = 0;
  ::waitpid(pid_, &st, 0);
  status_ = 137;
  return 137;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string process::out() const { return read_file(out_); }
std::string process::err() const { return read_file(err_); }

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

command_result sh(const std::string& command) {
  command_result r;
  FILE* p = ::popen(("(" + command + ") 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int st = ::pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return r;
}

command_result git(const fs::path& git_dir, const std::string& args) {
  return sh("GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null git --git-dir=" +
            quote(git_dir.string()) + " " + args);
}

std::optional<std::string> find_program(const std::string& name) {
  auto r = sh("PATH=\"$PATH:/usr/sbin:/sbin\" command -v " + quote(name));
  if (r.status != 0 || r.out.empty()) return std::nullopt;
  std::string path = r.out.substr(0, r.out.find('\n'));
  return path;
}

std::string replace_clause(ws_client& c, long id, const std::string& clause,
                           const std::string& base, const std::string& text) {
  c.send(R"({"type":"amend","id":)" + std::to_string(id) + R"(,"op":"replace","clause":")" +
         clause + R"(","base":")" + base + R"(","text":")" + text + R"("})");
  auto ack = c.expect("ack", id);
  return member(ack, "commit");
}

}  // namespace plenary::test
