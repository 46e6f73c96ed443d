// Fuzz target: arbitrary bytes as a client's WebSocket frame (parse_client_message) and as a
// draft file (parse_draft_file). Besides not crashing, not leaking and no undefined
// behaviour, each result must keep the contract:
//   - a parsed message's fields obey their rules (ids, commit ids, texts, notes, lengths);
//   - a refusal has a message, valid UTF-8, and the `error` frame built from it is valid
//     JSON that gives back the same code, message and id;
//   - a draft file is either parsed (and then every field obeys its rule) or refused with
//     one line saying why.
#include <rapidjson/document.h>

#include <set>
#include <variant>

#include "fuzz_common.hpp"
#include "protocol/messages.hpp"

namespace proto = plenary::protocol;
using namespace plenary::fuzz;

namespace {

void check_id(const proto::message_id& id) {
  if (const auto* s = std::get_if<std::string>(&id)) {
    FUZZ_CHECK(utf8_ok(*s), "string id not UTF-8");
    std::size_t chars = 0;
    for (unsigned char c : *s) chars += (c & 0xC0) != 0x80;
    FUZZ_CHECK(chars <= 64, "string id of %zu characters", chars);
  }
}

void check_message(const proto::client_message& m) {
  if (const auto* j = std::get_if<proto::join_msg>(&m)) {
    FUZZ_CHECK(!j->code.empty() && j->code.size() <= proto::max_code_bytes, "join code size %zu",
               j->code.size());
    if (j->draft) FUZZ_CHECK(slug_ok(*j->draft), "draft `%s`", j->draft->c_str());
  } else if (const auto* a = std::get_if<proto::amend_msg>(&m)) {
    FUZZ_CHECK(note_ok(a->note), "note breaks the rules");
    switch (a->op) {
      case proto::amend_op::replace:
        FUZZ_CHECK(clause_id_ok(a->clause) && commit_id_ok(a->base), "replace ids");
        FUZZ_CHECK(clause_text_ok(a->text), "replace text breaks the rules");
        break;
      case proto::amend_op::insert:
        if (a->after) FUZZ_CHECK(clause_id_ok(*a->after), "insert after");
        FUZZ_CHECK(clause_text_ok(a->text), "insert text breaks the rules");
        break;
      case proto::amend_op::remove:
        FUZZ_CHECK(clause_id_ok(a->clause) && commit_id_ok(a->base), "delete ids");
        break;
      case proto::amend_op::move:
        FUZZ_CHECK(clause_id_ok(a->clause), "move clause");
        if (a->after) FUZZ_CHECK(clause_id_ok(*a->after) && *a->after != a->clause, "move after");
        break;
    }
  } else if (const auto* h = std::get_if<proto::history_msg>(&m)) {
    FUZZ_CHECK(clause_id_ok(h->clause), "history clause");
  } else if (const auto* b = std::get_if<proto::blame_msg>(&m)) {
    FUZZ_CHECK(clause_id_ok(b->clause), "blame clause");
  } else if (const auto* f = std::get_if<proto::focus_msg>(&m)) {
    if (f->clause) FUZZ_CHECK(clause_id_ok(*f->clause), "focus clause");
  } else if (const auto* br = std::get_if<proto::bracket_msg>(&m)) {
    FUZZ_CHECK(clause_id_ok(br->clause) && commit_id_ok(br->base), "bracket ids");
    FUZZ_CHECK(0 <= br->start && br->start < br->end &&
                   br->end <= static_cast<std::int64_t>(proto::max_text_bytes),
               "bracket span [%lld, %lld)", static_cast<long long>(br->start),
               static_cast<long long>(br->end));
    FUZZ_CHECK(utf8_ok(br->text) && br->text.size() <= proto::max_text_bytes, "bracket text");
    FUZZ_CHECK(note_ok(br->note), "bracket note");
  } else if (const auto* r = std::get_if<proto::resolve_msg>(&m)) {
    FUZZ_CHECK(clause_id_ok(r->clause), "resolve clause");
    FUZZ_CHECK(r->bracket >= 0 && r->choose >= 0, "resolve indexes");
    FUZZ_CHECK(note_ok(r->note), "resolve note");
  } else if (const auto* p = std::get_if<proto::propose_msg>(&m)) {
    if (p->resolve) FUZZ_CHECK(clause_id_ok(p->resolve->clause), "propose resolve clause");
  } else if (const auto* v = std::get_if<proto::vote_msg>(&m)) {
    FUZZ_CHECK(v->proposal >= 1, "vote on proposal %d", v->proposal);
  } else if (const auto* t = std::get_if<proto::tag_msg>(&m)) {
    FUZZ_CHECK(!t->name.empty() && t->name.size() <= 32, "tag name `%s`", t->name.c_str());
  }
}

// The error frame the server would send for a refusal parses back to the same values.
void check_error_frame(const proto::parse_failure& f) {
  FUZZ_CHECK(!f.message.empty(), "empty error message");
  FUZZ_CHECK(utf8_ok(f.message), "error message not UTF-8");
  check_id(f.id);
  const std::string frame = proto::error(f.id, f.code, f.message);
  rapidjson::Document d;
  d.Parse(frame.data(), frame.size());
  FUZZ_CHECK(!d.HasParseError() && d.IsObject(), "error frame is not a JSON object: %s",
             frame.c_str());
  FUZZ_CHECK(
      d.HasMember("type") && d["type"].IsString() && std::string(d["type"].GetString()) == "error",
      "error frame type");
  FUZZ_CHECK(d.HasMember("code") && d["code"].IsString() &&
                 std::string(d["code"].GetString()) == proto::to_string(f.code),
             "error frame code");
  FUZZ_CHECK(
      d.HasMember("message") && d["message"].IsString() &&
          std::string_view(d["message"].GetString(), d["message"].GetStringLength()) == f.message,
      "error frame message does not round-trip");
  if (const auto* n = std::get_if<std::int64_t>(&f.id)) {
    FUZZ_CHECK(d.HasMember("id") && d["id"].IsInt64() && d["id"].GetInt64() == *n,
               "numeric id lost");
  } else if (const auto* s = std::get_if<std::string>(&f.id)) {
    FUZZ_CHECK(d.HasMember("id") && d["id"].IsString() &&
                   std::string_view(d["id"].GetString(), d["id"].GetStringLength()) == *s,
               "string id lost");
  } else {
    FUZZ_CHECK(!d.HasMember("id"), "an id appeared");
  }
}

void check_draft_file(const proto::draft_file_result& r) {
  FUZZ_CHECK(r.file.has_value() != !r.error.empty(), "a draft file is parsed or refused, not both");
  if (!r.file) {
    FUZZ_CHECK(r.error.find('\n') == std::string::npos, "the refusal is more than one line");
    FUZZ_CHECK(utf8_ok(r.error), "the refusal is not UTF-8");
    return;
  }
  const proto::draft_file& f = *r.file;
  if (f.slug) FUZZ_CHECK(slug_ok(*f.slug), "slug `%s`", f.slug->c_str());
  FUZZ_CHECK(title_ok(f.title), "title breaks the rules");
  FUZZ_CHECK(!f.clauses.empty(), "no clauses");
  for (const auto& c : f.clauses)
    FUZZ_CHECK(clause_text_ok(c.text), "clause text breaks the rules");
  FUZZ_CHECK(!f.delegations.empty(), "no delegations");
  std::set<std::string> codes;
  for (const auto& d : f.delegations) {
    FUZZ_CHECK(state_ok(d.state) && d.state != "CHAIR" && d.state != "TABLED",
               "delegation code `%s`", d.state.c_str());
    FUZZ_CHECK(title_ok(d.name), "delegation name breaks the rules");
    FUZZ_CHECK(codes.insert(d.state).second, "delegation %s twice", d.state.c_str());
  }
  for (const auto& s : f.sponsors)
    FUZZ_CHECK(codes.contains(s), "sponsor %s not on the roster", s.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto parsed = proto::parse_client_message(input);
  if (auto* m = std::get_if<proto::parsed_message>(&parsed)) {
    FUZZ_CHECK(utf8_ok(input), "a frame that is not UTF-8 was accepted");
    check_id(m->id);
    check_message(m->message);
  } else {
    check_error_frame(std::get<proto::parse_failure>(parsed));
  }
  check_draft_file(proto::parse_draft_file(input));
  return 0;
}
