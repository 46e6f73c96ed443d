// The threads of comments on the branch `comments` (storage/comment_store.hpp): the records as
// JSON, loading, checking and committing a comment, and where an anchor stands now.
#include "storage/comment_store.hpp"

#include <git2/sys/commit.h>
#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <charconv>

#include "storage/amend.hpp"
#include "storage/brackets.hpp"
#include "storage/commit_message.hpp"
#include "storage/git/git_handles.hpp"
#include "storage/git/pack_writer.hpp"
#include "storage/text.hpp"

namespace plenary::storage {
namespace {

constexpr std::string_view json_suffix = ".json";
constexpr const char* committer_name = "plenary";
constexpr const char* committer_email = "server@plenary.invalid";
// A quote in a commit's summary line is cut to this many bytes (at a character), so that
// `git log --oneline comments` stays one screen wide.
constexpr std::size_t summary_quote_bytes = 40;

error damaged(const repo& r, const std::string& what) {
  return make_error(error_kind::io, "The branch comments of " + r.git_dir().string() +
                                        " is damaged: " + what + ".");
}
error invalid(std::string m) { return make_error(error_kind::invalid, std::move(m)); }

// ---- threads as JSON ---------------------------------------------------------------------------

using json_writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;
void put(json_writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}
void put_actor(json_writer& w, const actor& a) {
  w.StartObject();
  w.Key("state");
  put(w, a.state);
  w.Key("name");
  put(w, a.name);
  w.EndObject();
}

using json_value = rapidjson::Value;
std::optional<std::string> string_of(const json_value& o, const char* name) {
  auto it = o.FindMember(name);
  if (it == o.MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string(it->value.GetString(), it->value.GetStringLength());
}
std::optional<std::int64_t> integer_of(const json_value& o, const char* name) {
  auto it = o.FindMember(name);
  if (it == o.MemberEnd() || !it->value.IsInt64() || it->value.GetInt64() < 0) return std::nullopt;
  return it->value.GetInt64();
}
std::optional<actor> actor_of(const json_value& o, const char* name) {
  auto it = o.FindMember(name);
  if (it == o.MemberEnd() || !it->value.IsObject()) return std::nullopt;
  auto state = string_of(it->value, "state");
  auto who = string_of(it->value, "name");
  if (!state || !who || !is_valid_state_code(*state)) return std::nullopt;
  return actor{*state, *who};
}

// A UTF-8 character starts at `i` (or `i` is the end).
bool at_character(std::string_view text, std::size_t i) {
  return i >= text.size() || (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
}

std::string one_line_quote(std::string_view quote) {
  std::size_t cut = std::min(quote.size(), summary_quote_bytes);
  while (cut > 0 && !at_character(quote, cut)) --cut;
  std::string out(quote.substr(0, cut));
  std::replace(out.begin(), out.end(), '\n', ' ');
  std::replace(out.begin(), out.end(), '\t', ' ');
  if (cut < quote.size()) out += "\u2026";
  return out;
}

// "operative clause 3" for a clause of `head`, or its id when it is gone.
std::string label_of(const snapshot& head, const std::string& id) {
  for (std::size_t i = 0; i < head.clauses.size(); ++i) {
    if (head.clauses[i].id == id) return message::clause_label(head.clauses, i);
  }
  return "clause " + id;
}

std::string summary_of(const comment_request& req, const comment_thread& t, const snapshot& head) {
  const std::string n = std::to_string(t.n);
  switch (req.act) {
    case comment_act::reply:
      return "Reply in thread " + n;
    case comment_act::resolve:
      return "Resolve thread " + n;
    case comment_act::reopen:
      return "Reopen thread " + n;
    case comment_act::open:
      break;
  }
  const comment_anchor& a = t.anchor;
  if (a.kind == anchor_kind::proposal) return "Comment on proposal " + std::to_string(a.proposal);
  std::string s = "Comment on " + label_of(head, a.clause);
  if (a.kind == anchor_kind::span) s += ": \"" + one_line_quote(a.quote) + "\"";
  return s;
}

std::string message_of(const comment_request& req, const comment_thread& t, const snapshot& head) {
  std::string m = summary_of(req, t, head) + "\n\n";
  if (req.act == comment_act::open || req.act == comment_act::reply) m += req.text + "\n\n";
  m += std::string("Act: ") + to_string(req.act) + "\nThread: " + std::to_string(t.n) + "\n";
  if (!t.anchor.clause.empty()) m += "Clause: " + t.anchor.clause + "\n";
  if (t.anchor.kind == anchor_kind::proposal) {
    m += "Proposal: " + std::to_string(t.anchor.proposal) + "\n";
  }
  m += "State: " + req.by.state + "\n";
  return m;
}

result<git::signature_ptr> signature(const std::string& name, const std::string& email,
                                     std::int64_t at) {
  git_signature* raw = nullptr;
  if (git_signature_new(&raw, name.c_str(), email.c_str(), static_cast<git_time_t>(at), 0) < 0) {
    return git::git_failure(error_kind::invalid, "The name \"" + name + "\" cannot sign a commit");
  }
  return git::signature_ptr(raw);
}

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

// Writes the commit that stores `t` as threads/<n>.json on top of the book's tip, the pack, and
// moves refs/heads/comments; then the book's tip and tree.
result<std::string> commit_thread(repo& r, comment_book& book, const comment_thread& t,
                                  const std::string& text, const actor& by, std::int64_t at) {
  struct memory_guard {
    repo& r;
    ~memory_guard() { r.discard_memory(); }
  } guard{r};
  std::vector<git_oid> objects;
  auto blob = r.write_blob(write_thread(t));
  if (!blob) return std::move(blob).err();
  objects.push_back(*blob);
  git_oid threads_tree{};
  if (!git_oid_is_zero(&book.root_tree)) {
    auto existing = r.tree_entry(book.root_tree, "threads");
    if (existing) {
      threads_tree = *existing;
    } else if (existing.err().kind != error_kind::not_found) {
      return std::move(existing).err();
    }
  }
  auto sub = builder_from(r, threads_tree);
  if (!sub) return std::move(sub).err();
  const std::string file = std::to_string(t.n) + ".json";
  git_oid sub_oid;
  if (git_treebuilder_insert(nullptr, sub->get(), file.c_str(), &*blob, GIT_FILEMODE_BLOB) < 0 ||
      git_treebuilder_write(&sub_oid, sub->get()) < 0) {
    return git::git_failure(error_kind::io, "Could not store threads/" + file);
  }
  objects.push_back(sub_oid);
  auto root = builder_from(r, book.root_tree);
  if (!root) return std::move(root).err();
  git_oid root_oid;
  if (git_treebuilder_insert(nullptr, root->get(), "threads", &sub_oid, GIT_FILEMODE_TREE) < 0 ||
      git_treebuilder_write(&root_oid, root->get()) < 0) {
    return git::git_failure(error_kind::io, "Could not store the tree of comments");
  }
  objects.push_back(root_oid);
  auto author = signature(by.name, message::author_email(by.state), at);
  if (!author) return std::move(author).err();
  auto committer = signature(committer_name, committer_email, at);
  if (!committer) return std::move(committer).err();
  const bool has_parent = !git_oid_is_zero(&book.tip);
  const git_oid* parents[] = {&book.tip};
  git_oid commit;
  if (git_commit_create_from_ids(&commit, r.get(), nullptr, author->get(), committer->get(),
                                 nullptr, text.c_str(), &root_oid, has_parent ? 1 : 0,
                                 parents) < 0) {
    return git::git_failure(error_kind::io, "Could not store the commit of the comment");
  }
  objects.push_back(commit);
  if (status s = pack_writer::write(r, objects); !s) return std::move(s).err();
  if (status s = r.update_ref(comments_ref, commit, has_parent ? &book.tip : nullptr); !s) {
    return std::move(s).err();
  }
  book.tip = commit;
  book.root_tree = root_oid;
  return git::to_hex(commit);
}

result<comment_thread*> find_thread(comment_book& book, int n) {
  if (n < 1 || static_cast<std::size_t>(n) > book.threads.size()) {
    return make_error(error_kind::not_found,
                      "There is no thread " + std::to_string(n) + " in this draft.");
  }
  return &book.threads[static_cast<std::size_t>(n) - 1];
}

std::string check_comment_text(std::string_view text) {
  std::string problem = check_note(text, "text");
  if (!problem.empty()) return problem;
  if (text.find_first_not_of(" \t\n") == std::string_view::npos) {
    return "`text` is empty: write the comment.";
  }
  return {};
}

// A new thread's anchor, checked against the draft; `quote` filled in for a span.
result<comment_anchor> checked_anchor(const comment_context& ctx, comment_anchor a) {
  if (a.kind == anchor_kind::proposal) {
    if (a.proposal < 1 || static_cast<std::size_t>(a.proposal) > ctx.proposals.size()) {
      return make_error(error_kind::not_found,
                        "There is no proposal " + std::to_string(a.proposal) + " in this draft.");
    }
    const proposal_record& p = ctx.proposals[static_cast<std::size_t>(a.proposal) - 1];
    a.clause = p.clause.value_or(std::string());
    a.rev.clear();
    a.start = a.end = 0;
    a.quote.clear();
    return a;
  }
  const auto& clauses = ctx.head.clauses;
  const bool present = std::any_of(clauses.begin(), clauses.end(),
                                   [&](const clause& c) { return c.id == a.clause; });
  if (!present) {
    return make_error(error_kind::not_found, "There is no clause " + a.clause +
                                                 " in this draft (it may have been deleted).");
  }
  if (a.kind == anchor_kind::clause) {
    a.rev.clear();
    a.start = a.end = 0;
    a.quote.clear();
    return a;
  }
  if (!ctx.span_text) {
    return make_error(error_kind::not_found, "`base` " + a.rev.substr(0, 12) +
                                                 " is not a text of clause " + a.clause +
                                                 "; send the `rev` of the text you commented on.");
  }
  if (std::string problem = check_span(*ctx.span_text, a.start, a.end); !problem.empty()) {
    return invalid(std::move(problem));
  }
  a.quote = ctx.span_text->substr(a.start, a.end - a.start);
  return a;
}

}  // namespace

const char* to_string(anchor_kind k) noexcept {
  switch (k) {
    case anchor_kind::span:
      return "span";
    case anchor_kind::proposal:
      return "proposal";
    default:
      return "clause";
  }
}

const char* to_string(anchor_state s) noexcept {
  switch (s) {
    case anchor_state::changed:
      return "changed";
    case anchor_state::words_gone:
      return "words_gone";
    case anchor_state::clause_deleted:
      return "deleted";
    default:
      return "exact";
  }
}

const char* to_string(comment_act a) noexcept {
  switch (a) {
    case comment_act::reply:
      return "reply";
    case comment_act::resolve:
      return "resolve";
    case comment_act::reopen:
      return "reopen";
    default:
      return "comment";
  }
}

std::string write_thread(const comment_thread& t) {
  rapidjson::StringBuffer buffer;
  json_writer w(buffer);
  w.SetIndent(' ', 2);
  w.SetFormatOptions(rapidjson::kFormatSingleLineArray);
  w.StartObject();
  w.Key("n");
  w.Int(t.n);
  w.Key("anchor");
  w.StartObject();
  w.Key("kind");
  put(w, to_string(t.anchor.kind));
  w.Key("clause");
  put(w, t.anchor.clause);
  if (t.anchor.kind == anchor_kind::proposal) {
    w.Key("proposal");
    w.Int(t.anchor.proposal);
  }
  if (t.anchor.kind == anchor_kind::span) {
    w.Key("rev");
    put(w, t.anchor.rev);
    w.Key("start");
    w.Uint64(t.anchor.start);
    w.Key("end");
    w.Uint64(t.anchor.end);
    w.Key("quote");
    put(w, t.anchor.quote);
  }
  w.EndObject();
  w.Key("status");
  put(w, t.resolved ? "resolved" : "open");
  if (t.resolved && t.resolved_by) {
    w.Key("resolved_by");
    put_actor(w, *t.resolved_by);
    w.Key("resolved_at");
    w.Int64(t.resolved_at);
  }
  w.Key("comments");
  w.StartArray();
  for (const comment_entry& c : t.comments) {
    w.StartObject();
    w.Key("by");
    put_actor(w, c.by);
    w.Key("at");
    w.Int64(c.at);
    w.Key("text");
    put(w, c.text);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

result<comment_thread> parse_thread(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) return invalid("not a JSON object");
  comment_thread t;
  auto n = integer_of(doc, "n");
  if (!n || *n < 1 || *n > INT32_MAX) return invalid("\"n\" is not a positive integer");
  t.n = static_cast<int>(*n);
  auto a = doc.FindMember("anchor");
  if (a == doc.MemberEnd() || !a->value.IsObject()) return invalid("\"anchor\" is missing");
  const json_value& av = a->value;
  auto kind = string_of(av, "kind");
  auto clause_id = string_of(av, "clause");
  if (!kind || !clause_id) return invalid("the anchor has no kind or clause");
  t.anchor.clause = *clause_id;
  if (*kind == "clause") {
    t.anchor.kind = anchor_kind::clause;
  } else if (*kind == "proposal") {
    t.anchor.kind = anchor_kind::proposal;
    auto p = integer_of(av, "proposal");
    if (!p || *p < 1 || *p > INT32_MAX) return invalid("the anchor's proposal is not a number");
    t.anchor.proposal = static_cast<int>(*p);
  } else if (*kind == "span") {
    t.anchor.kind = anchor_kind::span;
    auto rev = string_of(av, "rev");
    auto start = integer_of(av, "start");
    auto end = integer_of(av, "end");
    auto quote = string_of(av, "quote");
    if (!rev || !start || !end || !quote || *start >= *end) return invalid("the span is damaged");
    t.anchor.rev = *rev;
    t.anchor.start = static_cast<std::size_t>(*start);
    t.anchor.end = static_cast<std::size_t>(*end);
    t.anchor.quote = *quote;
  } else {
    return invalid("the anchor's kind is unknown");
  }
  auto st = string_of(doc, "status");
  if (!st || (*st != "open" && *st != "resolved")) return invalid("\"status\" is unknown");
  t.resolved = *st == "resolved";
  if (t.resolved) {
    t.resolved_by = actor_of(doc, "resolved_by");
    t.resolved_at = integer_of(doc, "resolved_at").value_or(0);
  }
  auto cs = doc.FindMember("comments");
  if (cs == doc.MemberEnd() || !cs->value.IsArray() || cs->value.Empty()) {
    return invalid("\"comments\" is not a list of comments");
  }
  for (const json_value& c : cs->value.GetArray()) {
    if (!c.IsObject()) return invalid("a comment is not an object");
    auto by = actor_of(c, "by");
    auto at = integer_of(c, "at");
    auto text = string_of(c, "text");
    if (!by || !at || !text) return invalid("a comment lacks its author, time or text");
    t.comments.push_back({*by, *at, *text});
  }
  return t;
}

result<comment_book> load_comments(const repo& r) {
  comment_book book;
  auto tip = r.ref_target(comments_ref);
  if (!tip) {
    if (tip.err().kind == error_kind::not_found) return book;
    return std::move(tip).err();
  }
  auto root = r.commit_tree(*tip);
  if (!root) return std::move(root).err();
  book.tip = *tip;
  book.root_tree = *root;
  auto sub = r.tree_entry(*root, "threads");
  if (!sub) {
    if (sub.err().kind == error_kind::not_found) return book;
    return std::move(sub).err();
  }
  git_tree* raw = nullptr;
  if (git_tree_lookup(&raw, r.get(), &*sub) < 0) {
    return git::git_failure(error_kind::io, "Could not read threads/ of " + r.git_dir().string());
  }
  git::tree_ptr tree(raw);
  const std::size_t count = git_tree_entrycount(tree.get());
  std::vector<std::optional<comment_thread>> found(count);
  for (std::size_t i = 0; i < count; ++i) {
    const git_tree_entry* e = git_tree_entry_byindex(tree.get(), i);
    const std::string_view name = git_tree_entry_name(e);
    const std::size_t digits = name.size() > json_suffix.size() ? name.size() - 5 : 0;
    int n = 0;
    const bool numbered =
        digits > 0 && name.substr(digits) == json_suffix && name.front() != '0' &&
        std::from_chars(name.data(), name.data() + digits, n).ptr == name.data() + digits &&
        git_tree_entry_type(e) == GIT_OBJECT_BLOB;
    if (!numbered || n < 1 || static_cast<std::size_t>(n) > count) {
      return damaged(r, "threads/" + std::string(name.substr(0, 64)) +
                            " is not a thread named <n>.json with n from 1 to " +
                            std::to_string(count));
    }
    auto text = r.read_blob(*git_tree_entry_id(e));
    if (!text) return std::move(text).err();
    auto t = parse_thread(*text);
    if (!t) return damaged(r, "threads/" + std::string(name) + ": " + t.err().message);
    if (t->n != n) return damaged(r, "threads/" + std::string(name) + " holds another n");
    found[static_cast<std::size_t>(n) - 1] = std::move(*t);
  }
  for (auto& t : found) book.threads.push_back(std::move(*t));
  return book;
}

std::string check_span(std::string_view text, std::size_t start, std::size_t end) {
  if (start >= end) {
    return "The span [" + std::to_string(start) + ", " + std::to_string(end) +
           ") is empty: `end` must be greater than `start`.";
  }
  if (end > text.size()) {
    return "The span ends at byte " + std::to_string(end) + ", past the end of the text (" +
           std::to_string(text.size()) + " bytes).";
  }
  if (!at_character(text, start) || !at_character(text, end)) {
    return "The span [" + std::to_string(start) + ", " + std::to_string(end) +
           ") cuts a character in two: offsets are bytes of the UTF-8 text.";
  }
  if (!brackets::has_marks(text)) return {};
  auto found = brackets::parse(text);
  if (!found) return {};  // a text that went in was checked; an old one is commented as it is
  for (const brackets::bracket& b : *found) {
    const bool overlaps = start < b.end && end > b.start;
    const bool inside = start >= b.start && end <= b.end;
    const bool around = start <= b.start && end >= b.end;
    if (overlaps && !inside && !around) {
      return "The span [" + std::to_string(start) + ", " + std::to_string(end) +
             ") crosses the edge of the bracket at bytes " + std::to_string(b.start) + "-" +
             std::to_string(b.end) +
             ": comment on words inside it, on the whole bracket, or on words outside it.";
    }
  }
  return {};
}

result<comment_outcome> apply_comment(repo& r, comment_book& book, const comment_context& ctx,
                                      const comment_request& req) {
  for (const std::string& problem : {check_actor(req.by, "by"), check_time(req.at)}) {
    if (!problem.empty()) return invalid(problem);
  }
  if (ctx.head.stage == draft_stage::adopted) {
    return make_error(error_kind::forbidden,
                      "The draft has been adopted: its discussion is closed (the comments stay "
                      "to read).");
  }
  comment_thread next;
  if (req.act == comment_act::open || req.act == comment_act::reply) {
    if (std::string problem = check_comment_text(req.text); !problem.empty()) {
      return invalid(std::move(problem));
    }
  }
  if (req.act == comment_act::open) {
    if (book.threads.size() >= ctx.max_threads) {
      return invalid("The draft has " + std::to_string(book.threads.size()) +
                     " threads, the most it may have; reply in an existing thread instead.");
    }
    auto anchor = checked_anchor(ctx, req.anchor);
    if (!anchor) return std::move(anchor).err();
    next.n = static_cast<int>(book.threads.size()) + 1;
    next.anchor = std::move(*anchor);
    next.comments.push_back({req.by, req.at, req.text});
  } else {
    auto found = find_thread(book, req.thread);
    if (!found) return std::move(found).err();
    next = **found;
    const std::string n = std::to_string(next.n);
    const bool may_close =
        req.by.state == next.author().state || req.by.state == std::string(chair_state);
    switch (req.act) {
      case comment_act::reply:
        if (next.resolved) {
          return make_error(error_kind::conflict,
                            "Thread " + n + " is resolved: reopen it to reply.");
        }
        if (next.comments.size() >= ctx.max_comments_per_thread) {
          return invalid("Thread " + n + " has " + std::to_string(next.comments.size()) +
                         " comments, the most a thread may have; open a new thread.");
        }
        next.comments.push_back({req.by, req.at, req.text});
        break;
      case comment_act::resolve:
      case comment_act::reopen: {
        const bool resolve = req.act == comment_act::resolve;
        if (!may_close) {
          return make_error(error_kind::forbidden,
                            "Only " + next.author().state + ", who opened thread " + n +
                                ", or the chair can " + (resolve ? "resolve" : "reopen") + " it.");
        }
        if (next.resolved == resolve) {
          return make_error(error_kind::conflict,
                            "Thread " + n + " is already " + (resolve ? "resolved." : "open."));
        }
        next.resolved = resolve;
        next.resolved_by = resolve ? std::optional<actor>(req.by) : std::nullopt;
        next.resolved_at = resolve ? req.at : 0;
        break;
      }
      case comment_act::open:
        break;
    }
  }
  comment_book after = book;
  auto commit = commit_thread(r, after, next, message_of(req, next, ctx.head), req.by, req.at);
  if (!commit) return std::move(commit).err();
  const auto slot = static_cast<std::size_t>(next.n) - 1;
  if (slot == after.threads.size()) {
    after.threads.push_back(next);
  } else {
    after.threads[slot] = next;
  }
  book = std::move(after);
  return comment_outcome{std::move(next), std::move(*commit)};
}

placed_anchor place_anchor(const comment_anchor& a, const snapshot& head,
                           const std::vector<history_entry>* history) {
  placed_anchor out;
  if (a.kind == anchor_kind::proposal && a.clause.empty()) return out;  // an insert's proposal
  const auto c = std::find_if(head.clauses.begin(), head.clauses.end(),
                              [&](const clause& x) { return x.id == a.clause; });
  if (c == head.clauses.end()) {
    out.state = anchor_state::clause_deleted;
    return out;
  }
  out.rev = c->rev;
  if (a.kind != anchor_kind::span) return out;
  if (c->rev == a.rev) {
    out.start = a.start;
    out.end = a.end;
    return out;
  }
  std::vector<std::string> texts;
  if (history) {
    bool from_here = false;
    for (const history_entry& h : *history) {
      if (h.entry.commit == a.rev) from_here = true;
      if (from_here && h.text) texts.push_back(*h.text);
    }
  }
  if (texts.empty()) {  // the rev is not in the clause's history: the thread is on the clause
    out.state = anchor_state::words_gone;
    return out;
  }
  const carried_span s = carry_span_over(a.start, a.end, texts);
  if (s.gone) {
    out.state = anchor_state::words_gone;
    return out;
  }
  out.state = s.changed ? anchor_state::changed : anchor_state::exact;
  out.start = s.start;
  out.end = s.end;
  return out;
}

}  // namespace plenary::storage
