// Fuzz target: sequences of storage operations decoded from the input — batches of
// replace / insert / delete / move (storage::draft::amend_all) with arbitrary texts and notes,
// stale and foreign bases, bad and deleted ids, bad authors and times, reopenings and reads of
// old versions — applied to a fresh storage::draft (fsync off, in a temporary directory on
// tmpfs when there is one) and held after every step to a simple in-memory model:
//   - each request succeeds or fails exactly as the model says, with the error kind it says
//     (invalid, not_found, conflict), and nothing else changes when it fails;
//   - a success is one commit on top of the previous one, with the author, time, op, clause
//     and note asked for, and the clause and order the model expects;
//   - head() is the model's current text: order, ids, kinds, numbers, texts, revs, authors;
//   - log() is the model's list of commits, each the parent of the next;
//   - history(): the commits that created, changed or deleted the clause, with their texts,
//     and each diff joins to the previous and the new text;
//   - blame() joins to the current text, each piece from a commit of the clause's history;
//   - at(commit) is the model's text at that commit, at(head) equals head(); a reopened draft
//     equals the one before.
// The model's merge of a stale replace is words::merge's (three-way merge has its own unit
// tests); everything else in the model is written from the contract.
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fuzz_common.hpp"
#include "storage/draft.hpp"
#include "storage/words.hpp"

namespace st = plenary::storage;
namespace fs = std::filesystem;
using namespace plenary::fuzz;

namespace {

constexpr std::int64_t t0 = 1795774500;  // 2026-11-27T10:15:00Z
constexpr std::size_t max_commands = 24;

// Reads the fuzz input a byte or a string at a time; zeros once it is used up.
struct input {
  const std::uint8_t* p;
  std::size_t n;
  bool done() const { return n == 0; }
  unsigned byte() {
    if (n == 0) return 0;
    --n;
    return *p++;
  }
  std::string bytes(std::size_t k) {
    k = std::min(k, n);
    std::string s(reinterpret_cast<const char*>(p), k);
    p += k;
    n -= k;
    return s;
  }
};

// ---- the model ------------------------------------------------------------------------
struct mclause {
  std::string id;
  st::clause_kind kind = st::clause_kind::operative;
  std::string text, rev, by;
};
using mstate = std::vector<mclause>;

struct model {
  std::vector<std::string> commits;  // in order; commits[0] is the open commit
  std::vector<mstate> states;        // the draft after each commit
  std::vector<std::string> authors;  // state code of each commit
  std::set<std::string> ever;        // every clause id ever created
  int max_id = 0;
  std::size_t published = 0;  // commits[0..published) are on main

  const mstate& cur() const { return states.back(); }
  std::optional<std::size_t> position(const mstate& s, std::string_view id) const {
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i].id == id) return i;
    }
    return std::nullopt;
  }
  std::optional<std::size_t> commit_index(std::string_view c) const {
    for (std::size_t i = 0; i < published; ++i) {
      if (commits[i] == c) return i;
    }
    return std::nullopt;
  }
};

// What the model says a request does: an error kind, or the draft after it.
struct prediction {
  std::optional<st::error_kind> error;
  mstate after;        // the new state; the changed clause's rev is filled in later
  std::string clause;  // the clause the commit is about
  bool text_changed = false;
  bool merged = false;
};

prediction fail(st::error_kind k) {
  prediction p;
  p.error = k;
  return p;
}

bool actor_ok(const st::actor& a) {
  return state_ok(a.state) && title_ok(a.name) && a.name.find_first_of("<>") == std::string::npos;
}

// Clause not current: a conflict if it once existed (deleted), otherwise not found.
prediction missing(const model& m, const std::string& id) {
  return fail(m.ever.contains(id) ? st::error_kind::conflict : st::error_kind::not_found);
}

