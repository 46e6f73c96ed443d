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
