// UTF-8 as the contract reads it (protocol.md: every string is UTF-8): one strict decoder,
// shared by protocol's and storage's text rules and storage's tokenizer, so that a byte
// sequence is well-formed for all of them or for none.
// Every function takes raw bytes and never reads past them; a NUL byte is an ordinary byte.
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace plenary::rules::utf8 {

// One decoded code point: `cp` and its length in bytes, or `len == 0` when the bytes at
// the position are not a well-formed UTF-8 sequence (overlong, surrogate, above U+10FFFF,
// stray continuation byte, or cut short).
struct decoded {
  char32_t cp = 0;
  std::size_t len = 0;
};

inline bool is_continuation(unsigned char c) noexcept { return (c & 0xC0) == 0x80; }

// Strict decoder following the Unicode table of well-formed byte sequences (Table 3-7):
// the second byte's range is narrowed for E0, ED, F0 and F4, which rules out overlongs,
// surrogates and code points above U+10FFFF without decoding first. Never reads past the
// end of `s`; `i` must be less than s.size(). Inline: the tokenizer calls it per character.
inline decoded decode(std::string_view s, std::size_t i) noexcept {
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const std::size_t left = s.size() - i;
  const unsigned char b0 = at(i);
  if (b0 < 0x80) return {b0, 1};
  if (b0 < 0xC2) return {};  // continuation byte or overlong two-byte lead (C0, C1)
  if (b0 < 0xE0) {
    if (left < 2 || !is_continuation(at(i + 1))) return {};
    return {static_cast<char32_t>(((b0 & 0x1F) << 6) | (at(i + 1) & 0x3F)), 2};
  }
  if (b0 < 0xF0) {
    if (left < 3) return {};
    const unsigned char b1 = at(i + 1);
    const unsigned char lo = b0 == 0xE0 ? 0xA0 : 0x80;  // E0 80..9F would be overlong
    const unsigned char hi = b0 == 0xED ? 0x9F : 0xBF;  // ED A0..BF would be a surrogate
    if (b1 < lo || b1 > hi || !is_continuation(at(i + 2))) return {};
    return {static_cast<char32_t>(((b0 & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (at(i + 2) & 0x3F)),
            3};
  }
  if (b0 < 0xF5) {
    if (left < 4) return {};
    const unsigned char b1 = at(i + 1);
    const unsigned char lo = b0 == 0xF0 ? 0x90 : 0x80;  // F0 80..8F would be overlong
    const unsigned char hi = b0 == 0xF4 ? 0x8F : 0xBF;  // F4 90.. would exceed U+10FFFF
    if (b1 < lo || b1 > hi || !is_continuation(at(i + 2)) || !is_continuation(at(i + 3))) {
      return {};
    }
    return {static_cast<char32_t>(((b0 & 0x07) << 18) | ((b1 & 0x3F) << 12) |
                                  ((at(i + 2) & 0x3F) << 6) | (at(i + 3) & 0x3F)),
            4};
  }
  return {};  // F5..FF never appear in UTF-8
}

// The offset of the first byte that does not start a well-formed sequence, or npos when
// `s` is valid UTF-8.
std::size_t find_invalid(std::string_view s) noexcept;
inline bool is_valid(std::string_view s) noexcept {
  return find_invalid(s) == std::string_view::npos;
}

// The number of code points in valid UTF-8.
std::size_t count_code_points(std::string_view valid_utf8) noexcept;

// Appends `cp` (at most U+10FFFF, not a surrogate) encoded as UTF-8.
void append(std::string& out, char32_t cp);

// `s` with every byte that does not start a well-formed sequence replaced by U+FFFD, so
// that it can be written safely.
std::string repair(std::string_view s);

}  // namespace plenary::rules::utf8
