// A draft under negotiation, stored as a bare git repository (protocol.md, "Storage layout"):
//   draft.json          {"title": ..., "clauses": [{"id": ..., "kind": ...}, ...]}
//   clauses/<id>.txt    each clause's text followed by one newline
// on the branch `main`, one commit per amendment, authored by the delegation.
//
// Procedure (procedure.md): draft.json also holds the stage and the sponsors; the chair's
// `stage` and `sponsors` commits go through amend/amend_all like amendments (one commit each
// on main, in the same chain). Proposals live beside main: refs/proposals/<n> and the branch
// `procedure` (layout and crash ordering in storage/procedure.hpp; docs/extensions.md).
//
// Who may do what: storage knows no roles, only the state code that acts and the one identity
// the contract fixes, the chair's `CHAIR`. It enforces every rule of procedure.md that follows
// from the draft and that code, at the moment the commit is made (so a batch that moves the
// stage and then amends is judged in order):
//   - adopted: every amendment, stage or sponsors change and procedural act is `forbidden`;
//   - formal: an amendment (replace, insert, delete, move) by anyone but CHAIR is `forbidden`
//     (an adopted proposal's amendment, authored by its proposer, is not an amendment here);
//   - stage, sponsors, open_vote, close_vote and tag only by CHAIR, support and vote never by
//     CHAIR, withdraw only by the proposer: otherwise `forbidden`;
//   - stages only forward (`forbidden`; the stage it is already in: `conflict`); sponsors only
//     while working (`forbidden`);
//   - a second support or vote, an act in the wrong status, a second open vote: `conflict`;
//     an unknown proposal: `not_found`; a bad threshold, choice, name or field: `invalid`.
// The server enforces what belongs to a connection: who joined, that observers only read
// (storage cannot tell an observer's code from a delegation's), that sponsors are delegations
// of the roster (kept outside the repository), and rate limits.
//
// Thread safety: a draft is NOT thread-safe. One owner (the server's room for that draft)
// calls it from one strand at a time. Different drafts may be used from different threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/comments.hpp"
#include "storage/debrief.hpp"
#include "storage/model.hpp"
#include "storage/result.hpp"
#include "storage/versions.hpp"

namespace plenary::storage {

// The draft's settings (docs/extensions.md, "Live wording"), changed by the chair as commits
// on `procedure` (storage/settings.hpp).
struct draft_settings {
  bool live_wording = true;  // delegations see each other's wording as it is typed
  bool operator==(const draft_settings&) const = default;
};

// One amendment to apply, with who made it and when the server accepted it.
struct request {
  actor by;
  amendment change;
  std::int64_t at = 0;  // seconds since the epoch, UTC
};

// How draft::open treats the repository.
struct open_options {
  // Remove the stale lock and temporary files a crashed writer left (files::remove_stale_locks).
  // Only the draft's one writer (the server, holding DATA/.serve.lock) may repair; a reader
  // such as `plenary draft export`, which may run beside a live server, passes false so that
  // it never deletes a lock the server holds right now.
  bool repair = true;
  // Acknowledge a group commit once it is in the draft's write-ahead log (storage/git/wal.hpp:
  // one record, one fdatasync), and put it into git (one pack, main moved) on another thread
  // just after (storage/git/checkpointer.hpp); open() replays into git what a crash left in the
  // log. amend/amend_all then return once the commits are durable in the log: the draft, its
  // reads and every later open see them, plain git a moment later (at most
  // `checkpoint_delay`, 50 ms, when nobody asks sooner). Everything else (acts, tags,
  // settings) first waits until git holds every logged commit. Only with `repair` (the
  // writer), and not when main's updates are logged (a reflog): there amend_all writes git
  // before it returns, as without this option. The server's rooms turn it on (issue 20).
  bool write_ahead = false;
  // With write_ahead: called after each checkpoint moved main on disk, on the checkpointer's
  // thread (so quick, and safe from any thread): what pushes git elsewhere (a mirror) hears
  // of the commits there.
  std::function<void()> on_checkpoint = {};
  // With write_ahead: a checkpoint failed (main.lock held, a full disk) after one that
  // succeeded: why, and in how long it is tried again by itself. The acknowledged amendments
  // are safe in the log meanwhile; the retries back off from 50 ms to 5 s
  // (storage/git/checkpointer.hpp, checkpoint_retry_first and _max). On the checkpointer's
  // thread, once per streak of failures: what logs a warning.
  std::function<void(const error& why, std::chrono::milliseconds retry_in)> on_checkpoint_failed =
      {};
  // With write_ahead: the checkpoint that ended a streak of `failures` failed ones, `for_ms`
  // after the first; main on disk is again where the acknowledged amendments are.
  std::function<void(std::size_t failures, std::chrono::milliseconds for_ms)>
      on_checkpoint_recovered = {};
};

class draft {
 public:
  // Creates a bare repository at `git_dir` holding the `open` commit (author = chair) and
  // returns it opened. Atomic: the repository is built beside `git_dir` and renamed into
  // place, so a reader never sees half a draft; `exists` if anything is at `git_dir`.
  static result<std::unique_ptr<draft>> create(const std::filesystem::path& git_dir,
                                               const draft_spec& spec, const actor& chair,
                                               std::int64_t at);

