#include "storage/brackets.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include "rules/utf8.hpp"
#include "storage/text.hpp"

namespace plenary::storage::brackets {
namespace {

constexpr std::size_t mark_bytes = 3;  // each of ⟦ ‖ ⟧ is three bytes in UTF-8
constexpr std::string_view none = {};

enum class mark_kind { open, bar, close };

struct mark {
  std::size_t pos = 0;
  mark_kind kind = mark_kind::open;
};

// The next of ⟦ ‖ ⟧ at or after `from`. All three start with the byte E2, which in valid UTF-8
// only ever starts a character, so a byte search cannot find one inside another character.
std::optional<mark> next_mark(std::string_view text, std::size_t from) {
  for (std::size_t i = text.find('\xE2', from); i != std::string_view::npos;
       i = text.find('\xE2', i + 1)) {
    const std::string_view here = text.substr(i, mark_bytes);
    if (here == open_mark) return mark{i, mark_kind::open};
    if (here == bar_mark) return mark{i, mark_kind::bar};
    if (here == close_mark) return mark{i, mark_kind::close};
  }
  return std::nullopt;
}

std::string at_byte(std::size_t pos) { return "at byte " + std::to_string(pos); }

std::string backticked(std::string_view s) { return "`" + std::string(s) + "`"; }

bool cuts_a_character(std::string_view text, std::size_t pos) {
  return pos < text.size() && rules::utf8::is_continuation(static_cast<unsigned char>(text[pos]));
}

bool allowed(std::string_view code, std::span<const std::string> delegations) {
  if (delegations.empty() || code == chair_state || code == tabled_state) return true;
  return std::find(delegations.begin(), delegations.end(), code) != delegations.end();
}

// Reads the alternatives of the bracket whose inside is text[inner, close), the bars at `bars`.
// Returns "" or the problem (without `where`).
std::string read_alternatives(std::string_view text, std::size_t inner, std::size_t close,
                              const std::vector<std::size_t>& bars, std::size_t number,
                              std::span<const std::string> delegations, bracket& out) {
  const std::string name = "bracket " + std::to_string(number);
  std::size_t alt_start = inner;
  for (std::size_t i = 0; i <= bars.size(); ++i) {
    std::size_t alt_end = close;
    if (i < bars.size()) {
      const std::size_t b = bars[i];
      const bool spaced =
          b > inner && text[b - 1] == ' ' && b + mark_bytes < close && text[b + mark_bytes] == ' ';
      if (!spaced) {
        return "in " + name + ", the alternatives must be joined by ` ‖ ` (a space on each side " +
               "of `‖`, " + at_byte(b) + ")";
      }
      alt_end = b - 1;
    }
    const std::string_view raw =
        alt_end > alt_start ? text.substr(alt_start, alt_end - alt_start) : none;
    const std::string ordinal = "alternative " + std::to_string(i + 1);
    const std::size_t colon = raw.find(": ");
    if (colon == std::string_view::npos || !is_valid_state_code(raw.substr(0, colon))) {
      return "in " + name + ", " + ordinal + " (" + at_byte(alt_start) +
             ") does not name its proponent: write it as `CODE: wording`, e.g. `RUS: wording` "
             "(an empty wording proposes to delete)";
    }
    const std::string_view code = raw.substr(0, colon);
    if (!allowed(code, delegations)) {
      return name + " names " + backticked(code) +
             ", which is not a delegation of this draft (nor the chair, `CHAIR`, nor the text "
             "as tabled, `TABLED`)";
    }
    alternative a;
    a.state = std::string(code);
    a.wording = std::string(raw.substr(colon + 2));
    a.start = alt_start + colon + 2;
    out.alternatives.push_back(std::move(a));
    if (i < bars.size()) alt_start = bars[i] + mark_bytes + 1;
  }
  return {};
}

error invalid(std::string message) { return make_error(error_kind::invalid, std::move(message)); }

// The state that `blame` gives for most bytes of [start, end); ties go to the earliest.
std::optional<std::string> majority(const std::vector<blame_segment>& blame, std::size_t start,
                                    std::size_t end) {
  std::vector<std::pair<std::string, std::size_t>> counts;  // in order of appearance
  std::size_t offset = 0;
  for (const blame_segment& s : blame) {
    const std::size_t from = std::max(offset, start);
    const std::size_t to = std::min(offset + s.text.size(), end);
    offset += s.text.size();
    if (from >= to) continue;
    auto it = std::find_if(counts.begin(), counts.end(),
                           [&](const auto& c) { return c.first == s.state; });
    if (it == counts.end()) {
      counts.emplace_back(s.state, to - from);
    } else {
      it->second += to - from;
    }
  }
  if (counts.empty()) return std::nullopt;
  auto best = counts.begin();
  for (auto it = counts.begin(); it != counts.end(); ++it) {
    if (it->second > best->second) best = it;
  }
  return best->first;
}

}  // namespace

bool has_marks(std::string_view text) noexcept {
  return text.find(open_mark) != std::string_view::npos ||
         text.find(bar_mark) != std::string_view::npos ||
         text.find(close_mark) != std::string_view::npos;
}

result<std::vector<bracket>> parse(std::string_view text, std::span<const std::string> delegations,
                                   std::string_view where) {
  std::vector<bracket> out;
  auto fail = [&](const std::string& what) {
    return invalid(std::string(where) + ": " + what + ".");
  };
  std::size_t pos = 0;
  while (auto m = next_mark(text, pos)) {
    if (m->kind == mark_kind::bar) {
      return fail("`‖` " + at_byte(m->pos) +
                  " is outside a bracket; it only separates alternatives inside `⟦ ⟧`");
    }
    if (m->kind == mark_kind::close) return fail("`⟧` " + at_byte(m->pos) + " closes no bracket");
    const std::size_t number = out.size() + 1;
    const std::string name =
        "bracket " + std::to_string(number) + " (opened " + at_byte(m->pos) + ")";
    bracket b;
    b.start = m->pos;
    const std::size_t inner = m->pos + mark_bytes;
    std::vector<std::size_t> bars;
    std::optional<std::size_t> close;
    for (std::size_t p = inner; auto k = next_mark(text, p);) {
      if (k->kind == mark_kind::open) {
        return fail(name + " opens another bracket " + at_byte(k->pos) +
                    " before it closes; brackets do not nest");
      }
      if (k->kind == mark_kind::close) {
        close = k->pos;
        break;
      }
      bars.push_back(k->pos);
      p = k->pos + mark_bytes;
    }
    if (!close) return fail(name + " is never closed with `⟧`");
    if (*close == inner) return fail(name + " is empty: write `⟦CODE: wording⟧`");
    if (std::string problem = read_alternatives(text, inner, *close, bars, number, delegations, b);
        !problem.empty()) {
      return fail(problem);
    }
    b.end = *close + mark_bytes;
    pos = b.end;
    out.push_back(std::move(b));
  }
  return out;
}

std::string format(std::span<const alternative> alternatives) {
  std::string out(open_mark);
  for (std::size_t i = 0; i < alternatives.size(); ++i) {
    if (i > 0) out += separator;
    out += alternatives[i].state;
    out += ": ";
    out += alternatives[i].wording;
  }
  out += close_mark;
  return out;
}

result<bracketed> bracket_span(std::string_view text, std::size_t start, std::size_t end,
                               std::string_view by, std::string_view wording,
                               const std::vector<blame_segment>& blame) {
  if (start >= end)
    return invalid("The span to bracket is empty: `start` must be less than `end`.");
  if (end > text.size()) {
    return invalid("The span to bracket ends at byte " + std::to_string(end) +
                   ", past the end of the clause, which is " + std::to_string(text.size()) +
                   " bytes long.");
  }
  for (const auto& [field, at] : {std::pair{"start", start}, std::pair{"end", end}}) {
    if (cuts_a_character(text, at)) {
      return invalid(std::string("`") + field + "` (byte " + std::to_string(at) +
                     ") falls inside a UTF-8 character: give byte offsets at character "
                     "boundaries.");
    }
  }
  if (has_marks(wording)) {
    return invalid(
        "Your wording holds ⟦, ‖ or ⟧: give plain wording; the bracket is written "
        "for you.");
  }
  auto parsed = parse(text, {}, "The clause");
  if (!parsed) return std::move(parsed).err();
  const std::vector<bracket>& all = *parsed;
  std::size_t index = 0;
  for (std::size_t i = 0; i < all.size(); ++i) {
    const bracket& b = all[i];
    const std::string label =
        "the bracket at bytes " + std::to_string(b.start) + " to " + std::to_string(b.end);
    if (start == b.start && end == b.end) {
      for (const alternative& a : b.alternatives) {
        if (a.state == by && a.wording == wording) {
          return invalid(
              "That bracket already holds this alternative of yours; nothing was "
              "changed.");
        }
      }
      std::vector<alternative> alternatives = b.alternatives;
      alternatives.push_back(alternative{std::string(by), std::string(wording), 0});
      std::string out(text.substr(0, b.start));
      out += format(alternatives);
      out += text.substr(b.end);
      return bracketed{std::move(out), i, true};
    }
    if (start < b.end && b.start < end) {
      if (start >= b.start && end <= b.end) {
        return invalid("The span lies inside " + label +
                       "; to add an alternative to it, give the span of the whole bracket.");
      }
      if (start <= b.start && end >= b.end) {
        return invalid("The span contains " + label +
                       "; brackets do not nest: add an alternative to that bracket instead.");
      }
      return invalid("The span partly overlaps " + label +
                     ": give the span of the whole bracket, or one outside it.");
    }
    if (b.end <= start) index = i + 1;
  }
  const std::string_view current = text.substr(start, end - start);
  if (current == wording) {
    return invalid("Your wording is the same as the text you bracket; nothing was changed.");
  }
  auto first = majority(blame, start, end);
  if (!first) {
    return make_error(error_kind::internal,
                      "The blame of the clause does not cover the span to bracket.");
  }
  const alternative alternatives[] = {{*first, std::string(current), 0},
                                      {std::string(by), std::string(wording), 0}};
  std::string out(text.substr(0, start));
  out += format(alternatives);
  out += text.substr(end);
  return bracketed{std::move(out), index, false};
}

result<std::string> resolve(std::string_view text, std::size_t index, std::size_t choose) {
  auto parsed = parse(text, {}, "The clause");
  if (!parsed) return std::move(parsed).err();
  if (index >= parsed->size()) {
    return invalid("`bracket` is " + std::to_string(index) + ", but the clause has " +
                   std::to_string(parsed->size()) +
                   (parsed->size() == 1 ? " bracket" : " brackets") + " (numbered from 0).");
  }
  const bracket& b = (*parsed)[index];
  if (choose >= b.alternatives.size()) {
    return invalid("`choose` is " + std::to_string(choose) + ", but bracket " +
                   std::to_string(index) + " has " + std::to_string(b.alternatives.size()) +
                   " alternatives (numbered from 0).");
  }
  std::string out(text.substr(0, b.start));
  out += b.alternatives[choose].wording;
  out += text.substr(b.end);
  return out;
}

std::vector<blame_segment> attribute_proponents(std::vector<blame_segment> segments,
                                                std::string_view tabled_commit) {
  const auto tabled_words = [&](const blame_segment& s) {
    return !tabled_commit.empty() && s.commit == tabled_commit;
  };
  std::string text;
  for (const blame_segment& s : segments) text += s.text;
  std::optional<std::vector<bracket>> parsed;
  if (has_marks(text)) {
    if (auto p = parse(text)) parsed = std::move(*p);
  }
  if (!parsed || parsed->empty()) {
    for (blame_segment& s : segments) s.tabled = tabled_words(s);
    return segments;
  }
  struct owned {
    std::size_t start, end;
    const std::string* state;
  };
  std::vector<owned> ranges;  // in text order, disjoint
  std::vector<std::size_t> cuts;
  for (const bracket& b : *parsed) {
    for (const alternative& a : b.alternatives) {
      if (a.wording.empty()) continue;
      ranges.push_back({a.start, a.start + a.wording.size(), &a.state});
      cuts.push_back(a.start);
      cuts.push_back(a.start + a.wording.size());
    }
  }
  std::vector<blame_segment> out;
  auto append = [&](blame_segment piece) {
    if (piece.text.empty()) return;
    if (!out.empty() && out.back().state == piece.state && out.back().commit == piece.commit &&
        out.back().tabled == piece.tabled) {
      out.back().text += piece.text;
    } else {
      out.push_back(std::move(piece));
    }
  };
  std::size_t offset = 0;
  for (blame_segment& s : segments) {
    const std::size_t s_end = offset + s.text.size();
    std::size_t from = offset;
    auto cut = std::upper_bound(cuts.begin(), cuts.end(), from);
    while (from < s_end) {
      const std::size_t to = (cut != cuts.end() && *cut < s_end) ? *cut++ : s_end;
      blame_segment piece{s.text.substr(from - offset, to - from), s.state, s.commit};
      piece.tabled = tabled_words(s);
      for (const owned& r : ranges) {
        if (from >= r.start && to <= r.end) {
          piece.state = *r.state;
          piece.tabled = *r.state == tabled_state;
        }
      }
      append(std::move(piece));
      from = to;
    }
    offset = s_end;
  }
  return out;
}

std::vector<blame_segment> as_tabled(std::vector<blame_segment> segments,
                                     std::string_view tabled_commit) {
  for (blame_segment& s : segments) {
    if (!tabled_commit.empty() && s.commit == tabled_commit) s.state = tabled_state;
  }
  return segments;
}

}  // namespace plenary::storage::brackets
