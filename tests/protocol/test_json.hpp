// Helpers shared by the protocol tests: read back the JSON the protocol writes, with
// RapidJSON configured as the protocol library configures it, and take a parsed message apart.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <variant>

#include "protocol/messages.hpp"

namespace plenary::protocol::testing {

// Parses `json` (which must be valid) into a document.
inline rapidjson::Document read_json(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
  EXPECT_FALSE(doc.HasParseError()) << "not JSON: " << json;
  return doc;
}

// A string member, length-aware (keeps NUL bytes); "<missing>" / "<not a string>" otherwise.
inline std::string str(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return "<not an object>";
  const auto it = object.FindMember(name);
  if (it == object.MemberEnd()) return "<missing>";
  if (!it->value.IsString()) return "<not a string>";
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

// The member `name`, failing the test when it is absent.
inline const rapidjson::Value& member(const rapidjson::Value& object, const char* name) {
  static const rapidjson::Value missing;
  if (!object.IsObject() || !object.HasMember(name)) {
    ADD_FAILURE() << "missing member " << name;
    return missing;
  }
  return object[name];
}

// The message of type M that `r` parsed to (a copy: `r` is often a temporary), or M{} after
// failing the test when `r` is a refusal or another type.
template <class M>
M message_of(const parse_result& r) {
  const auto* parsed = std::get_if<parsed_message>(&r);
  if (parsed == nullptr) {
    ADD_FAILURE() << "refused: " << std::get<parse_failure>(r).message;
    return M{};
  }
  const M* m = std::get_if<M>(&parsed->message);
  if (m == nullptr) {
    ADD_FAILURE() << "parsed as another message type";
    return M{};
  }
  return *m;
}

}  // namespace plenary::protocol::testing
