// The messages of the contract (protocol.md) as typed values: parsing and validation of
// what clients send, serialisation of what the server sends. Pure: no sockets, no files.
// Every parse failure names the field and the rule it breaks.
// Thread safety: pure functions over plain values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace plenary::protocol {

// ---- limits (protocol.md) ------------------------------------------------------------
inline constexpr std::size_t max_frame_bytes = 256 * 1024;
inline constexpr std::size_t max_text_bytes = 16384;
inline constexpr std::size_t max_note_bytes = 2048;
inline constexpr std::size_t max_id_string_chars = 64;
inline constexpr std::size_t max_code_bytes = 128;
inline constexpr int max_json_depth = 16;
inline constexpr std::size_t max_sponsors = 256;          // a `sponsors` list
inline constexpr std::int64_t max_proposal = 2147483647;  // proposal numbers are 1..2^31-1
// A new draft (the draft file, the organizer's text form): a long UN resolution has about 150
// paragraphs and under 100 KB of text; the UN has 193 members and 2 observer states.
inline constexpr std::size_t max_draft_clauses = 1000;
inline constexpr std::size_t max_roster = 256;
inline constexpr std::size_t max_source_text_bytes = 1024 * 1024;  // a text to split
// Bracketed text: byte offsets go up to a clause's size; a clause cannot hold more brackets,
// nor a bracket more alternatives, than it has bytes.
inline constexpr std::int64_t max_offset = 16384;

enum class error_code {
  bad_request,
  unauthorized,
  forbidden,
  not_found,
  conflict,
  too_large,
  rate_limited,
  internal
};
const char* to_string(error_code code) noexcept;
int http_status(error_code code) noexcept;  // 400, 401, 403, 404, 409, 413, 429, 500

// A client message's `id`: absent, an integer, or a string of at most 64 characters.
using message_id = std::variant<std::monostate, std::int64_t, std::string>;

// ---- wire vocabulary ------------------------------------------------------------------
enum class clause_kind { heading, preamble, operative };
const char* to_string(clause_kind kind) noexcept;

struct actor {
  std::string state;
  std::string name;
};

struct clause {
  std::string id;
  clause_kind kind = clause_kind::operative;
  std::optional<int> number;
  std::string text;
  std::string rev;
  std::string by;
};

struct draft_view {
  std::string slug;
  std::string title;
  std::string head;
  std::vector<clause> clauses;
  std::string stage = "working";           // procedure.md: "working", "formal" or "adopted"
  std::vector<std::string> sponsors = {};  // procedure.md: state codes
  // Extension: the roster, {"state", "name"} of every delegation (not the chair), so that a
  // page can name states that are not present. Written only when not empty.
  std::vector<actor> delegations = {};
  // Extension (docs/extensions.md, "Live wording"): written only when false.
  bool live_wording = true;
};

// A closed vote's count (procedure.md, `Vote: <yes>-<no>-<abstain>`).
struct vote_tally {
  int yes = 0;
  int no = 0;
  int abstain = 0;
  bool operator==(const vote_tally&) const = default;
};

struct log_entry {
  std::string commit;
  actor by;
  std::int64_t at = 0;  // seconds since the epoch; written as RFC 3339 UTC
  std::string op;       // "open", "replace", "insert", "delete", "move", "stage", "sponsors"
  std::string clause;   // empty is written as null
  std::string note;     // empty is written as null
  // Extension (docs/extensions.md): written only when set.
  std::optional<std::string> stage = std::nullopt;    // op stage: the stage moved to
  std::optional<int> proposal = std::nullopt;         // an adopted proposal's amendment
  std::optional<std::string> adopted = std::nullopt;  // ... and how: "friendly" or "vote"
  std::optional<vote_tally> vote = std::nullopt;      // ... by vote: the count
};

struct diff_piece {
  char op = '=';  // '=', '+', '-'
  std::string text;
};

struct history_entry {
  log_entry entry;
  std::optional<std::string> text;  // null once deleted
  std::vector<diff_piece> diff;
};

struct blame_segment {
  std::string text;
  std::string state;
  std::string commit;
  bool tabled = false;  // the text as tabled (docs/extensions.md): `"tabled": true`, else absent
};

struct presence_entry {
  std::string session;
  std::string state;
  std::string name;
  std::string role;  // "delegation", "chair", "observer"
  std::optional<std::string> clause;
};

