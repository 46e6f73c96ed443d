// The tokenizer of storage/words (words::tokenize and what the diff, merge and blame carrying
// cut texts into).
//
// Tokenizer rule. The text is cut into tokens, left to right, each the longest that fits
// one of these (code points are decoded strictly; a byte that does not start a well-formed
// UTF-8 sequence is a token of its own, so invalid input still round-trips):
//   - white space: a maximal run of ASCII space, \t, \n, \r;
//   - word: a maximal run of ASCII letters and digits and of "letter-like" code points,
//     which is every code point from U+0080 up that is not in one of the tables below
//     (so Latin, Greek, Cyrillic, Arabic, Hebrew, Devanagari... letters, digits and their
//     combining marks). An apostrophe (U+0027 or U+2019) between two word characters stays
//     in the word: "don't" and "l'Organisation" are one token, "States'" is "States" + "'".
//     Joiners, variation selectors and combining marks extend the word they follow.
//   - any other ASCII character: one token per character ("(", ",", "-", "'", ...);
//   - the bracket marks U+27E6 ⟦, U+27E7 ⟧ and U+2016 ‖: exactly one code point each;
//   - one "single" code point followed by its extenders, where singles are punctuation and
//     symbols (Latin-1 punctuation, Greek/Armenian/Hebrew/Arabic/Devanagari punctuation,
//     U+2000-206F general punctuation, currency, letterlike symbols, U+2190-2BFF arrows to
//     misc symbols, U+2E00-2E7F, fullwidth punctuation, private use) and characters of
//     scripts written without spaces: CJK ideographs, radicals and CJK punctuation
//     (U+2E80-9FFF), Yi, Hangul syllables, compatibility ideographs, halfwidth katakana,
//     planes 2-3, and emoji (U+1F000-1FAFF). Extenders are combining marks, variation
//     selectors, emoji skin tones and tag characters, and a zero-width joiner together with
//     the single that follows it; two regional indicators pair up. So an emoji ZWJ
//     sequence or a flag is usually one token, but that is a nicety, not a guarantee.
#include "storage/word_tokens.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rules/utf8.hpp"
#include "storage/words.hpp"

