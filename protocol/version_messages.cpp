// HTTP bodies of procedure.md, "Versions": the list of a draft's versions and the comparison
// of two of them. Field names are the contract's; `by` on a version is plenary's
// (docs/extensions.md).
#include "protocol/json_writer.hpp"
#include "protocol/messages.hpp"

namespace plenary::protocol {
namespace {

using detail::json_writer;

void write_optional_number(json_writer& w, const std::optional<int>& n) {
  if (n) {
    w.integer(*n);
  } else {
    w.null();
  }
}

// A word diff: [{"op": "=" | "+" | "-", "text"}...], as in a history entry.
void write_diff(json_writer& w, const std::vector<diff_piece>& diff) {
  w.begin_array();
  for (const diff_piece& piece : diff) {
    w.begin_object();
    w.key("op").string(std::string_view(&piece.op, 1));
    w.key("text").string(piece.text);
    w.end_object();
  }
  w.end_array();
}

void write_version(json_writer& w, const version_view& v) {
  w.begin_object();
  w.key("name").string(v.name);
  w.key("commit").string(v.commit);
  w.key("at").string(format_time(v.at));
  w.key("note").string_or_null(v.note);
  w.key("by");
  if (v.by) {
    w.begin_object();
    w.key("state").string(v.by->state);
    w.key("name").string(v.by->name);
    w.end_object();
  } else {
    w.null();
  }
  w.end_object();
}

void write_compared_clause(json_writer& w, const compared_clause_view& c) {
  w.begin_object();
  w.key("id").string(c.id);
  w.key("change").string(c.change);
  w.key("number_from");
  write_optional_number(w, c.kind == clause_kind::operative ? c.number_from : std::nullopt);
  w.key("number_to");
  write_optional_number(w, c.kind == clause_kind::operative ? c.number_to : std::nullopt);
  w.key("kind").string(to_string(c.kind));
  w.key("diff");
  write_diff(w, c.diff);
  if (c.whole) w.key("whole").boolean(true);
  w.end_object();
}

}  // namespace

std::string versions_json(const std::vector<version_view>& versions) {
  json_writer w;
  w.begin_object();
  w.key("versions").begin_array();
  for (const version_view& v : versions) write_version(w, v);
  w.end_array();
  w.end_object();
  return w.take();
}

std::string compare_json(std::string_view from, std::string_view to,
                         const std::vector<compared_clause_view>& clauses) {
  json_writer w;
  w.begin_object();
  w.key("from").string(from);
  w.key("to").string(to);
  w.key("clauses").begin_array();
  for (const compared_clause_view& c : clauses) write_compared_clause(w, c);
  w.end_array();
  w.end_object();
  return w.take();
}

}  // namespace plenary::protocol
