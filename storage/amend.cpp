// One request applied on top of a batch (storage/amend.hpp): who may do it in which stage, the
// draft's size limits, the commit written and the batch's tip moved; adoptions, effective
// changes and proposal commits planned the same way. The planning of each op: amend_plan.cpp.
#include "storage/amend.hpp"

#include <algorithm>

#include "storage/amend_plan.hpp"
#include "storage/text.hpp"

namespace plenary::storage {
namespace {

constexpr std::int64_t max_time = 253402300799;  // 9999-12-31T23:59:59Z

// Why a request is planned: an amendment of a delegation or the chair, the adoption of a
// proposal (the proposer's amendment, allowed in the formal stage), or a proposal's commit.
enum class purpose { amend, adopt, propose };

error invalid(std::string message) { return make_error(error_kind::invalid, std::move(message)); }

error forbidden(std::string message) {
  return make_error(error_kind::forbidden, std::move(message));
}

// The ops that change the text: what the formal stage reserves to the chair.
bool is_text_op(op_kind op) {
  return op == op_kind::replace || op == op_kind::insert || op == op_kind::remove ||
         op == op_kind::move || op == op_kind::bracket || op == op_kind::resolve;
}

// The ops a proposal may carry (procedure.md: every amend op, and resolve; plenary adds
// bracket, so that a delegation disputes words in the formal stage: docs/extensions.md).
bool is_proposable(op_kind op) {
  return op == op_kind::replace || op == op_kind::insert || op == op_kind::remove ||
         op == op_kind::move || op == op_kind::resolve || op == op_kind::bracket;
}

// The stage rules of procedure.md that storage enforces (see draft.hpp, "Who may do what").
std::optional<error> refuse_by_stage(const snapshot& s, const request& req, purpose why) {
  const op_kind op = req.change.op;
  const bool chair = req.by.state == chair_state;
  if (why == purpose::amend && (op == op_kind::stage || op == op_kind::sponsors) && !chair) {
    return forbidden(op == op_kind::stage ? "Only the chair moves the draft to another stage."
                                          : "Only the chair sets the sponsors of the draft.");
  }
  if (s.stage == draft_stage::adopted) {
    return forbidden("The draft has been adopted: its text is final and nothing can change it.");
  }
  if (why == purpose::amend && op == op_kind::resolve && !chair) {
    return forbidden(
        "Only the chair resolves a bracket directly; table a proposal of op resolve instead.");
  }
  if (why == purpose::amend && s.stage == draft_stage::formal && is_text_op(op) && !chair) {
    return forbidden(
        "The draft is in the formal stage: delegations no longer amend it directly; table a "
        "proposal instead.");
  }
  return std::nullopt;
}

std::size_t text_bytes(const std::vector<clause>& clauses) {
  std::size_t n = 0;
  for (const clause& c : clauses) n += c.text.size();
  return n;
}

// The draft `after` would make, against the limits (draft_limits): "" when within them, or
// when it is no bigger than `before` (a draft already past a limit may still shrink).
std::string check_size(const std::vector<clause>& before, const std::vector<clause>& after,
                       const draft_limits& lim) {
  if (after.size() > lim.max_clauses && after.size() > before.size()) {
    return "The draft has " + std::to_string(before.size()) + " clauses, the most it may have (" +
           std::to_string(lim.max_clauses) + "); delete or merge clauses before adding another.";
  }
  const std::size_t bytes_after = text_bytes(after);
  if (bytes_after > lim.max_text_bytes && bytes_after > text_bytes(before)) {
    return "This change would make the draft's text " + std::to_string(bytes_after) +
           " bytes (all its clauses together); the limit is " + std::to_string(lim.max_text_bytes) +
           " bytes. Shorten or delete clauses first.";
  }
  return {};
}

result<planned> plan(const repo& r, const draft_index& index, const batch& b, const request& req,
                     purpose why) {
  if (why != purpose::amend && !is_proposable(req.change.op)) {
    return invalid("`op` must be replace, insert, delete, move, resolve or bracket.");
  }
  if (auto refusal = refuse_by_stage(b.t.snap, req, why)) return std::move(*refusal);
  auto p = plan_op(r, index, b, req);
  if (!p) return p;
  if (std::string problem = check_size(b.t.snap.clauses, p->plan.clauses, b.limits);
      !problem.empty()) {
    return invalid(problem);
  }
  return p;
}

// Moves the batch's tip past the written commit.
void advance(batch& b, planned& p, written_commit& w) {
  tip& t = b.t;
  t.snap.clauses = std::move(p.plan.clauses);
  if (p.plan.stage) t.snap.stage = *p.plan.stage;
  if (p.plan.sponsors) t.snap.sponsors = *p.plan.sponsors;
  t.snap.head = w.entry.commit;
  t.commit = w.oid;
  t.root_tree = w.root_tree;
  t.clauses_tree = w.clauses_tree;
  pending_commit pc;
  pc.oid = w.oid;
  pc.entry = w.entry;
  if (!p.plan.files.empty()) {
    pc.file_changed = true;
    pc.clause_id = p.id;
    pc.blob = w.blobs.front().second;
    pc.text = p.plan.files.front().text;
    if (auto at = position_of(t.snap.clauses, p.id)) {
      t.snap.clauses[*at].rev = w.entry.commit;
      t.snap.clauses[*at].by = w.entry.by.state;
    }
  }
  if (p.created) {
    ++t.max_id;
    b.new_ids.insert(p.id);
  }
  b.objects.insert(b.objects.end(), w.objects.begin(), w.objects.end());
  b.commits.push_back(std::move(pc));
}

}  // namespace

std::string check_actor(const actor& by, std::string_view field) {
  const std::string f(field);
  if (!is_valid_state_code(by.state)) {
    return "`" + f + ".state` must be 2 to 8 upper-case letters or digits.";
  }
  if (std::string problem = check_title(by.name, f + ".name"); !problem.empty()) return problem;
  if (by.name.find_first_of("<>") != std::string::npos) {
    return "`" + f + ".name` must not contain < or >.";
  }
  return {};
}

std::string check_time(std::int64_t at) {
  if (at >= 0 && at <= max_time) return {};
  return "`at` must be a time between 1970 and 9999 (seconds since the epoch).";
}

namespace {

std::string check_common(const request& req) {
  for (std::string problem :
       {check_actor(req.by, "by"), check_time(req.at), check_note(req.change.note, "note")}) {
    if (!problem.empty()) return problem;
  }
  return {};
}

result<applied> apply_planned(repo& r, const draft_index& index, batch& b, const request& req,
                              purpose why, const adoption_marks* marks) {
  if (std::string problem = check_common(req); !problem.empty()) return invalid(problem);
  auto p = plan(r, index, b, req, why);
  if (!p) return std::move(p).err();
  if (marks != nullptr) {
    p->plan.procedure.proposal = marks->proposal;
    p->plan.procedure.adopted = marks->how;
    p->plan.procedure.vote = marks->vote;
  }
  auto w = write_commit(r, b.t, p->plan);
  if (!w) return std::move(w).err();
  const bool merged = p->merged;
  const bool removed = p->plan.files.size() == 1 && !p->plan.files.front().text;
  const std::string id = p->id;
  advance(b, *p, *w);
  applied out;
  out.entry = b.commits.back().entry;
  out.merged = merged;
  if (!removed) {
    if (auto at = position_of(b.t.snap.clauses, id)) out.after = b.t.snap.clauses[*at];
  }
  out.order.reserve(b.t.snap.clauses.size());
  for (const clause& c : b.t.snap.clauses) out.order.push_back(c.id);
  out.sponsors = b.t.snap.sponsors;
  return out;
}

}  // namespace

result<applied> apply_request(repo& r, const draft_index& index, batch& b, const request& req) {
  return apply_planned(r, index, b, req, purpose::amend, nullptr);
}

result<applied> apply_adoption(repo& r, const draft_index& index, batch& b, const request& req,
                               const adoption_marks& marks) {
  return apply_planned(r, index, b, req, purpose::adopt, &marks);
}

result<effective_change> effective_adoption(const repo& r, const draft_index& index, const batch& b,
                                            const request& req) {
  effective_change out;
  out.computed_at = b.t.snap.head;
  auto refused = [&](std::string why) {
    out.conflict = true;
    out.problem = std::move(why);
    return out;
  };
  if (std::string problem = check_common(req); !problem.empty()) return refused(problem);
  auto p = plan(r, index, b, req, purpose::adopt);
  if (!p) {
    if (p.err().kind == error_kind::io || p.err().kind == error_kind::internal) {
      return std::move(p).err();
    }
    return refused(p.err().message);
  }
  if (!p->plan.files.empty()) {
    out.text = p->plan.files.front().text;  // nullopt: the clause is deleted
  } else if (auto at = position_of(p->plan.clauses, p->id)) {
    out.text = p->plan.clauses[*at].text;  // a move: the clause keeps its words
  }
  return out;
}

result<proposal_commit> write_proposal(repo& r, const draft_index& index, const batch& b,
                                       const request& req, int n) {
  if (std::string problem = check_common(req); !problem.empty()) return invalid(problem);
  auto p = plan(r, index, b, req, purpose::propose);
  if (!p) return std::move(p).err();
  std::string summary = p->plan.summary;
  p->plan.summary = "Proposal " + std::to_string(n) + ": " + summary;
  p->plan.procedure.proposal = n;
  auto w = write_commit(r, b.t, p->plan);
  if (!w) return std::move(w).err();
  return proposal_commit{w->oid, std::move(w->objects), std::move(summary)};
}

}  // namespace plenary::storage
