// Parsing and validation of what clients send (protocol.md, "Client to server").
#include <rapidjson/document.h>

#include "protocol/json_reader.hpp"
#include "protocol/messages.hpp"
#include "protocol/text_rules.hpp"

namespace plenary::protocol {
namespace {

using detail::label_style;
using detail::named;
using detail::object_reader;

constexpr const char* type_list = "join, amend, history, blame, focus";

constexpr named<amend_op> amend_op_names[] = {{"replace", amend_op::replace},
                                              {"insert", amend_op::insert},
                                              {"delete", amend_op::remove},
                                              {"move", amend_op::move}};

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

amend_msg parse_amend(object_reader& r) {
  amend_msg m;
  const auto op = r.choice<amend_op>("op", amend_op_names);
  if (!op) return m;
  m.op = *op;
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
