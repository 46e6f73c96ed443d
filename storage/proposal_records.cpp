// The records of proposals as proposals/<n>.json holds them, and the book of every record read
// from the tip of the branch `procedure` (storage/procedure.hpp has the layout).
#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <cctype>

#include "storage/git/side_branch.hpp"
#include "storage/procedure.hpp"
#include "storage/text.hpp"

namespace plenary::storage {
namespace {

// ---- records as JSON ----------------------------------------------------------------------

using json_writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void put(json_writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}
void put_or_null(json_writer& w, const std::optional<std::string>& s) {
  if (s) {
    put(w, *s);
  } else {
    w.Null();
  }
}
void put_list(json_writer& w, const std::vector<std::string>& list) {
  w.StartArray();
  for (const std::string& s : list) put(w, s);
  w.EndArray();
}

using json_value = rapidjson::Value;

// Reads one member; the first problem wins and later reads return empty values.
class record_reader {
 public:
  explicit record_reader(const json_value& object) : object_(object) {}
  const std::string& problem() const { return problem_; }

  const json_value* member(const char* name) {
    if (!problem_.empty()) return nullptr;
    auto it = object_.FindMember(name);
    if (it == object_.MemberEnd()) {
      problem_ = std::string("\"") + name + "\" is missing";
      return nullptr;
    }
    return &it->value;
  }
  std::string string(const char* name) {
    const json_value* v = member(name);
    if (v == nullptr) return {};
    if (!v->IsString()) {
      problem_ = std::string("\"") + name + "\" is not a string";
      return {};
    }
    return {v->GetString(), v->GetStringLength()};
  }
  std::optional<std::string> nullable(const char* name) {
    const json_value* v = member(name);
    if (v == nullptr || v->IsNull()) return std::nullopt;
    if (!v->IsString()) {
      problem_ = std::string("\"") + name + "\" is neither a string nor null";
      return std::nullopt;
    }
    return std::string(v->GetString(), v->GetStringLength());
  }
  int number(const char* name) {
    const json_value* v = member(name);
    if (v == nullptr) return 0;
    if (!v->IsInt() || v->GetInt() < 1) {
      problem_ = std::string("\"") + name + "\" is not a positive integer";
      return 0;
    }
    return v->GetInt();
  }
  std::vector<std::string> codes(const char* name) {
    const json_value* v = member(name);
    std::vector<std::string> out;
    if (v == nullptr) return out;
    if (!v->IsArray()) {
      problem_ = std::string("\"") + name + "\" is not a list";
      return out;
    }
    for (const auto& item : v->GetArray()) {
      if (!item.IsString() || !is_valid_state_code({item.GetString(), item.GetStringLength()})) {
        problem_ = std::string("\"") + name + "\" holds something that is not a state code";
        return {};
      }
      out.emplace_back(item.GetString(), item.GetStringLength());
    }
    return out;
  }
  template <class E>
  E named(const char* name, std::optional<E> (*parse)(std::string_view) noexcept) {
    const std::string s = string(name);
    if (!problem_.empty()) return E{};
    const auto value = parse(s);
    if (!value) {
      problem_ = std::string("\"") + name + "\" has the unknown value " + s.substr(0, 32);
      return E{};
    }
    return *value;
  }
  void fail(std::string what) {
    if (problem_.empty()) problem_ = std::move(what);
  }

