// Private to protocol: safe parsing of hostile JSON and reading of an object's fields with
// one precise error. RapidJSON types appear only here and in protocol's .cpp files.
// Thread safety: a reader is used by one thread; the functions are pure.
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/messages.hpp"

namespace plenary::protocol::detail {

// Parses `text` into `doc`. The whole input must be valid UTF-8 without raw NUL bytes;
// parsing is iterative (no recursion) and refused past max_json_depth levels of arrays and
// objects, so hostile nesting costs nothing. Returns "" on success, otherwise a predicate:
// "is not valid JSON: missing a name for object member (at offset 1)",
// "is not valid UTF-8 (at offset 5)", "is nested deeper than 16 levels".
std::string parse_json(std::string_view text, rapidjson::Document& doc);

// "null", "a boolean", "a number", "a string", "an array", "an object".
const char* json_type_name(const rapidjson::Value& value) noexcept;

// How fields are named in errors: "`text` is empty." for messages, "clauses[3].text is
// empty" (no backticks, no full stop) for the draft file.
enum class label_style { message, path };
// Joins a field's label and a predicate into the error.
std::string compose(label_style style, std::string_view label, std::string_view predicate);

// A rule for a string: the noun used when the JSON type is wrong ("a clause id") and a
// check of the (valid UTF-8) value returning "" or a predicate ("is empty").
struct string_rule {
  const char* noun;
  std::string (*check)(std::string_view value);
};

// Reads `value` as a string under `rule`. Returns "" and sets `out`, or the predicate of the
// problem. `null_allowed` only changes the wording of a type error ("... or null, not ...").
std::string read_string_value(const rapidjson::Value& value, const string_rule& rule,
                              bool null_allowed, std::string& out);

// One allowed value of a string field that names an enumerator.
template <class E>
struct named {
  const char* name;
  E value;
};

// Reads the fields of one JSON object, keeping the first problem. Once a read has failed,
// every later read does nothing and returns an empty value, so a parser can read all its
// fields in order and check ok() once. A field that appears twice is an error, so that no
// two readers of the same JSON can disagree about its value.
class object_reader {
 public:
  // `path` prefixes field names in path style ("clauses[3]"); a value that is not an object
  // is an error naming `path`.
  object_reader(const rapidjson::Value& object, label_style style, std::string path = {});

  bool ok() const noexcept { return error_.empty(); }
  const std::string& error() const noexcept { return error_; }

  // The member `name`, or nullptr when it is absent (or after a failure).
  const rapidjson::Value* find(const char* name);
  // A required string: "" after a failure.
  std::string required(const char* name, const string_rule& rule);
  // A string that may be absent or null (nullopt then).
  std::optional<std::string> optional(const char* name, const string_rule& rule);
  // A string that must be present but may be null (nullopt then).
  std::optional<std::string> nullable(const char* name, const string_rule& rule);
  // A required string naming one of `options`.
  template <class E>
  std::optional<E> choice(const char* name, std::span<const named<E>> options);
  // A required integer from `min` (>= 0) to `max`; `noun` names it in errors ("a proposal
  // number"). nullopt when absent or after a failure.
  std::optional<std::int64_t> integer(const char* name, const char* noun, std::int64_t min,
                                      std::int64_t max);
  // An array: required or (when `required` is false) absent or null. nullptr when absent or
  // after a failure; `non_empty` makes an empty array an error.
  const rapidjson::Value* array(const char* name, bool required, bool non_empty);

  // Records `predicate` about field `name` (the first failure wins).
  void fail(std::string_view name, std::string_view predicate);
  // The label of field `name`: "`text`" or "clauses[3].text".
  std::string label(std::string_view name) const;

 private:
  std::optional<std::size_t> choice_index(const char* name, std::span<const char* const> names);
  std::optional<std::string> read(const char* name, const string_rule& rule, bool required,
                                  bool null_allowed);

  const rapidjson::Value* object_ = nullptr;
  label_style style_;
  std::string path_;
  std::string error_;
};

template <class E>
std::optional<E> object_reader::choice(const char* name, std::span<const named<E>> options) {
  std::vector<const char*> names;
  names.reserve(options.size());
  for (const named<E>& option : options) names.push_back(option.name);
  const auto index = choice_index(name, names);
  if (!index) return std::nullopt;
  return options[*index].value;
}

// ---- rules shared by messages and the draft file ---------------------------------------
extern const string_rule any_string_rule;   // any string
extern const string_rule clause_id_rule;    // ^[a-z0-9-]{1,32}$
extern const string_rule commit_id_rule;    // 40 lower-case hex digits
extern const string_rule slug_rule;         // ^[a-z0-9][a-z0-9-]{0,62}$
extern const string_rule clause_text_rule;  // <= 16,384 bytes, no controls but \n \t, not blank
extern const string_rule note_rule;         // <= 2,048 bytes, no controls but \n \t
extern const string_rule join_code_rule;    // 1 to 128 bytes

extern const named<clause_kind> clause_kind_names[3];  // heading, preamble, operative

}  // namespace plenary::protocol::detail