// ---- client to server -----------------------------------------------------------------
struct join_msg {
  std::string code;
  std::optional<std::string> draft;
};

enum class amend_op { replace, insert, remove /* "delete" */, move };

struct amend_msg {
  amend_op op = amend_op::replace;
  std::string clause;                         // replace, delete, move
  std::optional<std::string> after;           // insert, move: null/absent = the top
  clause_kind kind = clause_kind::operative;  // insert
  std::string text;                           // replace, insert
  std::string base;                           // replace, delete
  std::string note;                           // optional, empty when absent
};

struct history_msg {
  std::string clause;
};
struct blame_msg {
  std::string clause;
};
struct focus_msg {
  std::optional<std::string> clause;
};

// ---- procedure.md ----
enum class stage_name { working, formal, adopted };
const char* to_string(stage_name stage) noexcept;
enum class vote_threshold { simple, two_thirds, two_thirds_present };
const char* to_string(vote_threshold threshold) noexcept;  // "two-thirds", ...
enum class vote_choice { yes, no, abstain };
const char* to_string(vote_choice choice) noexcept;

struct stage_msg {
  stage_name stage = stage_name::working;
};
struct sponsors_msg {
  std::vector<std::string> sponsors;  // state codes (not CHAIR), each once; may be empty
};
// procedure.md, "Bracketed text".
// {"type": "bracket", "clause", "base", "start", "end", "text", "note"?}: the span [start, end)
// (byte offsets, 0..16,384, start < end) of the clause becomes a bracket, `text` (may be empty:
// "delete this") the sender's alternative.
struct bracket_msg {
  std::string clause;
  std::string base;
  std::int64_t start = 0;
  std::int64_t end = 0;
  std::string text;
  std::string note;  // extension: optional, empty when absent
};
// {"type": "resolve", "clause", "bracket", "choose", "note"?}: keep alternative `choose`
// (0-based) of bracket `bracket` (0-based, in text order).
struct resolve_msg {
  std::string clause;
  std::int64_t bracket = 0;
  std::int64_t choose = 0;
  std::string note;  // extension: optional, empty when absent
};

// `op` is an amend op with that op's fields and `note`, exactly as `amend` reads them, or
// `resolve` with the fields of the `resolve` message (then `resolve` is set, `change` unused),
// or (extension, docs/extensions.md) `bracket` with the fields of the `bracket` message (then
// `bracket` is set).
struct propose_msg {
  amend_msg change;
  std::optional<resolve_msg> resolve = std::nullopt;
  std::optional<bracket_msg> bracket = std::nullopt;
};
struct support_msg {
  int proposal = 0;  // 1..2^31-1
};
struct withdraw_msg {
  int proposal = 0;
};
struct open_vote_msg {
  int proposal = 0;
  vote_threshold threshold = vote_threshold::simple;
};
struct vote_msg {
  int proposal = 0;
  vote_choice choice = vote_choice::yes;
};
struct close_vote_msg {
  int proposal = 0;
};
// Extension (docs/extensions.md, "Effective change"): {"type": "restart_vote", "proposal": n},
// the chair clears the votes of the open vote and puts the proposal's effective change as it
// now stands to the same vote again. Reply: the sender's copy of the `proposal` event.
struct restart_vote_msg {
  int proposal = 0;
};
struct tag_msg {
  std::string name;  // ^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$, no `..`, no final `.` or `.lock`
  std::string note;  // optional, empty when absent
};

// Extension (docs/extensions.md, "Live wording").
// {"type": "typing", "clause", "base", "text"}: the sender's wording of `clause` as it is typed
// (checked like a clause text), from the clause's rev `base`; `text` null (then `base` may be
// left out) stops it.
struct typing_msg {
  std::string clause;
  std::string base;                 // empty when text is null and no base was given
  std::optional<std::string> text;  // nullopt: stop
};
// {"type": "settings", "live_wording": bool}: the chair's setting for the draft.
struct settings_msg {
  bool live_wording = true;
};

