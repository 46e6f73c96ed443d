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

// What a commit on `main` did. Stored as the `Op:` trailer.
enum class op_kind { open, replace, insert, remove /* "delete" */, move };
const char* to_string(op_kind op) noexcept;            // "open", "replace", "insert", "delete", "move"
std::optional<op_kind> parse_op(std::string_view s) noexcept;

// Who acted: a state code (`RUS`, `CHAIR`) and the delegation's name.
struct actor {
  std::string state;  // ^[A-Z0-9]{2,8}$ ; the chair is "CHAIR"
  std::string name;   // "Russian Federation"
};

struct clause {
  std::string id;                 // ^[a-z0-9-]{1,32}$, stable, never reused
  clause_kind kind = clause_kind::operative;
  std::optional<int> number;      // 1, 2, 3... for operative clauses in document order
  std::string text;               // without the trailing newline of the file
  std::string rev;                // commit that created the clause or last changed its text
  std::string by;                 // state code of that commit's author
};

struct snapshot {
  std::string title;
  std::string head;               // the commit this snapshot is of
  std::vector<clause> clauses;    // in document order, numbers filled in
};

struct log_entry {
  std::string commit;
  std::string parent;             // empty for the first commit
  actor by;
  std::int64_t at = 0;            // author time, seconds since the epoch (UTC)
  op_kind op = op_kind::open;
  std::string clause;             // the `Clause:` trailer (empty for open)
  std::string note;               // the delegation's note, may be empty
};

// One piece of a word-level diff. Joining '=' and '-' gives the old text,
// joining '=' and '+' gives the new text.
struct diff_piece {
  char op = '=';                  // '=', '+' or '-'
  std::string text;
};

struct history_entry {
  log_entry entry;
  std::optional<std::string> text;  // the clause after this commit; nullopt once deleted
  std::vector<diff_piece> diff;     // against the clause's previous text ("" for the first)
};

struct blame_segment {
  std::string text;
  std::string state;              // state code of the commit that introduced this text
  std::string commit;
};

// What the server asks for. Identity is never part of it: the author is passed apart.
struct amendment {
  op_kind op = op_kind::replace;          // replace, insert, remove or move
  std::string clause;                     // replace, remove, move: the target clause id
  std::optional<std::string> after;       // insert, move: the clause to follow; nullopt = top
  clause_kind kind = clause_kind::operative;  // insert: the new clause's kind
  std::string text;                       // replace, insert
  std::string base;                       // replace, remove: the rev the client last saw
  std::string note;                       // optional reason, <= 2,048 bytes
};

// What an accepted amendment became.
struct applied {
  log_entry entry;                        // the new commit, as the log shows it
  bool merged = false;                    // true when the text was merged word by word
  std::optional<clause> after;            // the clause after the change; nullopt for remove
  std::vector<std::string> order;         // clause ids in document order after the change
};

// The initial text of a draft (from a file shaped like samples/code-of-conduct.json).
struct draft_spec {
  std::string title;
  struct initial_clause {
    clause_kind kind = clause_kind::operative;
    std::string text;
  };
  std::vector<initial_clause> clauses;
};

// Limits of the contract (protocol.md, "Words").
inline constexpr std::size_t max_clause_text_bytes = 16384;
inline constexpr std::size_t max_note_bytes = 2048;
inline constexpr std::size_t max_title_bytes = 512;

}  // namespace plenary::storage
