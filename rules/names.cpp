// The syntax of names; see names.hpp.
#include "rules/names.hpp"

#include <algorithm>

namespace plenary::rules {
namespace {

bool all_of_chars(std::string_view s, bool (*pred)(char) noexcept) noexcept {
  return std::all_of(s.begin(), s.end(), pred);
}
bool is_lower_alnum(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_id_char(char c) noexcept { return is_lower_alnum(c) || c == '-'; }
bool is_upper_alnum(char c) noexcept { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool is_lower_hex(char c) noexcept { return (c >= 'a' && c <= 'f') || (c >= '0' && c <= '9'); }

}  // namespace

bool is_slug(std::string_view s) noexcept {
  return !s.empty() && s.size() <= 63 && is_lower_alnum(s.front()) && all_of_chars(s, is_id_char);
}

bool is_clause_id(std::string_view s) noexcept {
  return !s.empty() && s.size() <= 32 && all_of_chars(s, is_id_char);
}

bool is_state_code(std::string_view s) noexcept {
  return s.size() >= 2 && s.size() <= 8 && all_of_chars(s, is_upper_alnum);
}

bool is_commit_id(std::string_view s) noexcept {
  return s.size() == 40 && all_of_chars(s, is_lower_hex);
}

}  // namespace plenary::rules
