// The file given to `plenary draft create --from` (protocol.md, "Command line"): parsed and
// checked field by field, each problem reported as one line naming its place.
#include <rapidjson/document.h>

#include <map>
#include <set>

#include "protocol/json_reader.hpp"
#include "protocol/messages.hpp"
#include "protocol/text_rules.hpp"

namespace plenary::protocol {
namespace {

using detail::label_style;
using detail::object_reader;

constexpr std::size_t max_title_bytes = 512;
constexpr std::size_t max_delegation_name_bytes = 200;
constexpr std::string_view chair_code = "CHAIR";

std::string check_title(std::string_view s) {
  return detail::check_text(s, {.max_bytes = max_title_bytes});
}

// A delegation's name becomes the author name of its commits, where git forbids < and >.
std::string check_delegation_name(std::string_view s) {
  if (s.find_first_of("<>") != std::string_view::npos) {
    return "must not contain < or > (git author names cannot)";
  }
  return detail::check_text(s, {.max_bytes = max_delegation_name_bytes});
}

std::string check_state_code(std::string_view s) {
  if (!detail::is_state_code(s)) return detail::quoted(s) + " must be 2 to 8 of A-Z and 0-9";
  if (s == chair_code) return detail::quoted(s) + " is reserved for the chair";
  return {};
}

const detail::string_rule title_rule{"a string", check_title};
const detail::string_rule delegation_name_rule{"a string", check_delegation_name};
const detail::string_rule state_code_rule{"a string", check_state_code};

std::string element(std::string_view array, std::size_t index) {
  return std::string(array) + "[" + std::to_string(index) + "]";
}

// Reads `clauses`: a non-empty array of {kind, text}. Returns "" or the error.
std::string read_clauses(object_reader& root, draft_file& file) {
  const rapidjson::Value* clauses = root.array("clauses", /*required=*/true, /*non_empty=*/true);
  if (!root.ok()) return root.error();
  for (rapidjson::SizeType i = 0; i < clauses->Size(); ++i) {
    object_reader r((*clauses)[i], label_style::path, element("clauses", i));
    draft_file::initial_clause c;
    c.kind = r.choice<clause_kind>("kind", detail::clause_kind_names).value_or(c.kind);
    c.text = r.required("text", detail::clause_text_rule);
    if (!r.ok()) return r.error();
    file.clauses.push_back(std::move(c));
  }
  return {};
}

// Reads `delegations`: a non-empty array of {code, name} with unique codes other than CHAIR.
std::string read_delegations(object_reader& root, draft_file& file) {
  const rapidjson::Value* delegations =
      root.array("delegations", /*required=*/true, /*non_empty=*/true);
  if (!root.ok()) return root.error();
  std::map<std::string, std::size_t, std::less<>> first_use;
  for (rapidjson::SizeType i = 0; i < delegations->Size(); ++i) {
    object_reader r((*delegations)[i], label_style::path, element("delegations", i));
    actor delegation;
    delegation.state = r.required("code", state_code_rule);
    delegation.name = r.required("name", delegation_name_rule);
    if (!r.ok()) return r.error();
    const auto [it, inserted] = first_use.emplace(delegation.state, i);
    if (!inserted)
      return r.label("code") + " " + detail::quoted(delegation.state) + " is already used by " +
             element("delegations", it->second);
    file.delegations.push_back(std::move(delegation));
  }
  return {};
}

// Reads the optional `sponsors`: codes of delegations, each at most once.
std::string read_sponsors(object_reader& root, draft_file& file) {
  const rapidjson::Value* sponsors = root.array("sponsors", /*required=*/false, false);
  if (!root.ok()) return root.error();
  if (sponsors == nullptr) return {};
  std::set<std::string, std::less<>> roster;
  for (const actor& d : file.delegations) roster.insert(d.state);
  std::set<std::string, std::less<>> seen;
  for (rapidjson::SizeType i = 0; i < sponsors->Size(); ++i) {
    const std::string label = element("sponsors", i);
    std::string code;
    if (std::string problem =
            detail::read_string_value((*sponsors)[i], detail::any_string_rule, false, code);
        !problem.empty())
      return detail::compose(label_style::path, label, problem);
    if (!roster.contains(code))
      return label + " " + detail::quoted(code) + " is not one of the delegations";
    if (!seen.insert(code).second) return label + " " + detail::quoted(code) + " is listed twice";
    file.sponsors.push_back(std::move(code));
  }
  return {};
}

draft_file_result fail(std::string error) { return {std::nullopt, std::move(error)}; }

}  // namespace

draft_file_result parse_draft_file(std::string_view json) {
  if (json.empty()) return fail("the file is empty");
  rapidjson::Document doc;
  if (std::string problem = detail::parse_json(json, doc); !problem.empty())
    return fail("the file " + problem);
  if (!doc.IsObject())
    return fail(std::string("the file must hold a JSON object, not ") +
                detail::json_type_name(doc));

  draft_file file;
  object_reader root(doc, label_style::path);
  file.slug = root.optional("slug", detail::slug_rule);
  file.title = root.required("title", title_rule);
  if (!root.ok()) return fail(root.error());
  for (auto* read : {read_clauses, read_delegations, read_sponsors}) {
    if (std::string problem = read(root, file); !problem.empty()) return fail(problem);
  }
  return {std::move(file), {}};
}

}  // namespace plenary::protocol
