// Word-level diff, three-way merge and blame, on tokens of a clause's text.
// Tokens: runs of letters/digits (any script), runs of white space, single punctuation
// characters, and single ideographs (CJK text has no spaces between words).
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/model.hpp"

namespace plenary::storage::words {

// Splits text into tokens; concatenating them gives `text` back byte for byte.
// Never splits a UTF-8 character.
std::vector<std::string_view> tokenize(std::string_view text);

// Minimal word diff, adjacent pieces of one op coalesced. Joining '=' and '-' gives
// `before`, joining '=' and '+' gives `after`.
std::vector<diff_piece> diff(std::string_view before, std::string_view after);

// The word diff's work is bounded by the product of the two middles' token counts (what is
// left once the common start and end are set aside, and the tokens found on one side only):
// the O(NP) diff on 5,400 ideographs and their reverse (29 million) took 73 ms. 4 million
// (two middles of 2,000 tokens, ~10 ms at worst) spares every ordinary edit of a 16 KB clause.
inline constexpr std::size_t diff_budget = 4'000'000;
// Like diff, or nullopt when the work would pass `budget` (see diff_budget): the caller then
// shows the change whole (old text removed, new added) and says so.
std::optional<std::vector<diff_piece>> diff_within(std::string_view before, std::string_view after,
                                                   std::size_t budget);

// Three-way merge of two edits of `base`. Returns the merged text, or nullopt when the edits
// overlap (touch the same tokens, or insert different text at the same place).
// Identical edits on both sides merge to one.
std::optional<std::string> merge(std::string_view base, std::string_view ours,
                                 std::string_view theirs);

// Carries a blame forward across one change: pieces of `after` that were in the text of
// `before` keep their attribution, new pieces get (`commit`, `state`). Adjacent segments of
// one commit are coalesced. `before` empty means the clause is new.
std::vector<blame_segment> carry_blame(const std::vector<blame_segment>& before,
                                       std::string_view after, const std::string& commit,
                                       const std::string& state);

}  // namespace plenary::storage::words
