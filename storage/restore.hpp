// Bringing a draft back from a copy of its repository: its mirror (`serve --mirror`), a bundle
// served by git, any repository libgit2 fetches from (a local path or file:// URL; https and
// ssh without credentials). `plenary draft restore` (server/data_dir.hpp) is the one user.
//
// A restore happens beside the draft's final place, in a hidden temporary directory of the
// same folder (files::make_temp_dir_beside), and reaches `git_dir` by one rename only after
// every check passed, so a reader (a running server) never sees half a draft, and a failed
// restore leaves nothing behind. The checks, in order:
//   1. every branch, tag and refs/proposals/* of the remote arrives (libgit2's fetch);
//   2. it is a plenary draft: a branch `main` whose tree holds draft.json (otherwise `invalid`
//      naming what is missing and what the repository has instead);
//   3. connectivity, as `git fsck` checks it: every object reachable from every ref is
//      present, readable and hashes to its id (a truncated or damaged copy is `io`, naming
//      the first missing or damaged object and the ref it was reached from);
//   4. draft::open (repairing): draft.json and the clause files of main's head, the history
//      index, the proposal records of `procedure` (numbered 1..N, each one parses), and what
//      a crash before the copy was made left half done (proposal refs, adoptions, `adopted`);
//   5. each clause of the head passes the text rules (check_clause_text) and the bracket
//      notation, its codes checked against the delegations found in the history; every
//      proposal record has its refs/proposals/<n>.
//
// Thread safety: a fetched_draft has one owner. libgit2 must be set up (storage::library).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "storage/model.hpp"
#include "storage/result.hpp"

namespace plenary::storage {

class fetched_draft {
 public:
  // Fetches `url` into a temporary directory beside `git_dir` (which need not exist) and
  // checks it (steps 1 to 5 above). `io` when the remote cannot be reached or read (libgit2's
  // reason), `invalid` when it is not a draft, `io` when it is damaged or incomplete.
  static result<fetched_draft> fetch(const std::filesystem::path& git_dir, const std::string& url);

  fetched_draft(fetched_draft&& other) noexcept;
  fetched_draft& operator=(fetched_draft&&) = delete;
  // Removes the temporary directory: the fetched draft when it was never placed, the draft it
  // replaced when it was.
  ~fetched_draft();

  // The delegations that authored any commit or tag of the repository (not CHAIR), each with
  // the name of its latest commit, sorted by code; plus sponsors of the head that never
  // authored anything, named by their code. What a restore can know of the roster, which
  // lives outside the repository.
  const std::vector<actor>& authors() const noexcept { return authors_; }
  // What was checked: objects read and hashed, refs fetched.
  std::size_t objects() const noexcept { return objects_; }
  std::size_t refs() const noexcept { return refs_; }
  // The head of main.
  const std::string& head() const noexcept { return head_; }

  // Renames the fetched draft to `git_dir`: `exists` when something is there. After it,
  // the temporary directory is gone.
  status place();
  // Swaps the fetched draft with the draft at `git_dir` in one rename (renameat2
  // RENAME_EXCHANGE; two renames where the file system cannot exchange). The old draft then
  // sits in the temporary directory until destruction, so undo_replace() can put it back.
  status replace();
  status undo_replace();

 private:
  fetched_draft(std::filesystem::path target, std::filesystem::path temp);

  std::filesystem::path target_;
  std::filesystem::path temp_;  // empty once nothing is left to remove
  std::vector<actor> authors_;
  std::size_t objects_ = 0;
  std::size_t refs_ = 0;
  std::string head_;
};

}  // namespace plenary::storage