  // Opens an existing draft and builds its index (one walk of `main`) and its proposals (the
  // records of the tip of `procedure`). Removes stale `.lock` files that a crashed writer left
  // behind in this repository and finishes what a crash left half done (adoptions recorded on
  // `procedure` but missing from main, proposal refs, the tag `adopted`: procedure.hpp),
  // unless `options.repair` is false.
  static result<std::unique_ptr<draft>> open(const std::filesystem::path& git_dir,
                                             open_options options = {});

  ~draft();
  draft(const draft&) = delete;
  draft& operator=(const draft&) = delete;

  // The text at the head of `main`. Cheap: kept in memory and updated on every commit.
  const snapshot& head() const noexcept;

  // The text as it stood at `commit` (a full 40-hex id of `main`'s history); `not_found`
  // for a commit that is not in it, `invalid` for something that is not a commit id.
  result<snapshot> at(std::string_view commit) const;

  // The commit of `main`'s history that a version name stands for: a tag (`refs/tags/<name>`,
  // peeled to its commit) or a commit id (40 hex digits, or an unambiguous prefix of at
  // least 7). `not_found` when it names nothing in `main`'s history, `invalid` when it
  // cannot be a version name at all.
  result<std::string> resolve(std::string_view version) const;

  // Every commit of `main`, newest first; at most `limit` entries.
  std::vector<log_entry> log(std::size_t limit = SIZE_MAX) const;

  // The commits that created, changed the text of, or deleted the clause (what
  // `git log -- clauses/<id>.txt` shows), oldest first, each with the text after it and a
  // word diff against the text before it. Cost follows the clause's own history.
  result<std::vector<history_entry>> history(std::string_view clause_id) const;

  // The current text of the clause, each piece attributed to the commit and state that
  // introduced it. Joining the segments' texts gives the current text.
  result<std::vector<blame_segment>> blame(std::string_view clause_id) const;

  // Applies one amendment as exactly one commit on `main`. Returns only once the objects
  // and the branch update are on disk (when fsync is on): in git, or with
  // `open_options::write_ahead` in the write-ahead log and in git soon after. On any error nothing
  // is committed. replace/remove with a stale `base`: replace merges word by word when the changes
  // do not overlap (`merged`), otherwise `conflict` carrying the current clause; a stale remove is
  // always a `conflict`.
  result<applied> amend(const request& r);

  // Applies several amendments in order, each its own commit on top of the previous one
  // (a refused one is skipped and the rest go on), with one write of all new objects and one
  // compare-and-swap of `main` (group commit). Results are in the order of `requests`.
  //
  // Requests of op `stage` (change.stage) and `sponsors` (change.sponsors) are the chair's
  // procedural commits: draft.json changes, `Op: stage` + `Stage: <stage>` or `Op: sponsors`,
  // no `Clause:`. Moving to `adopted` then makes the annotated tag `adopted` (tagger = the
  // chair) on that commit, after main has moved; `applied::tag` says so. Should that fail,
  // the next open() makes it (main first, then the tag).
  std::vector<result<applied>> amend_all(std::span<const request> requests);

