// Private to storage: the blame of a clause (protocol.md, "blame"), computed from the index
// and carried forward over commits that are not in it yet.
// Thread safety: free functions on a repo and an index, which have one owner.
#pragma once

#include <string_view>
#include <vector>

#include "storage/amend.hpp"
#include "storage/git/repo.hpp"
#include "storage/index.hpp"

namespace plenary::storage {

// The raw blame of the clause's text after its last change in `index` (each piece attributed
// to the commit and author that introduced it); computed once and kept in the index, which
// carries it forward on later changes. `not_found` when the clause never existed or has been
// deleted.
result<std::vector<blame_segment>> clause_blame(const repo& r, const draft_index& index,
                                                std::string_view clause_id);

// The same at the tip of a batch: the index's blame carried over the batch's own commits.
result<std::vector<blame_segment>> clause_blame(const repo& r, const draft_index& index,
                                                const batch& b, std::string_view clause_id);

}  // namespace plenary::storage
