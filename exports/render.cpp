#include "exports/render.hpp"

#include <algorithm>
#include <ctime>

namespace plenary::exports {

std::optional<format> parse_format(std::string_view s) noexcept {
  if (s == "md" || s == "markdown") return format::markdown;
  if (s == "html") return format::html;
  if (s == "akn") return format::akn;
  return std::nullopt;
}

std::optional<text_form> parse_text_form(std::string_view s) noexcept {
  if (s == "clean") return text_form::clean;
  if (s == "compilation") return text_form::compilation;
  return std::nullopt;
}

std::string render(const document& doc, format f, text_form form) {
  switch (f) {
    case format::markdown:
      return render_markdown(doc, form);
    case format::html:
      return render_html(doc, form);
    case format::akn:
      return render_akn(doc, form);
  }
  return {};
}

namespace {

using storage::brackets::bracket;

// One line of a clause: plain runs, brackets and marks in order.
struct line_piece {
  std::string plain;  // plain text, or a mark's markup
  const bracket* b = nullptr;
  bool mark = false;
};
using piece_line = std::vector<line_piece>;

// The text split into lines at the line breaks outside brackets; each mark (sorted by `at`) at
// its offset, one inside a bracket right after it, one at a line break at the end of that line.
std::vector<piece_line> split_lines(std::string_view text, const std::vector<bracket>& all,
                                    const std::vector<text_mark>& marks) {
  std::vector<piece_line> out(1);
  std::size_t m = 0;
  // The plain text [from, to), lines split at '\n', marks at their offsets.
  auto add_plain = [&](std::size_t from, std::size_t to) {
    std::size_t start = from;
    while (true) {
      const std::size_t nl = text.find('\n', start);
      const std::size_t limit = std::min(nl, to);
      while (m < marks.size() && marks[m].at <= limit) {
        const std::size_t at = std::max(marks[m].at, start);
        out.back().push_back({std::string(text.substr(start, at - start)), nullptr});
        out.back().push_back({marks[m].markup, nullptr, true});
        start = at;
        ++m;
      }
      out.back().push_back({std::string(text.substr(start, limit - start)), nullptr});
      if (nl >= to) break;
      out.emplace_back();
      start = nl + 1;
    }
  };
  std::size_t pos = 0;
  for (const bracket& b : all) {
    add_plain(pos, b.start);
    out.back().push_back({{}, &b});
    pos = b.end;
  }
  add_plain(pos, text.size());
  for (; m < marks.size(); ++m) out.back().push_back({marks[m].markup, nullptr, true});
  return out;
}

std::string one_line(std::string s) {
  for (char& ch : s) {
    if (ch == '\n' || ch == '\r') ch = ' ';
  }
  return s;
}

// A bracket as plain text, in either form: the compilation names each alternative's proponent.
std::string plain_bracket(const document& doc, const bracket& b, text_form form) {
  std::string out = "[";
  for (std::size_t i = 0; i < b.alternatives.size(); ++i) {
    if (i > 0) out += " / ";
    out += one_line(shown_wording(doc, b.alternatives[i]));
    if (form == text_form::compilation) {
      out += " (" + proponent(doc, b.alternatives[i].state, false) + ")";
    }
  }
  return out + "]";
}

std::vector<bracket> brackets_of(const storage::clause& c) {
  if (!storage::brackets::has_marks(c.text)) return {};
  auto parsed = storage::brackets::parse(c.text);
  return parsed ? std::move(*parsed) : std::vector<bracket>{};
}

}  // namespace

const words& words_for(const document& doc) noexcept {
  return words_of(doc.lang.value_or(language::en));
}

std::string shown_wording(const document& doc, const storage::brackets::alternative& a) {
  return a.wording.empty() ? std::string(words_for(doc).deletion) : a.wording;
}

std::string party_name(const document& doc, std::string_view state) {
  if (state == storage::chair_state) return std::string(words_for(doc).chair);
  if (state == storage::tabled_state) return std::string(words_for(doc).tabled);
  for (const storage::actor& a : doc.parties) {
    if (a.state == state && !a.name.empty()) return a.name;
  }
  return std::string(state);
}

std::string proponent(const document& doc, std::string_view state, bool names) {
  if (state != storage::tabled_state) {
    return names ? party_name(doc, state) : std::string(state);
  }
  const words& w = words_for(doc);
  if (doc.text.sponsors.empty()) return std::string(w.as_tabled);
  std::string list;
  for (const std::string& code : doc.text.sponsors) {
    if (!list.empty()) list += w.list_separator;
    list += names ? party_name(doc, code) : code;
  }
  return fill(w.as_tabled_list, {{"list", list}});
}

std::string clause_text(const document& doc, const storage::clause& c, text_form form) {
  const std::vector<bracket> all = brackets_of(c);
  if (all.empty()) return c.text;
  std::string out;
  std::size_t pos = 0;
  for (const bracket& b : all) {
    out += c.text.substr(pos, b.start - pos);
    out += plain_bracket(doc, b, form);
    pos = b.end;
  }
  out += c.text.substr(pos);
  return out;
}

std::vector<std::string> clause_lines(const document& doc, const storage::clause& c, text_form form,
                                      const std::function<std::string(std::string_view)>& plain,
                                      const bracket_writer& bracket_markup,
                                      std::vector<text_mark> marks) {
  const std::vector<bracket> all = brackets_of(c);
  std::stable_sort(marks.begin(), marks.end(),
                   [](const text_mark& a, const text_mark& b) { return a.at < b.at; });
  std::vector<std::string> out;
  for (piece_line& line : split_lines(c.text, all, marks)) {
    // Brackets in the clean form are plain text; then trim the line's ends as detail::lines.
    piece_line merged;
    for (line_piece& p : line) {
      if (p.b != nullptr && form == text_form::clean) {
        p.plain = plain_bracket(doc, *p.b, form);  // clean: no proponents
        p.b = nullptr;
      }
      if (p.b == nullptr && !p.mark && !merged.empty() && merged.back().b == nullptr &&
          !merged.back().mark) {
        merged.back().plain += p.plain;
      } else {
        merged.push_back(std::move(p));
      }
    }
    if (!merged.empty() && merged.front().b == nullptr && !merged.front().mark) {
      const std::string& s = merged.front().plain;
      merged.front().plain = s.substr(std::min(s.size(), s.find_first_not_of(" \t\r")));
    }
    if (!merged.empty() && merged.back().b == nullptr && !merged.back().mark) {
      std::string& s = merged.back().plain;
      const auto last = s.find_last_not_of(" \t\r");
      s.erase(last == std::string::npos ? 0 : last + 1);
    }
    std::string written;
    for (const line_piece& p : merged) {
      written += p.b ? bracket_markup(*p.b) : p.mark ? p.plain : plain(p.plain);
    }
    if (!written.empty()) out.push_back(std::move(written));
  }
  return out;
}

namespace detail {

namespace {
std::tm utc(std::int64_t at) {
  std::time_t t = static_cast<std::time_t>(at);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  return tm;
}
}  // namespace

std::string utc_date(std::int64_t at) {
  std::tm tm = utc(at);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string utc_minute(std::int64_t at) {
  std::tm tm = utc(at);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char ch : s) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        // XML 1.0 allows no control character but tab, newline and carriage return.
        if (static_cast<unsigned char>(ch) < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') {
          break;
        }
        out += ch;
    }
  }
  return out;
}

