#include "exports/debrief.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <ctime>
#include <string>

#include "exports/render.hpp"
#include "storage/text.hpp"

namespace plenary::exports {
namespace {

using storage::debrief;
using storage::debrief_state;

std::string rfc3339(std::int64_t at) {
  const std::time_t t = static_cast<std::time_t>(at);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// A string as JSON may carry it: ill-formed UTF-8 (a repository written by another tool) has
// each bad byte replaced by U+FFFD.
std::string valid_utf8(std::string_view s) {
  if (storage::is_valid_utf8(s)) return std::string(s);
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 1;
    const auto b = static_cast<unsigned char>(s[i]);
    if (b >= 0xF0) {
      len = 4;
    } else if (b >= 0xE0) {
      len = 3;
    } else if (b >= 0xC0) {
      len = 2;
    }
    if (i + len <= s.size() && storage::is_valid_utf8(s.substr(i, len))) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

class writer {
 public:
  writer() : w_(buffer_) {}
  writer& key(const char* k) {
    w_.Key(k);
    return *this;
  }
  void str(std::string_view s) {
    const std::string v = valid_utf8(s);
    w_.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  }
  void str_or_null(std::string_view s) {
    if (s.empty()) {
      w_.Null();
    } else {
      str(s);
    }
  }
  void num(std::int64_t n) { w_.Int64(n); }
  void boolean(bool b) { w_.Bool(b); }
  void null() { w_.Null(); }
  void begin_object() { w_.StartObject(); }
  void end_object() { w_.EndObject(); }
  void begin_array() { w_.StartArray(); }
  void end_array() { w_.EndArray(); }
  std::string take() { return std::string(buffer_.GetString(), buffer_.GetSize()) + "\n"; }

 private:
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> w_;
};

void shares(writer& w, const std::vector<storage::word_share>& by_state) {
  w.begin_array();
  for (const auto& s : by_state) {
    w.begin_object();
    w.key("state").str(s.state);
    w.key("words").num(s.words);
    w.end_object();
  }
  w.end_array();
}

// part / whole in tenths of a percent, rounded half up; 0 of nothing.
long tenths_of(int part, int whole) {
  if (whole <= 0) return 0;
  return (static_cast<long>(part) * 1000 + whole / 2) / whole;
}

// The CSV's plain share without --lang, for scripts: "25.0" in every language.
std::string percent(int part, int whole) {
  const long tenths = tenths_of(part, whole);
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
}

std::string csv_field(std::string_view s) {
  const bool quote = s.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!s.empty() && (s.front() == ' ' || s.back() == ' '));
  if (!quote) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// A cell of a Markdown table: no line breaks, `|` escaped.
std::string md_cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string clause_name(const debrief_words& w, language lang, const storage::debrief_clause& c) {
  std::string label;
  switch (c.kind) {
    case storage::clause_kind::operative:
      label = c.number ? fill(w.operative_n, {{"n", format_integer(lang, *c.number)}})
                       : std::string(w.operative);
      break;
    case storage::clause_kind::preamble:
      label = w.preamble;
      break;
    case storage::clause_kind::heading:
      label = w.heading;
      break;
  }
  return fill(c.removed ? w.clause_removed : w.clause_id, {{"label", label}, {"id", c.id}});
}

std::string_view stage_name(const debrief_words& w, storage::draft_stage s) {
  switch (s) {
    case storage::draft_stage::working:
      return w.stage_working;
    case storage::draft_stage::formal:
      return w.stage_formal;
    case storage::draft_stage::adopted:
      return w.stage_adopted;
  }
  return w.stage_working;
}

std::string shares_text(const std::vector<storage::word_share>& by_state, language lang) {
  std::string by;
  for (const auto& s : by_state) {
    if (!by.empty()) by += ", ";
    by += s.state + " " + format_integer(lang, s.words);
  }
  return by.empty() ? "–" : by;
}

// The rows to write: the debrief's, and one for each state that only resolved a thread (the
// others are there: storage counts their comments), by code as the debrief's are.
std::vector<debrief_state> rows(const debrief& d,
                                std::span<const storage::comment_thread> threads) {
  std::vector<debrief_state> out = d.states;
  for (const storage::comment_thread& t : threads) {
    if (!t.resolved || !t.resolved_by) continue;
    const storage::actor& by = *t.resolved_by;
    const auto at = std::lower_bound(
        out.begin(), out.end(), by.state,
        [](const debrief_state& s, const std::string& state) { return s.state < state; });
    if (at != out.end() && at->state == by.state) continue;
    debrief_state s;
    s.state = by.state;
    s.name = by.name;
    out.insert(at, std::move(s));
  }
  return out;
}

}  // namespace

comment_figures comment_figures_of(std::span<const storage::comment_thread> threads,
                                   std::string_view state) {
  comment_figures f;
  for (const storage::comment_thread& t : threads) {
    for (std::size_t i = 0; i < t.comments.size(); ++i) {
      if (t.comments[i].by.state != state) continue;
      ++(i == 0 ? f.opened : f.replies);
    }
    if (t.resolved && t.resolved_by && t.resolved_by->state == state) ++f.resolved;
  }
  return f;
}

std::optional<debrief_format> parse_debrief_format(std::string_view s) noexcept {
  if (s == "json") return debrief_format::json;
  if (s == "csv") return debrief_format::csv;
  if (s == "md") return debrief_format::markdown;
  return std::nullopt;
}

std::string debrief_json(const debrief& d, std::string_view slug,
                         std::span<const storage::comment_thread> threads) {
  writer w;
  w.begin_object();
  w.key("slug").str(slug);
  w.key("title").str(d.title);
  w.key("version").str_or_null(d.version);
  w.key("commit").str(d.commit);
  w.key("head").str(d.head);
  w.key("stage").str(storage::to_string(d.stage));
  w.key("tabled_commit").str(d.tabled_commit);
  w.key("started").str(rfc3339(d.started));
  w.key("ended").str(rfc3339(d.ended));
  w.key("commits").num(static_cast<std::int64_t>(d.commits));
  w.key("acts").num(static_cast<std::int64_t>(d.acts));
  w.key("proposals").num(static_cast<std::int64_t>(d.proposals));
  w.key("words").num(d.words);
  w.key("tabled_words").num(d.tabled_words);
  w.key("open_brackets").num(d.open_brackets);

  w.key("states").begin_array();
  for (const debrief_state& s : rows(d, threads)) {
    w.begin_object();
    w.key("state").str(s.state);
    w.key("name").str(s.name);
    w.key("in_roster");
    if (s.in_roster) {
      w.boolean(*s.in_roster);
    } else {
      w.null();
    }
    w.key("amendments").begin_object();
    w.key("replace").num(s.replace);
    w.key("insert").num(s.insert);
    w.key("delete").num(s.remove);
    w.key("move").num(s.move);
    w.key("bracket").num(s.bracket);
    w.key("resolve").num(s.resolve);
    w.key("total").num(s.amendments());
    w.end_object();
    w.key("proposals").begin_object();
    w.key("tabled").num(s.tabled);
    w.key("adopted").num(s.adopted);
    w.key("rejected").num(s.rejected);
    w.key("withdrawn").num(s.withdrawn);
    w.key("could_not_apply").num(s.could_not_apply);
    w.key("pending").num(s.pending);
    w.end_object();
    w.key("supports").num(s.supports);
    w.key("votes").begin_object();
    w.key("yes").num(s.votes_yes);
    w.key("no").num(s.votes_no);
    w.key("abstain").num(s.votes_abstain);
    w.key("decided").num(s.votes_decided);
    w.key("matched").num(s.votes_matched);
    w.end_object();
    w.key("clauses_touched").num(s.clauses_touched);
    w.key("words").num(s.words);
    w.key("comments").num(s.comments);
    const comment_figures c = comment_figures_of(threads, s.state);
    w.key("threads_opened").num(c.opened);
    w.key("replies").num(c.replies);
    w.key("threads_resolved").num(c.resolved);
    w.end_object();
  }
  w.end_array();

  w.key("clauses").begin_array();
  for (const auto& c : d.clauses) {
    w.begin_object();
    w.key("id").str(c.id);
    w.key("kind").str(storage::to_string(c.kind));
    w.key("number");
    if (c.number) {
      w.num(*c.number);
    } else {
      w.null();
    }
    w.key("removed").boolean(c.removed);
    w.key("words").num(c.words);
    w.key("tabled_words").num(c.tabled_words);
    w.key("by_state");
    shares(w, c.by_state);
    w.key("open_brackets").num(c.open_brackets);
    w.key("journey").begin_array();
    for (const auto& p : c.journey) {
      w.begin_object();
      w.key("op").str(std::string(1, p.op));
      w.key("text").str(p.text);
      w.key("state").str_or_null(p.state);
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();

  w.key("journey").begin_array();
  for (const auto& cp : d.journey) {
    w.begin_object();
    w.key("name").str_or_null(cp.name);
    w.key("commit").str(cp.commit);
    w.key("at").str(rfc3339(cp.at));
    w.key("words").num(cp.words);
    w.key("tabled_words").num(cp.tabled_words);
    w.key("by_state");
    shares(w, cp.by_state);
    w.end_object();
  }
  w.end_array();

  w.key("timeline").begin_object();
  w.key("start").str(rfc3339(d.timeline_start));
  w.key("step").num(d.timeline_step);
  w.key("buckets").num(d.timeline_buckets);
  w.key("rows").begin_array();
  for (const auto& b : d.timeline) {
    w.begin_object();
    w.key("bucket").num(b.bucket);
    w.key("state").str(b.state);
    w.key("amendments").num(b.amendments);
    w.key("proposals").num(b.proposals);
    w.key("supports").num(b.supports);
    w.key("votes").num(b.votes);
    w.end_object();
  }
  w.end_array();
  w.key("markers").begin_array();
  for (const auto& m : d.markers) {
    w.begin_object();
    w.key("at").str(rfc3339(m.at));
    w.key("kind").str(m.kind);
    w.key("name").str(m.name);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  w.end_object();
  return w.take();
}

std::string debrief_csv(const debrief& d, std::span<const storage::comment_thread> threads,
                        std::optional<language> lang) {
  const debrief_words& w = debrief_words_of(lang.value_or(language::en));
  std::string out;
  if (!lang) {
    out =
        "state,name,in_roster,replace,insert,delete,move,bracket,resolve,amendments,"
        "proposals_tabled,proposals_adopted,proposals_rejected,proposals_withdrawn,"
        "proposals_could_not_apply,proposals_pending,supports,votes_yes,votes_no,votes_abstain,"
        "votes_decided,votes_matched,clauses_touched,words,words_percent,comments,threads_opened,"
        "replies,threads_resolved\r\n";
  } else {
    const std::string_view labels[] = {w.state,
                                       w.name,
                                       w.in_roster,
                                       w.replace,
                                       w.insert,
                                       w.delete_,
                                       w.move,
                                       w.bracket,
                                       w.resolve,
                                       w.amendments,
                                       w.tabled,
                                       w.adopted,
                                       w.rejected,
                                       w.withdrawn,
                                       w.could_not_apply,
                                       w.pending,
                                       w.supports,
                                       w.yes,
                                       w.no,
                                       w.abstain,
                                       w.decided,
                                       w.matched,
                                       w.clauses_touched,
                                       w.words_in_text,
                                       w.share,
                                       w.comments,
                                       w.threads_opened,
                                       w.replies,
                                       w.threads_resolved};
    for (std::string_view label : labels) {
      if (!out.empty()) out += ",";
      out += csv_field(label);
    }
    out += "\r\n";
  }
  const std::string_view yes = lang ? w.true_ : "yes";
  const std::string_view no = lang ? w.false_ : "no";
  for (const debrief_state& s : rows(d, threads)) {
    const int numbers[] = {s.replace,       s.insert,        s.remove,        s.move,
                           s.bracket,       s.resolve,       s.amendments(),  s.tabled,
                           s.adopted,       s.rejected,      s.withdrawn,     s.could_not_apply,
                           s.pending,       s.supports,      s.votes_yes,     s.votes_no,
                           s.votes_abstain, s.votes_decided, s.votes_matched, s.clauses_touched,
                           s.words};
    out += csv_field(s.state) + "," + csv_field(valid_utf8(s.name)) + ",";
    out += s.in_roster ? (*s.in_roster ? yes : no) : "";
    // With --lang the figures are written as the page writes them ("12 345", "25,0 %";
    // words.hpp number_format), for the person who opens the file, each quoted when it holds a
    // comma ("1,234"); without it plain digits and "25.0", for scripts.
    const auto count = [&](int n) {
      return lang ? csv_field(format_integer(*lang, n)) : std::to_string(n);
    };
    for (int n : numbers) out += "," + count(n);
    const comment_figures c = comment_figures_of(threads, s.state);
    out += "," + (lang ? csv_field(format_percent(*lang, tenths_of(s.words, d.words)))
                       : percent(s.words, d.words));
    for (int n : {s.comments, c.opened, c.replies, c.resolved}) out += "," + count(n);
    out += "\r\n";
  }
  return out;
}

std::string debrief_markdown(const debrief& d, std::string_view slug,
                             std::span<const storage::comment_thread> threads,
                             std::optional<language> lang) {
  const debrief_words& w = debrief_words_of(lang.value_or(language::en));
  // Figures the language's way (words.hpp number_format), English's without --lang: "12 345",
  // "25,0 %" in French.
  const language l = lang.value_or(language::en);
  const auto pct = [&](int part, int whole) { return format_percent(l, tenths_of(part, whole)); };
  const auto n = [&](auto v) { return format_integer(l, static_cast<std::int64_t>(v)); };
  std::string out = "# " + fill(w.title, {{"title", md_cell(d.title)}}) + "\n\n";
  out +=
      fill(w.about, {{"slug", "`" + std::string(slug) + "`"}, {"stage", stage_name(w, d.stage)}});
  const std::string shown = d.version.empty()
                                ? std::string(w.current_text)
                                : fill(w.version_of, {{"version", md_cell(d.version)}});
  out += " " +
         fill(w.scope, {{"shown", shown},
                        {"commit", "`" + d.commit.substr(0, 7) + "`"},
                        {"from", detail::utc_minute(d.started)},
                        {"to", detail::utc_minute(d.ended)},
                        {"commits", n(d.commits)},
                        {"acts", n(d.acts)}}) +
         "\n\n";
  out += fill(w.words_line, {{"words", n(d.words)},
                             {"tabled", n(d.tabled_words)},
                             {"percent", pct(d.tabled_words, d.words)}});
  if (d.open_brackets > 0) out += " " + fill(w.open_brackets, {{"n", n(d.open_brackets)}});
  out += "\n\n## " + std::string(w.delegations) + "\n\n";
  // A column of several figures: its label, then theirs in parentheses ("Amendments (Replace/
  // Insert/...)"), or theirs alone when each already names the group ("Votes yes/Votes no").
  const auto group = [](std::string_view head, std::initializer_list<std::string_view> parts) {
    std::string text(head);
    if (!head.empty()) text += " (";
    bool first = true;
    for (std::string_view p : parts) {
      if (!first) text += "/";
      text += p;
      first = false;
    }
    return head.empty() ? text : text + ")";
  };
  const std::vector<std::string> headers = {
      std::string(w.state),
      std::string(w.name),
      group(w.amendments, {w.replace, w.insert, w.delete_, w.move, w.bracket, w.resolve}),
      group("", {w.tabled, w.adopted, w.rejected, w.withdrawn, w.could_not_apply, w.pending}),
      std::string(w.supports),
      group("", {w.yes, w.no, w.abstain}),
      std::string(w.matched),
      std::string(w.clauses_touched),
      std::string(w.words_in_text),
      std::string(w.share),
      group(w.comments, {w.threads_opened, w.replies, w.threads_resolved})};
  out += "|";
  for (const std::string& h : headers) out += " " + md_cell(h) + " |";
  out += "\n|";
  for (std::size_t i = 0; i < headers.size(); ++i) out += "---|";
  out += "\n";
  for (const debrief_state& s : rows(d, threads)) {
    const comment_figures c = comment_figures_of(threads, s.state);
    std::string name = md_cell(valid_utf8(s.name));
    if (s.in_roster && !*s.in_roster) name += " " + std::string(w.gone);
    out +=
        "| " + s.state + " | " + name + " | " + n(s.amendments()) + " (" + n(s.replace) + "/" +
        n(s.insert) + "/" + n(s.remove) + "/" + n(s.move) + "/" + n(s.bracket) + "/" +
        n(s.resolve) + ") | " + n(s.tabled) + "/" + n(s.adopted) + "/" + n(s.rejected) + "/" +
        n(s.withdrawn) + "/" + n(s.could_not_apply) + "/" + n(s.pending) + " | " + n(s.supports) +
        " | " + n(s.votes_yes) + "/" + n(s.votes_no) + "/" + n(s.votes_abstain) + " | " +
        (s.votes_decided > 0 ? fill(w.matched_of, {{"matched", n(s.votes_matched)},
                                                   {"decided", n(s.votes_decided)}})
                             : std::string("–")) +
        " | " + n(s.clauses_touched) + " | " + n(s.words) + " | " + pct(s.words, d.words) + " | " +
        n(s.comments) + " (" + n(c.opened) + "/" + n(c.replies) + "/" + n(c.resolved) + ") |\n";
  }
  out += "\n## " + std::string(w.clauses_title) + "\n\n| " + std::string(w.clause) + " | " +
         std::string(w.clause_words) + " | " + std::string(w.as_tabled) + " | " +
         std::string(w.by_state) + " |\n|---|---|---|---|\n";
  for (const auto& c : d.clauses) {
    out += "| " + md_cell(clause_name(w, l, c)) + " | " + n(c.words) + " | " + n(c.tabled_words) +
           " | " + shares_text(c.by_state, l) + " |\n";
  }
  out += "\n## " + std::string(w.journey_title) + "\n\n| " + std::string(w.point) + " | " +
         std::string(w.commit) + " | " + std::string(w.time) + " | " + std::string(w.clause_words) +
         " | " + std::string(w.as_tabled) + " | " + std::string(w.by_state) +
         " |\n|---|---|---|---|---|---|\n";
  for (const auto& cp : d.journey) {
    // The journey's first point is the tabled text ("tabled"), its last the version shown ("").
    const std::string point = cp.name.empty()       ? std::string(w.current_point)
                              : cp.name == "tabled" ? std::string(w.tabled_point)
                                                    : md_cell(cp.name);
    out += "| " + point + " | " + cp.commit.substr(0, 7) + " | " + detail::utc_minute(cp.at) +
           " | " + n(cp.words) + " | " + n(cp.tabled_words) + " | " + shares_text(cp.by_state, l) +
           " |\n";
  }
  return out;
}

std::string render_debrief(const debrief& d, std::string_view slug, debrief_format f,
                           std::span<const storage::comment_thread> threads,
                           std::optional<language> lang) {
  switch (f) {
    case debrief_format::json:
      return debrief_json(d, slug, threads);
    case debrief_format::csv:
      return debrief_csv(d, threads, lang);
    case debrief_format::markdown:
      return debrief_markdown(d, slug, threads, lang);
  }
  return {};
}

}  // namespace plenary::exports
