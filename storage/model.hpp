// The draft as plain values: what a snapshot, a log entry, a history entry and a blame are.
// No libgit2 types here. Thread safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace plenary::storage {

enum class clause_kind { heading, preamble, operative };
const char* to_string(clause_kind kind) noexcept;
std::optional<clause_kind> parse_clause_kind(std::string_view s) noexcept;

// What a commit on `main` did. Stored as the `Op:` trailer. `stage` and `sponsors` are the
// chair's procedural commits (procedure.md, "Stages"): they change draft.json only. `bracket`
// and `resolve` change one clause's bracketed text (procedure.md, "Bracketed text";
// storage/brackets.hpp). New values go at the end: the index cache stores them as numbers.
enum class op_kind {
  open,
  replace,
  insert,
  remove /* "delete" */,
  move,
  stage,
  sponsors,
  bracket,
  resolve
};
const char* to_string(op_kind op) noexcept;  // "open", "replace", "insert", "delete", "move",
                                             // "stage", "sponsors", "bracket", "resolve"
std::optional<op_kind> parse_op(std::string_view s) noexcept;

// The stage of a draft (procedure.md, "Stages"), stored in draft.json; it only moves forward.
enum class draft_stage { working, formal, adopted };
const char* to_string(draft_stage stage) noexcept;  // "working", "formal", "adopted"
std::optional<draft_stage> parse_stage(std::string_view s) noexcept;

// The chair's state code (protocol.md, "Words"). The one identity storage knows by name: see
// "Who may do what" in draft.hpp.
inline constexpr std::string_view chair_state = "CHAIR";

// The proponent of the wording of a bracket that is the text as tabled (docs/extensions.md,
// "Bracketed text"): written `TABLED: wording` when the words a delegation disputes are still
// those of the first commit of main. Never an author: the tabled text's commit is the chair's
// (protocol.md), and a bracket's commit is whoever bracketed. Pages and exports name it "the
// text as tabled" with the draft's sponsors. No roster may use it, as none may use CHAIR.
inline constexpr std::string_view tabled_state = "TABLED";

// Who acted: a state code (`RUS`, `CHAIR`) and the delegation's name.
struct actor {
  std::string state;  // ^[A-Z0-9]{2,8}$ ; the chair is "CHAIR"
  std::string name;   // "Russian Federation"
  bool operator==(const actor&) const = default;
};

struct clause {
  std::string id;  // ^[a-z0-9-]{1,32}$, stable, never reused
  clause_kind kind = clause_kind::operative;
  std::optional<int> number;  // 1, 2, 3... for operative clauses in document order
  std::string text;           // without the trailing newline of the file
  std::string rev;            // commit that created the clause or last changed its text
  std::string by;             // state code of that commit's author
};

struct snapshot {
  std::string title;
  std::string head;                          // the commit this snapshot is of
  std::vector<clause> clauses;               // in document order, numbers filled in
  draft_stage stage = draft_stage::working;  // draft.json's "stage" (working when absent)
  std::vector<std::string> sponsors = {};    // draft.json's "sponsors": state codes, in order
};

// How an adopted proposal was adopted (the `Adopted:` trailer).
enum class adoption_kind { friendly, vote };
const char* to_string(adoption_kind kind) noexcept;  // "friendly", "vote"

// The count of a closed vote (the `Vote: <yes>-<no>-<abstain>` trailer).
struct vote_count {
  int yes = 0;
  int no = 0;
  int abstain = 0;
  bool operator==(const vote_count&) const = default;
};

struct log_entry {
  std::string commit;
  std::string parent;  // empty for the first commit
  actor by;
  std::int64_t at = 0;  // author time, seconds since the epoch (UTC)
  op_kind op = op_kind::open;
  std::string clause;  // the `Clause:` trailer (empty for open, stage, sponsors)
  std::string note;    // the delegation's note, may be empty
  // Procedure (procedure.md); each set only on the commits it describes:
  std::optional<draft_stage> stage = std::nullopt;      // op stage: the stage (`Stage:`)
  std::optional<int> proposal = std::nullopt;           // adopting: the proposal (`Proposal:`)
  std::optional<adoption_kind> adopted = std::nullopt;  // adopting: how (`Adopted:`)
  std::optional<vote_count> vote = std::nullopt;        // by vote: the count (`Vote:`)
};

// One piece of a word-level diff. Joining '=' and '-' gives the old text,
// joining '=' and '+' gives the new text.
struct diff_piece {
  char op = '=';  // '=', '+' or '-'
  std::string text;
};

struct history_entry {
  log_entry entry;
  std::optional<std::string> text;  // the clause after this commit; nullopt once deleted
  std::vector<diff_piece> diff;     // against the clause's previous text ("" for the first)
};

