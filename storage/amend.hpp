// Private to storage: turns one request into one commit on top of a batch's tip: checks the
// request (hostile input is the norm), decides merge or conflict, writes the objects.
// Thread safety: free functions on a batch and a repo, which have one owner.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "storage/draft.hpp"
#include "storage/index.hpp"
#include "storage/repo.hpp"

namespace plenary::storage {

// A commit of the batch, not yet on `main`.
struct pending_commit {
  git_oid oid{};
  log_entry entry;
  bool file_changed = false;
  std::string clause_id;            // whose file changed
  std::optional<git_oid> blob;      // its new blob; nullopt when deleted
  std::optional<std::string> text;  // its new text; nullopt when deleted
};

// Amendments applied in memory on top of `main`, one commit each, waiting to be published.
struct batch {
  tip t;  // main as it will be after these commits
  std::vector<pending_commit> commits;
  std::vector<git_oid> objects;                // every object the accepted commits wrote
  std::set<std::string, std::less<>> new_ids;  // clause ids created in this batch
};

// Applies `req` on top of `b.t`; on success one commit is appended to `b` and `b.t` moves.
// On error `b` is unchanged (objects written to memory are forgotten with the batch).
result<applied> apply_request(repo& r, const draft_index& index, batch& b, const request& req);

// Checks the author of a commit (state code and name), and its time.
std::string check_actor(const actor& by, std::string_view field);
std::string check_time(std::int64_t at);

}  // namespace plenary::storage