  // ---- proposals (procedure.md, "Proposals") ----------------------------------------------
  //
  // Each act is one commit on the branch `procedure` (authored by `by`, trailers Act,
  // Proposal, State, Choice) storing every record as proposals/<n>.json. An act that adopts a
  // proposal (a support that makes it friendly, a close whose vote carries) also commits its
  // amendment on main, as amend() would with base = the proposal's base, authored by the
  // proposer with `Proposal:`, `Adopted:` (and `Vote:`) trailers; when that amendment no
  // longer applies the status is `conflict` and main does not move. A refused act changes
  // nothing on either branch. Returns once everything is on disk.

  // Applies several acts in order, each on top of the previous ones (a refused one is
  // skipped), with one pack and one compare-and-swap per branch (group commit).
  std::vector<result<act_outcome>> act_all(std::span<const act_request> requests);
  result<act_outcome> act(const act_request& request);

  // The same acts one by one.
  // `change`: any amend op (replace, insert, delete, move) with its fields and note.
  result<act_outcome> table(const actor& proposer, const amendment& change, std::int64_t at);
  result<act_outcome> support(int n, const actor& by, std::int64_t at);
  result<act_outcome> withdraw(int n, const actor& by, std::int64_t at);
  result<act_outcome> open_vote(int n, vote_threshold threshold, const actor& chair,
                                std::int64_t at);
  result<act_outcome> vote(int n, const actor& by, vote_choice choice, std::int64_t at);
  result<act_outcome> close_vote(int n, const actor& chair, std::int64_t at);
  // plenary's restart of an open vote (docs/extensions.md): only CHAIR, only while voting
  // (`forbidden`, `conflict`); the votes cast are cleared and the vote's `opened_on` becomes
  // the effective change now. Commit on procedure `Act: restart`.
  result<act_outcome> restart_vote(int n, const actor& chair, std::int64_t at);

  // The effective change of proposal `n` (model.hpp, effective_change) against the head of
  // main: what adopting it now would make of its clause, or a conflict. nullopt unless the
  // proposal is tabled or voting; `not_found` when there is none. Computed by the planning
  // that adoption commits (so it is what a close or a friendly support would apply now), once
  // per proposal and head of main; cheap after that.
  result<std::optional<effective_change>> effective(int n) const;

  // Every proposal, ordered by n (records[n - 1]). Kept in memory: cheap.
  const std::vector<proposal_record>& proposals() const noexcept;
  // Proposal `n`; `not_found` when there is none.
  result<proposal_record> proposal(int n) const;

  // ---- versions (procedure.md, "Versions") -------------------------------------------------

  // Makes the annotated tag refs/tags/<name> on the head of main, tagger = `by` (the chair:
  // `forbidden` for anyone else), message "Version <name>" and the note. `invalid` for a name
  // that is not ^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$ or that git refuses, and for `adopted`
  // (made by the move to the adopted stage); `exists` when the tag is there already.
  // Allowed in every stage: a tag changes no text.
  result<tag_info> tag(std::string_view name, const actor& by, std::string_view note,
                       std::int64_t at);

  // Every version of the draft (its tags on commits of main, `adopted` included), ordered by
  // time, then name. Kept in memory (storage/versions.hpp says why): cheap.
  const std::vector<version>& versions() const noexcept;

  // Compares two versions, each a tag or a commit id as resolve() takes it (`not_found` or
  // `invalid` as resolve() says, naming the version): every clause of either, in the order
  // of `to` with removed clauses where they stood (storage/versions.hpp, compare). Reads the
  // two snapshots; costs a word diff per changed clause.
  result<comparison> compare(std::string_view from, std::string_view to) const;

  // ---- debrief (storage/debrief.hpp) ------------------------------------------------------

  // Who shaped the text of `version` (a tag or a commit as resolve() takes it; empty: the
  // head), and the activity of the whole record. `not_found` or `invalid` as resolve() says.
  // Kept per head: computed once for a version and returned again until main, `procedure` or
  // the tags move (a cold computation reads every clause blob of the history once).
  result<debrief> debrief_of(std::string_view version = {}) const;

  // ---- bracketed text (procedure.md, "Bracketed text"; storage/brackets.hpp) ------------------
  //
  // The roster's delegation codes (not CHAIR), which brackets may name besides `CHAIR`. The
  // roster lives outside the repository (the server's access list): the server sets it once
  // after open and again when it changes. Kept in memory only. Until it is set (an empty
  // list) texts are checked for the structure of the notation only.
  void set_delegations(std::vector<std::string> codes);

