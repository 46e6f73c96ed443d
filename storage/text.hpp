// Pure checks of the contract's rules for names and texts (protocol.md, "Words"), as storage
// words them. The rules live once, in rules/ (shared with protocol); these are storage's
// entry points to them. Each check_ returns an empty string when the value is fine, otherwise
// one sentence saying what is wrong, naming `field`. Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace plenary::storage {

bool is_valid_utf8(std::string_view s) noexcept;

bool is_valid_slug(std::string_view s) noexcept;        // ^[a-z0-9][a-z0-9-]{0,62}$
bool is_valid_clause_id(std::string_view s) noexcept;   // ^[a-z0-9-]{1,32}$
bool is_valid_state_code(std::string_view s) noexcept;  // ^[A-Z0-9]{2,8}$
bool is_valid_commit_id(std::string_view s) noexcept;   // 40 lower-case hex digits

// UTF-8, at most 16,384 bytes, no control characters but \n and \t, no bidirectional
// controls (U+202A-U+202E, U+2066-U+2069), not blank.
std::string check_clause_text(std::string_view text, std::string_view field = "text");
// UTF-8, at most 2,048 bytes, no control characters but \n and \t, no bidirectional
// controls (may be empty).
std::string check_note(std::string_view note, std::string_view field = "note");
// UTF-8, 1 to 512 bytes, no control characters, no bidirectional controls, not blank.
std::string check_title(std::string_view title, std::string_view field = "title");

}  // namespace plenary::storage
