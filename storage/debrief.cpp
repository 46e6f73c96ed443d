#include "storage/debrief.hpp"

#include <git2.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "storage/brackets.hpp"
#include "storage/commit_message.hpp"
#include "storage/debrief_builder.hpp"
#include "storage/text.hpp"
#include "storage/words.hpp"

namespace plenary::storage {
namespace {

// The first code point of a non-empty UTF-8 token (0 when it is not valid UTF-8).
char32_t first_code_point(std::string_view s) {
  const auto b = static_cast<unsigned char>(s[0]);
  if (b < 0x80) return b;
  int extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : -1;
  if (extra < 0 || s.size() < static_cast<std::size_t>(extra) + 1) return 0;
  char32_t cp = b & (0x3F >> extra);
  for (int i = 1; i <= extra; ++i) cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3F);
  return cp;
}

bool is_word_token(std::string_view token) {
  if (token.empty()) return false;
  const char32_t cp = first_code_point(token);
  if (cp < 0x80) {
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  }
  // Not words: Latin-1 punctuation and spaces, general punctuation and spaces (U+2000-206F,
  // dashes, quotes), the bracket marks (U+2016 is in that block; U+27E6, U+27E7), CJK
  // punctuation (U+3000-303F), invalid bytes.
  if (cp == 0 || (cp >= 0x80 && cp <= 0xBF) || (cp >= 0x2000 && cp <= 0x206F) || cp == 0x27E6 ||
      cp == 0x27E7 || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFF0F)) {
    return false;
  }
  return true;
}

// The byte ranges of the proponents' codes (`CODE: `) of the brackets of `text`: the notation,
// not words of the text, so they count for nobody.
std::vector<std::pair<std::size_t, std::size_t>> code_ranges(std::string_view text) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  if (!brackets::has_marks(text)) return out;
  auto parsed = brackets::parse(text);
  if (!parsed) return out;
  for (const auto& b : *parsed) {
    for (const auto& a : b.alternatives) {
      const std::size_t len = a.state.size() + 2;  // "CODE: "
      if (a.start >= len) out.emplace_back(a.start - len, a.start);
    }
  }
  return out;
}

// Words per state of a blame (segments' texts joined give the text, `codes` its bracket codes);
// the words of the text as tabled (attribute_proponents' `tabled`: the tabled commit's words
// outside other proponents' alternatives, and TABLED alternatives) go to `tabled`.
void add_words(const std::vector<blame_segment>& segments,
               const std::vector<std::pair<std::size_t, std::size_t>>& codes,
               std::map<std::string, int>& by_state, int& tabled, int& total) {
  std::size_t offset = 0;
  for (const auto& s : segments) {
    int n = 0;
    std::size_t at = offset;
    for (std::string_view t : words::tokenize(s.text)) {
      const bool in_code = std::any_of(codes.begin(), codes.end(), [&](const auto& r) {
        return at >= r.first && at < r.second;
      });
      if (!in_code && is_word_token(t)) ++n;
      at += t.size();
    }
    offset += s.text.size();
    if (n == 0) continue;
    total += n;
    if (s.tabled) {
      tabled += n;
    } else {
      by_state[s.state] += n;
    }
  }
}

std::vector<word_share> shares(const std::map<std::string, int>& by_state) {
  std::vector<word_share> out;
  for (const auto& [state, n] : by_state) {
    if (n > 0) out.push_back({state, n});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const word_share& a, const word_share& b) { return a.words > b.words; });
  return out;
}

// The '+' pieces of the diff from `tabled` to the version's text split by the blame of that
// text (attributed segments, whose texts joined give it).
std::vector<journey_piece> journey_of(std::string_view tabled, std::string_view now,
                                      const std::vector<blame_segment>& blame) {
  std::vector<journey_piece> out;
  std::size_t offset = 0;  // in `now`
  std::size_t seg = 0;
  std::size_t seg_start = 0;  // offset of blame[seg] in `now`
  for (diff_piece& p : words::diff(tabled, now)) {
    if (p.op == '-') {
      out.push_back({'-', std::move(p.text), {}});
      continue;
    }
    const std::size_t end = offset + p.text.size();
    if (p.op == '=') {
      out.push_back({'=', std::move(p.text), {}});
    } else {
      std::size_t at = offset;
      while (at < end) {
        while (seg < blame.size() && seg_start + blame[seg].text.size() <= at) {
          seg_start += blame[seg].text.size();
          ++seg;
        }
        const std::size_t upto =
            seg < blame.size() ? std::min(end, seg_start + blame[seg].text.size()) : end;
        std::string state = seg < blame.size() ? blame[seg].state : std::string();
        std::string piece(now.substr(at, upto - at));
        if (!out.empty() && out.back().op == '+' && out.back().state == state) {
          out.back().text += piece;
        } else {
          out.push_back({'+', std::move(piece), std::move(state)});
        }
        at = upto;
      }
    }
    offset = end;
  }
  return out;
}