prediction predict(const model& m, const st::request& r) {
  using st::error_kind;
  const st::amendment& a = r.change;
  if (!actor_ok(r.by) || r.at < 0 || r.at > 253402300799 || !note_ok(a.note)) {
    return fail(error_kind::invalid);
  }
  const mstate& cur = m.cur();
  prediction p;
  p.after = cur;
  switch (a.op) {
    case st::op_kind::replace: {
      if (!clause_id_ok(a.clause) || !commit_id_ok(a.base) || !clause_text_ok(a.text)) {
        return fail(error_kind::invalid);
      }
      auto at = m.position(cur, a.clause);
      if (!at) return missing(m, a.clause);
      const mclause& c = cur[*at];
      std::string text = a.text;
      if (a.base != c.rev) {
        auto base = m.commit_index(a.base);
        if (!base) return fail(error_kind::conflict);
        auto then = m.position(m.states[*base], a.clause);
        if (!then) return fail(error_kind::conflict);
        const std::string& base_text = m.states[*base][*then].text;
        if (base_text != c.text) {
          auto merged = st::words::merge(base_text, c.text, a.text);
          if (!merged) return fail(error_kind::conflict);
          text = *merged;
          p.merged = true;
        }
      }
      if (text == c.text) return fail(error_kind::invalid);
      if (p.merged && !clause_text_ok(text)) return fail(error_kind::conflict);
      p.after[*at].text = text;
      p.clause = c.id;
      p.text_changed = true;
      return p;
    }
    case st::op_kind::insert: {
      if (a.kind != st::clause_kind::heading && a.kind != st::clause_kind::preamble &&
          a.kind != st::clause_kind::operative) {
        return fail(error_kind::invalid);
      }
      if (!clause_text_ok(a.text)) return fail(error_kind::invalid);
      std::size_t to = 0;
      if (a.after) {
        if (!clause_id_ok(*a.after)) return fail(error_kind::invalid);
        auto at = m.position(cur, *a.after);
        if (!at) return fail(error_kind::not_found);
        to = *at + 1;
      }
      mclause added{"c" + std::to_string(m.max_id + 1), a.kind, a.text, "", r.by.state};
      p.after.insert(p.after.begin() + static_cast<std::ptrdiff_t>(to), added);
      p.clause = added.id;
      p.text_changed = true;
      return p;
    }
    case st::op_kind::remove: {
      if (!clause_id_ok(a.clause) || !commit_id_ok(a.base)) return fail(error_kind::invalid);
      auto at = m.position(cur, a.clause);
      if (!at) return missing(m, a.clause);
      if (a.base != cur[*at].rev) return fail(error_kind::conflict);
      p.after.erase(p.after.begin() + static_cast<std::ptrdiff_t>(*at));
      p.clause = a.clause;
      p.text_changed = true;
      return p;
    }
    case st::op_kind::move: {
      if (!clause_id_ok(a.clause)) return fail(error_kind::invalid);
      if (a.after && (!clause_id_ok(*a.after) || *a.after == a.clause)) {
        return fail(error_kind::invalid);
      }
      auto from = m.position(cur, a.clause);
      if (!from) return missing(m, a.clause);
      mclause moving = cur[*from];
      p.after.erase(p.after.begin() + static_cast<std::ptrdiff_t>(*from));
      std::size_t to = 0;
      if (a.after) {
        auto at = m.position(p.after, *a.after);
        if (!at) return fail(error_kind::not_found);
        to = *at + 1;
      }
      if (to == *from) return fail(error_kind::invalid);
      p.after.insert(p.after.begin() + static_cast<std::ptrdiff_t>(to), moving);
      p.clause = a.clause;
      return p;
    }
    default:  // open, and the chair's procedural commits: not generated here
      break;
  }
  return fail(error_kind::invalid);
}

// ---- decoding requests ----------------------------------------------------------------
const char* const word_pool[] = {"the",   "States", "shall", "cooperate", "in",       "good",
                                 "faith", "not",    "to",    "use",       "networks", ",",
                                 ".",     ";",      "\n",    "\t",        "Ωμέγα",    "中文字",
                                 "Übung", "—",      "«",     "»",         "2011",     "a-b"};

