#include "storage/draft_json.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <set>

#include "storage/text.hpp"

namespace plenary::storage::draft_json {
namespace {

// A JSON string literal, quotes included.
std::string quoted(std::string_view s) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  return std::string(buffer.GetString(), buffer.GetSize());
}

error corrupt(std::string what) {
  return make_error(error_kind::io, "draft.json is damaged: " + std::move(what) + ".");
}

}  // namespace

namespace {

std::string write_with(std::string_view title, const std::string& procedure,
                       const std::vector<clause>& clauses) {
  std::string out = "{\n  \"title\": " + quoted(title) + ",\n" + procedure + "  \"clauses\": [";
  for (std::size_t i = 0; i < clauses.size(); ++i) {
    out += i == 0 ? "\n    " : ",\n    ";
    out += "{\"id\": " + quoted(clauses[i].id) +
           ", \"kind\": " + quoted(to_string(clauses[i].kind)) + "}";
  }
  out += clauses.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

}  // namespace

std::string write(std::string_view title, const std::vector<clause>& clauses) {
  return write_with(title, {}, clauses);
}

std::string write(std::string_view title, draft_stage stage,
                  const std::vector<std::string>& sponsors, const std::vector<clause>& clauses) {
  std::string procedure = "  \"stage\": " + quoted(to_string(stage)) + ",\n  \"sponsors\": [";
  for (std::size_t i = 0; i < sponsors.size(); ++i) {
    if (i > 0) procedure += ", ";
    procedure += quoted(sponsors[i]);
  }
  procedure += "],\n";
  return write_with(title, procedure, clauses);
}

result<layout> parse(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
  if (doc.HasParseError()) {
    return corrupt(std::string("it is not JSON (") +
                   rapidjson::GetParseError_En(doc.GetParseError()) + " at byte " +
                   std::to_string(doc.GetErrorOffset()) + ")");
  }
  if (!doc.IsObject()) return corrupt("it is not a JSON object");
  auto title = doc.FindMember("title");
  if (title == doc.MemberEnd() || !title->value.IsString()) return corrupt("no \"title\" string");
  auto list = doc.FindMember("clauses");
  if (list == doc.MemberEnd() || !list->value.IsArray()) return corrupt("no \"clauses\" list");
  layout out;
  out.title.assign(title->value.GetString(), title->value.GetStringLength());
  if (auto stage = doc.FindMember("stage"); stage != doc.MemberEnd()) {
    if (!stage->value.IsString()) return corrupt("\"stage\" is not a string");
    const auto parsed = parse_stage({stage->value.GetString(), stage->value.GetStringLength()});
    if (!parsed) return corrupt("\"stage\" is not working, formal or adopted");
    out.stage = *parsed;
  }
  if (auto sponsors = doc.FindMember("sponsors"); sponsors != doc.MemberEnd()) {
    if (!sponsors->value.IsArray()) return corrupt("\"sponsors\" is not a list");
    std::set<std::string, std::less<>> codes;
    for (const auto& code : sponsors->value.GetArray()) {
      if (!code.IsString()) return corrupt("a sponsor is not a string");
      std::string s(code.GetString(), code.GetStringLength());
      if (!is_valid_state_code(s)) return corrupt("a sponsor is not a state code");
      if (!codes.insert(s).second) return corrupt("sponsor " + s + " is listed twice");
      out.sponsors.push_back(std::move(s));
    }
  }
  std::set<std::string, std::less<>> seen;
  for (const auto& item : list->value.GetArray()) {
    if (!item.IsObject()) return corrupt("a clause is not an object");
    auto id = item.FindMember("id");
    auto kind = item.FindMember("kind");
    if (id == item.MemberEnd() || !id->value.IsString() || kind == item.MemberEnd() ||
        !kind->value.IsString()) {
      return corrupt("a clause lacks an \"id\" or a \"kind\" string");
    }
    entry e;
    e.id.assign(id->value.GetString(), id->value.GetStringLength());
    if (!is_valid_clause_id(e.id)) return corrupt("a clause has an invalid id");
    const auto parsed_kind =
        parse_clause_kind({kind->value.GetString(), kind->value.GetStringLength()});
    if (!parsed_kind) return corrupt("clause " + e.id + " has an unknown kind");
    e.kind = *parsed_kind;
    if (!seen.insert(e.id).second) return corrupt("clause " + e.id + " is listed twice");
    out.clauses.push_back(std::move(e));
  }
  return out;
}

}  // namespace plenary::storage::draft_json