struct blame_segment {
  std::string text;
  std::string state;  // state code of the commit that introduced this text
  std::string commit;
  // The words are the text as tabled: introduced by the first commit of main and not given to
  // another proponent by a bracket, or the wording of a `TABLED` alternative. Set only by
  // brackets::attribute_proponents given that commit (raw blame: always false).
  bool tabled = false;
};

// What the server asks for. Identity is never part of it: the author is passed apart.
struct amendment {
  op_kind op = op_kind::replace;     // replace, insert, remove, move, stage, sponsors, bracket,
                                     // resolve
  std::string clause;                // replace, remove, move, bracket, resolve: the target clause
  std::optional<std::string> after;  // insert, move: the clause to follow; nullopt = top
  clause_kind kind = clause_kind::operative;  // insert: the new clause's kind
  std::string text;                           // replace, insert; bracket: the new alternative's
                                              // wording (empty: "delete this")
  std::string base;                           // replace, remove, bracket: the rev the client last
                                              // saw; resolve: empty = the current text (a resolve
                                              // proposal records the rev it was tabled on)
  std::string note;                           // optional reason, <= 2,048 bytes
  draft_stage stage = draft_stage::working;   // stage: the stage to move to
  std::vector<std::string> sponsors = {};     // sponsors: the new list of state codes
  // bracket: the span [start, end) of the clause's text, in bytes.
  std::size_t start = 0;
  std::size_t end = 0;
  // resolve: which bracket of the clause (0-based, in text order) and which of its
  // alternatives to keep (0-based).
  std::size_t bracket = 0;
  std::size_t choose = 0;
};

// What an accepted amendment became.
struct applied {
  log_entry entry;                         // the new commit, as the log shows it
  bool merged = false;                     // true when the text was merged word by word
  std::optional<clause> after;             // the clause after the change; nullopt for remove
  std::vector<std::string> order;          // clause ids in document order after the change
  std::vector<std::string> sponsors = {};  // the draft's sponsors after the change
  // op stage to adopted: the annotated tag made on this commit ("adopted"); nullopt when
  // there is none (or making it failed: the next draft::open makes it).
  std::optional<std::string> tag = std::nullopt;
};

// The initial text of a draft (from a file shaped like samples/code-of-conduct.json).
struct draft_spec {
  std::string title;
  struct initial_clause {
    clause_kind kind = clause_kind::operative;
    std::string text;
  };
  std::vector<initial_clause> clauses;
  std::vector<std::string> sponsors = {};  // state codes (not CHAIR), each at most once
};

// ---- proposals (procedure.md, "Proposals") ----------------------------------------------

enum class proposal_status { tabled, voting, adopted, rejected, withdrawn, conflict };
const char* to_string(proposal_status s) noexcept;
std::optional<proposal_status> parse_proposal_status(std::string_view s) noexcept;

enum class vote_threshold { simple, two_thirds, two_thirds_present };
const char* to_string(vote_threshold t) noexcept;  // "simple", "two-thirds", "two-thirds-present"
std::optional<vote_threshold> parse_threshold(std::string_view s) noexcept;

enum class vote_choice { yes, no, abstain };
const char* to_string(vote_choice c) noexcept;
std::optional<vote_choice> parse_choice(std::string_view s) noexcept;

enum class proposal_outcome { adopted, rejected, conflict };
const char* to_string(proposal_outcome o) noexcept;
std::optional<proposal_outcome> parse_outcome(std::string_view s) noexcept;

// Whether a vote carries: simple: yes > no; two-thirds: 3·yes >= 2·(yes + no);
// two-thirds-present: 3·yes >= 2·(yes + no + abstain); and always at least one yes.
bool vote_carries(vote_threshold threshold, const vote_count& count) noexcept;

// A tabled or voting proposal's *effective change* (docs/extensions.md, "Effective change"):
// what adopting it would make of the text as it stands at `computed_at`, computed by the very
// planning that adoption commits (storage/amend.hpp, effective_adoption), so that what a
// delegation is shown is what adoption applies.
struct effective_change {
  // The text of the proposal's clause after adoption (the new clause's for insert, the moved
  // clause's for move); nullopt when adoption deletes the clause, or on conflict.
  std::optional<std::string> text;
  bool conflict = false;    // adoption would not apply as the text stands (nothing committed)
  std::string problem;      // conflict: why, in one sentence; empty otherwise
  std::string computed_at;  // the commit of main it was computed against
  // The same change (text and conflict); computed_at and the wording of `problem` aside.
  bool same_change(const effective_change& o) const noexcept {
    return text == o.text && conflict == o.conflict;
  }
};