std::string pool_text(input& in, std::size_t words) {
  std::string s;
  for (std::size_t i = 0; i < words; ++i) {
    if (i) s += ' ';
    s += word_pool[in.byte() % std::size(word_pool)];
  }
  return s;
}

// A text: from the word pool, an edit of `base` (so that stale replaces can merge), raw
// bytes from the input, or one of the edge cases of the rules.
std::string make_text(input& in, const std::string& base) {
  const unsigned mode = in.byte();
  if (mode < 100) return pool_text(in, 1 + in.byte() % 8);
  if (mode < 200) {
    // Replace, insert or delete one space-separated word of `base`.
    std::vector<std::string> ws;
    std::size_t start = 0;
    while (start <= base.size()) {
      auto sp = base.find(' ', start);
      if (sp == std::string::npos) sp = base.size();
      ws.push_back(base.substr(start, sp - start));
      start = sp + 1;
    }
    const std::size_t at = in.byte() % ws.size();
    switch (in.byte() % 3) {
      case 0:
        ws[at] = word_pool[in.byte() % std::size(word_pool)];
        break;
      case 1:
        ws.insert(ws.begin() + static_cast<std::ptrdiff_t>(at),
                  word_pool[in.byte() % std::size(word_pool)]);
        break;
      default:
        if (ws.size() > 1) ws.erase(ws.begin() + static_cast<std::ptrdiff_t>(at));
        break;
    }
    std::string s;
    for (std::size_t i = 0; i < ws.size(); ++i) s += (i ? " " : "") + ws[i];
    return s;
  }
  if (mode < 240) return in.bytes(in.byte() % 48);
  static const std::string edges[] = {std::string(16384, 'a'),
                                      std::string(16385, 'a'),
                                      "",
                                      "   ",
                                      "\n\t\n",
                                      "\u200b",
                                      "\ufeff",
                                      "\u3000x",
                                      "a\rb",
                                      "a\x01"
                                      "b",
                                      "a\x7f",
                                      "\xc2\x85",
                                      "\xff",
                                      "\xc0\xaf",
                                      "\xed\xa0\x80",
                                      "\xf4\x90\x80\x80",
                                      "ends with a newline\n",
                                      "\n\nstarts with two",
                                      "x",
                                      "😀 emoji",
                                      std::string("a\0b", 3)};
  return edges[in.byte() % std::size(edges)];
}

std::string make_note(input& in) {
  const unsigned mode = in.byte();
  if (mode < 200) return "";
  if (mode < 240) return in.bytes(in.byte() % 32);
  return mode % 2 ? std::string(2048, 'n') : std::string(2049, 'n');
}

st::actor make_actor(input& in) {
  const unsigned b = in.byte();
  if (b < 100) return {"RUS", "Russian Federation"};
  if (b < 200) return {"FRA", "France"};
  if (b < 245) return {"CHAIR", "Chair"};
  static const st::actor bad[] = {{"rus", "Russia"},    {"RUS", "A <b>"}, {"RUS", ""},
                                  {"TOOLONGCODE", "X"}, {"R", "X"},       {"RUS", "line\nbreak"}};
  return bad[b % std::size(bad)];
}

// A clause id: a current one, a deleted one, one never used, or a malformed one.
std::string make_id(input& in, const model& m) {
  const unsigned b = in.byte();
  const mstate& cur = m.cur();
  if (b < 190 && !cur.empty()) return cur[b % cur.size()].id;
  if (b < 215) {
    for (const auto& id : m.ever) {
      if (!m.position(cur, id) && b % 2 == 0) return id;
    }
  }
  if (b < 235) return "c" + std::to_string(m.max_id + 1 + b % 3);
  static const char* const bad[] = {
      "", "C1", "../c1", "c1/", "c 1", "ç1", "abcdefghijklmnopqrstuvwxyz0123456"};
  return bad[b % std::size(bad)];
}

