// The content rules for free text; see text.hpp.
#include "rules/text.hpp"

#include <algorithm>
#include <iterator>

#include "rules/format.hpp"
#include "rules/utf8.hpp"

namespace plenary::rules {

bool is_control(char32_t cp) noexcept { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

bool is_blank_char(char32_t cp) noexcept {
  static constexpr char32_t kBlank[] = {0x09,   0x0A,   0x0B,   0x0C,   0x0D,   0x20,
                                        0x85,   0xA0,   0x1680, 0x200B, 0x2028, 0x2029,
                                        0x202F, 0x205F, 0x3000, 0xFEFF};
  return (cp >= 0x2000 && cp <= 0x200A) ||
         std::find(std::begin(kBlank), std::end(kBlank), cp) != std::end(kBlank);
}

bool is_bidi_control(char32_t cp) noexcept {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

std::string_view bidi_control_name(char32_t cp) noexcept {
  switch (cp) {
    case 0x202A:
      return "LEFT-TO-RIGHT EMBEDDING";
    case 0x202B:
      return "RIGHT-TO-LEFT EMBEDDING";
    case 0x202C:
      return "POP DIRECTIONAL FORMATTING";
    case 0x202D:
      return "LEFT-TO-RIGHT OVERRIDE";
    case 0x202E:
      return "RIGHT-TO-LEFT OVERRIDE";
    case 0x2066:
      return "LEFT-TO-RIGHT ISOLATE";
    case 0x2067:
      return "RIGHT-TO-LEFT ISOLATE";
    case 0x2068:
      return "FIRST STRONG ISOLATE";
    case 0x2069:
      return "POP DIRECTIONAL ISOLATE";
    default:
      return {};
  }
}

text_problem find_text_problem(std::string_view s, const text_limits& limits) noexcept {
  if (s.size() > limits.max_bytes) return {.fault = text_fault::too_long};
  if (s.empty()) return limits.may_be_blank ? text_problem{} : text_problem{text_fault::empty};
  bool blank = true;
  for (std::size_t i = 0; i < s.size();) {
    const utf8::decoded d = utf8::decode(s, i);
    if (d.len == 0) return {text_fault::invalid_utf8, i};
    const bool allowed_break = limits.line_breaks && (d.cp == '\n' || d.cp == '\t');
    if (is_control(d.cp) && !allowed_break) return {text_fault::control, i, d.cp};
    if (is_bidi_control(d.cp)) return {text_fault::bidi_control, i, d.cp};
    blank = blank && is_blank_char(d.cp);
    i += d.len;
  }
  if (blank && !limits.may_be_blank) return {text_fault::blank};
  return {};
}

std::string bidi_control_predicate(char32_t cp, std::size_t offset) {
  return "contains " + code_point_name(cp) + " " + std::string(bidi_control_name(cp)) +
         " at byte " + with_thousands(offset) +
         ", which is not allowed: bidirectional controls make text display in another order "
         "than the one stored";
}

}  // namespace plenary::rules
