// Checks of the contract's rules for names and texts (protocol.md, "Words").
//
// Messages name the field in backticks and give byte offsets counted from 0 (the index a
// program would use), e.g. "`text` is not valid UTF-8 (at byte 5)."
#include "storage/text.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <string>
#include <string_view>

#include "storage/model.hpp"
#include "storage/utf8.hpp"

namespace plenary::storage {
namespace {

using utf8::decode;
using utf8::decoded;

// Offset of the first byte that does not start a well-formed sequence, or npos.
std::size_t first_invalid_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size()) {
    const decoded d = decode(s, i);
    if (d.len == 0) return i;
    i += d.len;
  }
  return std::string_view::npos;
}

bool is_control(char32_t cp) noexcept { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

// Unicode White_Space plus the zero-width space and the byte order mark, which show
// nothing either: a text made only of these is blank.
bool is_blank_char(char32_t cp) noexcept {
  static constexpr char32_t kBlank[] = {0x09,   0x0A,   0x0B,   0x0C,   0x0D,   0x20,
                                        0x85,   0xA0,   0x1680, 0x200B, 0x2028, 0x2029,
                                        0x202F, 0x205F, 0x3000, 0xFEFF};
  return (cp >= 0x2000 && cp <= 0x200A) ||
         std::find(std::begin(kBlank), std::end(kBlank), cp) != std::end(kBlank);
}

// 17002 -> "17,002".
std::string with_separators(std::size_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string code_point_name(char32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

std::string quoted(std::string_view field) {
  std::string out;
  out.reserve(field.size() + 2);
  out += '`';
  out += field;
  out += '`';
  return out;
}

struct text_rules {
  std::size_t max_bytes = 0;
  bool allow_newline_and_tab = false;  // otherwise no control character at all
  bool allow_empty = false;            // otherwise not empty, not blank
};

// The shared checks, in the order a person would fix them: size, encoding, characters,
// content. Returns "" when `s` satisfies `rules`.
std::string check_text(std::string_view s, std::string_view field, const text_rules& rules) {
  if (s.size() > rules.max_bytes) {
    return quoted(field) + " is " + with_separators(s.size()) + " bytes; the limit is " +
           with_separators(rules.max_bytes) + ".";
  }
  if (s.empty()) {
    return rules.allow_empty ? std::string() : quoted(field) + " is empty.";
  }
  bool blank = true;
  std::size_t i = 0;
  while (i < s.size()) {
    const decoded d = decode(s, i);
    if (d.len == 0) {
      return quoted(field) + " is not valid UTF-8 (at byte " + with_separators(i) + ").";
    }
    const bool allowed_control = rules.allow_newline_and_tab && (d.cp == '\n' || d.cp == '\t');
    if (is_control(d.cp) && !allowed_control) {
      return quoted(field) + " contains a control character (" + code_point_name(d.cp) +
             ") at byte " + with_separators(i) +
             (rules.allow_newline_and_tab ? "; only newlines and tabs are allowed."
                                          : "; control characters are not allowed.");
    }
    if (!is_blank_char(d.cp)) blank = false;
    i += d.len;
  }
  if (blank && !rules.allow_empty) {
    return quoted(field) + " contains only white space; it needs some visible text.";
  }
  return {};
}

bool is_lower_alnum(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_upper_alnum(char c) noexcept { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

}  // namespace

bool is_valid_utf8(std::string_view s) noexcept {
  return first_invalid_utf8(s) == std::string_view::npos;
}

bool is_valid_slug(std::string_view s) noexcept {
  if (s.empty() || s.size() > 63 || !is_lower_alnum(s[0])) return false;
  for (char c : s) {
    if (!is_lower_alnum(c) && c != '-') return false;
  }
  return true;
}

bool is_valid_clause_id(std::string_view s) noexcept {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s) {
    if (!is_lower_alnum(c) && c != '-') return false;
  }
  return true;
}

bool is_valid_state_code(std::string_view s) noexcept {
  if (s.size() < 2 || s.size() > 8) return false;
  for (char c : s) {
    if (!is_upper_alnum(c)) return false;
  }
  return true;
}

bool is_valid_commit_id(std::string_view s) noexcept {
  if (s.size() != 40) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string check_clause_text(std::string_view text, std::string_view field) {
  return check_text(
      text, field,
      {.max_bytes = max_clause_text_bytes, .allow_newline_and_tab = true, .allow_empty = false});
}

std::string check_note(std::string_view note, std::string_view field) {
  return check_text(
      note, field,
      {.max_bytes = max_note_bytes, .allow_newline_and_tab = true, .allow_empty = true});
}

std::string check_title(std::string_view title, std::string_view field) {
  return check_text(
      title, field,
      {.max_bytes = max_title_bytes, .allow_newline_and_tab = false, .allow_empty = false});
}

}  // namespace plenary::storage
