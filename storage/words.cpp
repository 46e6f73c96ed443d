// Word-level diff, three-way merge and blame carrying (see words.hpp).
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
#include "storage/words.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <dtl/dtl.hpp>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/utf8.hpp"

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

void tokenize_into(std::string_view text, std::vector<std::string_view>& out) {
  out.reserve(out.size() + text.size() / 3 + 1);
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t end = token_end(text, i);
    out.push_back(text.substr(i, end - i));
    i = end;
  }
}

// ---------------------------------------------------------------------------------------
// Token sequences and their differences

using tokens = std::vector<std::string_view>;

// A tokenized text; token k covers bytes [offset(k), offset(k + 1)).
struct token_text {
  std::string_view text;
  tokens toks;

  token_text() = default;
  explicit token_text(std::string_view t) : text(t), toks(tokenize(t)) {}
  void clear() noexcept {
    text = {};
    toks.clear();
  }
  // Tokenizes `t` instead, reusing the room of the tokens before.
  void assign(std::string_view t) {
    text = t;
    toks.clear();
    tokenize_into(t, toks);
  }
  std::size_t size() const noexcept { return toks.size(); }
  std::size_t offset(std::size_t k) const noexcept {
    return k < toks.size() ? static_cast<std::size_t>(toks[k].data() - text.data()) : text.size();
  }
  // The bytes of tokens [from, to).
  std::string_view span(std::size_t from, std::size_t to) const noexcept {
    const std::size_t b = offset(from);
    return text.substr(b, offset(to) - b);
  }
};

// One changed region: tokens [a0, a1) of the old text were replaced by [b0, b1) of the new.
// Either side may be empty (a pure insertion or deletion), not both.
struct hunk {
  std::size_t a0, a1, b0, b1;
};

// The changed regions from `a` to `b`, in order, each separated from the next by at least
// one unchanged token. Common prefix and suffix are cut off first (most edits touch a few
// words of a long clause). Tokens are interned to integers, so that dtl's inner loop
// compares ints, and tokens found on one side only are left out, since they can never be
// common: the result is still a minimal diff, and a rewrite in new words (or another
// language) costs little. dtl's O(NP) diff runs on what is left.
std::optional<std::vector<hunk>> changes_within(const tokens& a, const tokens& b,
                                                std::size_t budget) {
  std::size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  std::size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
    ++suffix;
  }
  const std::size_t a_end = a.size() - suffix;
  const std::size_t b_end = b.size() - suffix;
  if (prefix == a_end && prefix == b_end) return std::vector<hunk>{};
  if (prefix == a_end || prefix == b_end) {
    return std::vector<hunk>{{prefix, a_end, prefix, b_end}};
  }

  // Intern the middle tokens, noting on which side each one occurs (bit 1: a, bit 2: b), in
  // an open-addressing table: one allocation, where a node-based map made one per distinct
  // token (a tenth of the 100,000 diffs of a cold debrief went to malloc and free).
  std::size_t capacity = 16;
  while (capacity < 2 * (a_end - prefix + b_end - prefix)) capacity *= 2;
  constexpr std::size_t empty_slot = SIZE_MAX;
  std::vector<std::size_t> slots(capacity, empty_slot);  // a token's id
  std::vector<std::string_view> distinct;                // the token of each id
  std::vector<unsigned char> sides;                      // by id
  const std::hash<std::string_view> hash;
  const auto intern = [&](std::size_t from, std::size_t to, const tokens& t, unsigned char side) {
    std::vector<std::size_t> out;
    out.reserve(to - from);
    for (std::size_t k = from; k < to; ++k) {
      std::size_t slot = hash(t[k]) & (capacity - 1);
      while (slots[slot] != empty_slot && distinct[slots[slot]] != t[k]) {
        slot = (slot + 1) & (capacity - 1);
      }
      if (slots[slot] == empty_slot) {
        slots[slot] = distinct.size();
        distinct.push_back(t[k]);
        sides.push_back(0);
      }
      sides[slots[slot]] |= side;
      out.push_back(slots[slot]);
    }
    return out;
  };
  const std::vector<std::size_t> a_ids = intern(prefix, a_end, a, 1);
  const std::vector<std::size_t> b_ids = intern(prefix, b_end, b, 2);
  // The tokens found on both sides, and where they are.
  const auto shared = [&](const std::vector<std::size_t>& all, std::vector<int>& kept,
                          std::vector<std::size_t>& at) {
    for (std::size_t k = 0; k < all.size(); ++k) {
      if (sides[all[k]] == 3) {
        kept.push_back(static_cast<int>(all[k]));
        at.push_back(prefix + k);
      }
    }
  };
  std::vector<int> a_kept, b_kept;
  std::vector<std::size_t> a_at, b_at;
  shared(a_ids, a_kept, a_at);
  shared(b_ids, b_kept, b_at);

  // Pairs of equal tokens (index in a, index in b) of a longest common subsequence.
  std::vector<std::pair<std::size_t, std::size_t>> matches;
  if (!a_kept.empty() && !b_kept.empty() && a_kept.size() > budget / b_kept.size()) {
    return std::nullopt;  // a_kept.size() * b_kept.size() > budget, without overflow
  }
  if (!a_kept.empty() && !b_kept.empty()) {
    dtl::Diff<int> d(a_kept, b_kept);
    d.compose();
    std::size_t ai = 0;
    std::size_t bi = 0;
    for (const auto& step : d.getSes().getSequence()) {
      const dtl::edit_t type = step.second.type;
      if (type == dtl::SES_COMMON) matches.emplace_back(a_at[ai], b_at[bi]);
      if (type != dtl::SES_ADD) ++ai;
      if (type != dtl::SES_DELETE) ++bi;
    }
  }
  matches.emplace_back(a_end, b_end);  // the suffix, or the end

  // Between two consecutive matches lies a change, unless they are adjacent on both sides.
  std::vector<hunk> out;
  std::size_t a_next = prefix;
  std::size_t b_next = prefix;
  for (const auto& [am, bm] : matches) {
    if (am != a_next || bm != b_next) out.push_back({a_next, am, b_next, bm});
    a_next = am + 1;
    b_next = bm + 1;
  }
  return out;
}

