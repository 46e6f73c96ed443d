// Private to storage: builds a draft's index and head by one walk of `main`, oldest first.
// Thread safety: a free function on a repo, which has one owner.
#pragma once

#include "storage/git/repo.hpp"
#include "storage/index.hpp"
#include "storage/result.hpp"

namespace plenary::storage {

struct loaded_draft {
  draft_index index;
  tip head;
  std::size_t walked = 0;      // commits read from git (the others came from index_cache)
  std::size_t from_cache = 0;  // commits that came from index_cache
};

// Starts from the saved index (index_cache.hpp) when its commit is still on `main`'s
// first-parent chain, and reads only the commits after it; otherwise reads every commit of
// `main` once. Per commit: the message (summary, note, trailers) and
// the author; and, only when the clauses/ subtree id differs from the parent's, which
// clauses/<id>.txt entries were added, changed or removed (compared by blob id). Then the
// head's draft.json and clause texts. `io` when the branch or draft.json is missing or damaged.
result<loaded_draft> load_draft(const repo& r);

// The snapshot at commit `position` of the index: draft.json of that commit, and each
// clause's text, rev and by as of then.
result<snapshot> snapshot_at(const repo& r, const draft_index& index, std::uint32_t position);

}  // namespace plenary::storage