// A base: the clause's current rev, an earlier commit, a commit of no draft, or malformed.
std::string make_base(input& in, const model& m, const std::string& id) {
  const unsigned b = in.byte();
  if (b < 150) {
    if (auto at = m.position(m.cur(), id)) return m.cur()[*at].rev;
  }
  if (b < 220 && m.published > 0) return m.commits[b % m.published];
  if (b < 240) return std::string(39, 'a') + static_cast<char>('0' + b % 10);
  static const char* const bad[] = {"HEAD", "", "main", "ABCDEF0123456789ABCDEF0123456789ABCDEF01"};
  return bad[b % std::size(bad)];
}

std::optional<std::string> make_after(input& in, const model& m) {
  if (in.byte() % 4 == 0) return std::nullopt;
  return make_id(in, m);
}

st::request make_request(input& in, const model& m, std::int64_t step) {
  st::request r;
  r.by = make_actor(in);
  const unsigned t = in.byte();
  r.at = t < 250 ? t0 + step : (t % 2 ? -1 : 253402300800);
  r.change.note = make_note(in);
  const unsigned op = in.byte() % 10;
  switch (op) {
    case 0:
    case 1:
    case 2:
    case 3: {
      r.change.op = st::op_kind::replace;
      r.change.clause = make_id(in, m);
      r.change.base = make_base(in, m, r.change.clause);
      std::string base_text;
      if (auto c = m.commit_index(r.change.base)) {
        if (auto at = m.position(m.states[*c], r.change.clause)) base_text = m.states[*c][*at].text;
      }
      r.change.text = make_text(in, base_text);
      break;
    }
    case 4:
    case 5: {
      r.change.op = st::op_kind::insert;
      r.change.after = make_after(in, m);
      const unsigned k = in.byte();
      r.change.kind =
          k < 250 ? static_cast<st::clause_kind>(k % 3) : static_cast<st::clause_kind>(k);
      r.change.text = make_text(in, "");
      break;
    }
    case 6:
    case 7:
      r.change.op = st::op_kind::remove;
      r.change.clause = make_id(in, m);
      r.change.base = make_base(in, m, r.change.clause);
      break;
    case 8:
      r.change.op = st::op_kind::move;
      r.change.clause = make_id(in, m);
      r.change.after = make_after(in, m);
      break;
    default:
      r.change.op = st::op_kind::open;  // not an amendment
      r.change.clause = make_id(in, m);
      break;
  }
  return r;
}

// ---- comparing the draft with the model -------------------------------------------------
void check_clauses(const std::vector<st::clause>& got, const mstate& want, const char* where) {
  FUZZ_CHECK(got.size() == want.size(), "%s: %zu clauses, the model has %zu", where, got.size(),
             want.size());
  int number = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const st::clause& g = got[i];
    const mclause& w = want[i];
    FUZZ_CHECK(g.id == w.id, "%s: clause %zu is %s, the model has %s", where, i, g.id.c_str(),
               w.id.c_str());
    FUZZ_CHECK(g.kind == w.kind, "%s: kind of %s", where, g.id.c_str());
    FUZZ_CHECK(g.text == w.text, "%s: text of %s is \"%s\", the model has \"%s\"", where,
               g.id.c_str(), g.text.c_str(), w.text.c_str());
    FUZZ_CHECK(g.rev == w.rev, "%s: rev of %s", where, g.id.c_str());
    FUZZ_CHECK(g.by == w.by, "%s: by of %s is %s, the model has %s", where, g.id.c_str(),
               g.by.c_str(), w.by.c_str());
    if (w.kind == st::clause_kind::operative) {
      FUZZ_CHECK(g.number == ++number, "%s: number of %s", where, g.id.c_str());
    } else {
      FUZZ_CHECK(!g.number, "%s: %s is numbered", where, g.id.c_str());
    }
  }
}

