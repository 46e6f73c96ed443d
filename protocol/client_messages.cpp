// Parsing and validation of what clients send (protocol.md, "Client to server").
#include <rapidjson/document.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "protocol/json_reader.hpp"
#include "protocol/messages.hpp"
#include "protocol/text_rules.hpp"
#include "rules/names.hpp"

namespace plenary::protocol {
namespace {

using detail::label_style;
using detail::named;
using detail::object_reader;

constexpr const char* type_list =
    "join, amend, history, blame, focus, stage, sponsors, propose, support, withdraw, open_vote, "
    "vote, close_vote, restart_vote, tag, bracket, resolve, typing, settings";

constexpr named<amend_op> amend_op_names[] = {{"replace", amend_op::replace},
                                              {"insert", amend_op::insert},
                                              {"delete", amend_op::remove},
                                              {"move", amend_op::move}};

// `propose` takes every amend op and `resolve` (procedure.md).
enum class propose_op { replace, insert, remove, move, resolve, bracket };
constexpr named<propose_op> propose_op_names[] = {
    {"replace", propose_op::replace}, {"insert", propose_op::insert},
    {"delete", propose_op::remove},   {"move", propose_op::move},
    {"resolve", propose_op::resolve}, {"bracket", propose_op::bracket}};

constexpr named<stage_name> stage_names[] = {{"working", stage_name::working},
                                             {"formal", stage_name::formal},
                                             {"adopted", stage_name::adopted}};

constexpr named<vote_threshold> threshold_names[] = {
    {"simple", vote_threshold::simple},
    {"two-thirds", vote_threshold::two_thirds},
    {"two-thirds-present", vote_threshold::two_thirds_present}};

constexpr named<vote_choice> choice_names[] = {
    {"yes", vote_choice::yes}, {"no", vote_choice::no}, {"abstain", vote_choice::abstain}};

std::string check_state_code(std::string_view s) {
  if (!detail::is_state_code(s)) return "must be a state code (2 to 8 of A-Z and 0-9)";
  if (s == "CHAIR") return "is the chair's code; the chair sponsors nothing";
  return {};
}
const detail::string_rule state_code_rule{"a state code", check_state_code};

bool is_alnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// ^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$, and nothing git refuses in a tag name.
std::string check_tag_name(std::string_view s) {
  if (s.empty()) return "is empty";
  if (s.size() > 32) return detail::over_limit(s.size(), 32, "characters");
  if (!is_alnum(s.front())) return "must start with a letter or a digit";
  for (char c : s) {
    if (!is_alnum(c) && c != '.' && c != '_' && c != '-')
      return "may hold only letters, digits, `.`, `_` and `-`";
  }
  if (s.find("..") != std::string_view::npos) return "must not contain `..`";
  if (s.back() == '.' || (s.size() >= 5 && s.substr(s.size() - 5) == ".lock"))
    return "must not end with `.` or `.lock`";
  // What git would read as something else first: the one rule both layers apply.
  switch (rules::check_tag_name(s)) {
    case rules::tag_name_verdict::reserved:
      return "is reserved: git would read `" + std::string(s) +
             "` as a branch or a part of the repository; choose another, such as rev.1";
    case rules::tag_name_verdict::commit_id:
      return "is `" + std::string(s) +
             "`, which looks like a commit id (7 or more hex digits) and would hide the commits "
             "it abbreviates; add a letter, such as v" +
             std::string(s);
    default:
      break;
  }
  return {};
}
const detail::string_rule tag_name_rule{"a version name", check_tag_name};

parse_failure failure(message_id id, std::string message,
                      error_code code = error_code::bad_request) {
  return parse_failure{std::move(id), code, std::move(message)};
}

// Reads the optional `id` (nullptr when absent) into `id`. Returns "" when it is absent or
// valid, otherwise the error (and `id` stays empty, so the error carries no id).
std::string read_id(const rapidjson::Value* member, message_id& id) {
  if (member == nullptr) return {};
  const rapidjson::Value& value = *member;
  const std::string rule = "`id` must be an integer or a string of at most " +
                           std::to_string(max_id_string_chars) + " characters";
  if (value.IsInt64()) {
    id = value.GetInt64();
    return {};
  }
  if (value.IsNumber())
    return rule + ", not " +
           (value.IsDouble() ? "a number with a fraction or exponent"
                             : "an integer outside the 64-bit range") +
           ".";
  if (!value.IsString()) return rule + ", not " + detail::json_type_name(value) + ".";
  const std::string_view s(value.GetString(), value.GetStringLength());
  if (!detail::is_valid_utf8(s)) return "`id` is not valid UTF-8.";
  if (const auto chars = detail::count_code_points(s); chars > max_id_string_chars)
    return "`id` " + detail::over_limit(chars, max_id_string_chars, "characters") + ".";
  id = std::string(s);
  return {};
}

join_msg parse_join(object_reader& r) {
  join_msg m;
  m.code = r.required("code", detail::join_code_rule);
  m.draft = r.optional("draft", detail::slug_rule);
  return m;
}

// The fields of an amendment of op `m.op`, as `amend` and `propose` read them.
void read_amend_fields(object_reader& r, amend_msg& m) {
  switch (m.op) {
    case amend_op::replace:
      m.clause = r.required("clause", detail::clause_id_rule);
      m.base = r.required("base", detail::commit_id_rule);
      m.text = r.required("text", detail::clause_text_rule);
      break;
    case amend_op::insert:
      m.after = r.nullable("after", detail::clause_id_rule);
      m.kind = r.choice<clause_kind>("kind", detail::clause_kind_names).value_or(m.kind);
      m.text = r.required("text", detail::clause_text_rule);
      break;
    case amend_op::remove:
      m.clause = r.required("clause", detail::clause_id_rule);
      m.base = r.required("base", detail::commit_id_rule);
      break;
    case amend_op::move:
      m.clause = r.required("clause", detail::clause_id_rule);
      m.after = r.nullable("after", detail::clause_id_rule);
      if (r.ok() && m.after == m.clause)
        r.fail("after", "must not be the clause being moved (`clause`)");
      break;
  }
  m.note = r.optional("note", detail::note_rule).value_or(std::string());
}

amend_msg parse_amend(object_reader& r) {
  amend_msg m;
  const auto op = r.choice<amend_op>("op", amend_op_names);
  if (!op) return m;
  m.op = *op;
  read_amend_fields(r, m);
  return m;
}

// An alternative's wording: empty ("delete this"), or as a clause text.
std::string check_wording(std::string_view s) {
  if (s.empty()) return {};
  return detail::check_text(
      s, {.max_bytes = max_text_bytes, .line_breaks = true, .may_be_blank = false});
}
const detail::string_rule wording_rule{"a string", check_wording};

bracket_msg parse_bracket(object_reader& r) {
  bracket_msg m;
  m.clause = r.required("clause", detail::clause_id_rule);
  m.base = r.required("base", detail::commit_id_rule);
  m.start = r.integer("start", "a byte offset", 0, max_offset).value_or(0);
  m.end = r.integer("end", "a byte offset", 0, max_offset).value_or(0);
  if (r.ok() && m.end <= m.start) r.fail("end", "must be greater than `start` (an empty span)");
  m.text = r.required("text", wording_rule);
  m.note = r.optional("note", detail::note_rule).value_or(std::string());
  return m;
}

resolve_msg parse_resolve(object_reader& r) {
  resolve_msg m;
  m.clause = r.required("clause", detail::clause_id_rule);
  m.bracket = r.integer("bracket", "a bracket index (from 0)", 0, max_offset).value_or(0);
  m.choose = r.integer("choose", "an alternative index (from 0)", 0, max_offset).value_or(0);
  m.note = r.optional("note", detail::note_rule).value_or(std::string());
  return m;
}

propose_msg parse_propose(object_reader& r) {
  propose_msg m;
  const auto op = r.choice<propose_op>("op", propose_op_names);
  if (!op) return m;
  switch (*op) {
    case propose_op::replace:
      m.change.op = amend_op::replace;
      break;
    case propose_op::insert:
      m.change.op = amend_op::insert;
      break;
    case propose_op::remove:
      m.change.op = amend_op::remove;
      break;
    case propose_op::move:
      m.change.op = amend_op::move;
      break;
    case propose_op::resolve:
      m.resolve = parse_resolve(r);
      return m;
    case propose_op::bracket:  // extension (docs/extensions.md): a bracket tabled as a proposal
      m.bracket = parse_bracket(r);
      return m;
  }
  read_amend_fields(r, m.change);
  return m;
}

stage_msg parse_stage(object_reader& r) {
  return stage_msg{r.choice<stage_name>("stage", stage_names).value_or(stage_name::working)};
}

sponsors_msg parse_sponsors(object_reader& r) {
  sponsors_msg m;
  const rapidjson::Value* list = r.array("sponsors", /*required=*/true, /*non_empty=*/false);
  if (list == nullptr) return m;
  if (list->Size() > max_sponsors) {
    r.fail("sponsors", "lists " + detail::with_thousands(list->Size()) + " states; the limit is " +
                           std::to_string(max_sponsors));
    return m;
  }
  std::set<std::string, std::less<>> seen;
  for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
    const std::string field = "sponsors[" + std::to_string(i) + "]";
    std::string code;
    if (std::string problem = detail::read_string_value((*list)[i], state_code_rule, false, code);
        !problem.empty()) {
      r.fail(field, problem);
      return m;
    }
    if (!seen.insert(code).second) {
      r.fail(field, detail::quoted(code) + " is listed twice");
      return m;
    }
    m.sponsors.push_back(std::move(code));
  }
  return m;
}

int read_proposal(object_reader& r) {
  return static_cast<int>(r.integer("proposal", "a proposal number", 1, max_proposal).value_or(0));
}

support_msg parse_support(object_reader& r) { return support_msg{read_proposal(r)}; }
withdraw_msg parse_withdraw(object_reader& r) { return withdraw_msg{read_proposal(r)}; }
close_vote_msg parse_close_vote(object_reader& r) { return close_vote_msg{read_proposal(r)}; }
restart_vote_msg parse_restart_vote(object_reader& r) { return restart_vote_msg{read_proposal(r)}; }

open_vote_msg parse_open_vote(object_reader& r) {
  open_vote_msg m;
  m.proposal = read_proposal(r);
  m.threshold = r.choice<vote_threshold>("threshold", threshold_names).value_or(m.threshold);
  return m;
}

vote_msg parse_vote(object_reader& r) {
  vote_msg m;
  m.proposal = read_proposal(r);
  m.choice = r.choice<vote_choice>("choice", choice_names).value_or(m.choice);
  return m;
}

tag_msg parse_tag(object_reader& r) {
  tag_msg m;
  m.name = r.required("name", tag_name_rule);
  m.note = r.optional("note", detail::note_rule).value_or(std::string());
  return m;
}

history_msg parse_history(object_reader& r) {
  return history_msg{r.required("clause", detail::clause_id_rule)};
}

blame_msg parse_blame(object_reader& r) {
  return blame_msg{r.required("clause", detail::clause_id_rule)};
}

focus_msg parse_focus(object_reader& r) {
  return focus_msg{r.nullable("clause", detail::clause_id_rule)};
}

typing_msg parse_typing(object_reader& r) {
  typing_msg m;
  m.clause = r.required("clause", detail::clause_id_rule);
  m.text = r.nullable("text", detail::clause_text_rule);
  if (!r.ok()) return m;
  if (m.text) {
    m.base = r.required("base", detail::commit_id_rule);
  } else {
    m.base = r.optional("base", detail::commit_id_rule).value_or(std::string());
  }
  return m;
}

settings_msg parse_settings(object_reader& r) {
  settings_msg m;
  const rapidjson::Value* v = r.find("live_wording");
  if (!r.ok()) return m;
  if (v == nullptr) {
    r.fail("live_wording", "is missing");
  } else if (!v->IsBool()) {
    r.fail("live_wording", std::string("must be true or false, not ") + detail::json_type_name(*v));
  } else {
    m.live_wording = v->GetBool();
  }
  return m;
}

// Parses the fields of a message of type `type` into `out`; the reader keeps any problem.
bool parse_body(std::string_view type, object_reader& r, client_message& out) {
  if (type == "join") {
    out = parse_join(r);
  } else if (type == "amend") {
    out = parse_amend(r);
  } else if (type == "history") {
    out = parse_history(r);
  } else if (type == "blame") {
    out = parse_blame(r);
  } else if (type == "focus") {
    out = parse_focus(r);
  } else if (type == "stage") {
    out = parse_stage(r);
  } else if (type == "sponsors") {
    out = parse_sponsors(r);
  } else if (type == "propose") {
    out = parse_propose(r);
  } else if (type == "support") {
    out = parse_support(r);
  } else if (type == "withdraw") {
    out = parse_withdraw(r);
  } else if (type == "open_vote") {
    out = parse_open_vote(r);
  } else if (type == "vote") {
    out = parse_vote(r);
  } else if (type == "close_vote") {
    out = parse_close_vote(r);
  } else if (type == "restart_vote") {
    out = parse_restart_vote(r);
  } else if (type == "tag") {
    out = parse_tag(r);
  } else if (type == "bracket") {
    out = parse_bracket(r);
  } else if (type == "resolve") {
    out = parse_resolve(r);
  } else if (type == "typing") {
    out = parse_typing(r);
  } else if (type == "settings") {
    out = parse_settings(r);
  } else {
    return false;
  }
  return true;
}

}  // namespace

