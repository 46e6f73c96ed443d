// How the text rules' messages print numbers and characters, the same in every layer.
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>

namespace plenary::rules {

// 17002 -> "17,002".
std::string with_thousands(std::uint64_t n);

// 0x7 -> "U+0007", 0x1F600 -> "U+1F600".
std::string code_point_name(char32_t cp);

}  // namespace plenary::rules
