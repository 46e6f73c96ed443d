#include "exports/debrief.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

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

std::string percent(int part, int whole) {
  if (whole <= 0) return "0.0";
  const long tenths = (static_cast<long>(part) * 1000 + whole / 2) / whole;
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

std::string clause_name(const storage::debrief_clause& c) {
  std::string name;
  switch (c.kind) {
    case storage::clause_kind::operative:
      name = c.number ? "operative clause " + std::to_string(*c.number) : "operative clause";
      break;
    case storage::clause_kind::preamble:
      name = "preambular paragraph";
      break;
    case storage::clause_kind::heading:
      name = "heading";
      break;
  }
  return name + " (" + c.id + ")";
}

std::string version_label(const debrief& d) {
  return d.version.empty() ? "the current text (" + d.commit.substr(0, 7) + ")"
                           : "version " + d.version + " (" + d.commit.substr(0, 7) + ")";
}

}  // namespace

std::optional<debrief_format> parse_debrief_format(std::string_view s) noexcept {
  if (s == "json") return debrief_format::json;
  if (s == "csv") return debrief_format::csv;
  if (s == "md") return debrief_format::markdown;
  return std::nullopt;
}

std::string debrief_json(const debrief& d, std::string_view slug) {
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
  for (const debrief_state& s : d.states) {
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

std::string debrief_csv(const debrief& d) {
  std::string out =
      "state,name,in_roster,replace,insert,delete,move,bracket,resolve,amendments,"
      "proposals_tabled,proposals_adopted,proposals_rejected,proposals_withdrawn,"
      "proposals_could_not_apply,proposals_pending,supports,votes_yes,votes_no,votes_abstain,"
      "votes_decided,votes_matched,clauses_touched,words,words_percent\r\n";
  for (const debrief_state& s : d.states) {
    const int numbers[] = {s.replace,       s.insert,        s.remove,        s.move,
                           s.bracket,       s.resolve,       s.amendments(),  s.tabled,
                           s.adopted,       s.rejected,      s.withdrawn,     s.could_not_apply,
                           s.pending,       s.supports,      s.votes_yes,     s.votes_no,
                           s.votes_abstain, s.votes_decided, s.votes_matched, s.clauses_touched,
                           s.words};
    out += csv_field(s.state) + "," + csv_field(valid_utf8(s.name)) + ",";
    out += s.in_roster ? (*s.in_roster ? "yes" : "no") : "";
    for (int n : numbers) out += "," + std::to_string(n);
    out += "," + percent(s.words, d.words) + "\r\n";
  }
  return out;
}

std::string debrief_markdown(const debrief& d, std::string_view slug) {
  std::string out = "# Debrief: " + md_cell(d.title) + "\n\n";
  out += "Draft `" + std::string(slug) + "`, stage " + storage::to_string(d.stage) + ". ";
  out += "The text figures are of " + version_label(d) +
         "; the activity covers the whole "
         "record (" +
         std::to_string(d.commits) + " commits, " + std::to_string(d.acts) + " procedural acts, " +
         detail::utc_minute(d.started) + " to " + detail::utc_minute(d.ended) + ").\n\n";
  out += "Words: " + std::to_string(d.words) + ", of which " + std::to_string(d.tabled_words) +
         " (" + percent(d.tabled_words, d.words) + "%) as tabled.";
  if (d.open_brackets > 0) {
    out += " " + std::to_string(d.open_brackets) +
           " bracket(s) still open: each alternative's words count for its proponent.";
  }
  out += "\n\n## Delegations\n\n";
  out +=
      "| State | Name | Amendments (replace/insert/delete/move/bracket/resolve) | "
      "Proposals (tabled/adopted/rejected/withdrawn/could not apply/pending) | Supports | "
      "Votes (yes/no/abstain) | Vote matched outcome | Clauses touched | Words | Share |\n";
  out += "|---|---|---|---|---|---|---|---|---|---|\n";
  for (const debrief_state& s : d.states) {
    std::string name = md_cell(valid_utf8(s.name));
    if (s.in_roster && !*s.in_roster) name += " (no longer in the roster)";
    out += "| " + s.state + " | " + name + " | " + std::to_string(s.amendments()) + " (" +
           std::to_string(s.replace) + "/" + std::to_string(s.insert) + "/" +
           std::to_string(s.remove) + "/" + std::to_string(s.move) + "/" +
           std::to_string(s.bracket) + "/" + std::to_string(s.resolve) + ") | " +
           std::to_string(s.tabled) + "/" + std::to_string(s.adopted) + "/" +
           std::to_string(s.rejected) + "/" + std::to_string(s.withdrawn) + "/" +
           std::to_string(s.could_not_apply) + "/" + std::to_string(s.pending) + " | " +
           std::to_string(s.supports) + " | " + std::to_string(s.votes_yes) + "/" +
           std::to_string(s.votes_no) + "/" + std::to_string(s.votes_abstain) + " | " +
           (s.votes_decided > 0
                ? std::to_string(s.votes_matched) + " of " + std::to_string(s.votes_decided)
                : std::string("–")) +
           " | " + std::to_string(s.clauses_touched) + " | " + std::to_string(s.words) + " | " +
           percent(s.words, d.words) + "% |\n";
  }
  out +=
      "\n## Who wrote each clause\n\n| Clause | Words | As tabled | By state "
      "|\n|---|---|---|---|\n";
  for (const auto& c : d.clauses) {
    std::string by;
    for (const auto& s : c.by_state) {
      if (!by.empty()) by += ", ";
      by += s.state + " " + std::to_string(s.words);
    }
    out += "| " + clause_name(c) + (c.removed ? " (removed)" : "") + " | " +
           std::to_string(c.words) + " | " + std::to_string(c.tabled_words) + " | " +
           (by.empty() ? "–" : by) + " |\n";
  }
  out +=
      "\n## The journey of the text\n\n| Point | Commit | Time | Words | As tabled | By state |\n"
      "|---|---|---|---|---|---|\n";
  for (const auto& cp : d.journey) {
    std::string by;
    for (const auto& s : cp.by_state) {
      if (!by.empty()) by += ", ";
      by += s.state + " " + std::to_string(s.words);
    }
    out += "| " + (cp.name.empty() ? std::string("current") : md_cell(cp.name)) + " | " +
           cp.commit.substr(0, 7) + " | " + detail::utc_minute(cp.at) + " | " +
           std::to_string(cp.words) + " | " + std::to_string(cp.tabled_words) + " | " +
           (by.empty() ? "–" : by) + " |\n";
  }
  return out;
}

std::string render_debrief(const debrief& d, std::string_view slug, debrief_format f) {
  switch (f) {
    case debrief_format::json:
      return debrief_json(d, slug);
    case debrief_format::csv:
      return debrief_csv(d);
    case debrief_format::markdown:
      return debrief_markdown(d, slug);
  }
  return {};
}

}  // namespace plenary::exports
