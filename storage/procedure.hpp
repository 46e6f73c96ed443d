// Private to storage: proposals and their audit trail (procedure.md, "Proposals"), and tags.
//
// Layout in the draft's repository:
//   refs/proposals/<n>         the proposal's commit: its amendment applied to the main head
//                              of when it was tabled (parent), authored by the proposer,
//                              trailers Op, Clause, State and `Proposal: <n>`.
//   refs/heads/procedure       one commit per act (table, support, withdraw, open, vote, close),
//                              authored by the state that acted, trailers `Act:`, `Proposal:`,
//                              `State:` (and `Choice:` for a vote); its first commit is a root.
//                              Tree: proposals/<n>.json, every record as it stands after the act.
//   refs/heads/main            an adopted proposal's amendment, authored by the proposer, with
//                              `Proposal: <n>`, `Adopted: friendly|vote` (and `Vote: y-n-a`).
//
// One group of acts is written like a group of amendments: every new object in one pack, then
// compare-and-swap updates in this order:
//   1. refs/heads/procedure   (the records: the truth about every proposal)
//   2. refs/heads/main        (only when an act adopted a proposal)
//   3. refs/proposals/<n>     (for the proposals tabled)
// A crash after 1 leaves records that name an adopting commit which main lacks; a crash after
// 2 leaves a tabled proposal without its ref. `reconcile` (run by draft::open when it may
// repair) finishes both: main is fast-forwarded to the adopting commits (they are in the pack
// and their parent is main's head, since only one writer runs), missing proposal refs are
// written. If main was moved by someone else meanwhile (so the adopting commit no longer
// follows it), the record is set to `conflict` by a `reconcile` commit on procedure instead.
//
// Thread safety: free functions on a repo and a book, which have one owner (the draft).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/amend.hpp"
#include "storage/git/repo.hpp"
#include "storage/index.hpp"

namespace plenary::storage {

inline constexpr const char* procedure_ref = "refs/heads/procedure";
std::string proposal_ref(int n);  // "refs/proposals/<n>"

// Every proposal record of a draft, and the branch `procedure` they come from.
struct proposal_book {
  std::vector<proposal_record> records;  // records[n - 1]
  git_oid tip{};                         // the head of procedure; zero before the first act
  git_oid root_tree{};                   // its tree; zero before the first act
};

// Reads the records of the tip of `procedure` (no branch: no proposals). `io` when a record
// is damaged or the numbers are not 1..N.
result<proposal_book> load_book(const repo& r);

// A record as proposals/<n>.json holds it (two-space indents, lists on one line), and back.
std::string write_record(const proposal_record& p);
result<proposal_record> parse_record(std::string_view json);

// Acts applied in memory on top of the draft, waiting to be published.
struct act_batch {
  batch main;                                   // adopting commits on main, from the head
  proposal_book book;                           // records and procedure tip after the acts
  std::vector<git_oid> objects;                 // procedure and proposal commits' objects
  std::vector<std::pair<int, git_oid>> tabled;  // refs/proposals/<n> to write
  std::size_t acts = 0;                         // commits on procedure in this batch
};

// What one commit on procedure says.
struct act_message {
  std::string summary;
  std::string note;
  std::string act;          // table, support, withdraw, open, vote, close, restart, reconcile
  std::optional<actor> by;  // nullopt: the server (reconcile)
  std::optional<vote_choice> choice;
  std::int64_t at = 0;
};

// Writes the commit on top of `book` that stores `rec` as proposals/<n>.json (storage/git/
// side_branch.hpp) into memory, and moves the book's tip and tree (not the ref). Its objects
// are appended to `objects`. On error `book` and `objects` are unchanged.
status write_act_commit(repo& r, proposal_book& book, const proposal_record& rec,
                        const act_message& m, std::vector<git_oid>& objects);

// Applies one act on top of `ab`. On error `ab` is as it was (and nothing is written anywhere).
result<act_outcome> apply_act(repo& r, const draft_index& index, act_batch& ab,
                              const act_request& req);

// Puts the batch on disk: one pack, then procedure, main (when `ab.main` has commits, from
// `main_head`) and the proposal refs, in that order. `before` is procedure's tip before the
// batch (zero: the branch is created). On failure of the first two, an error.
status publish_acts(repo& r, act_batch& ab, const git_oid& main_head, const git_oid& before);

// Finishes what a crash between the ref updates left undone (see the top of this file).
// Returns true when main moved (the caller rebuilds its index and calls it again).
result<bool> reconcile(repo& r, const draft_index& index, const tip& head, proposal_book& book,
                       std::int64_t at);

// ^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$, and what git refuses in a ref name besides (`..`, a final
// `.` or `.lock`), and not reserved (reserved_tag_name). "" when fine, otherwise the sentence.
std::string check_tag_name(std::string_view name);
// "" unless `name` would shadow something else for git or for the compare page: a branch or a
// ref namespace of the repository (`main`, `procedure`, `proposals`...), HEAD or *_HEAD, or a
// commit id (looks_like_commit_id); then the sentence, naming the name.
std::string reserved_tag_name(std::string_view name);
// 7 or more hex digits: what git (and draft::resolve) reads as an abbreviated commit id.
bool looks_like_commit_id(std::string_view name);

// Makes the annotated tag refs/tags/<name> on `target` (a commit), tagger = `by` at `at`, with
// `message`: the tag object in its own pack, then the ref (`exists` when it is there).
// Memory must be empty (the draft settled: `internal` otherwise, storage/git/side_branch.hpp,
// check_settled); it is empty again afterwards.
result<tag_info> create_tag(repo& r, std::string_view name, const git_oid& target, const actor& by,
                            std::int64_t at, const std::string& message);

}  // namespace plenary::storage
