// Private to storage: builds a draft's index and head by one walk of `main`, oldest first.
// Thread safety: a free function on a repo, which has one owner.
#pragma once

#include "storage/index.hpp"
#include "storage/repo.hpp"
#include "storage/result.hpp"

namespace plenary::storage {

struct loaded_draft {
  draft_index index;
  tip head;
};

// Reads every commit of `main` once. Per commit: the message (summary, note, trailers) and
// the author; and, only when the clauses/ subtree id differs from the parent's, which
// clauses/<id>.txt entries were added, changed or removed (compared by blob id). Then the
// head's draft.json and clause texts. `io` when the branch or draft.json is missing or damaged.
result<loaded_draft> load_draft(const repo& r);

// The snapshot at commit `position` of the index: draft.json of that commit, and each
// clause's text, rev and by as of then.
result<snapshot> snapshot_at(const repo& r, const draft_index& index, std::uint32_t position);

}  // namespace plenary::storage