void check_log(const st::draft& d, const model& m) {
  auto log = d.log();
  FUZZ_CHECK(log.size() == m.commits.size(), "log has %zu entries, the model %zu", log.size(),
             m.commits.size());
  for (std::size_t i = 0; i < log.size(); ++i) {
    const std::size_t k = log.size() - 1 - i;
    FUZZ_CHECK(log[i].commit == m.commits[k], "log entry %zu", i);
    FUZZ_CHECK(log[i].by.state == m.authors[k], "author of log entry %zu", i);
    FUZZ_CHECK(log[i].parent == (k == 0 ? "" : m.commits[k - 1]), "parent of log entry %zu", i);
  }
}

void check_history_and_blame(const st::draft& d, const model& m, const std::string& id) {
  auto h = d.history(id);
  if (!clause_id_ok(id)) {
    FUZZ_CHECK(!h && h.err().kind == st::error_kind::invalid, "history of a bad id");
    return;
  }
  if (!m.ever.contains(id)) {
    FUZZ_CHECK(!h && h.err().kind == st::error_kind::not_found, "history of an unknown id");
    return;
  }
  FUZZ_CHECK(h.ok(), "history of %s: %s", id.c_str(), h.ok() ? "" : h.err().message.c_str());
  // The model's history: where the clause appeared, changed its text, or went.
  std::vector<std::pair<std::string, std::optional<std::string>>> want;
  std::optional<std::string> before;
  for (std::size_t i = 0; i < m.commits.size(); ++i) {
    std::optional<std::string> now;
    if (auto at = m.position(m.states[i], id)) now = m.states[i][*at].text;
    if (now != before) want.emplace_back(m.commits[i], now);
    before = now;
  }
  FUZZ_CHECK(h->size() == want.size(), "history of %s has %zu entries, the model %zu", id.c_str(),
             h->size(), want.size());
  std::string previous;
  std::set<std::string> commits;
  for (std::size_t i = 0; i < want.size(); ++i) {
    const st::history_entry& e = (*h)[i];
    FUZZ_CHECK(e.entry.commit == want[i].first, "history entry %zu of %s", i, id.c_str());
    FUZZ_CHECK(e.text == want[i].second, "text of history entry %zu of %s", i, id.c_str());
    std::string old_text, new_text;
    for (const auto& piece : e.diff) {
      FUZZ_CHECK(piece.op == '=' || piece.op == '+' || piece.op == '-', "diff op");
      if (piece.op != '+') old_text += piece.text;
      if (piece.op != '-') new_text += piece.text;
    }
    FUZZ_CHECK(old_text == previous, "diff %zu of %s does not join to the previous text", i,
               id.c_str());
    FUZZ_CHECK(new_text == e.text.value_or(""), "diff %zu of %s does not join to the text", i,
               id.c_str());
    previous = e.text.value_or("");
    commits.insert(e.entry.commit);
  }
  auto b = d.blame(id);
  auto at = m.position(m.cur(), id);
  if (!at) {
    FUZZ_CHECK(!b && b.err().kind == st::error_kind::not_found, "blame of a deleted clause");
    return;
  }
  FUZZ_CHECK(b.ok(), "blame of %s", id.c_str());
  std::string joined;
  for (const auto& seg : *b) {
    joined += seg.text;
    FUZZ_CHECK(commits.contains(seg.commit), "blame of %s names a commit not in its history",
               id.c_str());
    for (std::size_t i = 0; i < m.commits.size(); ++i) {
      if (m.commits[i] == seg.commit) FUZZ_CHECK(seg.state == m.authors[i], "blame state");
    }
  }
  FUZZ_CHECK(joined == m.cur()[*at].text, "blame of %s does not join to its text", id.c_str());
}

void check_at(const st::draft& d, const model& m, std::size_t k) {
  auto s = d.at(m.commits[k]);
  FUZZ_CHECK(s.ok(), "at(commit %zu): %s", k, s.ok() ? "" : s.err().message.c_str());
  FUZZ_CHECK(s->head == m.commits[k], "at(commit %zu).head", k);
  check_clauses(s->clauses, m.states[k], "at()");
}

