// Private to protocol: the contract's syntax and content rules for strings (protocol.md,
// "Words"), UTF-8 handling, and the small formatting helpers error messages share.
// The rules themselves live once, in rules/ (shared with storage, so both layers judge the
// same input the same way); this header is protocol's view of them and words the verdicts
// as protocol's messages do. Every check takes raw bytes and never reads past them; a NUL
// byte is an ordinary byte. Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "rules/format.hpp"
#include "rules/names.hpp"
#include "rules/text.hpp"
#include "rules/utf8.hpp"

namespace plenary::protocol::detail {

// ---- UTF-8 ----------------------------------------------------------------------------
// The offset of the first byte that does not start a well-formed UTF-8 sequence (overlong
// forms, surrogates and code points past U+10FFFF are ill-formed), or npos when `s` is valid.
inline std::size_t find_invalid_utf8(std::string_view s) noexcept {
  return rules::utf8::find_invalid(s);
}
inline bool is_valid_utf8(std::string_view s) noexcept { return rules::utf8::is_valid(s); }
// The number of code points in valid UTF-8.
inline std::size_t count_code_points(std::string_view valid_utf8) noexcept {
  return rules::utf8::count_code_points(valid_utf8);
}
// `s` with every ill-formed sequence replaced by U+FFFD, so that it can be written safely.
inline std::string repair_utf8(std::string_view s) { return rules::utf8::repair(s); }

// ---- syntax of names (protocol.md, "Words") -----------------------------------------------
inline bool is_clause_id(std::string_view s) noexcept { return rules::is_clause_id(s); }
inline bool is_commit_id(std::string_view s) noexcept { return rules::is_commit_id(s); }
inline bool is_slug(std::string_view s) noexcept { return rules::is_slug(s); }
inline bool is_state_code(std::string_view s) noexcept { return rules::is_state_code(s); }

// ---- content of free text -------------------------------------------------------------
// max_bytes; line_breaks (`\n` and `\t` allowed); may_be_blank.
using rules::text_limits;
// Checks `s`: length, encoding, control characters (C0 but the allowed breaks, DEL, C1),
// bidirectional controls (U+202A-U+202E, U+2066-U+2069) and blankness (empty, or only
// Unicode white space, zero-width spaces and byte order marks).
// Returns "" when fine, otherwise the predicate of a sentence about the field, e.g.
// "is 17,002 bytes; the limit is 16,384".
std::string check_text(std::string_view s, const text_limits& limits);

// ---- formatting -----------------------------------------------------------------------
// 17002 -> "17,002".
inline std::string with_thousands(std::uint64_t n) { return rules::with_thousands(n); }
// A value quoted for an error message: in backticks, cut to 32 code points, control
// characters shown as U+FFFD so that the message stays one printable line.
std::string quoted(std::string_view valid_utf8);
// "is 17,002 bytes; the limit is 16,384" (the unit is "bytes" or "characters").
std::string over_limit(std::size_t size, std::size_t limit, std::string_view unit = "bytes");

}  // namespace plenary::protocol::detail
