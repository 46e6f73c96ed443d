// The contract's syntax of names (protocol.md, "Words"). Each takes raw bytes: any byte
// outside the allowed set, including NUL and every non-ASCII byte, makes the name invalid.
// Thread safety: pure functions.
#pragma once

#include <string_view>

namespace plenary::rules {

bool is_slug(std::string_view s) noexcept;        // ^[a-z0-9][a-z0-9-]{0,62}$
bool is_clause_id(std::string_view s) noexcept;   // ^[a-z0-9-]{1,32}$
bool is_state_code(std::string_view s) noexcept;  // ^[A-Z0-9]{2,8}$
bool is_commit_id(std::string_view s) noexcept;   // 40 lower-case hex digits

// A version (tag) name, as both layers judge it (issue 21: a tag `main` shadowed the text in
// `git log main`, a hex tag hid the commits it abbreviates).
enum class tag_name_verdict {
  ok,
  bad_syntax,  // not ^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$
  bad_ref,     // what git refuses in a ref name besides: `..`, a final `.` or `.lock`
  reserved,    // a branch or ref namespace git reads first (main, procedure, HEAD, *_HEAD...),
               // compared without case (case-insensitive file systems)
  commit_id,   // 7 or more hex digits: git (and draft::resolve) read an abbreviated commit id
};
tag_name_verdict check_tag_name(std::string_view s) noexcept;
bool looks_like_commit_id(std::string_view s) noexcept;  // 7 or more hex digits, any case

}  // namespace plenary::rules