namespace plenary::storage::words {
namespace {

// ---------------------------------------------------------------------------------------
// Code points

using rules::utf8::decode;
using rules::utf8::decoded;

enum class char_class : std::uint8_t {
  space,    // ASCII white space: runs
  word,     // letters and digits of any script: runs
  extend,   // combining marks, joiners, selectors: extend the token before them
  ascii,    // other ASCII: one byte each
  bracket,  // ⟦ ⟧ ‖: one code point each
  single,   // punctuation, symbols, ideographs, emoji: one code point plus extenders
};

struct range {
  char32_t lo, hi;
  char_class cls;
};

// Non-ASCII code points that are not word characters, sorted and disjoint. Everything from
// U+0080 up that is not listed here is a word character.
// clang-format off
constexpr auto kRanges = std::to_array<range>({
    {0x0080, 0x009F, char_class::single},  // C1 controls
    {0x00A0, 0x00A9, char_class::single},  // NBSP ¡ ¢ £ ¤ ¥ ¦ § ¨ ©
    {0x00AB, 0x00B1, char_class::single},  // « ¬ SHY ® ¯ ° ±
    {0x00B4, 0x00B4, char_class::single},  // ´
    {0x00B6, 0x00B8, char_class::single},  // ¶ · ¸
    {0x00BB, 0x00BB, char_class::single},  // »
    {0x00BF, 0x00BF, char_class::single},  // ¿
    {0x00D7, 0x00D7, char_class::single},  // ×
    {0x00F7, 0x00F7, char_class::single},  // ÷
    {0x0300, 0x036F, char_class::extend},  // combining diacritical marks
    {0x037E, 0x037E, char_class::single},  // Greek question mark
    {0x0387, 0x0387, char_class::single},  // Greek ano teleia
    {0x055A, 0x055F, char_class::single},  // Armenian punctuation
    {0x0589, 0x058A, char_class::single},
    {0x05BE, 0x05BE, char_class::single},  // Hebrew maqaf
    {0x05C0, 0x05C0, char_class::single},
    {0x05C3, 0x05C3, char_class::single},
    {0x05C6, 0x05C6, char_class::single},
    {0x05F3, 0x05F4, char_class::single},
    {0x0609, 0x060D, char_class::single},  // Arabic per mille ... Arabic comma
    {0x061B, 0x061B, char_class::single},  // Arabic semicolon
    {0x061D, 0x061F, char_class::single},  // ... Arabic question mark
    {0x066A, 0x066D, char_class::single},  // Arabic percent, separators, star
    {0x06D4, 0x06D4, char_class::single},  // Arabic full stop
    {0x0964, 0x0965, char_class::single},  // Devanagari danda, double danda
    {0x1AB0, 0x1AFF, char_class::extend},  // combining marks extended
    {0x1DC0, 0x1DFF, char_class::extend},  // combining marks supplement
    {0x2000, 0x200B, char_class::single},  // spaces, zero-width space
    {0x200C, 0x200D, char_class::extend},  // ZWNJ, ZWJ
    {0x200E, 0x2015, char_class::single},  // marks, dashes
    {0x2016, 0x2016, char_class::bracket},  // ‖
    {0x2017, 0x206F, char_class::single},  // quotes, bullets, ... (general punctuation)
    {0x20A0, 0x20CF, char_class::single},  // currency
    {0x20D0, 0x20FF, char_class::extend},  // combining marks for symbols (keycap)
    {0x2100, 0x214F, char_class::single},  // letterlike symbols (№, ™, ℃)
    {0x2190, 0x27E5, char_class::single},  // arrows, math, technical, dingbats, ...
    {0x27E6, 0x27E7, char_class::bracket},  // ⟦ ⟧
    {0x27E8, 0x2BFF, char_class::single},  // ... misc symbols and arrows
    {0x2E00, 0x2E7F, char_class::single},  // supplemental punctuation
    {0x2E80, 0x9FFF, char_class::single},  // CJK radicals, punctuation, kana, ideographs
    {0xA000, 0xA4CF, char_class::single},  // Yi
    {0xAC00, 0xD7AF, char_class::single},  // Hangul syllables
    {0xE000, 0xF8FF, char_class::single},  // private use
    {0xF900, 0xFAFF, char_class::single},  // CJK compatibility ideographs
    {0xFE00, 0xFE0F, char_class::extend},  // variation selectors
    {0xFE10, 0xFE1F, char_class::single},  // vertical forms
    {0xFE20, 0xFE2F, char_class::extend},  // combining half marks
    {0xFE30, 0xFE6F, char_class::single},  // CJK compatibility forms, small forms
    {0xFEFF, 0xFEFF, char_class::single},  // byte order mark
    {0xFF01, 0xFF0F, char_class::single},  // fullwidth punctuation ...
    {0xFF1A, 0xFF20, char_class::single},
    {0xFF3B, 0xFF40, char_class::single},
    {0xFF5B, 0xFF9F, char_class::single},  // ... and halfwidth katakana
    {0xFFE0, 0xFFFF, char_class::single},  // fullwidth signs, specials
    {0x1F000, 0x1F3FA, char_class::single},  // emoji and other pictographs ...
    {0x1F3FB, 0x1F3FF, char_class::extend},  // ... skin tone modifiers ...
    {0x1F400, 0x1FAFF, char_class::single},  // ... more emoji
    {0x20000, 0x3FFFF, char_class::single},  // CJK extensions B and up
    {0xE0000, 0xE001F, char_class::single},  // language tag
    {0xE0020, 0xE007F, char_class::extend},  // tag characters (subdivision flags)
    {0xE0100, 0xE01EF, char_class::extend},  // variation selectors supplement
    {0xF0000, 0x10FFFF, char_class::single},  // private use planes
});
// clang-format on

constexpr bool sorted_and_disjoint(const auto& ranges) {
  for (std::size_t k = 0; k < ranges.size(); ++k) {
    if (ranges[k].lo > ranges[k].hi) return false;
    if (k + 1 < ranges.size() && ranges[k].hi >= ranges[k + 1].lo) return false;
  }
  return true;
}
static_assert(sorted_and_disjoint(kRanges), "classify() searches kRanges by binary search");

bool is_ascii_alnum(unsigned char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

char_class classify(char32_t cp) noexcept {
  if (cp < 0x80) {
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') return char_class::space;
    return is_ascii_alnum(static_cast<unsigned char>(cp)) ? char_class::word : char_class::ascii;
  }
  // The last range starting at or before cp.
  auto it = std::upper_bound(kRanges.begin(), kRanges.end(), cp,
                             [](char32_t c, const range& r) { return c < r.lo; });
  if (it != kRanges.begin() && cp <= std::prev(it)->hi) return std::prev(it)->cls;
  return char_class::word;
}

bool is_regional_indicator(char32_t cp) noexcept { return cp >= 0x1F1E6 && cp <= 0x1F1FF; }
bool is_apostrophe(char32_t cp) noexcept { return cp == 0x27 || cp == 0x2019; }
bool is_ascii_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Whether the code point at `i` (if any) is a word character.
bool word_at(std::string_view s, std::size_t i) noexcept {
  if (i >= s.size()) return false;
  const decoded d = decode(s, i);
  return d.len != 0 && classify(d.cp) == char_class::word;
}

// End of a run of word characters continuing at `i`. ASCII is looked at byte by byte,
// which is most of the text even in other scripts (spaces, punctuation).
std::size_t word_end(std::string_view s, std::size_t i) noexcept {
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 1;
    if (c < 0x80) {
      if (is_ascii_alnum(c)) {
        ++i;
        continue;
      }
      if (c != '\'') break;
    } else {
      const decoded d = decode(s, i);
      if (d.len == 0) break;
      const char_class cls = classify(d.cp);
      if (cls == char_class::word || cls == char_class::extend) {
        i += d.len;
        continue;
      }
      if (!is_apostrophe(d.cp)) break;
      len = d.len;
    }
    if (!word_at(s, i + len)) break;  // an apostrophe between word characters stays in
    i += len;
  }
  return i;
}

// End of the extenders after a single code point `first` that ends at `i`.
std::size_t extenders_end(std::string_view s, std::size_t i, char32_t first) noexcept {
  bool pair_open = is_regional_indicator(first);
  while (i < s.size()) {
    const decoded d = decode(s, i);
    if (d.len == 0) break;
    if (pair_open && is_regional_indicator(d.cp)) {  // two regional indicators: a flag
      pair_open = false;
      i += d.len;
      continue;
    }
    pair_open = false;
    if (classify(d.cp) != char_class::extend) break;
    i += d.len;
    if (d.cp == 0x200D && i < s.size()) {  // ZWJ: the pictograph after it joins in
      const decoded joined = decode(s, i);
      if (joined.len != 0 && classify(joined.cp) == char_class::single) i += joined.len;
    }
  }
  return i;
}

// End of the token that starts at `i`.
std::size_t token_end(std::string_view s, std::size_t i) noexcept {
  const decoded d = decode(s, i);
  if (d.len == 0) return i + 1;  // not UTF-8: the byte alone
  switch (classify(d.cp)) {
    case char_class::space: {
      std::size_t j = i + 1;
      while (j < s.size() && is_ascii_space(s[j])) ++j;
      return j;
    }
    case char_class::word:
    case char_class::extend:  // an extender with nothing to extend starts a word
      return word_end(s, i + d.len);
    case char_class::ascii:
    case char_class::bracket:
      return i + d.len;
    case char_class::single:
      return extenders_end(s, i + d.len, d.cp);
  }
  return i + d.len;
}

}  // namespace

namespace tokens_detail {

void tokenize_into(std::string_view text, std::vector<std::string_view>& out) {
  out.reserve(out.size() + text.size() / 3 + 1);
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t end = token_end(text, i);
    out.push_back(text.substr(i, end - i));
    i = end;
  }
}

bool is_space_token(std::string_view t) noexcept { return !t.empty() && is_ascii_space(t[0]); }

// A token that starts with a word character.
bool is_word_token(std::string_view t) noexcept {
  if (t.empty()) return false;
  const decoded d = decode(t, 0);
  if (d.len == 0) return false;
  const char_class cls = classify(d.cp);
  return cls == char_class::word || cls == char_class::extend;
}

}  // namespace tokens_detail

std::vector<std::string_view> tokenize(std::string_view text) {
  std::vector<std::string_view> out;
  tokens_detail::tokenize_into(text, out);
  return out;
}

}  // namespace plenary::storage::words