  // How big the draft may grow (model.hpp, draft_limits): an insert, replace, bracket,
  // resolve or adoption that would make it pass a limit is refused as `invalid`, saying which
  // and by how much, before anything is written. Unlimited until set; kept in memory only.
  void set_limits(draft_limits limits);

  // With open_options::write_ahead: waits until git holds every commit acknowledged so far
  // (the checkpointer's pack, main moved), so that the repository can be moved or copied as
  // it is (archiving). Without the option, or with nothing waiting, returns at once. On
  // failure the commits stay in the log, which the next open replays.
  [[nodiscard]] status settle();
  //
  // Bracketing and resolving go through amend/amend_all as requests of op `bracket`
  // (change.clause, base, start, end, text) and `resolve` (change.clause, bracket, choose):
  // one commit each, `Op: bracket` or `Op: resolve` with `Clause:`. A bracket from a stale
  // base is a `conflict` carrying the clause (offsets are into the text the client saw). Only
  // CHAIR resolves directly (`forbidden` otherwise); delegations table a proposal of op
  // `resolve` (table(), change.op = resolve), adopted like any proposal. In the formal stage a
  // delegation's bracket is `forbidden`, as an amendment is. blame() gives each alternative's
  // wording to the state its CODE names.

  // ---- settings (docs/extensions.md, "Live wording"; storage/settings.hpp) -------------------
  //
  // The draft's settings as the tip of `procedure` holds them (defaults when none). Cheap.
  const draft_settings& settings() const noexcept;
  // Turns live wording on or off: one commit on `procedure` (Act: settings) authored by `by`,
  // returned as its id. Only CHAIR (`forbidden`), not once adopted (`forbidden`), and not to
  // the value it has already (`conflict`).
  result<std::string> set_live_wording(bool on, const actor& by, std::int64_t at);

  // ---- comments (docs/extensions.md, "Comments"; storage/comments.hpp) ----------------------
  //
  // Every thread, ordered by n (threads[n - 1]), as the tip of the branch `comments` holds it;
  // loaded with the draft, kept in memory: cheap.
  const std::vector<comment_thread>& threads() const noexcept;
  // Where thread `n`'s anchor stands at the head of main: a span carried over its clause's
  // changes since it was written. Kept per thread and clause rev: cheap after the first read.
  // `not_found` when there is no such thread.
  result<placed_anchor> placed(int n) const;
  // One comment, reply, resolution or reopening: one commit on `comments` authored by `by`.
  // Not once the draft is adopted (`forbidden`: the discussion is closed, the threads stay).
  // A new thread's clause must be in the draft (`not_found`), a span's `rev` a text of it
  // (`not_found`) and its offsets a span of that text that crosses no bracket's edge
  // (`invalid`), a proposal one of the draft's (`not_found`); a reply's thread must exist
  // (`not_found`) and be open (`conflict`); only the thread's author or CHAIR resolves or
  // reopens it (`forbidden`), not to the status it has (`conflict`). The text follows a note's
  // rules, not blank (`invalid`); draft_limits caps threads and comments per thread (`invalid`).
  result<comment_outcome> comment(const comment_request& request);

  const std::filesystem::path& path() const noexcept;

 private:
  struct impl;
  explicit draft(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

// Where the draft `slug` lives in a data directory: DATA/drafts/<slug>.git. `invalid` when
// `slug` is not ^[a-z0-9][a-z0-9-]{0,62}$ (so no "..", "/" or other path tricks get through).
result<std::filesystem::path> draft_path(const std::filesystem::path& data_dir,
                                         std::string_view slug);

// Process-wide libgit2 setup. Create one before any draft is used, keep it alive while
// drafts are in use. fsync is on by default; turning it off is for tests and benchmarks.
struct library_options {
  bool fsync = true;
  // libgit2 refuses a repository owned by another user (like git's safe.directory). A reader
  // run by an administrator on the service's data (`plenary draft export` as root) turns
  // the check off; writers never do.
  bool check_owner = true;
};

class library {
 public:
  explicit library(library_options options = {});
  ~library();
  library(const library&) = delete;
  library& operator=(const library&) = delete;
};

}  // namespace plenary::storage
