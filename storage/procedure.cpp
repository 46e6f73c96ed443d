#include "storage/procedure.hpp"

#include <git2/sys/commit.h>
#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "storage/commit_message.hpp"
#include "storage/pack_writer.hpp"
#include "storage/text.hpp"

namespace plenary::storage {
namespace {

constexpr const char* committer_name = "plenary";
constexpr const char* committer_email = "server@plenary.invalid";
constexpr std::string_view json_suffix = ".json";

error invalid(std::string message) { return make_error(error_kind::invalid, std::move(message)); }
error forbidden(std::string message) {
  return make_error(error_kind::forbidden, std::move(message));
}
error conflict(std::string message) { return make_error(error_kind::conflict, std::move(message)); }

error damaged(const repo& r, const std::string& what) {
  return make_error(error_kind::io, "The branch procedure of " + r.git_dir().string() +
                                        " is damaged: " + what + ".");
}

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

// ---- the procedure branch's commits ----------------------------------------------------------

result<git::treebuilder_ptr> builder_from(repo& r, const git_oid& source) {
  git::tree_ptr tree;
  if (!git_oid_is_zero(&source)) {
    git_tree* raw = nullptr;
    if (git_tree_lookup(&raw, r.get(), &source) < 0) {
      return git::git_failure(error_kind::io, "Could not read the tree " + git::to_hex(source));
    }
    tree.reset(raw);
  }
  git_treebuilder* raw = nullptr;
  if (git_treebuilder_new(&raw, r.get(), tree.get()) < 0) {
    return git::git_failure(error_kind::io, "Could not start a tree");
  }
  return git::treebuilder_ptr(raw);
}

result<git::signature_ptr> signature(const std::string& name, const std::string& email,
                                     std::int64_t at) {
  git_signature* raw = nullptr;
  if (git_signature_new(&raw, name.c_str(), email.c_str(), static_cast<git_time_t>(at), 0) < 0) {
    return git::git_failure(error_kind::invalid, "The name \"" + name + "\" cannot sign a commit");
  }
  return git::signature_ptr(raw);
}

// What one commit on procedure says.
struct act_message {
  std::string summary;
  std::string note;
  std::string act;          // table, support, withdraw, open, vote, close, reconcile
  std::optional<actor> by;  // nullopt: the server (reconcile)
  std::optional<vote_choice> choice;
  std::int64_t at = 0;
};

// Writes the commit on top of `book` that stores `rec` as proposals/<n>.json, and moves the
// book's tip and tree (not the ref). Objects go to `objects`. On error `book` is unchanged.
status write_act_commit(repo& r, proposal_book& book, const proposal_record& rec,
                        const act_message& m, std::vector<git_oid>& objects) {
  std::vector<git_oid> written;
  auto blob = r.write_blob(write_record(rec));
  if (!blob) return std::move(blob).err();
  written.push_back(*blob);
  git_oid proposals_tree{};
  if (!git_oid_is_zero(&book.root_tree)) {
    auto existing = r.tree_entry(book.root_tree, "proposals");
    if (existing) {
      proposals_tree = *existing;
    } else if (existing.err().kind != error_kind::not_found) {
      return std::move(existing).err();
    }
  }
  auto sub = builder_from(r, proposals_tree);
  if (!sub) return std::move(sub).err();
  const std::string file = std::to_string(rec.n) + ".json";
  if (git_treebuilder_insert(nullptr, sub->get(), file.c_str(), &*blob, GIT_FILEMODE_BLOB) < 0) {
    return git::git_failure(error_kind::io, "Could not add proposals/" + file);
  }
  git_oid sub_oid;
  if (git_treebuilder_write(&sub_oid, sub->get()) < 0) {
    return git::git_failure(error_kind::io, "Could not store the proposals/ tree");
  }
  written.push_back(sub_oid);
  auto root = builder_from(r, book.root_tree);
  if (!root) return std::move(root).err();
  if (git_treebuilder_insert(nullptr, root->get(), "proposals", &sub_oid, GIT_FILEMODE_TREE) < 0) {
    return git::git_failure(error_kind::io, "Could not add proposals/");
  }
  git_oid root_oid;
  if (git_treebuilder_write(&root_oid, root->get()) < 0) {
    return git::git_failure(error_kind::io, "Could not store the procedure tree");
  }
  written.push_back(root_oid);
  auto author = m.by ? signature(m.by->name, message::author_email(m.by->state), m.at)
                     : signature(committer_name, committer_email, m.at);
  if (!author) return std::move(author).err();
  auto committer = signature(committer_name, committer_email, m.at);
  if (!committer) return std::move(committer).err();
  const std::string text = message::compose_act(m.summary, m.note, m.act, rec.n,
                                                m.by ? m.by->state : std::string(), m.choice);
  const bool has_parent = !git_oid_is_zero(&book.tip);
  const git_oid* parents[] = {&book.tip};
  git_oid commit;
  if (git_commit_create_from_ids(&commit, r.get(), nullptr, author->get(), committer->get(),
                                 nullptr, text.c_str(), &root_oid, has_parent ? 1 : 0,
                                 parents) < 0) {
    return git::git_failure(error_kind::io, "Could not store the commit of the act");
  }
  written.push_back(commit);
  objects.insert(objects.end(), written.begin(), written.end());
  book.tip = commit;
  book.root_tree = root_oid;
  return ok_status();
}

// ---- the acts ---------------------------------------------------------------------------------

std::string numbered(int n) { return "proposal " + std::to_string(n); }

std::string vote_text(const vote_count& c) {
  return std::to_string(c.yes) + "-" + std::to_string(c.no) + "-" + std::to_string(c.abstain);
}

bool contains(const std::vector<std::string>& list, std::string_view code) {
  return std::find(list.begin(), list.end(), code) != list.end();
}

// Every sponsor supports (a proposer that is a sponsor counts); never without sponsors.
bool is_friendly(const proposal_record& rec, const std::vector<std::string>& sponsors) {
  if (sponsors.empty()) return false;
  return std::all_of(sponsors.begin(), sponsors.end(), [&](const std::string& s) {
    return s == rec.by.state || contains(rec.supporters, s);
  });
}

result<proposal_record*> find_record(act_batch& ab, int n) {
  if (n < 1 || static_cast<std::size_t>(n) > ab.book.records.size()) {
    return make_error(error_kind::not_found, "There is no " + numbered(n) + " in this draft.");
  }
  return &ab.book.records[static_cast<std::size_t>(n) - 1];
}

const char* status_phrase(proposal_status s) {
  switch (s) {
    case proposal_status::tabled:
      return "is tabled";
    case proposal_status::voting:
      return "is being voted on";
    case proposal_status::adopted:
      return "has been adopted";
    case proposal_status::rejected:
      return "has been rejected";
    case proposal_status::withdrawn:
      return "has been withdrawn";
    case proposal_status::conflict:
      return "could not be applied to the text (conflict)";
  }
  return "is closed";
}

std::string capitalised(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

// Adopts `rec` on `main` (as an amendment with the proposal's base, authored by the proposer).
// A refusal of the text (conflict, clause gone, nothing left to change) makes the status
// conflict; only io and internal errors are errors.
status adopt(repo& r, const draft_index& index, batch& main, proposal_record& rec,
             adoption_kind how, std::optional<vote_count> count, std::int64_t at,
             act_outcome& out) {
  const request rq{rec.by, rec.change(), at};
  auto a = apply_adoption(r, index, main, rq, adoption_marks{rec.n, how, count});
  if (a) {
    rec.status = proposal_status::adopted;
    rec.result = proposal_result{proposal_outcome::adopted, a->entry.commit};
    out.adopted = std::move(*a);
    return ok_status();
  }
  if (a.err().kind == error_kind::io || a.err().kind == error_kind::internal) {
    return std::move(a).err();
  }
  rec.status = proposal_status::conflict;
  rec.result = proposal_result{proposal_outcome::conflict, {}};
  out.adoption_problem = a.err().message;
  return ok_status();
}

// One act in the making: the record after it and its commit on procedure.
struct step {
  proposal_record rec;
  act_message message;
  std::optional<batch> saved_main;  // main before an adoption, to roll back on failure
  act_outcome out;
  std::vector<git_oid> objects;   // proposal commit's objects (table)
  std::optional<git_oid> tabled;  // the proposal commit (table)
};

// Writes the act's commit and, on success, puts the step into the batch.
result<act_outcome> finish(repo& r, act_batch& ab, step s) {
  std::vector<git_oid> objects = std::move(s.objects);
  // write_act_commit moves only the tip and the tree; on failure it leaves them as they were.
  if (status st = write_act_commit(r, ab.book, s.rec, s.message, objects); !st) {
    if (s.saved_main) ab.main = std::move(*s.saved_main);
    return std::move(st).err();
  }
  const auto index = static_cast<std::size_t>(s.rec.n) - 1;
  if (index == ab.book.records.size()) {
    ab.book.records.push_back(s.rec);
  } else {
    ab.book.records[index] = s.rec;
  }
  ab.objects.insert(ab.objects.end(), objects.begin(), objects.end());
  if (s.tabled) ab.tabled.emplace_back(s.rec.n, *s.tabled);
  ++ab.acts;
  s.out.record = std::move(s.rec);
  s.out.procedure_commit = git::to_hex(ab.book.tip);
  return std::move(s.out);
}

// Attempts a friendly adoption when every sponsor now supports `s.rec`.
status maybe_friendly(repo& r, const draft_index& index, act_batch& ab, step& s, std::int64_t at) {
  if (!is_friendly(s.rec, ab.main.t.snap.sponsors)) return ok_status();
  s.saved_main = ab.main;
  status st = adopt(r, index, ab.main, s.rec, adoption_kind::friendly, std::nullopt, at, s.out);
  if (!st) ab.main = std::move(*s.saved_main);
  return st;
}

result<act_outcome> act_table(repo& r, const draft_index& index, act_batch& ab,
                              const act_request& req) {
  const int n = static_cast<int>(ab.book.records.size()) + 1;
  request rq{req.by, req.change, req.at};
  // A resolve names a bracket by its index in the text of the moment: the record keeps that
  // text's rev as its base, so that adoption applies it as it was meant (procedure.md).
  if (rq.change.op == op_kind::resolve && rq.change.base.empty()) {
    for (const clause& c : ab.main.t.snap.clauses) {
      if (c.id == rq.change.clause) rq.change.base = c.rev;
    }
  }
  auto pc = write_proposal(r, index, ab.main, rq, n);
  if (!pc) return std::move(pc).err();
  step s;
  proposal_record& rec = s.rec;
  const amendment& a = rq.change;
  rec.n = n;
  rec.by = req.by;
  rec.op = a.op;
  switch (a.op) {
    case op_kind::replace:
      rec.clause = a.clause;
      rec.base = a.base;
      rec.text = a.text;
      break;
    case op_kind::insert:
      rec.after = a.after;
      rec.kind = a.kind;
      rec.text = a.text;
      break;
    case op_kind::remove:
      rec.clause = a.clause;
      rec.base = a.base;
      break;
    case op_kind::resolve:
      rec.clause = a.clause;
      rec.base = a.base;
      rec.bracket = a.bracket;
      rec.choose = a.choose;
      break;
    default:  // move (write_proposal refused every other op)
      rec.clause = a.clause;
      rec.after = a.after;
      break;
  }
  rec.note = a.note;
  rec.commit = git::to_hex(pc->oid);
  rec.status = proposal_status::tabled;
  s.objects = std::move(pc->objects);
  s.tabled = pc->oid;
  s.message = {"Table " + numbered(n) + ": " + pc->summary, a.note, "table", req.by, {}, req.at};
  if (status st = maybe_friendly(r, index, ab, s, req.at); !st) return std::move(st).err();
  if (s.rec.status == proposal_status::adopted) {
    s.message.summary += " (adopted as a friendly amendment)";
  }
  return finish(r, ab, std::move(s));
}

result<act_outcome> act_support(repo& r, const draft_index& index, act_batch& ab,
                                const act_request& req) {
  auto found = find_record(ab, req.proposal);
  if (!found) return std::move(found).err();
  const proposal_record& now = **found;
  if (req.by.state == chair_state) return forbidden("The chair neither supports nor votes.");
  if (now.status != proposal_status::tabled) {
    return conflict(capitalised(numbered(now.n)) + " " + status_phrase(now.status) +
                    ": it can no longer be supported.");
  }
  if (now.by.state == req.by.state) {
    return conflict("You tabled " + numbered(now.n) +
                    ": a proposer already counts as supporting it.");
  }
  if (contains(now.supporters, req.by.state)) {
    return conflict(req.by.state + " already supports " + numbered(now.n) + ".");
  }
  step s;
  s.rec = now;
  s.rec.supporters.push_back(req.by.state);
  s.message = {"Support " + numbered(now.n), {}, "support", req.by, {}, req.at};
  if (status st = maybe_friendly(r, index, ab, s, req.at); !st) return std::move(st).err();
  if (s.rec.status == proposal_status::adopted) {
    s.message.summary += ": adopted as a friendly amendment";
  } else if (s.rec.status == proposal_status::conflict) {
    s.message.summary += ": friendly, but it no longer applies to the text";
  }
  return finish(r, ab, std::move(s));
}

result<act_outcome> act_withdraw(repo& r, act_batch& ab, const act_request& req) {
  auto found = find_record(ab, req.proposal);
  if (!found) return std::move(found).err();
  const proposal_record& now = **found;
  if (now.by.state != req.by.state) {
    return forbidden("Only " + now.by.state + ", who tabled " + numbered(now.n) +
                     ", can withdraw it.");
  }
  if (now.status != proposal_status::tabled) {
    return conflict(capitalised(numbered(now.n)) + " " + status_phrase(now.status) +
                    ": only a tabled proposal can be withdrawn.");
  }
  step s;
  s.rec = now;
  s.rec.status = proposal_status::withdrawn;
  s.message = {"Withdraw " + numbered(now.n), {}, "withdraw", req.by, {}, req.at};
  return finish(r, ab, std::move(s));
}

result<act_outcome> act_open(repo& r, act_batch& ab, const act_request& req) {
  const vote_threshold t = req.threshold;
  if (t != vote_threshold::simple && t != vote_threshold::two_thirds &&
      t != vote_threshold::two_thirds_present) {
    return invalid("`threshold` must be simple, two-thirds or two-thirds-present.");
  }
  auto found = find_record(ab, req.proposal);
  if (!found) return std::move(found).err();
  const proposal_record& now = **found;
  if (req.by.state != chair_state) return forbidden("Only the chair opens a vote.");
  for (const proposal_record& other : ab.book.records) {
    if (other.status == proposal_status::voting) {
      return conflict("The vote on " + numbered(other.n) +
                      " is still open: close it before opening another.");
    }
  }
  if (now.status != proposal_status::tabled) {
    return conflict(capitalised(numbered(now.n)) + " " + status_phrase(now.status) +
                    ": only a tabled proposal can be put to the vote.");
  }
  step s;
  s.rec = now;
  s.rec.status = proposal_status::voting;
  s.rec.vote = vote_record{t, {}, {}, {}};
  s.message = {"Open the vote on " + numbered(now.n) + " (" + to_string(t) + ")",
               {},
               "open",
               req.by,
               {},
               req.at};
  return finish(r, ab, std::move(s));
}

result<act_outcome> act_vote(repo& r, act_batch& ab, const act_request& req) {
  const vote_choice c = req.choice;
  if (c != vote_choice::yes && c != vote_choice::no && c != vote_choice::abstain) {
    return invalid("`choice` must be yes, no or abstain.");
  }
  auto found = find_record(ab, req.proposal);
  if (!found) return std::move(found).err();
  const proposal_record& now = **found;
  if (req.by.state == chair_state) return forbidden("The chair neither supports nor votes.");
  if (now.status != proposal_status::voting || !now.vote) {
    return conflict("No vote is open on " + numbered(now.n) + ": it " + status_phrase(now.status) +
                    ".");
  }
  const vote_record& v = *now.vote;
  if (contains(v.yes, req.by.state) || contains(v.no, req.by.state) ||
      contains(v.abstain, req.by.state)) {
    return conflict(req.by.state + " has already voted on " + numbered(now.n) + ".");
  }
  step s;
  s.rec = now;
  vote_record& mine = *s.rec.vote;
  (c == vote_choice::yes  ? mine.yes
   : c == vote_choice::no ? mine.no
                          : mine.abstain)
      .push_back(req.by.state);
  s.message = {std::string("Vote ") + to_string(c) + " on " + numbered(now.n),
               {},
               "vote",
               req.by,
               c,
               req.at};
  return finish(r, ab, std::move(s));
}

result<act_outcome> act_close(repo& r, const draft_index& index, act_batch& ab,
                              const act_request& req) {
  auto found = find_record(ab, req.proposal);
  if (!found) return std::move(found).err();
  const proposal_record& now = **found;
  if (req.by.state != chair_state) return forbidden("Only the chair closes a vote.");
  if (now.status != proposal_status::voting || !now.vote) {
    return conflict("No vote is open on " + numbered(now.n) + ": it " + status_phrase(now.status) +
                    ".");
  }
  step s;
  s.rec = now;
  const vote_count count = now.vote->count();
  std::string summary = "Close the vote on " + numbered(now.n) + ": ";
  if (vote_carries(now.vote->threshold, count)) {
    s.saved_main = ab.main;
    if (status st = adopt(r, index, ab.main, s.rec, adoption_kind::vote, count, req.at, s.out);
        !st) {
      ab.main = std::move(*s.saved_main);
      return std::move(st).err();
    }
    summary += s.rec.status == proposal_status::adopted ? "adopted"
                                                        : "carried, but it no longer "
                                                          "applies to the text";
  } else {
    s.rec.status = proposal_status::rejected;
    s.rec.result = proposal_result{proposal_outcome::rejected, {}};
    summary += "rejected";
  }
  summary += ", " + vote_text(count);
  s.message = {std::move(summary), {}, "close", req.by, {}, req.at};
  return finish(r, ab, std::move(s));
}

}  // namespace

std::string proposal_ref(int n) { return "refs/proposals/" + std::to_string(n); }

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
  for (auto [name, field] : {std::pair{"bracket", &p.bracket}, std::pair{"choose", &p.choose}}) {
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
      p.op != op_kind::move && p.op != op_kind::resolve) {
    return bad("\"op\" is not replace, insert, delete, move or resolve");
  }
  if (p.op == op_kind::resolve && (!p.clause || !p.bracket || !p.choose)) {
    return bad("a resolve has no \"clause\", \"bracket\" or \"choose\"");
  }
  return p;
}

result<proposal_book> load_book(const repo& r) {
  proposal_book book;
  auto tip = r.ref_target(procedure_ref);
  if (!tip) {
    if (tip.err().kind == error_kind::not_found) return book;
    return std::move(tip).err();
  }
  auto root = r.commit_tree(*tip);
  if (!root) return std::move(root).err();
  book.tip = *tip;
  book.root_tree = *root;
  auto sub = r.tree_entry(*root, "proposals");
  if (!sub) {
    if (sub.err().kind == error_kind::not_found) return book;
    return std::move(sub).err();
  }
  git_tree* raw = nullptr;
  if (git_tree_lookup(&raw, r.get(), &*sub) < 0) {
    return git::git_failure(error_kind::io, "Could not read proposals/ of " + r.git_dir().string());
  }
  git::tree_ptr tree(raw);
  const std::size_t count = git_tree_entrycount(tree.get());
  std::vector<std::optional<proposal_record>> found(count);
  for (std::size_t i = 0; i < count; ++i) {
    const git_tree_entry* e = git_tree_entry_byindex(tree.get(), i);
    const std::string_view name = git_tree_entry_name(e);
    int n = 0;
    const bool numbered_json =
        name.size() > json_suffix.size() &&
        name.substr(name.size() - json_suffix.size()) == json_suffix &&
        std::from_chars(name.data(), name.data() + name.size() - json_suffix.size(), n).ptr ==
            name.data() + name.size() - json_suffix.size() &&
        name.front() != '0';
    if (!numbered_json || git_tree_entry_type(e) != GIT_OBJECT_BLOB) {
      return damaged(
          r, "proposals/" + std::string(name.substr(0, 64)) + " is not a record named <n>.json");
    }
    if (n < 1 || static_cast<std::size_t>(n) > count) {
      return damaged(r, "the proposals are not numbered 1 to " + std::to_string(count));
    }
    auto text = r.read_blob(*git_tree_entry_id(e));
    if (!text) return std::move(text).err();
    auto record = parse_record(*text);
    if (!record) return damaged(r, "proposals/" + std::string(name) + ": " + record.err().message);
    if (record->n != n) return damaged(r, "proposals/" + std::string(name) + " holds another n");
    found[static_cast<std::size_t>(n) - 1] = std::move(*record);
  }
  for (auto& record : found) {
    // count entries, each n in 1..count and distinct names: every slot is filled.
    book.records.push_back(std::move(*record));
  }
  return book;
}

// ---- applying and publishing -------------------------------------------------------------------

result<act_outcome> apply_act(repo& r, const draft_index& index, act_batch& ab,
                              const act_request& req) {
  for (const std::string& problem : {check_actor(req.by, "by"), check_time(req.at)}) {
    if (!problem.empty()) return invalid(problem);
  }
  if (ab.main.t.snap.stage == draft_stage::adopted) {
    return forbidden(
        "The draft has been adopted: its text is final and no proposal or procedural act is "
        "possible any more.");
  }
  switch (req.kind) {
    case act_kind::table:
      return act_table(r, index, ab, req);
    case act_kind::support:
      return act_support(r, index, ab, req);
    case act_kind::withdraw:
      return act_withdraw(r, ab, req);
    case act_kind::open:
      return act_open(r, ab, req);
    case act_kind::vote:
      return act_vote(r, ab, req);
    case act_kind::close:
      return act_close(r, index, ab, req);
  }
  return invalid("The act must be table, support, withdraw, open, vote or close.");
}

status publish_acts(repo& r, act_batch& ab, const git_oid& main_head, const git_oid& before) {
  std::vector<git_oid> objects = ab.objects;
  objects.insert(objects.end(), ab.main.objects.begin(), ab.main.objects.end());
  if (status s = pack_writer::write(r, objects); !s) return s;
  // 1. The records (the truth), 2. main, 3. the proposals' refs: see the top of procedure.hpp.
  if (status s =
          r.update_ref(procedure_ref, ab.book.tip, git_oid_is_zero(&before) ? nullptr : &before);
      !s) {
    return s;
  }
  if (!ab.main.commits.empty()) {
    if (status s = r.update_main(ab.main.t.commit, &main_head); !s) return s;
  }
  for (const auto& [n, oid] : ab.tabled) {
    (void)r.force_ref(proposal_ref(n), oid);  // a failure here is repaired by reconcile
  }
  r.discard_memory();
  return ok_status();
}

result<bool> reconcile(repo& r, const draft_index& index, const tip& head, proposal_book& book,
                       std::int64_t at) {
  // A tabled proposal whose ref was not written (crash after main, or a failed write).
  for (const proposal_record& rec : book.records) {
    auto ref = r.ref_target(proposal_ref(rec.n));
    if (ref) continue;
    if (ref.err().kind != error_kind::not_found) return std::move(ref).err();
    git_oid oid;
    if (!git::from_hex(rec.commit, &oid)) continue;
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, r.get(), &oid) < 0) {
      git_error_clear();
      continue;  // the commit is gone too: nothing to point at
    }
    git_commit_free(raw);
    if (status s = r.force_ref(proposal_ref(rec.n), oid); !s) return std::move(s).err();
  }
  // Adopting commits that main lacks (crash between the updates of procedure and main).
  std::vector<std::pair<int, git_oid>> missing;
  for (const proposal_record& rec : book.records) {
    if (rec.status != proposal_status::adopted || !rec.result || rec.result->commit.empty()) {
      continue;
    }
    if (index.find_commit(rec.result->commit)) continue;
    git_oid oid{};
    (void)git::from_hex(rec.result->commit, &oid);
    missing.emplace_back(rec.n, oid);
  }
  if (missing.empty()) return false;
  for (const auto& [n, candidate] : missing) {
    bool follows = git_graph_descendant_of(r.get(), &candidate, &head.commit) == 1;
    for (const auto& [m, other] : missing) {
      if (!follows) break;
      if (!git_oid_equal(&candidate, &other)) {
        follows = git_graph_descendant_of(r.get(), &candidate, &other) == 1;
      }
    }
    git_error_clear();
    if (!follows) continue;
    if (status s = r.update_main(candidate, &head.commit); !s) return std::move(s).err();
    return true;
  }
  // Main went elsewhere (moved by someone else): the adoptions cannot be finished.
  proposal_book next = book;
  std::vector<git_oid> objects;
  for (const auto& [n, oid] : missing) {
    proposal_record& rec = next.records[static_cast<std::size_t>(n) - 1];
    rec.status = proposal_status::conflict;
    rec.result = proposal_result{proposal_outcome::conflict, {}};
    act_message m{"Reconcile " + numbered(n) + ": its adopting commit " +
                      git::to_hex(oid).substr(0, 7) + " is not on main",
                  {},
                  "reconcile",
                  std::nullopt,
                  {},
                  at};
    if (status s = write_act_commit(r, next, rec, m, objects); !s) {
      r.discard_memory();
      return std::move(s).err();
    }
  }
  status s = pack_writer::write(r, objects);
  if (s) s = r.update_ref(procedure_ref, next.tip, &book.tip);
  r.discard_memory();
  if (!s) return std::move(s).err();
  book = std::move(next);
  return false;
}

