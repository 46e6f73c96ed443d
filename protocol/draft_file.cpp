// The file given to `plenary draft create --from` (protocol.md, "Command line"): parsed and
// checked field by field, each problem reported as one line naming its place.
#include <rapidjson/document.h>

#include <map>
#include <set>
#include <tuple>

#include "protocol/json_reader.hpp"
#include "protocol/messages.hpp"
#include "protocol/splitter.hpp"
#include "protocol/text_rules.hpp"

namespace plenary::protocol {
namespace {

using detail::label_style;
using detail::object_reader;

constexpr std::size_t max_title_bytes = 512;
constexpr std::size_t max_delegation_name_bytes = 200;
constexpr std::string_view chair_code = "CHAIR";
// The proponent of the text as tabled in the bracket notation (storage::tabled_state).
constexpr std::string_view tabled_code = "TABLED";

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
  if (s == tabled_code)
    return detail::quoted(s) + " is reserved for the text as tabled in brackets";
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
  if (clauses->Size() > max_draft_clauses)
    return "clauses has " + detail::with_thousands(clauses->Size()) +
           " entries; a draft holds at most " + detail::with_thousands(max_draft_clauses);
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
  if (delegations->Size() > max_roster)
    return "delegations has " + detail::with_thousands(delegations->Size()) +
           " entries; a roster holds at most " + detail::with_thousands(max_roster);
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
  if (sponsors->Size() > max_sponsors)
    return "sponsors has " + detail::with_thousands(sponsors->Size()) + " entries; the limit is " +
           detail::with_thousands(max_sponsors);
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

// ---- the text form ------------------------------------------------------------------------

// The roster and sponsors of the text form, checked as read_delegations and read_sponsors
// check a draft file's.
std::string check_text_roster(const text_draft& in) {
  if (in.roster.empty()) return "roster is empty: a draft needs at least one delegation";
  if (in.roster.size() > max_roster)
    return "roster has " + detail::with_thousands(in.roster.size()) +
           " entries; a roster holds at most " + detail::with_thousands(max_roster);
  std::map<std::string, std::size_t, std::less<>> first_use;
  for (std::size_t i = 0; i < in.roster.size(); ++i) {
    const actor& d = in.roster[i];
    const std::string at = element("roster", i);
    using check_fn = std::string (*)(std::string_view);
    for (const auto& [field, value, check] :
         {std::tuple<const char*, const std::string*, check_fn>{"code", &d.state, check_state_code},
          std::tuple<const char*, const std::string*, check_fn>{"name", &d.name,
                                                                check_delegation_name}}) {
      if (!detail::is_valid_utf8(*value)) return at + "." + field + " is not valid UTF-8";
      if (std::string problem = check(*value); !problem.empty())
        return detail::compose(label_style::path, at + "." + field, problem);
    }
    const auto [it, inserted] = first_use.emplace(d.state, i);
    if (!inserted)
      return at + ".code " + detail::quoted(d.state) + " is already used by " +
             element("roster", it->second);
  }
  if (in.sponsors.size() > max_sponsors)
    return "sponsors has " + detail::with_thousands(in.sponsors.size()) +
           " entries; the limit is " + detail::with_thousands(max_sponsors);
  std::set<std::string, std::less<>> seen;
  for (std::size_t i = 0; i < in.sponsors.size(); ++i) {
    const std::string& code = in.sponsors[i];
    const std::string label = element("sponsors", i);
    if (!detail::is_valid_utf8(code)) return label + " is not valid UTF-8";
    if (!first_use.contains(code))
      return label + " " + detail::quoted(code) + " is not on the roster";
    if (!seen.insert(code).second) return label + " " + detail::quoted(code) + " is listed twice";
  }
  return {};
}

// Reads an array of strings (`sponsors`) of the text form.
std::string read_string_list(object_reader& root, const char* name, std::vector<std::string>& out) {
  const rapidjson::Value* list = root.array(name, /*required=*/false, false);
  if (!root.ok()) return root.error();
  if (list == nullptr) return {};
  if (list->Size() > max_sponsors)
    return std::string(name) + " has " + detail::with_thousands(list->Size()) +
           " entries; the limit is " + detail::with_thousands(max_sponsors);
  for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
    std::string value;
    if (std::string problem =
            detail::read_string_value((*list)[i], detail::any_string_rule, false, value);
        !problem.empty())
      return detail::compose(label_style::path, element(name, i), problem);
    out.push_back(std::move(value));
  }
  return {};
}

// Reads `roster` of the text form: {code, name} strings, checked later (check_text_roster).
std::string read_roster(object_reader& root, std::vector<actor>& out) {
  const rapidjson::Value* roster = root.array("roster", /*required=*/true, /*non_empty=*/false);
  if (!root.ok()) return root.error();
  if (roster->Size() > max_roster)
    return "roster has " + detail::with_thousands(roster->Size()) +
           " entries; a roster holds at most " + detail::with_thousands(max_roster);
  for (rapidjson::SizeType i = 0; i < roster->Size(); ++i) {
    object_reader r((*roster)[i], label_style::path, element("roster", i));
    actor a;
    a.state = r.required("code", detail::any_string_rule);
    a.name = r.required("name", detail::any_string_rule);
    if (!r.ok()) return r.error();
    out.push_back(std::move(a));
  }
  return {};
}

const detail::string_rule source_text_rule{"a string",
                                           [](std::string_view) { return std::string(); }};

}  // namespace