struct vote_record {
  vote_threshold threshold = vote_threshold::simple;
  std::vector<std::string> yes, no, abstain;  // state codes in the order they voted
  // The effective change when the vote was opened (or restarted); nullopt in records written
  // before plenary kept it. A voting proposal whose effective change differs from it changed
  // during the vote.
  std::optional<effective_change> opened_on = std::nullopt;
  vote_count count() const noexcept;
};

struct proposal_result {
  proposal_outcome outcome = proposal_outcome::adopted;
  std::string commit;  // the adopting commit on main; empty (null) unless adopted
};

// A proposal record, field for field as procedure.md writes it. Fields that the op does not
// have are nullopt (null): replace {clause, base, text}; insert {after, kind, text};
// delete {clause, base}; move {clause, after}; resolve {clause, base, bracket, choose} (base:
// the clause's rev when tabled; `bracket` and `choose` are written only for resolve).
struct proposal_record {
  int n = 0;                      // 1, 2, 3... per draft
  actor by;                       // the proposer
  op_kind op = op_kind::replace;  // replace, insert, remove, move or resolve
  std::optional<std::string> clause;
  std::optional<std::string> after;  // insert, move: nullopt = the top (null)
  std::optional<clause_kind> kind;
  std::optional<std::string> text;
  std::string note;  // empty is written as null
  std::optional<std::string> base;
  std::optional<std::size_t> bracket;  // resolve: the bracket (0-based) ...
  std::optional<std::size_t> choose;   // ... and the alternative to keep (0-based)
  // bracket (plenary's extension): the span [start, end) of the clause's text at `base`, in
  // bytes; `text` is the proposer's wording (empty: "delete this"). Written only for bracket.
  std::optional<std::size_t> start;
  std::optional<std::size_t> end;
  std::string commit;  // the proposal's commit (refs/proposals/<n>)
  proposal_status status = proposal_status::tabled;
  std::vector<std::string> supporters;  // state codes in the order they signed on
  std::optional<vote_record> vote;
  std::optional<proposal_result> result;

  // The amendment that adopting this proposal applies (base = the proposal's base).
  amendment change() const;
};

// A procedural act (procedure.md: table, support, withdraw, open, vote, close; and plenary's
// restart of an open vote, docs/extensions.md). New values go at the end.
enum class act_kind { table, support, withdraw, open, vote, close, restart };
const char* to_string(act_kind a) noexcept;

// One act, with who acted and when the server accepted it. Identity comes from `by` only.
struct act_request {
  act_kind kind = act_kind::support;
  actor by;
  std::int64_t at = 0;                                // seconds since the epoch, UTC
  int proposal = 0;                                   // every act but table
  amendment change;                                   // table: the proposed amendment and its note
  vote_threshold threshold = vote_threshold::simple;  // open
  vote_choice choice = vote_choice::yes;              // vote
};

// What an accepted act became.
struct act_outcome {
  proposal_record record;        // the record after the act
  std::string procedure_commit;  // the act's commit on the branch `procedure`
  // When the act adopted the proposal (a friendly support, or a close that carried and
  // merged): the adopting commit on main, as amend() reports an amendment.
  std::optional<applied> adopted;
  // When the act carried the proposal but its text no longer applies (status conflict): why,
  // in one sentence (the adoption's conflict or refusal).
  std::string adoption_problem;
  // The record's effective change right after the act, on main as the act left it: set while
  // the record is tabled or voting.
  std::optional<effective_change> effective = std::nullopt;
};

// A tag made by draft::tag (procedure.md, "Versions").
struct tag_info {
  std::string name;    // ^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$
  std::string commit;  // the commit of main it names
  std::string object;  // the annotated tag object
};

// How big one draft may grow (the server sets them from its configuration: server/config.hpp
// says why each is what it is). An amendment that would pass one is refused (`invalid`)
// before anything is written; one that makes a draft already past a limit smaller is not.
struct draft_limits {
  std::size_t max_clauses = SIZE_MAX;     // clauses in the draft, headings included
  std::size_t max_text_bytes = SIZE_MAX;  // the texts of all its clauses together
  std::size_t max_threads = SIZE_MAX;     // threads of comments (storage/comments.hpp)
  std::size_t max_comments_per_thread = SIZE_MAX;
};

// Limits of the contract (protocol.md, "Words").
inline constexpr std::size_t max_clause_text_bytes = 16384;
inline constexpr std::size_t max_note_bytes = 2048;
inline constexpr std::size_t max_title_bytes = 512;
inline constexpr std::size_t max_sponsors = 256;  // a draft's sponsors list

}  // namespace plenary::storage