// ---- tags ---------------------------------------------------------------------------------

std::string check_tag_name(std::string_view name) {
  const auto alnum = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  };
  const bool syntax = !name.empty() && name.size() <= 32 && alnum(name.front()) &&
                      std::all_of(name.begin(), name.end(), [&](char c) {
                        return alnum(c) || c == '.' || c == '_' || c == '-';
                      });
  if (!syntax) {
    return "A version name is 1 to 32 letters, digits, `.`, `_` or `-`, starting with a letter "
           "or a digit.";
  }
  if (name.find("..") != std::string_view::npos || name.back() == '.' ||
      (name.size() >= 5 && name.substr(name.size() - 5) == ".lock")) {
    return "A version name must not contain `..` nor end with `.` or `.lock`.";
  }
  return {};
}

result<tag_info> create_tag(repo& r, std::string_view name, const git_oid& target, const actor& by,
                            std::int64_t at, const std::string& message) {
  const std::string tag_name(name);
  auto already = [&] {
    return make_error(error_kind::exists,
                      "There is already a version named " + tag_name + "; choose another name.");
  };
  // Checked first so that a refused name writes nothing (the ref update checks again).
  if (auto existing = r.ref_target("refs/tags/" + tag_name)) return already();
  struct memory_guard {
    repo& r;
    ~memory_guard() { r.discard_memory(); }
  } guard{r};
  git_object* raw = nullptr;
  if (git_object_lookup(&raw, r.get(), &target, GIT_OBJECT_COMMIT) < 0) {
    return git::git_failure(error_kind::io, "Could not read the commit to tag");
  }
  git::object_ptr object(raw);
  auto tagger = signature(by.name, message::author_email(by.state), at);
  if (!tagger) return std::move(tagger).err();
  git_oid tag_oid;
  if (git_tag_annotation_create(&tag_oid, r.get(), tag_name.c_str(), object.get(), tagger->get(),
                                message.c_str()) < 0) {
    return git::git_failure(error_kind::io, "Could not store the tag " + tag_name);
  }
  if (status s = pack_writer::write(r, std::span<const git_oid>(&tag_oid, 1)); !s) {
    return std::move(s).err();
  }
  if (status s = r.update_ref("refs/tags/" + tag_name, tag_oid, nullptr); !s) {
    if (s.err().kind == error_kind::exists) return already();
    return std::move(s).err();
  }
  return tag_info{tag_name, git::to_hex(target), git::to_hex(tag_oid)};
}

}  // namespace plenary::storage
