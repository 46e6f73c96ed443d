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

enum class error_code {
  bad_request, unauthorized, forbidden, not_found, conflict, too_large, rate_limited, internal
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
};

struct log_entry {
  std::string commit;
  actor by;
  std::int64_t at = 0;     // seconds since the epoch; written as RFC 3339 UTC
  std::string op;          // "open", "replace", "insert", "delete", "move"
  std::string clause;      // empty is written as null
  std::string note;        // empty is written as null
};

struct diff_piece {
  char op = '=';           // '=', '+', '-'
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
};

struct presence_entry {
  std::string session;
  std::string state;
  std::string name;
  std::string role;                  // "delegation", "chair", "observer"
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
  std::string clause;                // replace, delete, move
  std::optional<std::string> after;  // insert, move: null/absent = the top
  clause_kind kind = clause_kind::operative;  // insert
  std::string text;                  // replace, insert
  std::string base;                  // replace, delete
  std::string note;                  // optional, empty when absent
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

using client_message = std::variant<join_msg, amend_msg, history_msg, blame_msg, focus_msg>;

struct parsed_message {
  message_id id;
  client_message message;
};

struct parse_failure {
  message_id id;          // the id, when it could be read, so the error can carry it
  error_code code = error_code::bad_request;
  std::string message;    // e.g. "`text` is 17,002 bytes; the limit is 16,384."
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
  std::string note;                 // empty is written as null
  std::optional<clause> changed;    // the clause after the change
  std::string removed_id;           // for delete: written as {"id": <id>}
  std::vector<std::string> order;
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

// ---- HTTP bodies (the same shapes without `type`/`id`) -----------------------------------
std::string draft_json(const draft_view& draft);
std::string log_json(const std::vector<log_entry>& entries);
std::string history_json(std::string_view clause, const std::vector<history_entry>& entries);
std::string blame_json(std::string_view clause, const std::vector<blame_segment>& segments);
std::string http_error_json(error_code code, std::string_view message);

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
  std::vector<actor> delegations;      // code in `state`, name in `name`
  std::vector<std::string> sponsors;   // state codes, each one of `delegations`
};

// Parses and validates a draft file: every field's presence, type and rule (slug syntax,
// clause kinds and texts, unique delegation codes that are not CHAIR, sponsors on the roster).
// On failure `error` holds one line saying what is wrong and where ("clauses[3].text is empty").
struct draft_file_result {
  std::optional<draft_file> file;
  std::string error;
};
draft_file_result parse_draft_file(std::string_view json);

// What `plenary draft create` prints: {"slug", "codes": {"chair", "observer", "delegations"}}.
std::string created_json(std::string_view slug, std::string_view chair, std::string_view observer,
                         const std::map<std::string, std::string>& delegations);

}  // namespace plenary::protocol
