#include "child.hpp"

#include <grp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <regex>

namespace plenary::test::child {

command::command(std::vector<std::string> argv, std::optional<std::vector<std::string>> env)
    : argv_(std::move(argv)), own_env_(env.has_value()) {
  if (env) env_ = std::move(*env);
  for (auto& a : argv_) argv_ptrs_.push_back(a.data());
  argv_ptrs_.push_back(nullptr);
  for (auto& e : env_) env_ptrs_.push_back(e.data());
  env_ptrs_.push_back(nullptr);
}

void command::exec_in_child(int run_as, pid_t parent) const {
  if (run_as >= 0) {
    const auto id = static_cast<uid_t>(run_as);
    if (::setgroups(0, nullptr) != 0 || ::setgid(id) != 0 || ::setuid(id) != 0) ::_exit(125);
  }
  // After the switch of user: a change of credentials clears the parent-death signal.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  // The test died between fork and prctl: no signal would come.
  if (::getppid() != parent) ::_exit(127);
  if (own_env_) {
    ::execve(argv_ptrs_[0], argv_ptrs_.data(), env_ptrs_.data());
  } else {
    ::execv(argv_ptrs_[0], argv_ptrs_.data());
  }
  ::_exit(127);
}

std::optional<listening_address> find_listening(const std::string& output) {
  static const std::regex listening(
      R"(listening on http://(\[[0-9A-Fa-f:.]+\]|[^\s:/]+):([0-9]+))");
  std::smatch m;
  if (!std::regex_search(output, m, listening)) return std::nullopt;
  return listening_address{m[1], static_cast<unsigned short>(std::stoi(m[2]))};
}

}  // namespace plenary::test::child
