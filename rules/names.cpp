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

namespace {

bool is_alnum(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool is_tag_char(char c) noexcept { return is_alnum(c) || c == '.' || c == '_' || c == '-'; }
char lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
bool equal_ignoring_case(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

// Names git looks a short name up as before refs/tags/<name>: <name> in the repository,
// refs/<name>, refs/heads/<name>...; plus the draft's own branches.
constexpr std::string_view reserved_tag_names[] = {
    "main", "procedure", "head",        "proposals",   "comments", "refs", "heads",
    "tags", "remotes",   "notes",       "stash",       "objects",  "logs", "hooks",
    "info", "config",    "packed-refs", "description", "index"};

}  // namespace

bool looks_like_commit_id(std::string_view s) noexcept {
  return s.size() >= 7 && std::all_of(s.begin(), s.end(), [](char c) {
           const char l = lower(c);
           return (l >= '0' && l <= '9') || (l >= 'a' && l <= 'f');
         });
}

tag_name_verdict check_tag_name(std::string_view s) noexcept {
  if (s.empty() || s.size() > 32 || !is_alnum(s.front()) || !all_of_chars(s, is_tag_char)) {
    return tag_name_verdict::bad_syntax;
  }
  if (s.find("..") != std::string_view::npos || s.back() == '.' || s.ends_with(".lock")) {
    return tag_name_verdict::bad_ref;
  }
  const bool reserved =
      std::any_of(std::begin(reserved_tag_names), std::end(reserved_tag_names),
                  [&](std::string_view r) { return equal_ignoring_case(s, r); }) ||
      (s.size() >= 5 && equal_ignoring_case(s.substr(s.size() - 5), "_head"));
  if (reserved) return tag_name_verdict::reserved;
  if (looks_like_commit_id(s)) return tag_name_verdict::commit_id;
  return tag_name_verdict::ok;
}

}  // namespace plenary::rules
