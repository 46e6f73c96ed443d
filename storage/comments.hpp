// Comments beside the text (docs/extensions.md, "Comments"): threads on a clause, on a span of
// its words, or on a proposal, as plain values, and how a span's anchor is carried across the
// later changes of its clause. Kept on the branch `comments` (storage/comment_store.hpp); the
// draft loads them when it opens and serves them from memory (draft::threads).
//
// A span is anchored to words, not to offsets: it is written as byte offsets into the clause's
// text at one rev (the text the commenter saw), and carried forward over each later change of
// that clause on the word diff, the way blame is carried (storage/words.hpp). The minimal diff
// is used, as the merge sees it, so that a word still there keeps its comment even inside a
// rewritten passage. When none of the words is left the thread says so and stays on the
// clause; when the clause is deleted the thread says so.
//
// Thread safety: plain values and pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/model.hpp"

namespace plenary::storage {

// What a thread is on.
enum class anchor_kind { clause, span, proposal };
const char* to_string(anchor_kind k) noexcept;  // "clause", "span", "proposal"

// Where a thread was opened, as it was written.
struct comment_anchor {
  anchor_kind kind = anchor_kind::clause;
  std::string clause;     // clause, span: the clause; proposal: the proposal's clause, or empty
  int proposal = 0;       // proposal: its number
  std::string rev;        // span: the clause's rev (a commit of main) the offsets are into
  std::size_t start = 0;  // span: [start, end) in bytes of that text
  std::size_t end = 0;
  std::string quote;  // span: the words, as they were
  bool operator==(const comment_anchor&) const = default;
};

// One comment of a thread (the first opened it).
struct comment_entry {
  actor by;
  std::int64_t at = 0;  // seconds since the epoch, UTC
  std::string text;     // <= max_comment_bytes
  bool operator==(const comment_entry&) const = default;
};

struct comment_thread {
  int n = 0;  // 1, 2, 3... per draft
  comment_anchor anchor;
  std::vector<comment_entry> comments;  // oldest first; never empty
  bool resolved = false;
  std::optional<actor> resolved_by = std::nullopt;  // while resolved
  std::int64_t resolved_at = 0;
  bool operator==(const comment_thread&) const = default;
  const actor& author() const { return comments.front().by; }
};

// Where a thread's anchor stands in the text at the head of main.
enum class anchor_state {
  exact,           // the span's words are all there, unchanged (always so for a clause or proposal)
  changed,         // some of the span's words were changed or others inserted among them
  words_gone,      // none of the span's words is left: the thread is on the clause
  clause_deleted,  // the clause is gone
};
const char* to_string(anchor_state s) noexcept;  // "exact", "changed", "words_gone", "deleted"

struct placed_anchor {
  anchor_state state = anchor_state::exact;
  // A span's place in the current text (bytes), while some of its words are left.
  std::optional<std::size_t> start = std::nullopt;
  std::optional<std::size_t> end = std::nullopt;
  std::string rev;  // the clause's rev the place is in (empty when the clause is deleted)
};

// The four writes (one commit each on `comments`).
enum class comment_act { open, reply, resolve, reopen };
const char* to_string(comment_act a) noexcept;  // "comment", "reply", "resolve", "reopen"

struct comment_request {
  comment_act act = comment_act::open;
  actor by;
  std::int64_t at = 0;
  int thread = 0;         // reply, resolve, reopen
  comment_anchor anchor;  // open: kind, clause | proposal, and for a span rev, start, end
  std::string text;       // open, reply
};

struct comment_outcome {
  comment_thread thread;  // after the write
  std::string commit;     // its commit on `comments`
};

// A span's words carried across one change of its clause. `diff` is the change (storage/
// words.hpp: joining '=' and '-' gives the old text, '=' and '+' the new). The span keeps the
// bytes of the old text that are still there ('='), from the first to the last of them, with
// whatever was inserted between them; `changed` when anything inside it was deleted or
// inserted; `gone` when none of its bytes is left.
struct carried_span {
  std::size_t start = 0;
  std::size_t end = 0;
  bool changed = false;
  bool gone = false;
};
carried_span carry_span(std::size_t start, std::size_t end, const std::vector<diff_piece>& diff);

// The span carried over a clause's successive texts (`texts[0]` the one it was written on,
// each later one a change of it), each change on the minimal word diff.
carried_span carry_span_over(std::size_t start, std::size_t end,
                             const std::vector<std::string>& texts);

// Limits of one comment (docs/extensions.md, "Comments"): a note's.
inline constexpr std::size_t max_comment_bytes = max_note_bytes;

}  // namespace plenary::storage
