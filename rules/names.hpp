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

}  // namespace plenary::rules