// Extension (docs/extensions.md, "Comments"; protocol/comment_messages.cpp).
// {"type": "comment", "clause", "text"} on a clause; with "base", "start", "end" on a span of
// the clause's text at `base` (byte offsets, like `bracket`); {"type": "comment", "proposal",
// "text"} on a proposal. `text`: a note's rules, not blank.
struct comment_msg {
  std::string clause;                      // empty for a proposal
  std::optional<int> proposal;             // set for a proposal
  std::string base;                        // a span's rev
  std::optional<std::int64_t> start, end;  // a span: both set, end > start
  std::string text;
};
// {"type": "reply", "thread", "text"}
struct reply_msg {
  int thread = 0;  // 1..2^31-1
  std::string text;
};
// {"type": "resolve_thread", "thread"} and {"type": "reopen_thread", "thread"}
struct resolve_thread_msg {
  int thread = 0;
};
struct reopen_thread_msg {
  int thread = 0;
};

using client_message =
    std::variant<join_msg, amend_msg, history_msg, blame_msg, focus_msg, stage_msg, sponsors_msg,
                 propose_msg, support_msg, withdraw_msg, open_vote_msg, vote_msg, close_vote_msg,
                 tag_msg, bracket_msg, resolve_msg, restart_vote_msg, typing_msg, settings_msg,
                 comment_msg, reply_msg, resolve_thread_msg, reopen_thread_msg>;

struct parsed_message {
  message_id id;
  client_message message;
};

struct parse_failure {
  message_id id;  // the id, when it could be read, so the error can carry it
  error_code code = error_code::bad_request;
  std::string message;  // e.g. "`text` is 17,002 bytes; the limit is 16,384."
};

using parse_result = std::variant<parsed_message, parse_failure>;

// Parses one text frame. Validates UTF-8, nesting depth, the type and every field of the
// message (presence, JSON type, length, id syntax). Unknown fields are ignored, so a forged
// `by` or `state` has no effect. Never throws.
parse_result parse_client_message(std::string_view frame);

// ---- server to client -----------------------------------------------------------------
struct amended_event {
  std::string commit;
  std::string parent;
  actor by;
  std::int64_t at = 0;
  std::string op;
  std::string note;               // empty is written as null
  std::optional<clause> changed;  // the clause after the change
  std::string removed_id;         // for delete: written as {"id": <id>}
  std::vector<std::string> order;
  // Extension: an adopted proposal's amendment says so (written only when set).
  std::optional<int> proposal = std::nullopt;
  std::optional<std::string> adopted = std::nullopt;  // "friendly" or "vote"
  std::optional<vote_tally> vote = std::nullopt;
};

// ---- procedure.md: records and events ----
// Extension (docs/extensions.md, "Effective change"): what adopting a tabled or voting
// proposal would make of its clause now. {"text": <clause text or null>, "conflict": bool,
// "computed_at": <main commit>} and, on conflict, "problem": <sentence>.
struct effective_view {
  std::optional<std::string> text;
  bool conflict = false;
  std::string problem;  // written only when conflict
  std::string computed_at;
};
struct vote_view {
  std::string threshold;  // "simple", "two-thirds", "two-thirds-present"
  std::vector<std::string> yes, no, abstain;
  // Extension: the effective change the vote was opened (or restarted) on; written when known.
  std::optional<effective_view> effective = std::nullopt;
};
struct proposal_result_view {
  std::string outcome;  // "adopted", "rejected", "conflict"
  std::string commit;   // empty is written as null
};
// A proposal record, field for field as procedure.md writes it.
struct proposal_view {
  int n = 0;
  actor by;
  std::string op;                     // "replace", "insert", "delete", "move", "resolve"
  std::optional<std::string> clause;  // null when the op has none
  std::optional<std::string> after;
  std::optional<clause_kind> kind;
  std::optional<std::string> text;
  std::string note;  // empty is written as null
  std::optional<std::string> base;
  // Extension (docs/extensions.md): op resolve's bracket and alternative, written only when set.
  std::optional<std::int64_t> bracket = std::nullopt;
  std::optional<std::int64_t> choose = std::nullopt;
  // Extension: op bracket's span of the clause (byte offsets), written only when set.
  std::optional<std::int64_t> start = std::nullopt;
  std::optional<std::int64_t> end = std::nullopt;
  std::string commit;
  std::string status;  // tabled, voting, adopted, rejected, withdrawn, conflict
  std::vector<std::string> supporters;
  std::optional<vote_view> vote;
  std::optional<proposal_result_view> result;
  // Extension: the effective change now, for a tabled or voting proposal (null otherwise).
  std::optional<effective_view> effective = std::nullopt;
};

