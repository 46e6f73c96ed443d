// Each op planned on top of a batch's tip (storage/amend_plan.hpp): replace, insert, delete and
// move; bracket and resolve (storage/brackets.hpp); the chair's stage and sponsors.
#include "storage/amend_plan.hpp"

#include "storage/blame.hpp"
#include "storage/brackets.hpp"
#include "storage/commit_message.hpp"
#include "storage/text.hpp"
#include "storage/words.hpp"

namespace plenary::storage {
namespace {

error invalid(std::string message) { return make_error(error_kind::invalid, std::move(message)); }

error forbidden(std::string message) {
  return make_error(error_kind::forbidden, std::move(message));
}

error conflict(std::string message, std::optional<clause> current) {
  error e = make_error(error_kind::conflict, std::move(message));
  e.current = std::move(current);
  return e;
}

std::string short_id(std::string_view hex) { return std::string(hex.substr(0, 7)); }

std::string check_id(std::string_view id, std::string_view field) {
  if (is_valid_clause_id(id)) return {};
  return "`" + std::string(field) +
         "` is not a valid clause id: use 1 to 32 lower-case letters, digits or dashes.";
}

std::string check_base(std::string_view base) {
  if (is_valid_commit_id(base)) return {};
  return "`base` must be the rev you last saw of the clause: a commit id of 40 lower-case "
         "hex digits.";
}

// The bracket notation of a text that goes in (storage/brackets.hpp): "" or the sentence.
std::string check_brackets(const batch& b, std::string_view text, const std::string& where) {
  if (!brackets::has_marks(text)) return {};
  auto parsed = brackets::parse(text, b.delegations, where);
  return parsed ? std::string() : parsed.err().message;
}

bool is_known_kind(clause_kind kind) {
  return kind == clause_kind::heading || kind == clause_kind::preamble ||
         kind == clause_kind::operative;
}

// The position of a current clause, or the right error when it is not in the draft.
result<std::size_t> find_current(const draft_index& index, const batch& b, std::string_view id,
                                 std::string_view verb) {
  if (auto p = position_of(b.t.snap.clauses, id)) return *p;
  if (index.find_clause(id) != nullptr || b.new_ids.contains(id)) {
    return conflict("Clause " + std::string(id) + " has been deleted, so it cannot be " +
                        std::string(verb) + ".",
                    std::nullopt);
  }
  return make_error(error_kind::not_found,
                    "There is no clause " + std::string(id) + " in this draft.");
}

// The clause's text as of commit `base`, or a conflict carrying `current`.
result<std::string> text_at_base(const repo& r, const draft_index& index, const std::string& base,
                                 const clause& current) {
  const auto position = index.find_commit(base);
  if (!position) {
    return conflict("Your base " + short_id(base) +
                        " is not a commit of this draft; here is clause " + current.id +
                        " as it stands now.",
                    current);
  }
  const draft_index::change* ch = index.change_at(current.id, *position);
  if (ch == nullptr || !ch->blob) {
    return conflict("Clause " + current.id + " did not exist at your base " + short_id(base) +
                        "; here is the clause as it stands now.",
                    current);
  }
  auto file = r.read_blob(*ch->blob);
  if (!file) return std::move(file).err();
  return text_of_file(std::move(*file));
}

commit_plan base_plan(const request& req, op_kind op, std::vector<clause> clauses) {
  commit_plan p;
  p.op = op;
  p.note = req.change.note;
  p.by = req.by;
  p.at = req.at;
  p.clauses = std::move(clauses);
  number_clauses(p.clauses);
  return p;
}

result<planned> plan_replace(const repo& r, const draft_index& index, const batch& b,
                             const request& req) {
  const amendment& a = req.change;
  for (const std::string& problem :
       {check_id(a.clause, "clause"), check_base(a.base), check_clause_text(a.text, "text")}) {
    if (!problem.empty()) return invalid(problem);
  }
  if (std::string problem = check_brackets(b, a.text, "Clause " + a.clause); !problem.empty()) {
    return invalid(problem);
  }
  auto at = find_current(index, b, a.clause, "replaced");
  if (!at) return std::move(at).err();
  const clause& current = b.t.snap.clauses[*at];
  std::string text = a.text;
  bool merged = false;
  if (a.base != current.rev) {
    auto base_text = text_at_base(r, index, a.base, current);
    if (!base_text) return std::move(base_text).err();
    if (*base_text != current.text) {
      auto m = words::merge(*base_text, current.text, a.text);
      if (!m) {
        return conflict("Clause " + current.id + " was changed by " + current.by + " (commit " +
                            short_id(current.rev) +
                            ") in the same place as your change; "
                            "here is the current text: apply your change to it again.",
                        current);
      }
      text = std::move(*m);
      merged = true;
    }
  }
  if (text == current.text) {
    return invalid("Clause " + current.id + " already reads like this; nothing was changed.");
  }
  if (merged) {
    std::string problem = check_clause_text(text, "the merged text");
    if (problem.empty()) problem = check_brackets(b, text, "The merged text");
    if (!problem.empty()) {
      return conflict("Your change cannot be merged with the current text of clause " + current.id +
                          ": " + problem,
                      current);
    }
  }
  planned out{base_plan(req, op_kind::replace, b.t.snap.clauses), current.id, merged, false};
  out.plan.clauses[*at].text = text;
  out.plan.clause_id = current.id;
  out.plan.summary = message::replace_summary(out.plan.clauses, *at);
  out.plan.files.push_back({current.id, std::move(text)});
  return out;
}

result<planned> plan_insert(const batch& b, const request& req) {
  const amendment& a = req.change;
  if (!is_known_kind(a.kind)) return invalid("`kind` must be heading, preamble or operative.");
  for (const std::string& problem :
       {check_clause_text(a.text, "text"), check_brackets(b, a.text, "The new clause")}) {
    if (!problem.empty()) return invalid(problem);
  }
  std::size_t position = 0;
  if (a.after) {
    if (std::string problem = check_id(*a.after, "after"); !problem.empty())
      return invalid(problem);
    auto p = position_of(b.t.snap.clauses, *a.after);
    if (!p) {
      return make_error(error_kind::not_found,
                        "There is no clause " + *a.after + " to insert after in this draft.");
    }
    position = *p + 1;
  }
  clause added;
  added.id = "c" + std::to_string(b.t.max_id + 1);
  added.kind = a.kind;
  added.text = a.text;
  std::vector<clause> clauses = b.t.snap.clauses;
  clauses.insert(clauses.begin() + static_cast<std::ptrdiff_t>(position), added);
  planned out{base_plan(req, op_kind::insert, std::move(clauses)), added.id, false, true};
  out.plan.clause_id = added.id;
  out.plan.summary = message::insert_summary(out.plan.clauses, position);
  out.plan.order_changed = true;
  out.plan.files.push_back({added.id, a.text});
  return out;
}

result<planned> plan_remove(const draft_index& index, const batch& b, const request& req) {
  const amendment& a = req.change;
  for (const std::string& problem : {check_id(a.clause, "clause"), check_base(a.base)}) {
    if (!problem.empty()) return invalid(problem);
  }
  auto at = find_current(index, b, a.clause, "deleted");
  if (!at) return std::move(at).err();
  const clause& current = b.t.snap.clauses[*at];
  if (a.base != current.rev) {
    return conflict("Clause " + current.id + " changed since your base " + short_id(a.base) +
                        " (now " + short_id(current.rev) + " by " + current.by +
                        "); read the current text and delete it again if you still mean to.",
                    current);
  }
  std::vector<clause> clauses = b.t.snap.clauses;
  clauses.erase(clauses.begin() + static_cast<std::ptrdiff_t>(*at));
  planned out{base_plan(req, op_kind::remove, std::move(clauses)), current.id, false, false};
  out.plan.clause_id = current.id;
  out.plan.summary = message::delete_summary(b.t.snap.clauses, *at);
  out.plan.order_changed = true;
  out.plan.files.push_back({current.id, std::nullopt});
  return out;
}

result<planned> plan_move(const draft_index& index, const batch& b, const request& req) {
  const amendment& a = req.change;
  if (std::string problem = check_id(a.clause, "clause"); !problem.empty()) return invalid(problem);
  if (a.after) {
    if (std::string problem = check_id(*a.after, "after"); !problem.empty())
      return invalid(problem);
    if (*a.after == a.clause) return invalid("A clause cannot be moved after itself.");
  }
  auto from = find_current(index, b, a.clause, "moved");
  if (!from) return std::move(from).err();
  std::vector<clause> clauses = b.t.snap.clauses;
  clause moving = clauses[*from];
  clauses.erase(clauses.begin() + static_cast<std::ptrdiff_t>(*from));
  std::size_t to = 0;
  if (a.after) {
    auto p = position_of(clauses, *a.after);
    if (!p) {
      return make_error(error_kind::not_found,
                        "There is no clause " + *a.after + " to move after in this draft.");
    }
    to = *p + 1;
  }
  if (to == *from) return invalid("Clause " + moving.id + " is already there; nothing was moved.");
  clauses.insert(clauses.begin() + static_cast<std::ptrdiff_t>(to), moving);
  planned out{base_plan(req, op_kind::move, std::move(clauses)), moving.id, false, false};
  out.plan.clause_id = moving.id;
  out.plan.summary = message::move_summary(b.t.snap.clauses, *from, out.plan.clauses, to);
  out.plan.order_changed = true;
  return out;
}

// The clause's text as of `base` when it differs from the current one; nullopt when they are
// the same text (base is the current rev, or a later commit that left the clause alone).
result<std::optional<std::string>> moved_on_text(const repo& r, const draft_index& index,
                                                 const std::string& base, const clause& current) {
  if (base.empty() || base == current.rev) return std::optional<std::string>();
  auto text = text_at_base(r, index, base, current);
  if (!text) return std::move(text).err();
  if (*text == current.text) return std::optional<std::string>();
  return std::optional<std::string>(std::move(*text));
}

// `bracket`: the span [start, end) of the text the client saw becomes a bracket (or gets one
// more alternative). Offsets only mean something in that text: a clause that moved on since is
// a conflict.
result<planned> plan_bracket(const repo& r, const draft_index& index, const batch& b,
                             const request& req) {
  const amendment& a = req.change;
  const std::string wording_problem = a.text.empty() ? "" : check_clause_text(a.text, "text");
  for (const std::string& problem :
       {check_id(a.clause, "clause"), check_base(a.base), wording_problem}) {
    if (!problem.empty()) return invalid(problem);
  }
  auto at = find_current(index, b, a.clause, "bracketed");
  if (!at) return std::move(at).err();
  const clause& current = b.t.snap.clauses[*at];
  auto then = moved_on_text(r, index, a.base, current);
  if (!then) return std::move(then).err();
  if (*then) {
    return conflict("Clause " + current.id + " changed since your base " + short_id(a.base) +
                        " (now " + short_id(current.rev) + " by " + current.by +
                        "), so your offsets no longer point at the same words; here is the "
                        "current text: bracket it again.",
                    current);
  }
  auto blame = clause_blame(r, index, b, current.id);
  if (!blame) return std::move(blame).err();
  // Words still as tabled (the first commit of main, the chair's by protocol.md) are the tabled
  // text's: a first alternative made of them is `TABLED: `, not `CHAIR: ` (docs/extensions.md).
  auto made =
      brackets::bracket_span(current.text, a.start, a.end, req.by.state, a.text,
                             brackets::as_tabled(std::move(*blame), index.commit(0).entry.commit));
  if (!made) return std::move(made).err();
  std::string problem = check_clause_text(made->text, "the bracketed text");
  if (problem.empty()) problem = check_brackets(b, made->text, "Clause " + current.id);
  if (!problem.empty()) return invalid(problem);
  planned out{base_plan(req, op_kind::bracket, b.t.snap.clauses), current.id, false, false};
  out.plan.clauses[*at].text = made->text;
  out.plan.clause_id = current.id;
  out.plan.summary = message::bracket_summary(out.plan.clauses, *at, made->added_to_existing);
  out.plan.files.push_back({current.id, std::move(made->text)});
  return out;
}

// `resolve`: keeps one alternative of a bracket. Computed on the text at `base` (a proposal's
// base; empty: the current text) and merged word by word when the clause moved on since,
// exactly as a replace from that base would be.
result<planned> plan_resolve(const repo& r, const draft_index& index, const batch& b,
                             const request& req) {
  const amendment& a = req.change;
  if (std::string problem = check_id(a.clause, "clause"); !problem.empty()) return invalid(problem);
  if (!a.base.empty()) {
    if (std::string problem = check_base(a.base); !problem.empty()) return invalid(problem);
  }
  auto at = find_current(index, b, a.clause, "resolved");
  if (!at) return std::move(at).err();
  const clause& current = b.t.snap.clauses[*at];
  auto then = moved_on_text(r, index, a.base, current);
  if (!then) return std::move(then).err();
  const std::string& base_text = *then ? **then : current.text;
  auto resolved = brackets::resolve(base_text, a.bracket, a.choose);
  if (!resolved) return std::move(resolved).err();
  std::string text = std::move(*resolved);
  bool merged = false;
  if (*then) {
    auto m = words::merge(base_text, current.text, text);
    if (!m) {
      return conflict("Clause " + current.id + " was changed by " + current.by + " (commit " +
                          short_id(current.rev) +
                          ") where the bracket stood; here is the current text.",
                      current);
    }
    text = std::move(*m);
    merged = true;
  }
  if (std::string problem = check_clause_text(text, "the resolved text"); !problem.empty()) {
    if (text.find_first_not_of(" \t\n") != std::string::npos) return invalid(problem);
    return invalid("Keeping that alternative would leave clause " + current.id +
                   " empty; delete the clause instead.");
  }
  if (std::string problem = check_brackets(b, text, "Clause " + current.id); !problem.empty()) {
    return conflict("Your resolve cannot be merged with the current text of clause " + current.id +
                        ": " + problem,
                    current);
  }
  planned out{base_plan(req, op_kind::resolve, b.t.snap.clauses), current.id, merged, false};
  out.plan.clauses[*at].text = text;
  out.plan.clause_id = current.id;
  out.plan.summary = message::resolve_summary(out.plan.clauses, *at);
  out.plan.files.push_back({current.id, std::move(text)});
  return out;
}

result<planned> plan_stage(const repo& r, const batch& b, const request& req) {
  const draft_stage from = b.t.snap.stage;
  const draft_stage to = req.change.stage;
  if (to != draft_stage::working && to != draft_stage::formal && to != draft_stage::adopted) {
    return invalid("`stage` must be working, formal or adopted.");
  }
  if (to == from) {
    return conflict("The draft is already in the " + std::string(to_string(to)) + " stage.",
                    std::nullopt);
  }
  if (to < from) {
    return forbidden("Stages only move forward: the draft is " + std::string(to_string(from)) +
                     " and cannot go back to " + to_string(to) + ".");
  }
  if (to == draft_stage::adopted) {
    auto tag = r.ref_target("refs/tags/adopted");
    if (tag) {
      return conflict(
          "A tag `adopted` already exists in this draft's repository; remove it before adopting.",
          std::nullopt);
    }
    if (tag.err().kind != error_kind::not_found) return std::move(tag).err();
  }
  planned out{base_plan(req, op_kind::stage, b.t.snap.clauses), {}, false, false};
  out.plan.summary = message::stage_summary(to);
  out.plan.order_changed = true;
  out.plan.stage = to;
  out.plan.procedure.stage = to;
  return out;
}

// `sponsors`: state codes other than the chair's, each at most once.
std::string check_sponsors(const std::vector<std::string>& sponsors) {
  if (sponsors.size() > max_sponsors) {
    return "`sponsors` lists " + std::to_string(sponsors.size()) + " states; the limit is " +
           std::to_string(max_sponsors) + ".";
  }
  for (std::size_t i = 0; i < sponsors.size(); ++i) {
    const std::string field = "`sponsors[" + std::to_string(i) + "]`";
    if (!is_valid_state_code(sponsors[i])) {
      return field + " must be a state code: 2 to 8 upper-case letters or digits.";
    }
    if (sponsors[i] == chair_state) return field + " is the chair, which sponsors nothing.";
    for (std::size_t j = 0; j < i; ++j) {
      if (sponsors[j] == sponsors[i]) return field + " " + sponsors[i] + " is listed twice.";
    }
  }
  return {};
}

result<planned> plan_sponsors(const batch& b, const request& req) {
  const snapshot& s = b.t.snap;
  if (s.stage != draft_stage::working) {
    return forbidden("The sponsors are set only while the draft is a working paper; it is now " +
                     std::string(to_string(s.stage)) + ".");
  }
  if (std::string problem = check_sponsors(req.change.sponsors); !problem.empty()) {
    return invalid(problem);
  }
  if (req.change.sponsors == s.sponsors) {
    return invalid("These are already the sponsors of the draft; nothing was changed.");
  }
  planned out{base_plan(req, op_kind::sponsors, s.clauses), {}, false, false};
  out.plan.summary = message::sponsors_summary(req.change.sponsors);
  out.plan.order_changed = true;
  out.plan.sponsors = req.change.sponsors;
  return out;
}

}  // namespace

std::optional<std::size_t> position_of(const std::vector<clause>& clauses, std::string_view id) {
  for (std::size_t i = 0; i < clauses.size(); ++i) {
    if (clauses[i].id == id) return i;
  }
  return std::nullopt;
}

result<planned> plan_op(const repo& r, const draft_index& index, const batch& b,
                        const request& req) {
  switch (req.change.op) {
    case op_kind::replace:
      return plan_replace(r, index, b, req);
    case op_kind::insert:
      return plan_insert(b, req);
    case op_kind::remove:
      return plan_remove(index, b, req);
    case op_kind::move:
      return plan_move(index, b, req);
    case op_kind::stage:
      return plan_stage(r, b, req);
    case op_kind::sponsors:
      return plan_sponsors(b, req);
    case op_kind::bracket:
      return plan_bracket(r, index, b, req);
    case op_kind::resolve:
      return plan_resolve(r, index, b, req);
    case op_kind::open:
      break;
  }
  return invalid(
      "`op` must be replace, insert, delete, move, stage, sponsors, bracket or resolve.");
}

}  // namespace plenary::storage