std::vector<hunk> changes(const tokens& a, const tokens& b) {
  return *changes_within(a, b, SIZE_MAX);
}

bool empty_range(std::size_t from, std::size_t to) noexcept { return from == to; }

// Whether two hunks of different sides (in the same base) cannot both be applied: they
// replace overlapping base tokens, insert at the same place, or one inserts at an end of
// (or inside) the range the other replaces. Replacements that merely abut do not conflict.
bool conflicting(const hunk& x, const hunk& y) noexcept {
  const bool x_insert = empty_range(x.a0, x.a1);
  const bool y_insert = empty_range(y.a0, y.a1);
  if (x_insert && y_insert) return x.a0 == y.a0;
  if (x_insert) return y.a0 <= x.a0 && x.a0 <= y.a1;
  if (y_insert) return x.a0 <= y.a0 && y.a0 <= x.a1;
  return x.a0 < y.a1 && y.a0 < x.a1;
}

// ---------------------------------------------------------------------------------------
// The readable clean-up (words.hpp, docs/diffs.md)

// Code points in `s` (UTF-8 continuation bytes are not counted).
std::size_t code_points(std::string_view s) noexcept {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
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

// A word longer than kFoldShortWord code points.
bool is_long_word(std::string_view t) noexcept {
  return is_word_token(t) && code_points(t) > kFoldShortWord;
}

// Slides a pure insertion or deletion along the equal text around it (the same tokens
// repeated) to the place where it starts a word after white space: the diff stays valid
// and minimal, only where the edit is drawn changes. `lo_a`/`lo_b` and `hi_a`/`hi_b` bound
// the equalities on either side (the neighbouring hunks).
void align(hunk& h, const tokens& a, const tokens& b, std::size_t lo_a, std::size_t lo_b,
           std::size_t hi_a, std::size_t hi_b) {
  const bool insertion = h.a0 == h.a1;
  if (insertion == (h.b0 == h.b1)) return;  // a replacement stays where it is
  const tokens& t = insertion ? b : a;      // the side the edit's tokens are on
  std::size_t& e0 = insertion ? h.b0 : h.a0;
  std::size_t& e1 = insertion ? h.b1 : h.a1;
  std::size_t& o0 = insertion ? h.a0 : h.b0;  // the empty side: one place
  std::size_t& o1 = insertion ? h.a1 : h.b1;
  const std::size_t lo = insertion ? lo_b : lo_a;
  const std::size_t hi = insertion ? hi_b : hi_a;
  const std::size_t o_lo = insertion ? lo_a : lo_b;
  const std::size_t o_hi = insertion ? hi_a : hi_b;
  const auto shift = [&](bool left) {
    if (left) {
      --e0, --e1, --o0, --o1;
    } else {
      ++e0, ++e1, ++o0, ++o1;
    }
  };
  while (e0 > lo && o0 > o_lo && t[e0 - 1] == t[e1 - 1]) shift(true);
  // An edge between white space and anything: 2; between punctuation and a word: 1; inside
  // a run of words: 0; at an end of the text: 3. Ties go to an edit that starts with a word,
  // then to the leftmost place.
  const auto edge = [&](std::size_t k) {  // the edge before token k of t
    if (k == 0 || k == t.size()) return 3;
    if (is_space_token(t[k - 1]) || is_space_token(t[k])) return 2;
    return is_word_token(t[k - 1]) && is_word_token(t[k]) ? 0 : 1;
  };
  const auto score = [&] { return 10 * (edge(e0) + edge(e1)) + (is_space_token(t[e0]) ? 0 : 1); };
  std::size_t best = e0;
  int best_score = score();
  while (e1 < hi && o1 < o_hi && t[e0] == t[e1]) {
    shift(false);
    if (const int s = score(); s > best_score) {
      best_score = s;
      best = e0;
    }
  }
  while (e0 > best) shift(true);
}

// The minimal hunks made readable: aligned, then short weak equalities folded.
std::vector<hunk> readable(const token_text& a, const token_text& b, std::vector<hunk> hs) {
  for (std::size_t k = 0; k < hs.size(); ++k) {
    const std::size_t lo_a = k == 0 ? 0 : hs[k - 1].a1;
    const std::size_t lo_b = k == 0 ? 0 : hs[k - 1].b1;
    const std::size_t hi_a = k + 1 == hs.size() ? a.size() : hs[k + 1].a0;
    const std::size_t hi_b = k + 1 == hs.size() ? b.size() : hs[k + 1].b0;
    align(hs[k], a.toks, b.toks, lo_a, lo_b, hi_a, hi_b);
  }
  if (hs.size() < 2) return hs;  // no equality between two edits to fold
  // Code points before each token, counted from the first hunk (prefix sums): a span's length
  // in O(1), so that folding thousands of hunks of a long clause stays linear. Folding looks
  // at nothing before the first hunk or after the last.
  const auto before = [](const token_text& t, std::size_t from, std::size_t to) {
    std::vector<std::size_t> out(to - from + 1, 0);
    for (std::size_t k = from; k < to; ++k) {
      out[k - from + 1] = out[k - from] + code_points(t.toks[k]);
    }
    return out;
  };
  const std::size_t a_from = hs.front().a0;
  const std::size_t b_from = hs.front().b0;
  const std::vector<std::size_t> cp_a = before(a, a_from, hs.back().a1);
  const std::vector<std::size_t> cp_b = before(b, b_from, hs.back().b1);
  const auto a_length = [&](std::size_t from, std::size_t to) {
    return cp_a[to - a_from] - cp_a[from - a_from];
  };
  const auto size = [&](const hunk& h) {
    return std::max(a_length(h.a0, h.a1), cp_b[h.b1 - b_from] - cp_b[h.b0 - b_from]);
  };
  // Whether the equality between x and y (which follows x) is folded. Its length is looked at
  // first: most equalities between two edits are too long, and counting their words is not.
  const auto foldable = [&](const hunk& x, const hunk& y) {
    const std::size_t len = a_length(x.a1, y.a0);
    if (len > size(x) || len > size(y)) return false;
    std::size_t long_words = 0;
    for (std::size_t k = x.a1; k < y.a0 && long_words <= kFoldLongWords; ++k) {
      long_words += is_long_word(a.toks[k]) ? 1 : 0;
    }
    return long_words <= kFoldLongWords;
  };
  // A stack: folding makes a hunk larger, which may let the equality before it fold too.
  std::vector<hunk> out;
  out.reserve(hs.size());
  for (const hunk& h : hs) {
    out.push_back(h);
    while (out.size() >= 2 && foldable(out[out.size() - 2], out.back())) {
      const hunk y = out.back();
      out.pop_back();
      out.back().a1 = y.a1;
      out.back().b1 = y.b1;
    }
  }
  return out;
}

// The pieces of a diff given by its hunks.
std::vector<diff_piece> pieces(const token_text& a, const token_text& b,
                               const std::vector<hunk>& hs) {
  std::vector<diff_piece> out;
  const auto add = [&](char op, std::string_view text) {
    if (!text.empty()) out.push_back({op, std::string(text)});
  };
  std::size_t ai = 0;
  for (const hunk& h : hs) {
    add('=', a.span(ai, h.a0));
    add('-', a.span(h.a0, h.a1));
    add('+', b.span(h.b0, h.b1));
    ai = h.a1;
  }
  add('=', a.span(ai, a.size()));
  return out;
}

// Carries `before` (runs over the text of `a`) across the readable diff from `a` to `b` into
// `out` (runs over the text of `b`): the bytes kept keep their attribution, the bytes
// inserted get `who`; adjacent runs of one attribution are joined.
void carry_runs(const token_text& a, const std::vector<blame_carrier::run>& before,
                const token_text& b, std::uint32_t who, std::vector<blame_carrier::run>& out) {
  out.clear();
  // Appends the bytes of `b` up to `end`, joining them to the last run when attributed alike.
  const auto emit = [&out](std::size_t end, std::uint32_t by) {
    const std::size_t start = out.empty() ? 0 : out.back().end;
    if (end == start) return;
    if (!out.empty() && out.back().who == by) {
      out.back().end = end;
    } else {
      out.push_back({end, by});
    }
  };
  std::size_t run = 0;  // the run holding the next old byte to carry
  // Old bytes [from, to) reappear unchanged in `b` at `at`: split them by old run.
  const auto carry = [&](std::size_t from, std::size_t to, std::size_t at) {
    while (from < to) {
      while (before[run].end <= from) ++run;
      const std::size_t end = std::min(to, before[run].end);
      at += end - from;
      emit(at, before[run].who);
      from = end;
    }
  };
  std::size_t ai = 0;
  std::size_t bi = 0;
  for (const hunk& h : readable(a, b, changes(a.toks, b.toks))) {
    carry(a.offset(ai), a.offset(h.a0), b.offset(bi));
    emit(b.offset(h.b1), who);
    ai = h.a1;
    bi = h.b1;
  }
  carry(a.offset(ai), a.offset(a.size()), b.offset(bi));
}

}  // namespace