struct staged_event {
  std::string stage;
  std::string commit;
  std::string parent;
  actor by;
  std::int64_t at = 0;  // extension
};
struct sponsored_event {
  std::vector<std::string> sponsors;
  std::string commit;
  std::string parent;   // the chain of main: the previous amended/staged/sponsored's commit
  actor by;             // extension
  std::int64_t at = 0;  // extension
};

std::string welcome(const message_id& id, const actor& you, std::string_view role,
                    const draft_view& draft, const std::vector<presence_entry>& present);
std::string ack(const message_id& id, std::string_view commit, std::string_view clause,
                bool merged);
std::string amended(const amended_event& event);
std::string presence(const std::vector<presence_entry>& present);
// `current` is written only for conflict: the clause, or null when it is gone.
std::string error(const message_id& id, error_code code, std::string_view message);
std::string conflict(const message_id& id, std::string_view message,
                     const std::optional<clause>& current);
std::string history(const message_id& id, std::string_view clause,
                    const std::vector<history_entry>& entries);
std::string blame(const message_id& id, std::string_view clause,
                  const std::vector<blame_segment>& segments);
// procedure.md. `id` is written when it is not empty: the sender's copy of an event.
std::string proposed(const message_id& id, int proposal);
std::string proposal(const message_id& id, const proposal_view& record);
std::string staged(const message_id& id, const staged_event& event);
std::string sponsored(const message_id& id, const sponsored_event& event);
std::string tagged(const message_id& id, std::string_view name, std::string_view commit);

// Extension (docs/extensions.md, "Live wording"). `typing`: a member's wording as it is typed
// ({"type": "typing", "by": session, "state", "clause", "text"}, text null when it stops);
// `settings`: the draft's settings changed ({"type": "settings", "id"?, "live_wording",
// "commit", "by", "at"}).
struct typing_event {
  std::string by;  // the session id
  std::string state;
  std::string clause;
  std::optional<std::string> text;
};
std::string typing(const typing_event& event);
struct settings_event {
  bool live_wording = true;
  std::string commit;  // the commit on `procedure`
  actor by;
  std::int64_t at = 0;
};
std::string settings(const message_id& id, const settings_event& event);

// Extension (docs/extensions.md, "Comments"; protocol/comment_messages.cpp). A thread as the
// wire has it: where it was written (`anchor`), where it stands now (`now`), its comments.
struct comment_view {
  actor by;
  std::int64_t at = 0;  // RFC 3339
  std::string text;
};
// What a thread is on: its number and its anchor's kind, clause and proposal.
struct thread_stub {
  int n = 0;
  std::string kind;                   // "clause", "span", "proposal"
  std::optional<std::string> clause;  // null for a proposal without a clause
  std::optional<int> proposal;        // proposal only
};
struct thread_view : thread_stub {
  // span only: the text it was written on, the offsets into it, the words
  std::string rev;
  std::int64_t start = 0, end = 0;
  std::string quote;
  // now: "exact", "changed", "words_gone", "deleted"; a span's place in the clause now
  std::string state = "exact";
  std::optional<std::int64_t> now_start, now_end;
  std::string now_rev;  // empty: null (the clause is deleted, or the proposal has none)
  bool resolved = false;
  std::optional<actor> resolved_by;
  std::int64_t resolved_at = 0;
  std::vector<comment_view> comments;
};
// {"type": "thread", "id"?, "act": "comment"|"reply"|"resolve"|"reopen"|"anchor", "thread",
//  "commit"?, "by"?, "at"?}: the thread after a write (`commit`, `by`, `at` of the write) or after
// an amendment moved its words (act "anchor", without them).
struct thread_event {
  std::string act;
  thread_view thread;
  std::string commit;  // empty for act "anchor"
  std::optional<actor> by;
  std::int64_t at = 0;
};
std::string thread(const message_id& id, const thread_event& event);
// {"type": "threads", "threads": [...], "resolved": [{"n", "anchor": {"kind", "clause",
// "proposal"}}, ...]}: right after `welcome`, the open threads whole and the resolved ones as
// what they are on (a client shows that there is a discussion to read, and reads it with
// GET .../comments when asked: a join must not carry every resolved thread's comments).
std::string threads(const std::vector<thread_view>& open, const std::vector<thread_stub>& resolved);
// GET /api/drafts/<slug>/comments: {"threads": [...]} (every thread, or one clause's).
std::string threads_json(const std::vector<thread_view>& threads);

