// Private to storage: writes the objects of one commit on top of a tip (clause blobs, the
// clauses/ tree, draft.json, the root tree, the commit) into the repository's memory store.
// It moves no branch: the caller packs the objects and moves `main` once per batch.
// Thread safety: free functions on a repo, which has one owner.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/commit_message.hpp"
#include "storage/git/repo.hpp"
#include "storage/index.hpp"

namespace plenary::storage {

// A clause file to write (`text`) or to delete (nullopt).
struct file_change {
  std::string id;
  std::optional<std::string> text;
};

struct commit_plan {
  op_kind op = op_kind::replace;
  std::string clause_id;  // the `Clause:` trailer; empty for open
  std::string summary;
  std::string note;
  actor by;
  std::int64_t at = 0;
  std::vector<clause> clauses;  // the document after the commit
  bool order_changed = false;   // rewrite draft.json from `clauses` (and stage, sponsors)
  std::vector<file_change> files;
  // draft.json's stage and sponsors after the commit; nullopt keeps the base's.
  std::optional<draft_stage> stage;
  std::optional<std::vector<std::string>> sponsors;
  message::procedure_trailers procedure;  // Stage:, Proposal:, Adopted:, Vote:
};

struct written_commit {
  git_oid oid{};
  git_oid root_tree{};
  git_oid clauses_tree{};                                             // zero when clauses/ is empty
  std::vector<std::pair<std::string, std::optional<git_oid>>> blobs;  // per file change
  log_entry entry;
  std::vector<git_oid> objects;  // every object written
};

// The signature of a commit: `by` (`<name> <<code>@delegations.invalid>`, message::author_email)
// or, for nullopt, the server (`plenary <server@plenary.invalid>`, every commit's committer),
// at `at`. `invalid` when git refuses the name. Shared with the side branches (side_branch.hpp).
result<git::signature_ptr> signature_of(const std::optional<actor>& by, std::int64_t at);

// Writes the commit whose parent is `base.commit` (none when zero). On error, nothing it
// wrote is referenced by anything (the memory store is reset at the end of the batch).
result<written_commit> write_commit(repo& r, const tip& base, const commit_plan& plan);

}  // namespace plenary::storage
