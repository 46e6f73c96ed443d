// Private to storage: one strict UTF-8 decoder, shared by the text rules and the tokenizer.
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string_view>

namespace plenary::storage::utf8 {

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
// end of `s`; `i` must be less than s.size().
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

}  // namespace plenary::storage::utf8