draft_file_result draft_from_text(text_draft in) {
  if (in.title) {
    if (!detail::is_valid_utf8(*in.title)) return fail("title is not valid UTF-8");
    if (std::string problem = check_title(*in.title); !problem.empty())
      return fail(detail::compose(label_style::path, "title", problem));
  }
  if (std::string problem = check_text_roster(in); !problem.empty()) return fail(problem);
  split_result split = split_text(in.text);
  if (!split.error.empty()) return fail(split.error);
  draft_file file;
  if (in.title) {
    file.title = std::move(*in.title);
  } else if (auto title = take_title(split.clauses)) {
    file.title = std::move(*title);
    if (std::string problem = check_title(file.title); !problem.empty())
      return fail("the title line of the text " + problem);
  } else {
    return fail(
        "the text does not start with a title line (a Markdown heading such as "
        "\"# Title\" or a first line of its own): give the title separately");
  }
  file.clauses = std::move(split.clauses);
  file.delegations = std::move(in.roster);
  file.sponsors = std::move(in.sponsors);
  return {std::move(file), {}};
}

roster_result parse_roster_file(std::string_view text) {
  roster_result out;
  std::size_t start = text.find_first_not_of(" \t\r\n");
  if (start != std::string_view::npos && (text[start] == '[' || text[start] == '{')) {
    rapidjson::Document doc;
    if (std::string problem = detail::parse_json(text, doc); !problem.empty()) {
      out.error = "the roster file " + problem;
      return out;
    }
    // An object holds the array as "states" (web/data/un-members.json) or "delegations".
    const rapidjson::Value* list = &doc;
    if (doc.IsObject()) {
      for (const char* name : {"states", "delegations"}) {
        if (doc.HasMember(name)) list = &doc[name];
      }
    }
    if (!list->IsArray()) {
      out.error =
          "the roster file must hold an array of {\"code\", \"name\"} (or an object "
          "with one as \"states\" or \"delegations\")";
      return out;
    }
    const rapidjson::Value& items = *list;
    out.roster.emplace();
    for (rapidjson::SizeType i = 0; i < items.Size(); ++i) {
      if (i >= max_roster) break;  // the count is reported by draft_from_text
      object_reader r(items[i], label_style::path, element("roster", i));
      actor a;
      a.state = r.required("code", detail::any_string_rule);
      a.name = r.required("name", detail::any_string_rule);
      if (!r.ok()) {
        out.roster.reset();
        out.error = "the roster file: " + r.error();
        return out;
      }
      out.roster->push_back(std::move(a));
    }
    if (items.Size() > max_roster) out.roster->resize(max_roster + 1);
    return out;
  }
  if (const auto bad = detail::find_invalid_utf8(text); bad != std::string_view::npos) {
    out.error = "the roster file is not valid UTF-8 (at byte " + detail::with_thousands(bad) + ")";
    return out;
  }
  out.roster.emplace();
  std::size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
      line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;
    const auto cut = line.find_first_of(" \t,");
    std::string_view name =
        cut == std::string_view::npos ? std::string_view{} : line.substr(cut + 1);
    while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.remove_prefix(1);
    if (name.empty()) {
      out.roster.reset();
      out.error = "the roster file, line " + std::to_string(line_no) +
                  ": write a state code and a name, such as `FRA France`";
      return out;
    }
    out.roster->push_back({std::string(line.substr(0, cut)), std::string(name)});
  }
  return out;
}

draft_file_result parse_draft_request(std::string_view json) {
  if (json.empty()) return fail("the body is empty");
  rapidjson::Document doc;
  if (std::string problem = detail::parse_json(json, doc); !problem.empty())
    return fail("the body " + problem);
  if (!doc.IsObject() || !doc.HasMember("text")) return parse_draft_file(json);
  object_reader root(doc, label_style::path);
  text_draft in;
  std::optional<std::string> slug = root.optional("slug", detail::slug_rule);
  in.title = root.required("title", detail::any_string_rule);
  in.text = root.required("text", source_text_rule);
  if (!root.ok()) return fail(root.error());
  if (std::string problem = read_roster(root, in.roster); !problem.empty()) return fail(problem);
  if (std::string problem = read_string_list(root, "sponsors", in.sponsors); !problem.empty())
    return fail(problem);
  auto made = draft_from_text(std::move(in));
  if (made.file) made.file->slug = std::move(slug);
  return made;
}

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
