// Checks of the contract's rules for names and texts (protocol.md, "Words"). The rules
// themselves are in rules/ (shared with protocol); this file words storage's verdicts.
//
// Messages name the field in backticks and give byte offsets counted from 0 (the index a
// program would use), e.g. "`text` is not valid UTF-8 (at byte 5)."
#include "storage/text.hpp"

#include <cstddef>
#include <string>
#include <string_view>

#include "rules/format.hpp"
#include "rules/names.hpp"
#include "rules/text.hpp"
#include "rules/utf8.hpp"
#include "storage/model.hpp"

namespace plenary::storage {
namespace {

using rules::with_thousands;

std::string quoted(std::string_view field) {
  std::string out;
  out.reserve(field.size() + 2);
  out += '`';
  out += field;
  out += '`';
  return out;
}

// Words the shared verdict as one sentence about `field`. Returns "" when `s` satisfies
// `limits`.
std::string check_text(std::string_view s, std::string_view field,
                       const rules::text_limits& limits) {
  const rules::text_problem p = rules::find_text_problem(s, limits);
  switch (p.fault) {
    case rules::text_fault::none:
      return {};
    case rules::text_fault::too_long:
      return quoted(field) + " is " + with_thousands(s.size()) + " bytes; the limit is " +
             with_thousands(limits.max_bytes) + ".";
    case rules::text_fault::empty:
      return quoted(field) + " is empty.";
    case rules::text_fault::invalid_utf8:
      return quoted(field) + " is not valid UTF-8 (at byte " + with_thousands(p.offset) + ").";
    case rules::text_fault::control:
      return quoted(field) + " contains a control character (" + rules::code_point_name(p.cp) +
             ") at byte " + with_thousands(p.offset) +
             (limits.line_breaks ? "; only newlines and tabs are allowed."
                                 : "; control characters are not allowed.");
    case rules::text_fault::bidi_control:
      return quoted(field) + " " + rules::bidi_control_predicate(p.cp, p.offset) + ".";
    case rules::text_fault::blank:
      return quoted(field) + " contains only white space; it needs some visible text.";
  }
  return {};
}

}  // namespace

bool is_valid_utf8(std::string_view s) noexcept { return rules::utf8::is_valid(s); }
bool is_valid_slug(std::string_view s) noexcept { return rules::is_slug(s); }
bool is_valid_clause_id(std::string_view s) noexcept { return rules::is_clause_id(s); }
bool is_valid_state_code(std::string_view s) noexcept { return rules::is_state_code(s); }
bool is_valid_commit_id(std::string_view s) noexcept { return rules::is_commit_id(s); }

std::string check_clause_text(std::string_view text, std::string_view field) {
  return check_text(
      text, field,
      {.max_bytes = max_clause_text_bytes, .line_breaks = true, .may_be_blank = false});
}

std::string check_note(std::string_view note, std::string_view field) {
  return check_text(note, field,
                    {.max_bytes = max_note_bytes, .line_breaks = true, .may_be_blank = true});
}

std::string check_title(std::string_view title, std::string_view field) {
  return check_text(title, field,
                    {.max_bytes = max_title_bytes, .line_breaks = false, .may_be_blank = false});
}

}  // namespace plenary::storage
