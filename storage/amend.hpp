// Private to storage: turns one request into one commit on top of a batch's tip: checks the
// request (hostile input is the norm), decides merge or conflict, writes the objects.
// Thread safety: free functions on a batch and a repo, which have one owner.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "storage/draft.hpp"
#include "storage/git/repo.hpp"
#include "storage/index.hpp"

namespace plenary::storage {

// A commit of the batch, not yet on `main`.
struct pending_commit {
  git_oid oid{};
  log_entry entry;
  bool file_changed = false;
  std::string clause_id;            // whose file changed
  std::optional<git_oid> blob;      // its new blob; nullopt when deleted
  std::optional<std::string> text;  // its new text; nullopt when deleted
};

// Amendments applied in memory on top of `main`, one commit each, waiting to be published.
struct batch {
  tip t;  // main as it will be after these commits
  std::vector<pending_commit> commits;
  std::vector<git_oid> objects;                // every object the accepted commits wrote
  std::set<std::string, std::less<>> new_ids;  // clause ids created in this batch
  std::vector<std::string> delegations;        // codes brackets may name (draft::set_delegations)
  draft_limits limits;                         // draft::set_limits
};

// Applies `req` on top of `b.t`; on success one commit is appended to `b` and `b.t` moves.
// On error `b` is unchanged (objects written to memory are forgotten with the batch).
// Stage rules (procedure.md, "Stages"; see draft.hpp): nothing in the adopted stage; in the
// formal stage only the chair amends (bracket and resolve count as amendments); stage,
// sponsors and resolve only by the chair. Texts that go in are checked for the bracket
// notation against `b.delegations` (storage/brackets.hpp).
result<applied> apply_request(repo& r, const draft_index& index, batch& b, const request& req);

// What an adopted proposal adds to its amendment commit (procedure.md, "Adoption").
struct adoption_marks {
  int proposal = 0;
  adoption_kind how = adoption_kind::friendly;
  std::optional<vote_count> vote;  // by vote
};

// Applies an adopted proposal's amendment (`req.by` is the proposer) like apply_request, but
// whoever proposed it may change the text in the formal stage, and the commit carries the
// `Proposal:`, `Adopted:` (and `Vote:`) trailers.
result<applied> apply_adoption(repo& r, const draft_index& index, batch& b, const request& req,
                               const adoption_marks& marks);

// The effective change of a proposal (model.hpp): what apply_adoption would commit for `req`
// on top of `b.t`, planned by the same code and written nowhere, so that what is shown before
// a vote is what adoption applies. A refusal of the text (conflict, clause gone, nothing left
// to change, a merged text the rules refuse) is `conflict` with its sentence, exactly the
// refusals that make an adoption's outcome `conflict`; only io and internal errors are errors.
result<effective_change> effective_adoption(const repo& r, const draft_index& index, const batch& b,
                                            const request& req);

// A proposal's own commit: what `req` (replace, insert, delete, move or resolve) would commit on
// top of `b.t`, with the trailer `Proposal: <n>`, written to memory; `b` does not move.
struct proposal_commit {
  git_oid oid{};
  std::vector<git_oid> objects;  // every object written (the commit included)
  std::string summary;           // what the amendment does: "Replace operative clause 3"
};
result<proposal_commit> write_proposal(repo& r, const draft_index& index, const batch& b,
                                       const request& req, int n);

// Checks the author of a commit (state code and name), and its time.
std::string check_actor(const actor& by, std::string_view field);
std::string check_time(std::int64_t at);

}  // namespace plenary::storage
