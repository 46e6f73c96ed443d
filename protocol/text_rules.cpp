// Protocol's wording of the contract's rules for strings; see text_rules.hpp.
#include "protocol/text_rules.hpp"

namespace plenary::protocol::detail {

std::string check_text(std::string_view s, const text_limits& limits) {
  const rules::text_problem p = rules::find_text_problem(s, limits);
  switch (p.fault) {
    case rules::text_fault::none:
      return {};
    case rules::text_fault::too_long:
      return over_limit(s.size(), limits.max_bytes);
    case rules::text_fault::empty:
      return "is empty";
    case rules::text_fault::invalid_utf8:
      return "is not valid UTF-8";
    case rules::text_fault::control:
      return "contains a control character (" + rules::code_point_name(p.cp) + ") at byte " +
             with_thousands(p.offset) +
             (limits.line_breaks ? "; only line breaks and tabs are allowed"
                                 : "; none are allowed");
    case rules::text_fault::bidi_control:
      return rules::bidi_control_predicate(p.cp, p.offset);
    case rules::text_fault::blank:
      return "is blank (only white space)";
  }
  return {};
}

std::string quoted(std::string_view valid_utf8) {
  constexpr std::size_t max_shown = 32;
  constexpr char32_t replacement_char = 0xFFFD;
  std::string out = "`";
  std::size_t shown = 0;
  for (std::size_t i = 0; i < valid_utf8.size();) {
    if (shown == max_shown) {
      out += "\u2026";  // …
      break;
    }
    rules::utf8::decoded d = rules::utf8::decode(valid_utf8, i);
    if (d.len == 0) d = {replacement_char, 1};  // not expected: callers pass valid UTF-8
    if (rules::is_control(d.cp)) d.cp = replacement_char;
    rules::utf8::append(out, d.cp);
    ++shown;
    i += d.len;
  }
  out += '`';
  return out;
}

std::string over_limit(std::size_t size, std::size_t limit, std::string_view unit) {
  return "is " + with_thousands(size) + " " + std::string(unit) + "; the limit is " +
         with_thousands(limit);
}

}  // namespace plenary::protocol::detail