// What one commit of `procedure` says: its act, its author's state, its time.
struct act_commit {
  std::string act;
  std::string state;
  std::int64_t at = 0;
};

std::string trailer(std::string_view message, std::string_view key) {
  std::size_t pos = 0;
  std::string found;
  while (pos < message.size()) {
    std::size_t nl = message.find('\n', pos);
    if (nl == std::string_view::npos) nl = message.size();
    std::string_view line = message.substr(pos, nl - pos);
    if (line.size() > key.size() + 1 && line.substr(0, key.size()) == key &&
        line[key.size()] == ':') {
      found = std::string(line.substr(key.size() + 1));
      while (!found.empty() && found.front() == ' ') found.erase(found.begin());
    }
    pos = nl + 1;
  }
  return found;  // the last one: trailers follow the note
}

result<std::vector<act_commit>> read_acts(const repo& r, const git_oid& tip) {
  std::vector<act_commit> out;
  if (git_oid_is_zero(&tip)) return out;
  git_revwalk* raw = nullptr;
  if (git_revwalk_new(&raw, r.get()) < 0) {
    return git::git_failure(error_kind::io, "Could not walk the branch procedure");
  }
  git::revwalk_ptr walk(raw);
  if (git_revwalk_simplify_first_parent(walk.get()) < 0 || git_revwalk_push(walk.get(), &tip) < 0) {
    return git::git_failure(error_kind::io, "Could not walk the branch procedure");
  }
  git_oid oid;
  while (git_revwalk_next(&oid, walk.get()) == 0) {
    git_commit* c = nullptr;
    if (git_commit_lookup(&c, r.get(), &oid) < 0) {
      return git::git_failure(error_kind::io, "Could not read a commit of the branch procedure");
    }
    git::commit_ptr commit(c);
    const char* message = git_commit_message_raw(c);
    const std::string_view m = message == nullptr ? "" : message;
    const git_signature* author = git_commit_author(c);
    act_commit a;
    a.act = trailer(m, "Act");
    a.state = message::state_from_email(author->email);
    if (a.state.empty()) a.state = trailer(m, "State");
    a.at = author->when.time;
    out.push_back(std::move(a));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

bool is_amendment_op(op_kind op) {
  switch (op) {
    case op_kind::replace:
    case op_kind::insert:
    case op_kind::remove:
    case op_kind::move:
    case op_kind::bracket:
    case op_kind::resolve:
      return true;
    default:
      return false;
  }
}

// The length of a timeline bucket: 5 minutes for a session of up to 6 hours (at most 72 bars),
// 15 minutes up to a day (96), then whole hours so that there are at most about 100 buckets.
std::int64_t step_for(std::int64_t span) {
  if (span <= 6 * 3600) return 300;
  if (span <= 24 * 3600) return 900;
  const std::int64_t hours = (span / 100 + 3599) / 3600;
  return hours * 3600;
}

// Bound on the versions of one head whose debrief is kept (draft.cpp): the page asks for a
// handful (head, adopted, a tag or two); each debrief is a few hundred kilobytes at most.
}  // namespace

int count_words(std::string_view text) {
  int n = 0;
  for (std::string_view t : words::tokenize(text)) n += is_word_token(t) ? 1 : 0;
  return n;
}

void debrief_add_roster(debrief& d, std::span<const actor> roster) {
  std::map<std::string, const actor*> in;
  for (const actor& a : roster) in.emplace(a.state, &a);
  for (auto& s : d.states) {
    auto it = in.find(s.state);
    s.in_roster = s.state == chair_state || it != in.end();
    if (it != in.end() && !it->second->name.empty()) s.name = it->second->name;
  }
  for (const actor& a : roster) {
    auto it = std::find_if(d.states.begin(), d.states.end(),
                           [&](const debrief_state& s) { return s.state == a.state; });
    if (it != d.states.end()) continue;
    debrief_state s;
    s.state = a.state;
    s.name = a.name;
    s.in_roster = true;
    d.states.push_back(std::move(s));
  }
  std::sort(d.states.begin(), d.states.end(),
            [](const debrief_state& a, const debrief_state& b) { return a.state < b.state; });
}

result<debrief> build_debrief(const debrief_source& src) {
  const draft_index& index = src.index;
  debrief d;
  d.title = src.text.title;
  d.version = src.version_name;
  d.commit = src.text.head;
  d.stage = src.head_stage;
  d.commits = index.size();
  d.proposals = src.book.records.size();
  if (index.size() == 0) return d;
  d.head = index.commit(static_cast<std::uint32_t>(index.size() - 1)).entry.commit;
  const log_entry& first = index.commit(0).entry;
  d.tabled_commit = first.commit;
  d.started = first.at;
  d.ended = first.at;

  std::map<std::string, debrief_state> states;
  auto state_of = [&](const std::string& code, const std::string& name) -> debrief_state& {
    debrief_state& s = states[code];
    if (s.state.empty()) s.state = code;
    if (!name.empty()) s.name = name;  // the latest name wins (acts come in time order)
    return s;
  };
  std::map<std::string, std::set<std::string>> touched;
  struct event {
    std::int64_t at;
    std::string state;
    int kind;  // 0 amendment, 1 proposal, 2 support, 3 vote
  };
  std::vector<event> events;

  // main: amendments, adoptions, stages.
  for (std::uint32_t i = 1; i < index.size(); ++i) {
    const log_entry& e = index.commit(i).entry;
    d.ended = std::max(d.ended, e.at);
    if (e.op == op_kind::stage) {
      if (e.stage) d.markers.push_back({e.at, "stage", to_string(*e.stage)});
      continue;
    }
    if (!is_amendment_op(e.op) || e.by.state.empty()) continue;
    debrief_state& s = state_of(e.by.state, e.by.name);
    if (!e.clause.empty()) touched[e.by.state].insert(e.clause);
    events.push_back({e.at, e.by.state, 0});
    if (e.proposal && e.adopted) continue;  // counted with the proposals
    switch (e.op) {
      case op_kind::replace:
        ++s.replace;
        break;
      case op_kind::insert:
        ++s.insert;
        break;
      case op_kind::remove:
        ++s.remove;
        break;
      case op_kind::move:
        ++s.move;
        break;
      case op_kind::bracket:
        ++s.bracket;
        break;
      case op_kind::resolve:
        ++s.resolve;
        break;
      default:
        break;
    }
  }
  for (auto& [code, clauses] : touched)
    states[code].clauses_touched = static_cast<int>(clauses.size());

  // procedure: the records (the truth about each proposal), then the act commits (times).
  for (const proposal_record& p : src.book.records) {
    debrief_state& s = state_of(p.by.state, p.by.name);
    ++s.tabled;
    switch (p.status) {
      case proposal_status::tabled:
      case proposal_status::voting:
        ++s.pending;
        break;
      case proposal_status::adopted:
        ++s.adopted;
        break;
      case proposal_status::rejected:
        ++s.rejected;
        break;
      case proposal_status::withdrawn:
        ++s.withdrawn;
        break;
      case proposal_status::conflict:
        ++s.could_not_apply;
        break;
    }
    for (const std::string& code : p.supporters) ++state_of(code, {}).supports;
    if (!p.vote) continue;
    // A vote is closed when the proposal has an outcome; it went the way vote_carries says.
    const bool closed = p.result.has_value() && p.status != proposal_status::voting;
    const bool carried = vote_carries(p.vote->threshold, p.vote->count());
    for (const std::string& code : p.vote->yes) {
      debrief_state& v = state_of(code, {});
      ++v.votes_yes;
      if (closed) {
        ++v.votes_decided;
        if (carried) ++v.votes_matched;
      }
    }
    for (const std::string& code : p.vote->no) {
      debrief_state& v = state_of(code, {});
      ++v.votes_no;
      if (closed) {
        ++v.votes_decided;
        if (!carried) ++v.votes_matched;
      }
    }
    for (const std::string& code : p.vote->abstain) ++state_of(code, {}).votes_abstain;
  }
  auto acts = read_acts(src.r, src.book.tip);
  if (!acts) return std::move(acts).err();
  d.acts = acts->size();
  for (const act_commit& a : *acts) {
    d.ended = std::max(d.ended, a.at);
    int kind = a.act == "table" ? 1 : a.act == "support" ? 2 : a.act == "vote" ? 3 : -1;
    if (kind < 0 || a.state.empty()) continue;
    events.push_back({a.at, a.state, kind});
  }
  for (const version& v : src.versions) {
    if (v.name == "adopted") continue;  // the stage marker says it
    d.markers.push_back({v.at, "tag", v.name});
  }
  std::stable_sort(d.markers.begin(), d.markers.end(),
                   [](const debrief_marker& a, const debrief_marker& b) { return a.at < b.at; });

  // The timeline.
  d.timeline_step = step_for(d.ended - d.started);
  d.timeline_start = d.started - (d.started % d.timeline_step + d.timeline_step) % d.timeline_step;
  d.timeline_buckets = static_cast<int>((d.ended - d.timeline_start) / d.timeline_step) + 1;
  std::map<std::pair<int, std::string>, debrief_bucket> buckets;
  for (const event& ev : events) {
    const int b = static_cast<int>(std::clamp<std::int64_t>(
        (ev.at - d.timeline_start) / d.timeline_step, 0, d.timeline_buckets - 1));
    debrief_bucket& bk = buckets[{b, ev.state}];
    bk.bucket = b;
    bk.state = ev.state;
    (ev.kind == 0   ? bk.amendments
     : ev.kind == 1 ? bk.proposals
     : ev.kind == 2 ? bk.supports
                    : bk.votes)++;
  }
  for (auto& [key, bk] : buckets) d.timeline.push_back(std::move(bk));

  // The text: one pass over each clause's changes, blame carried, stopping at each checkpoint
  // (the tabled text, each tag before the chosen version, the chosen version).
  struct checkpoint {
    std::uint32_t position;
    debrief_checkpoint out;
    std::map<std::string, int> by_state;
  };
  std::vector<checkpoint> points;
  points.push_back({0, {"tabled", first.commit, first.at, 0, 0, {}}, {}});
  for (const version& v : src.versions) {
    auto pos = index.find_commit(v.commit);
    if (!pos || *pos == 0 || *pos >= src.position) continue;
    points.push_back({*pos, {v.name, v.commit, v.at, 0, 0, {}}, {}});
  }
  {
    const log_entry& e = index.commit(src.position).entry;
    points.push_back({src.position, {src.version_name, e.commit, e.at, 0, 0, {}}, {}});
  }
  std::stable_sort(points.begin(), points.end(), [](const checkpoint& a, const checkpoint& b) {
    return a.position < b.position;
  });

  struct clause_texts {
    std::optional<std::string> tabled;  // the text as tabled
    std::optional<std::string> now;     // at the chosen version
    std::vector<blame_segment> blame;   // at the chosen version, attributed
  };
  std::unordered_map<std::string, clause_texts> texts;
  // Blame is carried by commit position (words::blame_carrier), made segments at checkpoints.
  const auto attribution = [&index](std::uint32_t position) {
    const log_entry& e = index.commit(position).entry;
    return std::pair<std::string_view, std::string_view>(e.commit, e.by.state);
  };
  words::blame_carrier blame;
  for (const auto& [id, record] : index.clauses()) {
    blame.clear();
    std::size_t next = 0;
    clause_texts& ct = texts[id];
    for (checkpoint& cp : points) {
      while (next < record.changes.size() && record.changes[next].commit <= cp.position) {
        const auto& ch = record.changes[next++];
        if (!ch.blob) {
          blame.clear();
          continue;
        }
        auto file = src.r.read_blob(*ch.blob);
        if (!file) return std::move(file).err();
        blame.carry(text_of_file(std::move(*file)), ch.commit);
      }
      if (!blame.has_text()) continue;
      const std::string& text = blame.text();
      auto attributed = brackets::attribute_proponents(blame.segments(attribution), first.commit);
      add_words(attributed, code_ranges(text), cp.by_state, cp.out.tabled_words, cp.out.words);
      if (cp.position == 0) ct.tabled = text;
      if (cp.position == src.position) {
        ct.now = text;
        ct.blame = std::move(attributed);
      }
    }
  }
  for (checkpoint& cp : points) {
    cp.out.by_state = shares(cp.by_state);
    d.journey.push_back(std::move(cp.out));
  }

  // The clauses of the chosen version, in order, then those tabled and no longer there.
  std::map<std::string, int> words_of_state;
  for (const clause& c : src.text.clauses) {
    debrief_clause dc;
    dc.id = c.id;
    dc.kind = c.kind;
    dc.number = c.number;
    const clause_texts& ct = texts[c.id];
    std::map<std::string, int> by_state;
    add_words(ct.blame, code_ranges(c.text), by_state, dc.tabled_words, dc.words);
    for (const auto& [code, n] : by_state) words_of_state[code] += n;
    dc.by_state = shares(by_state);
    if (brackets::has_marks(c.text)) {
      if (auto parsed = brackets::parse(c.text))
        dc.open_brackets = static_cast<int>(parsed->size());
    }
    dc.journey = journey_of(ct.tabled.value_or(""), c.text, ct.blame);
    d.words += dc.words;
    d.tabled_words += dc.tabled_words;
    d.open_brackets += dc.open_brackets;
    d.clauses.push_back(std::move(dc));
  }
  for (const clause& c : src.tabled.clauses) {
    const clause_texts& ct = texts[c.id];
    if (!ct.tabled || ct.now) continue;
    debrief_clause dc;
    dc.id = c.id;
    dc.kind = c.kind;
    dc.number = c.number;  // as tabled
    dc.removed = true;
    dc.journey.push_back({'-', *ct.tabled, {}});
    d.clauses.push_back(std::move(dc));
  }
  for (const auto& [code, n] : words_of_state) state_of(code, {}).words = n;

  for (auto& [code, s] : states) {
    if (s.name.empty()) s.name = code == chair_state ? "Chair" : code;
    d.states.push_back(std::move(s));
  }
  return d;
}

}  // namespace plenary::storage