std::string trim(std::string_view s) {
  const char* ws = " \t\r\n";
  const auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(ws);
  return std::string(s.substr(b, e - b + 1));
}

std::vector<std::string> lines(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string line = trim(text.substr(start, end - start));
    if (!line.empty()) out.push_back(std::move(line));
    start = end + 1;
  }
  return out;
}

std::string short_id(std::string_view commit) { return std::string(commit.substr(0, 7)); }

std::string author(const storage::log_entry& e) {
  if (e.by.name.empty()) return e.by.state;
  return e.by.name + " (" + e.by.state + ")";
}

}  // namespace detail
namespace {

std::string note_text(std::string s) {
  for (char& ch : s) {
    if (ch == '\n' || ch == '\t' || ch == '\r') ch = ' ';
  }
  return detail::trim(s);
}

written_note write_note(const document& doc, const note& n, bool clause_present) {
  const words& w = words_for(doc);
  const storage::comment_thread& t = n.thread;
  const storage::comment_entry& first = t.comments.front();
  std::string on;
  if (t.anchor.kind == storage::anchor_kind::span) {
    on = fill(w.on_words, {{"quote", note_text(t.anchor.quote)}});
  } else if (t.anchor.kind == storage::anchor_kind::proposal) {
    on = fill(w.on_proposal, {{"n", std::to_string(t.anchor.proposal)}});
  }
  std::string_view place;
  if (!clause_present && !t.anchor.clause.empty()) {
    place = w.clause_gone;
  } else if (n.place == storage::anchor_state::changed) {
    place = w.words_changed;
  } else if (n.place == storage::anchor_state::words_gone) {
    place = w.words_gone;
  }
  const std::string number = std::to_string(t.n);
  const std::string author = party_name(doc, first.by.state);
  written_note out{t.n, {}, clause_present ? n.end : std::nullopt};
  out.lines.push_back({first.by.state, fill(w.note, {{"n", number},
                                                     {"author", author},
                                                     {"on", on},
                                                     {"place", place},
                                                     {"text", note_text(first.text)}})});
  for (std::size_t i = 1; i < t.comments.size(); ++i) {
    out.lines.push_back(
        {t.comments[i].by.state, fill(w.reply, {{"author", party_name(doc, t.comments[i].by.state)},
                                                {"text", note_text(t.comments[i].text)}})});
  }
  return out;
}

bool writable(const note& n) { return !n.thread.resolved && !n.thread.comments.empty(); }

}  // namespace

std::vector<written_note> clause_notes(const document& doc, const storage::clause& c) {
  std::vector<written_note> out;
  for (const note& n : doc.notes) {
    if (n.thread.anchor.clause == c.id && writable(n)) out.push_back(write_note(doc, n, true));
  }
  return out;
}

std::vector<written_note> other_notes(const document& doc) {
  std::vector<written_note> out;
  for (const note& n : doc.notes) {
    if (!writable(n)) continue;
    const std::string& on = n.thread.anchor.clause;
    const bool present = std::any_of(doc.text.clauses.begin(), doc.text.clauses.end(),
                                     [&](const storage::clause& c) { return c.id == on; });
    if (!present) out.push_back(write_note(doc, n, false));
  }
  return out;
}

}  // namespace plenary::exports
