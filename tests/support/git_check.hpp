// Checks of a draft's repository with the real `git`, for the integration, crash and load tests:
// that every commit on main is whole, and that the repository is sound.
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace plenary::test {

// The commits of `main`, newest first (`git rev-list main`).
std::vector<std::string> rev_list_main(const std::filesystem::path& repo);

// Waits until plain git has caught up with what a running server acknowledged: the server
// acknowledges once a commit is in the draft's write-ahead log and moves main in git up to
// 50 ms later (storage/git/checkpointer.hpp). Returns once `git rev-parse main` has not moved
// for 300 ms (six times that delay; the writes under test are over), at most after 10 s.
void wait_until_main_settles(const std::filesystem::path& repo);

// What one commit holds, as git reads it.
struct commit_contents {
  std::string op, clause, state;        // the trailers ("" when missing)
  bool draft_json_ok = false;           // draft.json is there and lists clauses
  std::vector<std::string> clause_ids;  // the ids draft.json lists, in order
  std::set<std::string> files;          // the names in the tree clauses/
};

// Reads each commit's trailers, draft.json and clauses/ tree with one `git cat-file --batch`.
std::map<std::string, commit_contents> read_commits(const std::filesystem::path& repo,
                                                    const std::vector<std::string>& commits);

// The problems of one commit: trailers missing or unknown, draft.json missing or not
// parsing, a clause listed without its file, or a file without its clause. Empty when whole.
std::string whole_commit_problems(const commit_contents& c);

// The bytes of `<commit>:<path>` for each (commit, path), with one `git cat-file --batch`;
// a missing one maps to "(missing)".
std::map<std::pair<std::string, std::string>, std::string> read_files(
    const std::filesystem::path& repo,
    const std::vector<std::pair<std::string, std::string>>& want);

// `git fsck --full --strict --no-dangling`: "" when clean, otherwise what it said.
std::string fsck_problems(const std::filesystem::path& repo);

}  // namespace plenary::test
