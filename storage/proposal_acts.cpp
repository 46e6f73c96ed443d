// The acts on proposals (procedure.md, "Proposals"): table, support, withdraw, open, vote,
// close and plenary's restart, each checked against the record and who acts, adopting onto main
// when it should, and made into its commit on `procedure` (storage/procedure.hpp). Writing that
// commit, publishing and repairing: procedure.cpp.
#include <algorithm>

#include "storage/procedure.hpp"
#include "storage/text.hpp"

namespace plenary::storage {
namespace {

error invalid(std::string message) { return make_error(error_kind::invalid, std::move(message)); }
error forbidden(std::string message) {
  return make_error(error_kind::forbidden, std::move(message));
}
error conflict(std::string message) { return make_error(error_kind::conflict, std::move(message)); }

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

// The record's effective change on `main` (model.hpp): the planning `adopt` commits.
result<effective_change> effective_of(const repo& r, const draft_index& index, const batch& main,
                                      const proposal_record& rec, std::int64_t at) {
  return effective_adoption(r, index, main, request{rec.by, rec.change(), at});
}

bool is_open(proposal_status s) {
  return s == proposal_status::tabled || s == proposal_status::voting;
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
result<act_outcome> finish(repo& r, const draft_index& index, act_batch& ab, step s,
                           std::int64_t at) {
  if (is_open(s.rec.status)) {
    auto effective = effective_of(r, index, ab.main, s.rec, at);
    if (!effective) {
      if (s.saved_main) ab.main = std::move(*s.saved_main);
      return std::move(effective).err();
    }
    s.out.effective = std::move(*effective);
  }
  std::vector<git_oid> objects = std::move(s.objects);
  // write_act_commit moves only the tip and the tree; on failure it leaves them as they were.
  if (status st = write_act_commit(r, ab.book, s.rec, s.message, objects); !st) {
    if (s.saved_main) ab.main = std::move(*s.saved_main);
    return std::move(st).err();
  }
  const auto slot = static_cast<std::size_t>(s.rec.n) - 1;
  if (slot == ab.book.records.size()) {
    ab.book.records.push_back(s.rec);
  } else {
    ab.book.records[slot] = s.rec;
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
    case op_kind::bracket:
      rec.clause = a.clause;
      rec.base = a.base;
      rec.text = a.text;
      rec.start = a.start;
      rec.end = a.end;
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
  return finish(r, index, ab, std::move(s), req.at);
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
  return finish(r, index, ab, std::move(s), req.at);
}

result<act_outcome> act_withdraw(repo& r, const draft_index& index, act_batch& ab,
                                 const act_request& req) {
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
  return finish(r, index, ab, std::move(s), req.at);
}

result<act_outcome> act_open(repo& r, const draft_index& index, act_batch& ab,
                             const act_request& req) {
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
  // What is put to the vote: the effective change now, kept so that a change of the text during
  // the vote shows (docs/extensions.md, "Effective change").
  auto effective = effective_of(r, index, ab.main, now, req.at);
  if (!effective) return std::move(effective).err();
  step s;
  s.rec = now;
  s.rec.status = proposal_status::voting;
  s.rec.vote = vote_record{t, {}, {}, {}, std::move(*effective)};
  s.message = {"Open the vote on " + numbered(now.n) + " (" + to_string(t) + ")",
               {},
               "open",
               req.by,
               {},
               req.at};
  return finish(r, index, ab, std::move(s), req.at);
}

result<act_outcome> act_vote(repo& r, const draft_index& index, act_batch& ab,
                             const act_request& req) {
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
  return finish(r, index, ab, std::move(s), req.at);
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
  return finish(r, index, ab, std::move(s), req.at);
}

// plenary's restart of an open vote (docs/extensions.md): the chair clears the votes cast and
// puts the proposal's effective change as it now stands to the same vote again.
result<act_outcome> act_restart(repo& r, const draft_index& index, act_batch& ab,
                                const act_request& req) {
  auto found = find_record(ab, req.proposal);
  if (!found) return std::move(found).err();
  const proposal_record& now = **found;
  if (req.by.state != chair_state) return forbidden("Only the chair restarts a vote.");
  if (now.status != proposal_status::voting || !now.vote) {
    return conflict("No vote is open on " + numbered(now.n) + ": it " + status_phrase(now.status) +
                    ".");
  }
  auto effective = effective_of(r, index, ab.main, now, req.at);
  if (!effective) return std::move(effective).err();
  const bool changed = !now.vote->opened_on || !now.vote->opened_on->same_change(*effective);
  step s;
  s.rec = now;
  s.rec.vote = vote_record{now.vote->threshold, {}, {}, {}, std::move(*effective)};
  s.message = {"Restart the vote on " + numbered(now.n) +
                   (changed ? ": the text changed during the vote" : ""),
               {},
               "restart",
               req.by,
               {},
               req.at};
  return finish(r, index, ab, std::move(s), req.at);
}

}  // namespace

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
      return act_withdraw(r, index, ab, req);
    case act_kind::open:
      return act_open(r, index, ab, req);
    case act_kind::vote:
      return act_vote(r, index, ab, req);
    case act_kind::close:
      return act_close(r, index, ab, req);
    case act_kind::restart:
      return act_restart(r, index, ab, req);
  }
  return invalid("The act must be table, support, withdraw, open, vote, close or restart.");
}

}  // namespace plenary::storage
