// Safe parsing and field reading; see json_reader.hpp.
#include "protocol/json_reader.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <cctype>
#include <cstring>

#include "protocol/messages.hpp"
#include "protocol/text_rules.hpp"

namespace plenary::protocol::detail {
namespace {

using rapidjson::SizeType;

// A SAX handler that builds `doc` and refuses to go deeper than max_json_depth.
class depth_limited_builder {
 public:
  explicit depth_limited_builder(rapidjson::Document& doc) : doc_(doc) {}
  bool too_deep() const { return too_deep_; }

  bool Null() { return doc_.Null(); }
  bool Bool(bool b) { return doc_.Bool(b); }
  bool Int(int i) { return doc_.Int(i); }
  bool Uint(unsigned u) { return doc_.Uint(u); }
  bool Int64(std::int64_t i) { return doc_.Int64(i); }
  bool Uint64(std::uint64_t u) { return doc_.Uint64(u); }
  bool Double(double d) { return doc_.Double(d); }
  bool RawNumber(const char* s, SizeType len, bool copy) { return doc_.RawNumber(s, len, copy); }
  bool String(const char* s, SizeType len, bool copy) { return doc_.String(s, len, copy); }
  bool Key(const char* s, SizeType len, bool copy) { return doc_.Key(s, len, copy); }
  bool StartObject() { return enter() && doc_.StartObject(); }
  bool EndObject(SizeType members) { return leave() && doc_.EndObject(members); }
  bool StartArray() { return enter() && doc_.StartArray(); }
  bool EndArray(SizeType elements) { return leave() && doc_.EndArray(elements); }

 private:
  bool enter() {
    if (++depth_ <= max_json_depth) return true;
    too_deep_ = true;
    return false;
  }
  bool leave() {
    --depth_;
    return true;
  }

  rapidjson::Document& doc_;
  int depth_ = 0;
  bool too_deep_ = false;
};

constexpr unsigned parse_flags =
    rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag;

// RapidJSON's English message as a predicate: "Missing a comma." -> "missing a comma".
std::string describe(rapidjson::ParseErrorCode code) {
  std::string text = rapidjson::GetParseError_En(code);
  if (!text.empty() && text.back() == '.') text.pop_back();
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

std::string at_offset(std::size_t offset) { return " (at offset " + with_thousands(offset) + ")"; }

}  // namespace

std::string parse_json(std::string_view text, rapidjson::Document& doc) {
  // RapidJSON validates UTF-8 only inside strings; check all bytes first for one message.
  if (const auto bad = find_invalid_utf8(text); bad != std::string_view::npos)
    return "is not valid UTF-8" + at_offset(bad);
  // RapidJSON's streams signal the end with NUL, so a raw NUL would hide what follows it.
  if (const void* nul = std::memchr(text.data(), '\0', text.size()); nul != nullptr) {
    const auto offset = static_cast<std::size_t>(static_cast<const char*>(nul) - text.data());
    return "is not valid JSON: it contains a raw NUL byte" + at_offset(offset);
  }
  rapidjson::MemoryStream stream(text.data(), text.size());
  rapidjson::Reader reader;
  depth_limited_builder builder(doc);
  auto generate = [&](rapidjson::Document&) {
    return !reader.Parse<parse_flags>(stream, builder).IsError();
  };
  doc.Populate(generate);
  if (!reader.HasParseError()) return {};
  if (builder.too_deep())
    return "is nested deeper than " + std::to_string(max_json_depth) + " levels" +
           at_offset(reader.GetErrorOffset());
  if (reader.GetParseErrorCode() == rapidjson::kParseErrorStringInvalidEncoding)
    return "is not valid UTF-8" + at_offset(reader.GetErrorOffset());
  return "is not valid JSON: " + describe(reader.GetParseErrorCode()) +
         at_offset(reader.GetErrorOffset());
}

const char* json_type_name(const rapidjson::Value& value) noexcept {
  switch (value.GetType()) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "a boolean";
    case rapidjson::kNumberType:
      return "a number";
    case rapidjson::kStringType:
      return "a string";
    case rapidjson::kArrayType:
      return "an array";
    case rapidjson::kObjectType:
      return "an object";
  }
  return "a value";
}

std::string compose(label_style style, std::string_view label, std::string_view predicate) {
  std::string out;
  out.reserve(label.size() + predicate.size() + 2);
  out.append(label).append(" ").append(predicate);
  if (style == label_style::message) out += '.';
  return out;
}

std::string read_string_value(const rapidjson::Value& value, const string_rule& rule,
                              bool null_allowed, std::string& out) {
  if (!value.IsString())
    return std::string("must be ") + rule.noun + (null_allowed ? " or null" : "") + ", not " +
           json_type_name(value);
  const std::string_view s(value.GetString(), value.GetStringLength());
  // Escapes such as \udc00 decode to ill-formed UTF-8, so decoded strings are checked again.
  if (!is_valid_utf8(s)) return "is not valid UTF-8";
  if (std::string problem = rule.check(s); !problem.empty()) return problem;
  out.assign(s);
  return {};
}

// ---- object_reader ----------------------------------------------------------------------

object_reader::object_reader(const rapidjson::Value& object, label_style style, std::string path)
    : style_(style), path_(std::move(path)) {
  if (object.IsObject()) {
    object_ = &object;
  } else {
    error_ = compose(style_, path_.empty() ? "the document" : path_,
                     std::string("must be an object, not ") + json_type_name(object));
  }
}

std::string object_reader::label(std::string_view name) const {
  if (style_ == label_style::message) return "`" + std::string(name) + "`";
  return path_.empty() ? std::string(name) : path_ + "." + std::string(name);
}

void object_reader::fail(std::string_view name, std::string_view predicate) {
  if (error_.empty()) error_ = compose(style_, label(name), predicate);
}

const rapidjson::Value* object_reader::find(const char* name) {
  if (!ok()) return nullptr;
  const std::size_t name_len = std::strlen(name);
  const rapidjson::Value* found = nullptr;
  for (auto it = object_->MemberBegin(); it != object_->MemberEnd(); ++it) {
    const rapidjson::Value& key = it->name;
    if (key.GetStringLength() != name_len || std::memcmp(key.GetString(), name, name_len) != 0)
      continue;
    if (found != nullptr) {
      fail(name, "appears more than once");
      return nullptr;
    }
    found = &it->value;
  }
  return found;
}

std::optional<std::string> object_reader::read(const char* name, const string_rule& rule,
                                               bool required, bool null_allowed) {
  const rapidjson::Value* value = find(name);
  if (!ok()) return std::nullopt;
  if (value == nullptr) {
    if (required) fail(name, "is missing");
    return std::nullopt;
  }
  if (null_allowed && value->IsNull()) return std::nullopt;
  std::string out;
  if (std::string problem = read_string_value(*value, rule, null_allowed, out); !problem.empty()) {
    fail(name, problem);
    return std::nullopt;
  }
  return out;
}

std::string object_reader::required(const char* name, const string_rule& rule) {
  return read(name, rule, /*required=*/true, /*null_allowed=*/false).value_or(std::string());
}

std::optional<std::string> object_reader::optional(const char* name, const string_rule& rule) {
  return read(name, rule, /*required=*/false, /*null_allowed=*/true);
}

std::optional<std::string> object_reader::nullable(const char* name, const string_rule& rule) {
  return read(name, rule, /*required=*/true, /*null_allowed=*/true);
}

std::optional<std::size_t> object_reader::choice_index(const char* name,
                                                       std::span<const char* const> names) {
  const auto value = read(name, any_string_rule, /*required=*/true, /*null_allowed=*/false);
  if (!value) return std::nullopt;
  std::string expected;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (*value == names[i]) return i;
    expected += (i == 0 ? "" : ", ");
    expected += names[i];
  }
  fail(name, "is " + quoted(*value) + "; expected one of " + expected);
  return std::nullopt;
}