 private:
  const json_value& object_;
  std::string problem_;
};

}  // namespace

// ---- records -------------------------------------------------------------------------------

std::string write_record(const proposal_record& p) {
  rapidjson::StringBuffer buffer;
  json_writer w(buffer);
  w.SetIndent(' ', 2);
  w.SetFormatOptions(rapidjson::kFormatSingleLineArray);
  w.StartObject();
  w.Key("n");
  w.Int(p.n);
  w.Key("by");
  w.StartObject();
  w.Key("state");
  put(w, p.by.state);
  w.Key("name");
  put(w, p.by.name);
  w.EndObject();
  w.Key("op");
  put(w, to_string(p.op));
  w.Key("clause");
  put_or_null(w, p.clause);
  w.Key("after");
  put_or_null(w, p.after);
  w.Key("kind");
  put_or_null(w, p.kind ? std::optional<std::string>(to_string(*p.kind)) : std::nullopt);
  w.Key("text");
  put_or_null(w, p.text);
  w.Key("note");
  put_or_null(w, p.note.empty() ? std::nullopt : std::optional<std::string>(p.note));
  w.Key("base");
  put_or_null(w, p.base);
  if (p.bracket) {  // resolve only (docs/extensions.md)
    w.Key("bracket");
    w.Uint64(*p.bracket);
  }
  if (p.choose) {
    w.Key("choose");
    w.Uint64(*p.choose);
  }
  if (p.start) {  // bracket only (docs/extensions.md)
    w.Key("start");
    w.Uint64(*p.start);
  }
  if (p.end) {
    w.Key("end");
    w.Uint64(*p.end);
  }
  w.Key("commit");
  put(w, p.commit);
  w.Key("status");
  put(w, to_string(p.status));
  w.Key("supporters");
  put_list(w, p.supporters);
  w.Key("vote");
  if (p.vote) {
    w.StartObject();
    w.Key("threshold");
    put(w, to_string(p.vote->threshold));
    w.Key("yes");
    put_list(w, p.vote->yes);
    w.Key("no");
    put_list(w, p.vote->no);
    w.Key("abstain");
    put_list(w, p.vote->abstain);
    if (const auto& e = p.vote->opened_on) {  // docs/extensions.md, "Effective change"
      w.Key("effective");
      w.StartObject();
      w.Key("text");
      put_or_null(w, e->text);
      w.Key("conflict");
      w.Bool(e->conflict);
      w.Key("computed_at");
      put(w, e->computed_at);
      w.EndObject();
    }
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("result");
  if (p.result) {
    w.StartObject();
    w.Key("outcome");
    put(w, to_string(p.result->outcome));
    w.Key("commit");
    put_or_null(
        w, p.result->commit.empty() ? std::nullopt : std::optional<std::string>(p.result->commit));
    w.EndObject();
  } else {
    w.Null();
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

result<proposal_record> parse_record(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
  auto bad = [](const std::string& what) {
    return make_error(error_kind::io, "A proposal record is damaged: " + what + ".");
  };
  if (doc.HasParseError() || !doc.IsObject()) return bad("it is not a JSON object");
  record_reader in(doc);
  proposal_record p;
  p.n = in.number("n");
  if (const json_value* by = in.member("by"); by != nullptr) {
    if (!by->IsObject()) {
      in.fail("\"by\" is not an object");
    } else {
      record_reader who(*by);
      p.by.state = who.string("state");
      p.by.name = who.string("name");
      if (!who.problem().empty()) in.fail("\"by\": " + who.problem());
      if (who.problem().empty() && !is_valid_state_code(p.by.state)) {
        in.fail("\"by.state\" is not a state code");
      }
    }
  }
  p.op = in.named<op_kind>("op", parse_op);
  p.clause = in.nullable("clause");
  p.after = in.nullable("after");
  if (auto kind = in.nullable("kind")) {
    p.kind = parse_clause_kind(*kind);
    if (!p.kind) in.fail("\"kind\" is not heading, preamble or operative");
  }
  p.text = in.nullable("text");
  p.note = in.nullable("note").value_or(std::string());
  p.base = in.nullable("base");
  for (auto [name, field] : {std::pair{"bracket", &p.bracket}, std::pair{"choose", &p.choose},
                             std::pair{"start", &p.start}, std::pair{"end", &p.end}}) {
    auto it = doc.FindMember(name);
    if (it == doc.MemberEnd() || it->value.IsNull()) continue;
    if (!it->value.IsUint64()) {
      in.fail(std::string("\"") + name + "\" is not a number from 0");
    } else {
      *field = static_cast<std::size_t>(it->value.GetUint64());
    }
  }
  p.commit = in.string("commit");
  p.status = in.named<proposal_status>("status", parse_proposal_status);
  p.supporters = in.codes("supporters");
  if (const json_value* vote = in.member("vote"); vote != nullptr && !vote->IsNull()) {
    if (!vote->IsObject()) {
      in.fail("\"vote\" is neither an object nor null");
    } else {
      record_reader v(*vote);
      vote_record record;
      record.threshold = v.named<vote_threshold>("threshold", parse_threshold);
      record.yes = v.codes("yes");
      record.no = v.codes("no");
      record.abstain = v.codes("abstain");
      if (auto it = vote->FindMember("effective");
          v.problem().empty() && it != vote->MemberEnd() && !it->value.IsNull()) {
        if (!it->value.IsObject()) {
          v.fail("\"effective\" is neither an object nor null");
        } else {
          record_reader e(it->value);
          effective_change opened;
          opened.text = e.nullable("text");
          if (const json_value* c = e.member("conflict"); c != nullptr && !c->IsBool()) {
            e.fail("\"conflict\" is not true or false");
          } else if (c != nullptr) {
            opened.conflict = c->GetBool();
          }
          opened.computed_at = e.string("computed_at");
          if (!e.problem().empty()) v.fail("\"effective\": " + e.problem());
          record.opened_on = std::move(opened);
        }
      }
      if (!v.problem().empty()) in.fail("\"vote\": " + v.problem());
      p.vote = std::move(record);
    }
  }
  if (const json_value* res = in.member("result"); res != nullptr && !res->IsNull()) {
    if (!res->IsObject()) {
      in.fail("\"result\" is neither an object nor null");
    } else {
      record_reader v(*res);
      proposal_result record;
      record.outcome = v.named<proposal_outcome>("outcome", parse_outcome);
      record.commit = v.nullable("commit").value_or(std::string());
      if (!v.problem().empty()) in.fail("\"result\": " + v.problem());
      p.result = std::move(record);
    }
  }
  if (!in.problem().empty()) return bad(in.problem());
  if (!is_valid_commit_id(p.commit)) return bad("\"commit\" is not a commit id");
  if (p.op != op_kind::replace && p.op != op_kind::insert && p.op != op_kind::remove &&
      p.op != op_kind::move && p.op != op_kind::resolve && p.op != op_kind::bracket) {
    return bad("\"op\" is not replace, insert, delete, move, resolve or bracket");
  }
  if (p.op == op_kind::bracket && (!p.clause || !p.base || !p.text || !p.start || !p.end)) {
    return bad("a bracket has no \"clause\", \"base\", \"text\", \"start\" or \"end\"");
  }
  if (p.op == op_kind::resolve && (!p.clause || !p.bracket || !p.choose)) {
    return bad("a resolve has no \"clause\", \"bracket\" or \"choose\"");
  }
  return p;
}

result<proposal_book> load_book(const repo& r) {
  auto read =
      read_side_records<proposal_record>(r, procedure_ref, "procedure", "proposals", parse_record);
  if (!read) return std::move(read).err();
  return proposal_book{std::move(read->records), read->tip.commit, read->tip.tree};
}

}  // namespace plenary::storage
