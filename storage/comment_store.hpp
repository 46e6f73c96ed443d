// Private to storage: the threads of comments on the branch `comments` (docs/extensions.md,
// "Comments"; the values are in storage/comments.hpp).
//
// Layout: refs/heads/comments, one commit per comment, reply, resolution or reopening, authored
// by the state that wrote it (the chair as CHAIR), committed by the server; its first commit is
// a root. Tree: threads/<n>.json, every thread as it stands after the commit. Message:
//
//   Comment on operative clause 3: "shall endeavour"      (or Reply in thread 4, Resolve
//   \n                                                     thread 4, Reopen thread 4)
//   <the comment's text>\n\n                               (comment and reply only)
//   Act: comment|reply|resolve|reopen\nThread: <n>\n[Clause: <id>\n][Proposal: <n>\n]State:
//   <code>\n
//
// so that `git log comments` reads as the discussion's record. The branch is read once when the
// draft opens (load_comments) and kept in memory.
//
// Thread safety: free functions on a repo and a book, which have one owner (the draft).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/comments.hpp"
#include "storage/git/repo.hpp"
#include "storage/result.hpp"

namespace plenary::storage {

inline constexpr const char* comments_ref = "refs/heads/comments";

struct comment_book {
  std::vector<comment_thread> threads;  // threads[n - 1]
  git_oid tip{};                        // the head of `comments`; zero before the first comment
  git_oid root_tree{};
};

// Reads the threads of the tip of `comments` (no branch: no threads). `io` when a thread's file
// is damaged or the numbers are not 1..N.
result<comment_book> load_comments(const repo& r);

// A thread as threads/<n>.json holds it, and back.
std::string write_thread(const comment_thread& t);
result<comment_thread> parse_thread(std::string_view json);

// "" when [start, end) is a span of `text` a thread may be anchored to; otherwise the sentence
// (empty, past the end, cutting a UTF-8 character, across the edge of a bracket).
std::string check_span(std::string_view text, std::size_t start, std::size_t end);

// What apply_comment needs of the draft besides the book.
struct comment_context {
  const snapshot& head;  // the text now
  const std::vector<proposal_record>& proposals;
  const std::optional<std::string>& span_text;  // open on a span: the clause's text at its rev
  std::size_t max_threads = SIZE_MAX;
  std::size_t max_comments_per_thread = SIZE_MAX;
};

// Checks `req` (who, what, against the book and the text), writes its commit (one pack, then
// refs/heads/comments by compare-and-swap) and updates the book. On error nothing moved.
// Memory is empty afterwards.
result<comment_outcome> apply_comment(repo& r, comment_book& book, const comment_context& ctx,
                                      const comment_request& req);

// Where a thread's anchor stands in `head`. `history` is the clause's history (draft::history)
// for a span whose rev is not the clause's rev now; null otherwise.
placed_anchor place_anchor(const comment_anchor& a, const snapshot& head,
                           const std::vector<history_entry>* history);

}  // namespace plenary::storage