std::vector<std::string_view> tokenize(std::string_view text) {
  std::vector<std::string_view> out;
  tokenize_into(text, out);
  return out;
}

std::vector<diff_piece> diff(std::string_view before, std::string_view after) {
  return *diff_within(before, after, SIZE_MAX);
}

std::optional<std::vector<diff_piece>> diff_within(std::string_view before, std::string_view after,
                                                   std::size_t budget) {
  const token_text a(before);
  const token_text b(after);
  const auto hunks = changes_within(a.toks, b.toks, budget);
  if (!hunks) return std::nullopt;
  return pieces(a, b, readable(a, b, *hunks));
}

std::vector<diff_piece> minimal_diff(std::string_view before, std::string_view after) {
  const token_text a(before);
  const token_text b(after);
  return pieces(a, b, changes(a.toks, b.toks));
}

// diff3 at token granularity. Both sides' hunks against `base` are walked in base order:
// a hunk that both sides made alike is applied once; two hunks that overlap, insert at the
// same place, or where one inserts at an edge of (or inside) the other's replaced range
// are a conflict; anything else is applied as it comes. dtl's own Diff3 is not used: it
// walks the two edit scripts element by element, which does not follow these rules (an
// insertion at the edge of the other side's deletion merges) and can produce text that is
// neither edit: base "  aXaX", ours " b aXX", theirs "  abXaX" gave " b aXXabXaX".
std::optional<std::string> merge(std::string_view base, std::string_view ours,
                                 std::string_view theirs) {
  if (ours == theirs || theirs == base) return std::string(ours);
  if (ours == base) return std::string(theirs);

  const token_text b(base);
  const token_text o(ours);
  const token_text t(theirs);
  const std::vector<hunk> oh = changes(b.toks, o.toks);
  const std::vector<hunk> th = changes(b.toks, t.toks);

  std::string out;
  out.reserve(std::max(ours.size(), theirs.size()) + 16);
  std::size_t pos = 0;  // base tokens before this one are written
  const auto apply = [&](const hunk& h, const token_text& side) {
    out += b.span(pos, h.a0);
    out += side.span(h.b0, h.b1);
    pos = h.a1;
  };
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < oh.size() || j < th.size()) {
    if (j == th.size()) {
      apply(oh[i++], o);
      continue;
    }
    if (i == oh.size()) {
      apply(th[j++], t);
      continue;
    }
    const hunk& x = oh[i];
    const hunk& y = th[j];
    if (x.a0 == y.a0 && x.a1 == y.a1 && o.span(x.b0, x.b1) == t.span(y.b0, y.b1)) {
      apply(x, o);  // the same edit on both sides: once
      ++i;
      ++j;
      continue;
    }
    if (conflicting(x, y)) return std::nullopt;
    // Not conflicting, so one lies wholly before the other.
    if (x.a1 <= y.a0) {
      apply(x, o);
      ++i;
    } else {
      apply(y, t);
      ++j;
    }
  }
  out += b.span(pos, b.size());
  return out;
}

