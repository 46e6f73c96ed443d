// A span's words carried across the changes of its clause (storage/comments.hpp).
#include "storage/comments.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "storage/words.hpp"

namespace plenary::storage {
namespace {

// A byte of a word: an ASCII letter or digit, or any byte of a character beyond ASCII (letters
// of other scripts, ideographs). White space and ASCII punctuation alone keep no comment.
bool word_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x80 || std::isalnum(u) != 0;
}
bool blank(char c) { return c == ' ' || c == '\t' || c == '\n'; }

}  // namespace

carried_span carry_span(std::size_t start, std::size_t end, const std::vector<diff_piece>& diff) {
  std::size_t old_pos = 0;
  std::size_t new_pos = 0;
  std::optional<std::size_t> first;
  std::size_t last = 0;
  bool changed = false;
  for (const diff_piece& p : diff) {
    const std::size_t len = p.text.size();
    if (p.op == '=') {
      const std::size_t lo = std::max(start, old_pos);
      const std::size_t hi = std::min(end, old_pos + len);
      const std::string_view kept =
          lo < hi ? std::string_view(p.text).substr(lo - old_pos, hi - lo) : std::string_view();
      if (std::any_of(kept.begin(), kept.end(), word_byte)) {
        if (!first) first = new_pos + (lo - old_pos);
        last = new_pos + (hi - old_pos);
      }
      old_pos += len;
      new_pos += len;
    } else if (p.op == '-') {
      if (std::max(start, old_pos) < std::min(end, old_pos + len)) changed = true;
      old_pos += len;
    } else {
      if (old_pos > start && old_pos < end) changed = true;  // inserted among the span's words
      new_pos += len;
    }
  }
  if (!first) return {0, 0, true, true};
  return {*first, last, changed, false};
}

carried_span carry_span_over(std::size_t start, std::size_t end,
                             const std::vector<std::string>& texts) {
  carried_span s{start, end, false, false};
  for (std::size_t i = 1; i < texts.size() && !s.gone; ++i) {
    if (texts[i] == texts[i - 1]) continue;
    const carried_span next =
        carry_span(s.start, s.end, words::minimal_diff(texts[i - 1], texts[i]));
    s = {next.start, next.end, s.changed || next.changed, next.gone};
    // What is left of a changed span starts and ends with words, not with the space between.
    while (!s.gone && s.changed && s.start < s.end && blank(texts[i][s.start])) ++s.start;
    while (!s.gone && s.changed && s.end > s.start && blank(texts[i][s.end - 1])) --s.end;
  }
  return s;
}

}  // namespace plenary::storage
