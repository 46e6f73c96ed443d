#include "git_check.hpp"

#include <rapidjson/document.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness.hpp"

namespace plenary::test {
namespace fs = std::filesystem;

namespace {

// One object answered by `git cat-file --batch`; nullopt when git said it is missing.
struct batch_object {
  bool found = false;
  std::string type;
  std::string content;
};

// Runs `git cat-file --batch` on the object names (one per line) and returns the answers,
// in order.
std::vector<batch_object> cat_file_batch(const fs::path& repo,
                                         const std::vector<std::string>& names) {
  std::string pattern = (fs::temp_directory_path() / "plenary-batch-XXXXXX").string();
  int fd = ::mkstemp(pattern.data());
  if (fd < 0) return {};
  ::close(fd);
  {
    std::ofstream in(pattern, std::ios::binary);
    for (const auto& n : names) in << n << '\n';
  }
  // Standard error stays out of the answer: it would break the framing.
  run_result r = run_git(repo, "cat-file --batch < '" + pattern + "'", false);
  fs::remove(pattern);
  std::vector<batch_object> out;
  std::size_t pos = 0;
  const std::string& s = r.out;
  while (out.size() < names.size() && pos < s.size()) {
    std::size_t eol = s.find('\n', pos);
    if (eol == std::string::npos) break;
    std::string header = s.substr(pos, eol - pos);
    pos = eol + 1;
    batch_object o;
    if (header.ends_with(" missing") || header.ends_with(" ambiguous")) {
      out.push_back(o);
      continue;
    }
    std::istringstream h(header);
    std::string oid;
    std::size_t size = 0;
    h >> oid >> o.type >> size;
    o.found = true;
    o.content = s.substr(pos, size);
    pos += size + 1;  // the content, then a newline
    out.push_back(std::move(o));
  }
  out.resize(names.size());
  return out;
}

// The last paragraph of a commit object's message: its trailers.
std::map<std::string, std::string> trailers_of(const std::string& commit_object) {
  std::map<std::string, std::string> out;
  auto body = commit_object.find("\n\n");
  if (body == std::string::npos) return out;
  std::string message = commit_object.substr(body + 2);
  while (!message.empty() && message.back() == '\n') message.pop_back();
  auto last = message.rfind("\n\n");
  std::string paragraph = last == std::string::npos ? message : message.substr(last + 2);
  std::istringstream lines(paragraph);
  std::string line;
  while (std::getline(lines, line)) {
    auto colon = line.find(": ");
    if (colon != std::string::npos) out[line.substr(0, colon)] = line.substr(colon + 2);
  }
  return out;
}

// The names in a tree object ("<mode> <name>\0<20-byte id>" repeated).
std::set<std::string> tree_names(const std::string& tree) {
  std::set<std::string> out;
  std::size_t pos = 0;
  while (pos < tree.size()) {
    auto space = tree.find(' ', pos);
    auto nul = tree.find('\0', pos);
    if (space == std::string::npos || nul == std::string::npos || nul < space) break;
    out.insert(tree.substr(space + 1, nul - space - 1));
    pos = nul + 1 + 20;
  }
  return out;
}

}  // namespace

std::vector<std::string> rev_list_main(const fs::path& repo) {
  std::vector<std::string> out;
  std::istringstream lines(run_git(repo, "rev-list main", false).out);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

void wait_until_main_settles(const fs::path& repo) {
  using clock = std::chrono::steady_clock;
  const auto deadline = clock::now() + std::chrono::seconds(10);
  std::string last = run_git(repo, "rev-parse main", false).out;
  auto since = clock::now();
  while (clock::now() < deadline && clock::now() - since < std::chrono::milliseconds(300)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::string now = run_git(repo, "rev-parse main", false).out;
    if (now != last) {
      last = std::move(now);
      since = clock::now();
    }
  }
}

std::map<std::string, commit_contents> read_commits(const fs::path& repo,
                                                    const std::vector<std::string>& commits) {
  std::vector<std::string> names;
  for (const auto& c : commits) {
    names.push_back(c);
    names.push_back(c + ":draft.json");
    names.push_back(c + ":clauses");
  }
  auto objects = cat_file_batch(repo, names);
  std::map<std::string, commit_contents> out;
  for (std::size_t i = 0; i < commits.size(); ++i) {
    commit_contents& c = out[commits[i]];
    const batch_object& commit = objects[3 * i];
    const batch_object& json = objects[3 * i + 1];
    const batch_object& clauses = objects[3 * i + 2];
    if (commit.found && commit.type == "commit") {
      auto t = trailers_of(commit.content);
      c.op = t["Op"];
      c.clause = t["Clause"];
      c.state = t["State"];
    }
    if (json.found && json.type == "blob") {
      rapidjson::Document d;
      d.Parse(json.content.data(), json.content.size());
      if (!d.HasParseError() && d.IsObject() && d.HasMember("clauses") && d["clauses"].IsArray()) {
        c.draft_json_ok = true;
        for (const auto& cl : d["clauses"].GetArray()) {
          if (cl.IsObject() && cl.HasMember("id") && cl["id"].IsString()) {
            c.clause_ids.push_back(cl["id"].GetString());
          } else {
            c.draft_json_ok = false;
          }
        }
      }
    }
    if (clauses.found && clauses.type == "tree") c.files = tree_names(clauses.content);
  }
  return out;
}

std::string whole_commit_problems(const commit_contents& c) {
  std::string p;
  static const std::set<std::string> ops{"open",  "replace",  "insert",  "delete", "move",
                                         "stage", "sponsors", "bracket", "resolve"};
  // The commits that change draft.json only (procedure.md, "Stages") name no clause.
  const bool whole_draft = c.op == "open" || c.op == "stage" || c.op == "sponsors";
  if (!ops.contains(c.op)) p += "no known Op trailer (`" + c.op + "`); ";
  if (c.state.empty()) p += "no State trailer; ";
  if (!whole_draft && c.clause.empty()) p += "no Clause trailer; ";
  if (!c.draft_json_ok) p += "draft.json missing or not parsing; ";
  std::set<std::string> expected;
  for (const auto& id : c.clause_ids) expected.insert(id + ".txt");
  if (c.clause_ids.empty()) p += "no clauses; ";
  if (expected != c.files) p += "clauses/ does not match draft.json; ";
  return p;
}

std::map<std::pair<std::string, std::string>, std::string> read_files(
    const fs::path& repo, const std::vector<std::pair<std::string, std::string>>& want) {
  std::vector<std::string> names;
  for (const auto& [commit, path] : want) names.push_back(commit + ":" + path);
  auto objects = cat_file_batch(repo, names);
  std::map<std::pair<std::string, std::string>, std::string> out;
  for (std::size_t i = 0; i < want.size(); ++i) {
    out[want[i]] = objects[i].found && objects[i].type == "blob" ? objects[i].content : "(missing)";
  }
  return out;
}

std::string fsck_problems(const fs::path& repo) {
  run_result r = run_git(repo, "fsck --full --strict --no-dangling --no-progress");
  if (r.status == 0 && r.out.empty()) return "";
  return "git fsck exited " + std::to_string(r.status) + ": " + r.out.substr(0, 2000);
}

}  // namespace plenary::test