std::vector<blame_segment> carry_blame(const std::vector<blame_segment>& before,
                                       std::string_view after, const std::string& commit,
                                       const std::string& state) {
  // Each distinct (commit, state) gets a number, so that runs of one attribution coalesce.
  std::map<std::pair<std::string_view, std::string_view>, std::uint32_t> numbers;
  std::vector<std::pair<const std::string*, const std::string*>> who;  // by number
  const auto number = [&](const std::string& co, const std::string& st) {
    const auto [it, added] = numbers.try_emplace({co, st}, static_cast<std::uint32_t>(who.size()));
    if (added) who.emplace_back(&co, &st);
    return it->second;
  };
  std::string old_text;
  std::vector<blame_carrier::run> runs;
  runs.reserve(before.size());
  for (const blame_segment& s : before) {
    old_text += s.text;
    runs.push_back({old_text.size(), number(s.commit, s.state)});
  }
  const token_text a(old_text);
  const token_text b(after);
  std::vector<blame_carrier::run> out;
  carry_runs(a, runs, b, number(commit, state), out);

  std::vector<blame_segment> segments;
  segments.reserve(out.size());
  std::size_t start = 0;
  for (const blame_carrier::run& r : out) {
    segments.push_back(
        {std::string(after.substr(start, r.end - start)), *who[r.who].second, *who[r.who].first});
    start = r.end;
  }
  return segments;
}

