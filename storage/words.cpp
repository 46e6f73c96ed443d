// Word-level diff, three-way merge and blame carrying (see words.hpp). The tokens they work on
// are cut by storage/word_tokens.cpp (its rule is there).
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

#include "storage/word_tokens.hpp"

namespace plenary::storage::words {
namespace {

using tokens_detail::is_space_token;
using tokens_detail::is_word_token;
using tokens_detail::tokenize_into;

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