// ---- the target -----------------------------------------------------------------------
fs::path work_dir() {
  // Never destroyed: the exit handler that removes it runs after static destructors.
  static const fs::path& dir = *new fs::path([] {
    std::error_code ec;
    fs::path base =
        fs::is_directory("/dev/shm", ec) ? fs::path("/dev/shm") : fs::temp_directory_path();
    std::string pattern = (base / "plenary-fuzz-XXXXXX").string();
    FUZZ_CHECK(::mkdtemp(pattern.data()) != nullptr, "cannot make a temporary directory");
    std::atexit([] {
      std::error_code e;
      fs::remove_all(work_dir(), e);
    });
    return fs::path(pattern);
  }());
  return dir;
}

void run(input& in) {
  static st::library lib({.fsync = false});
  const fs::path path = work_dir() / "drafts" / "fuzz.git";
  fs::remove_all(work_dir() / "drafts");

  // The draft to start from: one to five clauses of any kind.
  st::draft_spec spec;
  spec.title = "Fuzz";
  const unsigned n = 1 + in.byte() % 5;
  for (unsigned i = 0; i < n; ++i) {
    spec.clauses.push_back(
        {static_cast<st::clause_kind>(in.byte() % 3), "Clause " + std::to_string(i + 1) + "."});
  }
  auto created = st::draft::create(path, spec, {"CHAIR", "Chair"}, t0);
  FUZZ_CHECK(created.ok(), "create: %s", created.ok() ? "" : created.err().message.c_str());
  std::unique_ptr<st::draft> d = std::move(*created);

  model m;
  m.commits.push_back(d->head().head);
  m.authors.push_back("CHAIR");
  mstate first;
  for (unsigned i = 0; i < n; ++i) {
    first.push_back({"c" + std::to_string(i + 1), spec.clauses[i].kind, spec.clauses[i].text,
                     m.commits[0], "CHAIR"});
    m.ever.insert(first.back().id);
  }
  m.states.push_back(first);
  m.max_id = static_cast<int>(n);
  m.published = 1;
  check_clauses(d->head().clauses, m.cur(), "after create");

  std::int64_t step = 0;
  for (std::size_t command = 0; command < max_commands && !in.done(); ++command) {
    const unsigned c = in.byte();
    if (c % 16 == 15) {
      // Reopen: a draft read back from disk equals the one in memory.
      d.reset();
      auto reopened = st::draft::open(path);
      FUZZ_CHECK(reopened.ok(), "reopen: %s", reopened.ok() ? "" : reopened.err().message.c_str());
      d = std::move(*reopened);
    } else if (c % 16 == 14) {
      check_at(*d, m, in.byte() % m.commits.size());
      FUZZ_CHECK(d->at("HEAD").err().kind == st::error_kind::invalid, "at(HEAD)");
      FUZZ_CHECK(d->at(std::string(40, 'e')).err().kind == st::error_kind::not_found,
                 "at(unknown)");
    } else {
      // A batch of one to four requests, committed together.
      const std::size_t size = 1 + (c >> 4) % 4;
      std::vector<st::request> requests;
      std::vector<prediction> predictions;
      model before = m;
      for (std::size_t i = 0; i < size; ++i) {
        requests.push_back(make_request(in, m, ++step));
        predictions.push_back(predict(m, requests.back()));
        if (!predictions.back().error) {
          // Later requests of the batch see this one (its commit id comes with the result).
          const prediction& p = predictions.back();
          m.states.push_back(p.after);
          m.commits.push_back("(pending)");
          m.authors.push_back(requests.back().by.state);
          if (requests.back().change.op == st::op_kind::insert) {
            ++m.max_id;
            m.ever.insert(p.clause);
          }
        }
      }
      auto results = d->amend_all(requests);
      FUZZ_CHECK(results.size() == requests.size(), "amend_all gave %zu results for %zu requests",
                 results.size(), requests.size());
      m = before;
      for (std::size_t i = 0; i < results.size(); ++i) {
        const st::request& r = requests[i];
        prediction p = predict(m, r);  // again, now with the real commit ids of earlier ones
        auto& res = results[i];
        if (p.error) {
          FUZZ_CHECK(!res.ok(), "request %zu (op %s) succeeded, the model expected %s", i,
                     st::to_string(r.change.op), st::to_string(*p.error));
          FUZZ_CHECK(res.err().kind == *p.error,
                     "request %zu (op %s) failed with %s (%s), the model expected %s", i,
                     st::to_string(r.change.op), st::to_string(res.err().kind),
                     res.err().message.c_str(), st::to_string(*p.error));
          FUZZ_CHECK(!res.err().message.empty(), "an error without a message");
          continue;
        }
        FUZZ_CHECK(res.ok(), "request %zu (op %s) failed: %s (%s)", i, st::to_string(r.change.op),
                   st::to_string(res.err().kind), res.err().message.c_str());
        const st::applied& a = *res;
        FUZZ_CHECK(commit_id_ok(a.entry.commit), "commit id");
        for (const auto& known : m.commits)
          FUZZ_CHECK(known != a.entry.commit, "a commit id twice");
        FUZZ_CHECK(a.entry.parent == m.commits.back(), "parent of request %zu", i);
        FUZZ_CHECK(a.entry.by.state == r.by.state && a.entry.by.name == r.by.name, "author");
        FUZZ_CHECK(a.entry.at == r.at && a.entry.op == r.change.op && a.entry.note == r.change.note,
                   "time, op or note of request %zu", i);
        FUZZ_CHECK(a.entry.clause == p.clause, "clause of request %zu: %s, the model %s", i,
                   a.entry.clause.c_str(), p.clause.c_str());
        FUZZ_CHECK(a.merged == p.merged, "merged of request %zu", i);
        if (p.text_changed) {
          if (auto at = m.position(p.after, p.clause)) {
            p.after[*at].rev = a.entry.commit;
            p.after[*at].by = r.by.state;
          }
        }
        if (r.change.op == st::op_kind::remove) {
          FUZZ_CHECK(!a.after, "a deleted clause came back");
        } else {
          auto at = m.position(p.after, p.clause);
          FUZZ_CHECK(a.after.has_value() && at, "the clause after request %zu", i);
          const mclause& want = p.after[*at];
          const st::clause& got = *a.after;
          int number = 0;
          for (std::size_t k = 0; k <= *at; ++k)
            number += p.after[k].kind == st::clause_kind::operative;
          FUZZ_CHECK(got.id == want.id && got.kind == want.kind && got.text == want.text &&
                         got.rev == want.rev && got.by == want.by,
                     "applied.after of request %zu", i);
          FUZZ_CHECK(want.kind == st::clause_kind::operative ? got.number == number : !got.number,
                     "applied.after number of request %zu", i);
        }
        std::vector<std::string> order;
        for (const auto& x : p.after) order.push_back(x.id);
        FUZZ_CHECK(a.order == order, "order after request %zu", i);
        m.commits.push_back(a.entry.commit);
        m.states.push_back(std::move(p.after));
        m.authors.push_back(r.by.state);
        if (r.change.op == st::op_kind::insert) {
          ++m.max_id;
          m.ever.insert(p.clause);
        }
      }
      m.published = m.commits.size();
      if (std::getenv("PLENARY_FUZZ_VERBOSE")) {
        for (std::size_t i = 0; i < results.size(); ++i) {
          std::fprintf(stderr, "  %s: %s\n", st::to_string(requests[i].change.op),
                       results[i] ? "ok" : results[i].err().message.c_str());
        }
      }
    }
    // After every step, the whole draft against the model.
    FUZZ_CHECK(d->head().head == m.commits.back(), "head commit");
    FUZZ_CHECK(d->head().title == "Fuzz", "title");
    check_clauses(d->head().clauses, m.cur(), "head()");
    check_log(*d, m);
    auto at_head = d->at(m.commits.back());
    FUZZ_CHECK(at_head.ok() && at_head->head == d->head().head, "at(head)");
    check_clauses(at_head->clauses, m.cur(), "at(head)");
    check_history_and_blame(*d, m, make_id(in, m));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  input in{data, size};
  run(in);
  return 0;
}