// ---------------------------------------------------------------------------------------
// blame_carrier

struct blame_carrier::texts {
  // Two places, used in turn, so that the tokens of the text before (views into its place)
  // stay valid while the next text is carried: a std::string moved or swapped may take its
  // bytes with it (short strings live inside the object).
  std::array<std::string, 2> text;
  std::array<token_text, 2> tokens;
  std::size_t current = 0;
};

blame_carrier::blame_carrier() : texts_(std::make_unique<texts>()) {}
blame_carrier::~blame_carrier() = default;
blame_carrier::blame_carrier(blame_carrier&&) noexcept = default;
blame_carrier& blame_carrier::operator=(blame_carrier&&) noexcept = default;

const std::string& blame_carrier::text() const noexcept {
  static const std::string none;
  return texts_ ? texts_->text[texts_->current] : none;
}

void blame_carrier::clear() noexcept {
  runs_.clear();
  has_text_ = false;
  if (texts_) {
    texts_->text[texts_->current].clear();
    texts_->tokens[texts_->current].clear();
  }
}

void blame_carrier::carry(std::string text, std::uint32_t who) {
  if (!texts_) texts_ = std::make_unique<texts>();
  texts& t = *texts_;
  const std::size_t now = t.current;
  const std::size_t next = 1 - now;
  // The same text again keeps its blame, as carrying it would.
  if (has_text_ && text == t.text[now]) return;
  has_text_ = true;
  t.text[next] = std::move(text);
  t.tokens[next].assign(t.text[next]);
  carry_runs(t.tokens[now], runs_, t.tokens[next], who, spare_);
  runs_.swap(spare_);
  t.current = next;
}

}  // namespace plenary::storage::words
