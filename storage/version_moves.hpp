// Private to storage: the comparison of two versions told which clauses were moved (issue 15).
//
// compare() (versions.hpp) finds a clause's place by the longest common subsequence of the two
// orders; when two neighbours were swapped, either one can be the one that "moved", and the LCS
// picks one by position. The commits between the two versions know better: each `Op: move`
// commit names, in its `Clause:` trailer, the clause that was moved. draft::compare passes those
// ids here. A range without such commits (a reorder written with plain git) falls back to the
// LCS alone, as before.
//
// Kept apart from versions.hpp only so that adding it did not rebuild everything that includes
// draft.hpp; it belongs with compare() and can be folded into versions.hpp.
//
// Thread safety: pure functions over values and a read-only index.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "storage/versions.hpp"

namespace plenary::storage {

class draft_index;

// compare(), with `moved` the ids of the clauses that commits between the two versions moved:
// the clauses not named keep their place by the longest common subsequence among themselves,
// then each named clause that still fits between its kept neighbours (moved away and back)
// keeps its place too; the rest are `moved` (same text) or `changed`. An empty `moved` is
// compare() exactly. Ids not present in both versions are ignored.
comparison compare(const snapshot& from, const snapshot& to, const std::vector<std::string>& moved);

// The clauses that the commits of main after one of the two commits, up to and including the
// other, moved (`Op: move`, the `Clause:` trailer), in commit order. Either order of the two;
// empty when a commit is not in `index` or no commit in between is a move.
std::vector<std::string> moved_between(const draft_index& index, std::string_view from_commit,
                                       std::string_view to_commit);

}  // namespace plenary::storage
