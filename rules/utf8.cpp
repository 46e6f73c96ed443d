// UTF-8 validity and repair; see utf8.hpp.
#include "rules/utf8.hpp"

#include <algorithm>

namespace plenary::rules::utf8 {

std::size_t find_invalid(std::string_view s) noexcept {
  for (std::size_t i = 0; i < s.size();) {
    const decoded d = decode(s, i);
    if (d.len == 0) return i;
    i += d.len;
  }
  return std::string_view::npos;
}

std::size_t count_code_points(std::string_view valid_utf8) noexcept {
  // Every byte that is not a continuation byte starts a code point.
  return static_cast<std::size_t>(std::count_if(valid_utf8.begin(), valid_utf8.end(), [](char c) {
    return !is_continuation(static_cast<unsigned char>(c));
  }));
}

void append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string repair(std::string_view s) {
  constexpr char32_t replacement_char = 0xFFFD;
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const decoded d = decode(s, i);
    if (d.len == 0) {
      append(out, replacement_char);
      ++i;
    } else {
      out.append(s.substr(i, d.len));
      i += d.len;
    }
  }
  return out;
}

}  // namespace plenary::rules::utf8