parse_result parse_client_message(std::string_view frame) {
  if (frame.size() > max_frame_bytes)
    return failure({}, "message " + detail::over_limit(frame.size(), max_frame_bytes) + ".",
                   error_code::too_large);
  if (frame.empty()) return failure({}, "message is empty; send a JSON object with a `type`.");

  rapidjson::Document doc;
  if (std::string problem = detail::parse_json(frame, doc); !problem.empty())
    return failure({}, "message " + problem + ".");
  if (!doc.IsObject())
    return failure(
        {}, std::string("message must be a JSON object, not ") + detail::json_type_name(doc) + ".");

  object_reader r(doc, label_style::message);
  const rapidjson::Value* id_member = r.find("id");
  if (!r.ok()) return failure({}, r.error());
  message_id id;
  if (std::string problem = read_id(id_member, id); !problem.empty()) return failure({}, problem);

  if (r.find("type") == nullptr && r.ok())
    return failure(id, std::string("`type` is missing; expected one of ") + type_list + ".");
  const std::string type = r.required("type", detail::any_string_rule);
  if (!r.ok()) return failure(id, r.error());

  client_message message;
  if (!parse_body(type, r, message))
    return failure(id, "unknown message type " + detail::quoted(type) + "; expected one of " +
                           type_list + ".");
  if (!r.ok()) return failure(id, r.error());
  return parsed_message{std::move(id), std::move(message)};
}

}  // namespace plenary::protocol