// ---- HTTP bodies (the same shapes without `type`/`id`) -----------------------------------
std::string draft_json(const draft_view& draft);
std::string log_json(const std::vector<log_entry>& entries);
std::string history_json(std::string_view clause, const std::vector<history_entry>& entries);
std::string blame_json(std::string_view clause, const std::vector<blame_segment>& segments);
std::string http_error_json(error_code code, std::string_view message);
// {"proposals": [record...]} and a single record.
std::string proposals_json(const std::vector<proposal_view>& records);
std::string proposal_json(const proposal_view& record);

// procedure.md, "Versions" (protocol/version_messages.cpp).
struct version_view {
  std::string name;
  std::string commit;
  std::int64_t at = 0;      // the tagger's time; written as RFC 3339 UTC
  std::string note;         // empty is written as null
  std::optional<actor> by;  // extension: the tagger {"state", "name"}; null when unknown
};
struct compared_clause_view {
  std::string id;
  std::string change;              // "added", "removed", "changed", "moved", "same"
  std::optional<int> number_from;  // null unless operative and present in that version
  std::optional<int> number_to;
  clause_kind kind = clause_kind::operative;
  std::vector<diff_piece> diff;
  bool whole = false;  // too different to diff word by word: the whole text out, then in
};
// {"versions": [{"name", "commit", "at", "note", "by"}...]} in the order given.
std::string versions_json(const std::vector<version_view>& versions);
// {"from", "to", "clauses": [{"id", "change", "number_from", "number_to", "kind", "diff"}...]},
// and `"whole": true` on a clause whose diff is the whole text (compared_clause_view::whole).
std::string compare_json(std::string_view from, std::string_view to,
                         const std::vector<compared_clause_view>& clauses);

// RFC 3339 in UTC, e.g. "2026-11-27T10:15:00Z".
std::string format_time(std::int64_t seconds_since_epoch);

// ---- the file given to `plenary draft create --from` ----------------------------------------
struct draft_file {
  std::optional<std::string> slug;
  std::string title;
  struct initial_clause {
    clause_kind kind = clause_kind::operative;
    std::string text;
  };
  std::vector<initial_clause> clauses;
  std::vector<actor> delegations;     // code in `state`, name in `name`
  std::vector<std::string> sponsors;  // state codes, each one of `delegations`
};

// Parses and validates a draft file: every field's presence, type and rule (slug syntax,
// clause kinds and texts, unique delegation codes that are not CHAIR, sponsors on the roster).
// On failure `error` holds one line saying what is wrong and where ("clauses[3].text is empty").
struct draft_file_result {
  std::optional<draft_file> file;
  std::string error;
};
draft_file_result parse_draft_file(std::string_view json);

// The organizer's text form of a new draft (`plenary draft create --from FILE.txt|FILE.md`,
// `POST /api/drafts/<slug>` with a "text"): the text is split (protocol/splitter.hpp), the
// rest checked as parse_draft_file checks a draft file, labels naming `roster` and `sponsors`.
struct text_draft {
  std::optional<std::string> title;  // nullopt: the text's own title line (take_title)
  std::string text;
  std::vector<actor> roster;  // code in `state`, name in `name`
  std::vector<std::string> sponsors;
};
draft_file_result draft_from_text(text_draft input);

// A request to create a draft: a JSON object that is either a draft file or, when it has a
// "text" member, {"title", "text", "roster": [{"code", "name"}], "sponsors"?} (text_draft;
// "slug" allowed in both).
draft_file_result parse_draft_request(std::string_view json);

// A roster file (`plenary draft create --roster FILE`): a JSON array of {"code", "name"}
// objects (other members ignored), or an object holding one as "states" (as
// web/data/un-members.json does) or "delegations" (a draft file), or lines of
// `CODE Name` (a space, tab or comma after the code; blank lines and # comments skipped).
// Only the shape is checked here; the codes and names are checked with the rest of the draft.
struct roster_result {
  std::optional<std::vector<actor>> roster;
  std::string error;
};
roster_result parse_roster_file(std::string_view text);

// What `plenary draft create` prints: {"slug", "codes": {"chair", "observer", "delegations"}}.
std::string created_json(std::string_view slug, std::string_view chair, std::string_view observer,
                         const std::map<std::string, std::string>& delegations);

}  // namespace plenary::protocol