std::optional<std::int64_t> object_reader::integer(const char* name, const char* noun,
                                                   std::int64_t min, std::int64_t max) {
  const rapidjson::Value* value = find(name);
  if (!ok()) return std::nullopt;
  if (value == nullptr) {
    fail(name, "is missing");
    return std::nullopt;
  }
  const std::string range = "an integer from " + with_thousands(static_cast<std::uint64_t>(min)) +
                            " to " + with_thousands(static_cast<std::uint64_t>(max));
  if (!value->IsInt64()) {
    const char* what = !value->IsNumber()  ? json_type_name(*value)
                       : value->IsDouble() ? "a number with a fraction or exponent"
                                           : "an integer outside the 64-bit range";
    fail(name, std::string("must be ") + noun + " (" + range + "), not " + what);
    return std::nullopt;
  }
  const std::int64_t n = value->GetInt64();
  if (n < min || n > max) {
    fail(name, "is " + std::to_string(n) + "; it must be " + range);
    return std::nullopt;
  }
  return n;
}

const rapidjson::Value* object_reader::array(const char* name, bool required, bool non_empty) {
  const rapidjson::Value* value = find(name);
  if (!ok()) return nullptr;
  if (value == nullptr || (!required && value->IsNull())) {
    if (required) fail(name, "is missing");
    return nullptr;
  }
  if (!value->IsArray()) {
    fail(name, std::string("must be an array, not ") + json_type_name(*value));
    return nullptr;
  }
  if (non_empty && value->Empty()) {
    fail(name, "is empty");
    return nullptr;
  }
  return value;
}

// ---- rules ------------------------------------------------------------------------------
namespace {

std::string accept_any(std::string_view) { return {}; }

std::string check_clause_id(std::string_view s) {
  return is_clause_id(s) ? std::string() : "must be a clause id (1 to 32 of a-z, 0-9 and -)";
}

std::string check_commit_id(std::string_view s) {
  return is_commit_id(s) ? std::string() : "must be a commit id (40 lower-case hex digits)";
}

std::string check_slug(std::string_view s) {
  return is_slug(s) ? std::string()
                    : "must be a slug (1 to 63 of a-z, 0-9 and -, not starting with -)";
}

std::string check_clause_text(std::string_view s) {
  return check_text(s, {.max_bytes = max_text_bytes, .line_breaks = true, .may_be_blank = false});
}

std::string check_note(std::string_view s) {
  return check_text(s, {.max_bytes = max_note_bytes, .line_breaks = true, .may_be_blank = true});
}

std::string check_join_code(std::string_view s) {
  if (s.empty()) return "is empty";
  if (s.size() > max_code_bytes) return over_limit(s.size(), max_code_bytes);
  return {};
}

}  // namespace

const string_rule any_string_rule{"a string", accept_any};
const string_rule clause_id_rule{"a clause id", check_clause_id};
const string_rule commit_id_rule{"a commit id", check_commit_id};
const string_rule slug_rule{"a slug", check_slug};
const string_rule clause_text_rule{"a string", check_clause_text};
const string_rule note_rule{"a string", check_note};
const string_rule join_code_rule{"a string", check_join_code};

const named<clause_kind> clause_kind_names[3] = {{"heading", clause_kind::heading},
                                                 {"preamble", clause_kind::preamble},
                                                 {"operative", clause_kind::operative}};

}  // namespace plenary::protocol::detail
