// Private to protocol: the contract's syntax and content rules for strings (protocol.md,
// "Words"), UTF-8 handling, and the small formatting helpers error messages share.
// Every check takes raw bytes and never reads past them; a NUL byte is an ordinary byte.
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace plenary::protocol::detail {

// ---- UTF-8 ----------------------------------------------------------------------------
// The offset of the first byte that does not start a well-formed UTF-8 sequence (overlong
// forms, surrogates and code points past U+10FFFF are ill-formed), or npos when `s` is valid.
std::size_t find_invalid_utf8(std::string_view s) noexcept;
inline bool is_valid_utf8(std::string_view s) noexcept {
  return find_invalid_utf8(s) == std::string_view::npos;
}
// The number of code points in valid UTF-8.
std::size_t count_code_points(std::string_view valid_utf8) noexcept;
// `s` with every ill-formed sequence replaced by U+FFFD, so that it can be written safely.
std::string repair_utf8(std::string_view s);

// ---- syntax of names (protocol.md, "Words") -----------------------------------------------
bool is_clause_id(std::string_view s) noexcept;   // ^[a-z0-9-]{1,32}$
bool is_commit_id(std::string_view s) noexcept;   // 40 lower-case hex digits
bool is_slug(std::string_view s) noexcept;        // ^[a-z0-9][a-z0-9-]{0,62}$
bool is_state_code(std::string_view s) noexcept;  // ^[A-Z0-9]{2,8}$

// ---- content of free text -------------------------------------------------------------
struct text_limits {
  std::size_t max_bytes = 0;
  bool line_breaks = false;  // `\n` and `\t` allowed
  bool may_be_blank = false;
};
// Checks valid UTF-8 `s`: length, control characters (C0 but the allowed breaks, DEL, C1)
// and blankness (empty, or only Unicode white space, zero-width spaces and byte order marks).
// Returns "" when fine, otherwise the predicate of a sentence about the field, e.g.
// "is 17,002 bytes; the limit is 16,384".
std::string check_text(std::string_view s, const text_limits& limits);

// ---- formatting -----------------------------------------------------------------------
// 17002 -> "17,002".
std::string with_thousands(std::uint64_t n);
// A value quoted for an error message: in backticks, cut to 32 code points, control
// characters shown as U+FFFD so that the message stays one printable line.
std::string quoted(std::string_view valid_utf8);
// "is 17,002 bytes; the limit is 16,384" (the unit is "bytes" or "characters").
std::string over_limit(std::size_t size, std::size_t limit, std::string_view unit = "bytes");

}  // namespace plenary::protocol::detail
