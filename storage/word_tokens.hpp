// Private to storage: the tokenizer behind storage/words.hpp (words::tokenize), shared by the
// word diff, the merge and the blame carrying in words.cpp. Its rule is at the top of
// word_tokens.cpp.
// Thread safety: pure functions.
#pragma once

#include <string_view>
#include <vector>

namespace plenary::storage::words::tokens_detail {

// Appends the tokens of `text` to `out` (views into `text`): a caller that tokenizes again and
// again keeps its vector's memory.
void tokenize_into(std::string_view text, std::vector<std::string_view>& out);
// A token of ASCII white space.
bool is_space_token(std::string_view t) noexcept;
// A token that starts with a word character (or a combining mark).
bool is_word_token(std::string_view t) noexcept;

}  // namespace plenary::storage::words::tokens_detail
