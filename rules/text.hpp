// The contract's rules for the content of free text (protocol.md, "Words": clause texts,
// notes, titles, names): size, encoding, characters, blankness. Both protocol and storage
// judge text with find_text_problem and only word the verdict in their own style, so a
// text one layer accepts the other accepts too (tests/rules/same_verdicts_test.cpp).
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace plenary::rules {

// C0 controls, DEL and C1 controls.
bool is_control(char32_t cp) noexcept;

// Unicode White_Space plus the zero-width space and the byte order mark, which show nothing
// either: a text made only of these is blank.
bool is_blank_char(char32_t cp) noexcept;

// The bidirectional embedding, override and isolate controls U+202A-U+202E and
// U+2066-U+2069 (issue 21 item 6): they make text display in an order other than the one
// it is stored and compared in (the "Trojan Source" trick, CVE-2021-42574), so a clause
// could read differently on screen from what the delegations amend and adopt.
bool is_bidi_control(char32_t cp) noexcept;
// "RIGHT-TO-LEFT OVERRIDE" for U+202E; "" for any other code point.
std::string_view bidi_control_name(char32_t cp) noexcept;

struct text_limits {
  std::size_t max_bytes = 0;
  bool line_breaks = false;   // `\n` and `\t` allowed; otherwise no control character at all
  bool may_be_blank = false;  // otherwise not empty and not only white space
};

enum class text_fault : std::uint8_t {
  none,
  too_long,      // more than max_bytes
  empty,         // no bytes, and may_be_blank is false
  invalid_utf8,  // at `offset`
  control,       // control character `cp` at `offset`
  bidi_control,  // bidirectional control `cp` at `offset`
  blank,         // only blank characters, and may_be_blank is false
};

struct text_problem {
  text_fault fault = text_fault::none;
  std::size_t offset = 0;  // bytes from 0, for invalid_utf8, control and bidi_control
  char32_t cp = 0;         // for control and bidi_control
  explicit operator bool() const noexcept { return fault != text_fault::none; }
};

// The first problem of `s` in the order a person would fix them: size, emptiness, then
// the first bad byte or character (encoding, control, bidirectional control), then
// blankness. A fault of `none` when `s` satisfies `limits`.
text_problem find_text_problem(std::string_view s, const text_limits& limits) noexcept;

// The predicate both layers print for a bidi_control problem, after the field's name:
// "contains U+202E RIGHT-TO-LEFT OVERRIDE at byte 5, which is not allowed: ...".
std::string bidi_control_predicate(char32_t cp, std::size_t offset);

}  // namespace plenary::rules
