// What the fuzz targets share: a check that aborts (so libFuzzer, or the corpus replay in
// `make test`, reports it with the input), and the contract's text rules (protocol.md,
// "Words") written again independently, as the oracle the code under test is held to.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#define FUZZ_CHECK(cond, ...)                                                         \
  do {                                                                                \
    if (!(cond)) {                                                                    \
      std::fprintf(stderr, "%s:%d: check failed: %s\n  ", __FILE__, __LINE__, #cond); \
      std::fprintf(stderr, __VA_ARGS__);                                              \
      std::fprintf(stderr, "\n");                                                     \
      std::abort();                                                                   \
    }                                                                                 \
  } while (0)

namespace plenary::fuzz {

// Decodes the code point at `i` (strict UTF-8: no overlongs, surrogates or values above
// U+10FFFF); returns its length, 0 when the bytes there are not well-formed.
inline std::size_t next_code_point(std::string_view s, std::size_t i, char32_t& cp) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  std::size_t len;
  char32_t min;
  if (c < 0x80) {
    cp = c;
    return 1;
  } else if ((c & 0xE0) == 0xC0) {
    len = 2, cp = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, cp = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, cp = c & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

inline bool utf8_ok(std::string_view s) {
  char32_t cp = 0;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = next_code_point(s, i, cp);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// Unicode White_Space, plus the zero-width space and the byte order mark: they show nothing.
inline bool blank_char(char32_t c) {
  return c == 0x09 || c == 0x0A || c == 0x0B || c == 0x0C || c == 0x0D || c == 0x20 || c == 0x85 ||
         c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

// UTF-8, at most `max` bytes, no control character (C0, DEL, C1) but, when `lines`, \n and
// \t, and (unless `may_be_blank`) something visible.
inline bool text_ok(std::string_view s, std::size_t max, bool lines, bool may_be_blank) {
  if (s.size() > max || !utf8_ok(s)) return false;
  bool visible = false;
  char32_t cp = 0;
  for (std::size_t i = 0; i < s.size();) {
    i += next_code_point(s, i, cp);
    const bool control = cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
    if (control && !(lines && (cp == '\n' || cp == '\t'))) return false;
    if (!blank_char(cp)) visible = true;
  }
  return visible || may_be_blank;
}

inline bool clause_text_ok(std::string_view s) { return text_ok(s, 16384, true, false); }
inline bool note_ok(std::string_view s) { return text_ok(s, 2048, true, true); }
inline bool title_ok(std::string_view s) { return text_ok(s, 512, false, false); }

inline bool all_of(std::string_view s, bool (*ok)(char)) {
  for (char c : s) {
    if (!ok(c)) return false;
  }
  return true;
}
inline bool lower_alnum_dash(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}
inline bool upper_alnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
inline bool lower_hex(char c) { return (c >= 'a' && c <= 'f') || (c >= '0' && c <= '9'); }

inline bool clause_id_ok(std::string_view s) {
  return !s.empty() && s.size() <= 32 && all_of(s, lower_alnum_dash);
}
inline bool slug_ok(std::string_view s) {
  return !s.empty() && s.size() <= 63 && s[0] != '-' && all_of(s, lower_alnum_dash);
}
inline bool commit_id_ok(std::string_view s) { return s.size() == 40 && all_of(s, lower_hex); }
inline bool state_ok(std::string_view s) {
  return s.size() >= 2 && s.size() <= 8 && all_of(s, upper_alnum);
}

}  // namespace plenary::fuzz
