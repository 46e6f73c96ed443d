// Maps storage's values onto protocol's wire vocabulary. The two layers never include each
// other; this is the one place that knows both.
#pragma once

#include "protocol/messages.hpp"
#include "storage/comments.hpp"
#include "storage/model.hpp"
#include "storage/result.hpp"
#include "storage/versions.hpp"

namespace plenary::server {

inline storage::clause_kind to_storage(protocol::clause_kind k) {
  switch (k) {
    case protocol::clause_kind::heading:
      return storage::clause_kind::heading;
    case protocol::clause_kind::preamble:
      return storage::clause_kind::preamble;
    case protocol::clause_kind::operative:
      return storage::clause_kind::operative;
  }
  return storage::clause_kind::operative;
}

inline protocol::clause_kind to_wire(storage::clause_kind k) {
  switch (k) {
    case storage::clause_kind::heading:
      return protocol::clause_kind::heading;
    case storage::clause_kind::preamble:
      return protocol::clause_kind::preamble;
    case storage::clause_kind::operative:
      return protocol::clause_kind::operative;
  }
  return protocol::clause_kind::operative;
}

inline protocol::clause to_wire(const storage::clause& c) {
  return {c.id, to_wire(c.kind), c.number, c.text, c.rev, c.by};
}

inline protocol::draft_view to_wire(const std::string& slug, const storage::snapshot& s) {
  protocol::draft_view v{slug, s.title, s.head, {}, storage::to_string(s.stage), s.sponsors};
  v.clauses.reserve(s.clauses.size());
  for (const auto& c : s.clauses) v.clauses.push_back(to_wire(c));
  return v;
}

inline std::optional<protocol::vote_tally> to_wire(const std::optional<storage::vote_count>& v) {
  if (!v) return std::nullopt;
  return protocol::vote_tally{v->yes, v->no, v->abstain};
}

inline std::optional<std::string> adopted_name(const std::optional<storage::adoption_kind>& a) {
  if (!a) return std::nullopt;
  return std::string(storage::to_string(*a));
}

inline protocol::log_entry to_wire(const storage::log_entry& e) {
  protocol::log_entry w{e.commit, {e.by.state, e.by.name}, e.at, storage::to_string(e.op), e.clause,
                        e.note};
  if (e.stage) w.stage = storage::to_string(*e.stage);
  w.proposal = e.proposal;
  w.adopted = adopted_name(e.adopted);
  w.vote = to_wire(e.vote);
  return w;
}

inline std::vector<protocol::log_entry> to_wire(const std::vector<storage::log_entry>& es) {
  std::vector<protocol::log_entry> out;
  out.reserve(es.size());
  for (const auto& e : es) out.push_back(to_wire(e));
  return out;
}

inline std::vector<protocol::history_entry> to_wire(const std::vector<storage::history_entry>& hs) {
  std::vector<protocol::history_entry> out;
  out.reserve(hs.size());
  for (const auto& h : hs) {
    protocol::history_entry w{to_wire(h.entry), h.text, {}};
    w.diff.reserve(h.diff.size());
    for (const auto& d : h.diff) w.diff.push_back({d.op, d.text});
    out.push_back(std::move(w));
  }
  return out;
}

inline std::vector<protocol::blame_segment> to_wire(const std::vector<storage::blame_segment>& bs) {
  std::vector<protocol::blame_segment> out;
  out.reserve(bs.size());
  for (const auto& b : bs) out.push_back({b.text, b.state, b.commit, b.tabled});
  return out;
}

inline protocol::error_code to_wire(storage::error_kind k) {
  switch (k) {
    case storage::error_kind::not_found:
      return protocol::error_code::not_found;
    case storage::error_kind::conflict:
      return protocol::error_code::conflict;
    case storage::error_kind::forbidden:
      return protocol::error_code::forbidden;
    case storage::error_kind::invalid:
      return protocol::error_code::bad_request;
    case storage::error_kind::exists:
      return protocol::error_code::conflict;
    case storage::error_kind::io:
      return protocol::error_code::internal;
    case storage::error_kind::internal:
      return protocol::error_code::internal;
  }
  return protocol::error_code::internal;
}

inline storage::draft_stage to_storage(protocol::stage_name s) {
  switch (s) {
    case protocol::stage_name::working:
      return storage::draft_stage::working;
    case protocol::stage_name::formal:
      return storage::draft_stage::formal;
    case protocol::stage_name::adopted:
      return storage::draft_stage::adopted;
  }
  return storage::draft_stage::working;
}

inline storage::vote_threshold to_storage(protocol::vote_threshold t) {
  switch (t) {
    case protocol::vote_threshold::simple:
      return storage::vote_threshold::simple;
    case protocol::vote_threshold::two_thirds:
      return storage::vote_threshold::two_thirds;
    case protocol::vote_threshold::two_thirds_present:
      return storage::vote_threshold::two_thirds_present;
  }
  return storage::vote_threshold::simple;
}

inline storage::vote_choice to_storage(protocol::vote_choice c) {
  switch (c) {
    case protocol::vote_choice::yes:
      return storage::vote_choice::yes;
    case protocol::vote_choice::no:
      return storage::vote_choice::no;
    case protocol::vote_choice::abstain:
      return storage::vote_choice::abstain;
  }
  return storage::vote_choice::abstain;
}

inline protocol::effective_view to_wire(const storage::effective_change& e) {
  return protocol::effective_view{e.text, e.conflict, e.problem, e.computed_at};
}

// A record as the wire has it; `effective` is its effective change now (tabled and voting
// proposals: docs/extensions.md, "Effective change"), written as null when absent.
inline protocol::proposal_view to_wire(const storage::proposal_record& p,
                                       const std::optional<storage::effective_change>& effective) {
  protocol::proposal_view v;
  v.n = p.n;
  v.by = {p.by.state, p.by.name};
  v.op = storage::to_string(p.op);
  v.clause = p.clause;
  v.after = p.after;
  if (p.kind) v.kind = to_wire(*p.kind);
  v.text = p.text;
  v.note = p.note;
  v.base = p.base;
  if (p.bracket) v.bracket = static_cast<std::int64_t>(*p.bracket);
  if (p.choose) v.choose = static_cast<std::int64_t>(*p.choose);
  if (p.start) v.start = static_cast<std::int64_t>(*p.start);
  if (p.end) v.end = static_cast<std::int64_t>(*p.end);
  v.commit = p.commit;
  v.status = storage::to_string(p.status);
  v.supporters = p.supporters;
  if (p.vote) {
    v.vote = protocol::vote_view{storage::to_string(p.vote->threshold), p.vote->yes, p.vote->no,
                                 p.vote->abstain};
    if (p.vote->opened_on) v.vote->effective = to_wire(*p.vote->opened_on);
  }
  if (p.result) {
    v.result =
        protocol::proposal_result_view{storage::to_string(p.result->outcome), p.result->commit};
  }
  if (effective) v.effective = to_wire(*effective);
  return v;
}

inline storage::amendment to_storage(const protocol::bracket_msg& m) {
  storage::amendment a;
  a.op = storage::op_kind::bracket;
  a.clause = m.clause;
  a.base = m.base;
  a.start = static_cast<std::size_t>(m.start);
  a.end = static_cast<std::size_t>(m.end);
  a.text = m.text;
  a.note = m.note;
  return a;
}

inline storage::amendment to_storage(const protocol::resolve_msg& m) {
  storage::amendment a;
  a.op = storage::op_kind::resolve;
  a.clause = m.clause;
  a.bracket = static_cast<std::size_t>(m.bracket);
  a.choose = static_cast<std::size_t>(m.choose);
  a.note = m.note;
  return a;
}

inline std::vector<protocol::version_view> to_wire(const std::vector<storage::version>& vs) {
  std::vector<protocol::version_view> out;
  out.reserve(vs.size());
  for (const auto& v : vs) {
    protocol::version_view w{v.name, v.commit, v.at, v.note, std::nullopt};
    if (v.by) w.by = protocol::actor{v.by->state, v.by->name};
    out.push_back(std::move(w));
  }
  return out;
}

inline std::vector<protocol::compared_clause_view> to_wire(
    const std::vector<storage::compared_clause>& cs) {
  std::vector<protocol::compared_clause_view> out;
  out.reserve(cs.size());
  for (const auto& c : cs) {
    protocol::compared_clause_view w{
        c.id,   storage::to_string(c.change), c.number_from, c.number_to, to_wire(c.kind), {},
        c.whole};
    w.diff.reserve(c.diff.size());
    for (const auto& d : c.diff) w.diff.push_back({d.op, d.text});
    out.push_back(std::move(w));
  }
  return out;
}

inline storage::amendment to_storage(const protocol::amend_msg& m) {
  storage::amendment a;
  switch (m.op) {
    case protocol::amend_op::replace:
      a.op = storage::op_kind::replace;
      break;
    case protocol::amend_op::insert:
      a.op = storage::op_kind::insert;
      break;
    case protocol::amend_op::remove:
      a.op = storage::op_kind::remove;
      break;
    case protocol::amend_op::move:
      a.op = storage::op_kind::move;
      break;
  }
  a.clause = m.clause;
  a.after = m.after;
  a.kind = to_storage(m.kind);
  a.text = m.text;
  a.base = m.base;
  a.note = m.note;
  return a;
}

// What a thread of comments is on (a resolved one in `threads` after a welcome).
inline protocol::thread_stub to_stub(const storage::comment_thread& t) {
  protocol::thread_stub s;
  s.n = t.n;
  s.kind = storage::to_string(t.anchor.kind);
  if (!t.anchor.clause.empty()) s.clause = t.anchor.clause;
  if (t.anchor.kind == storage::anchor_kind::proposal) s.proposal = t.anchor.proposal;
  return s;
}

// A thread of comments (docs/extensions.md, "Comments") with where its anchor stands now.
inline protocol::thread_view to_wire(const storage::comment_thread& t,
                                     const storage::placed_anchor& now) {
  protocol::thread_view v;
  static_cast<protocol::thread_stub&>(v) = to_stub(t);
  v.rev = t.anchor.rev;
  v.start = static_cast<std::int64_t>(t.anchor.start);
  v.end = static_cast<std::int64_t>(t.anchor.end);
  v.quote = t.anchor.quote;
  v.state = storage::to_string(now.state);
  if (now.start) v.now_start = static_cast<std::int64_t>(*now.start);
  if (now.end) v.now_end = static_cast<std::int64_t>(*now.end);
  v.now_rev = now.rev;
  v.resolved = t.resolved;
  if (t.resolved_by) v.resolved_by = protocol::actor{t.resolved_by->state, t.resolved_by->name};
  v.resolved_at = t.resolved_at;
  for (const storage::comment_entry& c : t.comments) {
    v.comments.push_back({{c.by.state, c.by.name}, c.at, c.text});
  }
  return v;
}

}  // namespace plenary::server
