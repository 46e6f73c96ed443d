// Helpers shared by the protocol tests: read back the JSON the protocol writes, with
// RapidJSON configured as the protocol library configures it.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>
#include <string_view>

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

}  // namespace plenary::protocol::testing
