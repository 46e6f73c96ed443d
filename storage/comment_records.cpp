// The threads of comments as threads/<n>.json holds them, the names of their kinds, and the book
// of every thread read from the tip of the branch `comments` (storage/comment_store.hpp has the
// layout; storage/git/side_branch.hpp how the branch is read and written).
#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "storage/comment_store.hpp"
#include "storage/git/side_branch.hpp"
#include "storage/text.hpp"

namespace plenary::storage {
namespace {

error invalid(std::string m) { return make_error(error_kind::invalid, std::move(m)); }

// ---- threads as JSON ---------------------------------------------------------------------------

using json_writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;
void put(json_writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}
void put_actor(json_writer& w, const actor& a) {
  w.StartObject();
  w.Key("state");
  put(w, a.state);
  w.Key("name");
  put(w, a.name);
  w.EndObject();
}

using json_value = rapidjson::Value;
std::optional<std::string> string_of(const json_value& o, const char* name) {
  auto it = o.FindMember(name);
  if (it == o.MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string(it->value.GetString(), it->value.GetStringLength());
}
std::optional<std::int64_t> integer_of(const json_value& o, const char* name) {
  auto it = o.FindMember(name);
  if (it == o.MemberEnd() || !it->value.IsInt64() || it->value.GetInt64() < 0) return std::nullopt;
  return it->value.GetInt64();
}
std::optional<actor> actor_of(const json_value& o, const char* name) {
  auto it = o.FindMember(name);
  if (it == o.MemberEnd() || !it->value.IsObject()) return std::nullopt;
  auto state = string_of(it->value, "state");
  auto who = string_of(it->value, "name");
  if (!state || !who || !is_valid_state_code(*state)) return std::nullopt;
  return actor{*state, *who};
}

}  // namespace

const char* to_string(anchor_kind k) noexcept {
  switch (k) {
    case anchor_kind::span:
      return "span";
    case anchor_kind::proposal:
      return "proposal";
    default:
      return "clause";
  }
}

const char* to_string(anchor_state s) noexcept {
  switch (s) {
    case anchor_state::changed:
      return "changed";
    case anchor_state::words_gone:
      return "words_gone";
    case anchor_state::clause_deleted:
      return "deleted";
    default:
      return "exact";
  }
}

const char* to_string(comment_act a) noexcept {
  switch (a) {
    case comment_act::reply:
      return "reply";
    case comment_act::resolve:
      return "resolve";
    case comment_act::reopen:
      return "reopen";
    default:
      return "comment";
  }
}

std::string write_thread(const comment_thread& t) {
  rapidjson::StringBuffer buffer;
  json_writer w(buffer);
  w.SetIndent(' ', 2);
  w.SetFormatOptions(rapidjson::kFormatSingleLineArray);
  w.StartObject();
  w.Key("n");
  w.Int(t.n);
  w.Key("anchor");
  w.StartObject();
  w.Key("kind");
  put(w, to_string(t.anchor.kind));
  w.Key("clause");
  put(w, t.anchor.clause);
  if (t.anchor.kind == anchor_kind::proposal) {
    w.Key("proposal");
    w.Int(t.anchor.proposal);
  }
  if (t.anchor.kind == anchor_kind::span) {
    w.Key("rev");
    put(w, t.anchor.rev);
    w.Key("start");
    w.Uint64(t.anchor.start);
    w.Key("end");
    w.Uint64(t.anchor.end);
    w.Key("quote");
    put(w, t.anchor.quote);
  }
  w.EndObject();
  w.Key("status");
  put(w, t.resolved ? "resolved" : "open");
  if (t.resolved && t.resolved_by) {
    w.Key("resolved_by");
    put_actor(w, *t.resolved_by);
    w.Key("resolved_at");
    w.Int64(t.resolved_at);
  }
  w.Key("comments");
  w.StartArray();
  for (const comment_entry& c : t.comments) {
    w.StartObject();
    w.Key("by");
    put_actor(w, c.by);
    w.Key("at");
    w.Int64(c.at);
    w.Key("text");
    put(w, c.text);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

result<comment_thread> parse_thread(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) return invalid("not a JSON object");
  comment_thread t;
  auto n = integer_of(doc, "n");
  if (!n || *n < 1 || *n > INT32_MAX) return invalid("\"n\" is not a positive integer");
  t.n = static_cast<int>(*n);
  auto a = doc.FindMember("anchor");
  if (a == doc.MemberEnd() || !a->value.IsObject()) return invalid("\"anchor\" is missing");
  const json_value& av = a->value;
  auto kind = string_of(av, "kind");
  auto clause_id = string_of(av, "clause");
  if (!kind || !clause_id) return invalid("the anchor has no kind or clause");
  t.anchor.clause = *clause_id;
  if (*kind == "clause") {
    t.anchor.kind = anchor_kind::clause;
  } else if (*kind == "proposal") {
    t.anchor.kind = anchor_kind::proposal;
    auto p = integer_of(av, "proposal");
    if (!p || *p < 1 || *p > INT32_MAX) return invalid("the anchor's proposal is not a number");
    t.anchor.proposal = static_cast<int>(*p);
  } else if (*kind == "span") {
    t.anchor.kind = anchor_kind::span;
    auto rev = string_of(av, "rev");
    auto start = integer_of(av, "start");
    auto end = integer_of(av, "end");
    auto quote = string_of(av, "quote");
    if (!rev || !start || !end || !quote || *start >= *end) return invalid("the span is damaged");
    t.anchor.rev = *rev;
    t.anchor.start = static_cast<std::size_t>(*start);
    t.anchor.end = static_cast<std::size_t>(*end);
    t.anchor.quote = *quote;
  } else {
    return invalid("the anchor's kind is unknown");
  }
  auto st = string_of(doc, "status");
  if (!st || (*st != "open" && *st != "resolved")) return invalid("\"status\" is unknown");
  t.resolved = *st == "resolved";
  if (t.resolved) {
    t.resolved_by = actor_of(doc, "resolved_by");
    t.resolved_at = integer_of(doc, "resolved_at").value_or(0);
  }
  auto cs = doc.FindMember("comments");
  if (cs == doc.MemberEnd() || !cs->value.IsArray() || cs->value.Empty()) {
    return invalid("\"comments\" is not a list of comments");
  }
  for (const json_value& c : cs->value.GetArray()) {
    if (!c.IsObject()) return invalid("a comment is not an object");
    auto by = actor_of(c, "by");
    auto at = integer_of(c, "at");
    auto text = string_of(c, "text");
    if (!by || !at || !text) return invalid("a comment lacks its author, time or text");
    t.comments.push_back({*by, *at, *text});
  }
  return t;
}

result<comment_book> load_comments(const repo& r) {
  auto read =
      read_side_records<comment_thread>(r, comments_ref, "comments", "threads", parse_thread);
  if (!read) return std::move(read).err();
  return comment_book{std::move(read->records), read->tip.commit, read->tip.tree};
}

}  // namespace plenary::storage
