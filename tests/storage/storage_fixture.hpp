// Shared helpers of the storage tests: a fresh temporary directory per test, a small draft,
// request builders, and a way to ask the real `git` about a repository.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storage/draft.hpp"

namespace plenary::storage::testing {

namespace fs = std::filesystem;

inline const actor chair{"CHAIR", "Chair"};
inline const actor rus{"RUS", "Russian Federation"};
inline const actor fra{"FRA", "France"};
inline const actor chn{"CHN", "China"};
inline constexpr std::int64_t t0 = 1795774500;  // 2026-11-27T10:15:00Z

// The small draft most tests start from: a preamble, a heading, three operative clauses.
inline draft_spec small_spec() {
  draft_spec spec;
  spec.title = "Code of conduct";
  spec.clauses = {
      {clause_kind::preamble, "Recognizing the need for security,"},
      {clause_kind::heading, "Each State pledges:"},
      {clause_kind::operative, "To comply with the Charter;"},
      {clause_kind::operative, "Not to use networks for hostile acts;"},
      {clause_kind::operative, "To cooperate in combating crime."},
  };
  return spec;
}

inline request replace_req(const actor& by, std::string id, std::string base, std::string text,
                           std::string note = {}, std::int64_t at = t0) {
  request r{by, {}, at};
  r.change.op = op_kind::replace;
  r.change.clause = std::move(id);
  r.change.base = std::move(base);
  r.change.text = std::move(text);
  r.change.note = std::move(note);
  return r;
}

inline request insert_req(const actor& by, std::optional<std::string> after, clause_kind kind,
                          std::string text, std::int64_t at = t0) {
  request r{by, {}, at};
  r.change.op = op_kind::insert;
  r.change.after = std::move(after);
  r.change.kind = kind;
  r.change.text = std::move(text);
  return r;
}

inline request remove_req(const actor& by, std::string id, std::string base, std::int64_t at = t0) {
  request r{by, {}, at};
  r.change.op = op_kind::remove;
  r.change.clause = std::move(id);
  r.change.base = std::move(base);
  return r;
}

inline request move_req(const actor& by, std::string id, std::optional<std::string> after,
                        std::int64_t at = t0) {
  request r{by, {}, at};
  r.change.op = op_kind::move;
  r.change.clause = std::move(id);
  r.change.after = std::move(after);
  return r;
}

// The chair's procedural commits, and the bracket notation's ops (procedure.md).
inline request stage_req(const actor& by, draft_stage to, std::int64_t at = t0) {
  request r{by, {}, at};
  r.change.op = op_kind::stage;
  r.change.stage = to;
  return r;
}

inline request sponsors_req(const actor& by, std::vector<std::string> sponsors,
                            std::int64_t at = t0) {
  request r{by, {}, at};
  r.change.op = op_kind::sponsors;
  r.change.sponsors = std::move(sponsors);
  return r;
}

inline request bracket_req(const actor& by, std::string id, std::string base, std::size_t start,
                           std::size_t end, std::string wording, std::int64_t at = t0 + 100) {
  request r{by, {}, at};
  r.change.op = op_kind::bracket;
  r.change.clause = std::move(id);
  r.change.base = std::move(base);
  r.change.start = start;
  r.change.end = end;
  r.change.text = std::move(wording);
  return r;
}

inline request resolve_req(const actor& by, std::string id, std::size_t bracket, std::size_t choose,
                           std::int64_t at = t0 + 200) {
  request r{by, {}, at};
  r.change.op = op_kind::resolve;
  r.change.clause = std::move(id);
  r.change.bracket = bracket;
  r.change.choose = choose;
  return r;
}

inline const clause* find(const snapshot& s, std::string_view id) {
  for (const auto& c : s.clauses) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

inline std::vector<std::string> ids(const snapshot& s) {
  std::vector<std::string> out;
  for (const auto& c : s.clauses) out.push_back(c.id);
  return out;
}

// Single-quotes a string for /bin/sh.
inline std::string sh_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

struct command_result {
  int status = -1;
  std::string out;
};

// Runs a shell command, capturing standard output (standard error goes to the test log).
inline command_result run(const std::string& command) {
  command_result r;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return r;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) r.out.append(buffer, n);
  r.status = ::pclose(pipe);
  return r;
}

// `git --git-dir=<dir> <args>`, isolated from the user's and the system's git configuration.
inline command_result git(const fs::path& dir, const std::string& args) {
  return run("GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null git --git-dir=" +
             sh_quote(dir.string()) + " " + args);
}

// Who makes a commit with plain git (author or committer).
struct git_identity {
  std::string name = "Admin";
  std::string email = "admin@example.org";
};

// A commit on main made with plain git, as an administrator would: `edit` (shell commands, with
// GIT_DIR set and a fresh GIT_INDEX_FILE holding main's tree, such as `git update-index ...`)
// changes the index, whose tree is committed on top of main with `message` (git commit-tree's
// `-m` arguments) and main moved to it. The exit status of the script (0: done).
inline int commit_with_plain_git(const fs::path& repo, const std::string& edit,
                                 const std::string& message, const git_identity& author = {},
                                 const git_identity& committer = {}) {
  const std::string script =
      "set -e; export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_DIR=" +
      sh_quote(repo.string()) + " GIT_INDEX_FILE=$(mktemp -u); git read-tree main; " + edit +
      "; tree=$(git write-tree); c=$(GIT_AUTHOR_NAME=" + sh_quote(author.name) +
      " GIT_AUTHOR_EMAIL=" + sh_quote(author.email) +
      " GIT_COMMITTER_NAME=" + sh_quote(committer.name) +
      " GIT_COMMITTER_EMAIL=" + sh_quote(committer.email) + " git commit-tree $tree -p main " +
      message + "); git update-ref refs/heads/main $c; rm -f $GIT_INDEX_FILE";
  return run("sh -c " + sh_quote(script)).status;
}

inline std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t nl = s.find('\n', start);
    if (nl == std::string::npos) nl = s.size();
    out.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

// Every file below `dir`, for checking that a refused request wrote nothing.
inline std::vector<std::string> tree_listing(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    out.push_back(fs::relative(e.path(), dir).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A fresh temporary directory per test, removed afterwards.
class storage_test : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "plenary-storage-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  fs::path repo_path() const { return dir_ / "drafts" / "test.git"; }

  std::unique_ptr<draft> make(const draft_spec& spec = small_spec()) {
    auto d = draft::create(repo_path(), spec, chair, t0);
    EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.err().message);
    return d.ok() ? std::move(d).value() : nullptr;
  }

  std::unique_ptr<draft> reopen() {
    auto d = draft::open(repo_path());
    EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.err().message);
    return d.ok() ? std::move(d).value() : nullptr;
  }

  // `git fsck --strict` finds nothing wrong with the draft's repository.
  void expect_fsck_clean() {
    auto r = git(repo_path(), "fsck --strict --no-dangling 2>&1");
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_EQ(r.out, "");
  }

  fs::path dir_;
};

// `r` is an error of `kind`; prints the message otherwise.
#define EXPECT_ERROR(r, kind_)                             \
  do {                                                     \
    const auto& r_ = (r);                                  \
    EXPECT_FALSE(r_.ok());                                 \
    if (!r_.ok()) {                                        \
      EXPECT_EQ(r_.err().kind, kind_) << r_.err().message; \
      EXPECT_FALSE(r_.err().message.empty());              \
    }                                                      \
  } while (0)

#define ASSERT_OK(r) ASSERT_TRUE((r).ok()) << ((r).ok() ? std::string() : (r).err().message)

}  // namespace plenary::storage::testing
