// The threads of comments on the branch `comments` (storage/comment_store.hpp): checking and
// committing a comment, and where an anchor stands now. The threads as JSON and loading them:
// comment_records.cpp.
#include "storage/comment_store.hpp"

#include <algorithm>

#include "storage/amend.hpp"
#include "storage/brackets.hpp"
#include "storage/commit_message.hpp"
#include "storage/git/git_handles.hpp"
#include "storage/git/side_branch.hpp"
#include "storage/text.hpp"

namespace plenary::storage {
namespace {

// A quote in a commit's summary line is cut to this many bytes (at a character), so that
// `git log --oneline comments` stays one screen wide.
constexpr std::size_t summary_quote_bytes = 40;

error invalid(std::string m) { return make_error(error_kind::invalid, std::move(m)); }

// A UTF-8 character starts at `i` (or `i` is the end).
bool at_character(std::string_view text, std::size_t i) {
  return i >= text.size() || (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
}

std::string one_line_quote(std::string_view quote) {
  std::size_t cut = std::min(quote.size(), summary_quote_bytes);
  while (cut > 0 && !at_character(quote, cut)) --cut;
  std::string out(quote.substr(0, cut));
  std::replace(out.begin(), out.end(), '\n', ' ');
  std::replace(out.begin(), out.end(), '\t', ' ');
  if (cut < quote.size()) out += "\u2026";
  return out;
}

// "operative clause 3" for a clause of `head`, or its id when it is gone.
std::string label_of(const snapshot& head, const std::string& id) {
  for (std::size_t i = 0; i < head.clauses.size(); ++i) {
    if (head.clauses[i].id == id) return message::clause_label(head.clauses, i);
  }
  return "clause " + id;
}

std::string summary_of(const comment_request& req, const comment_thread& t, const snapshot& head) {
  const std::string n = std::to_string(t.n);
  switch (req.act) {
    case comment_act::reply:
      return "Reply in thread " + n;
    case comment_act::resolve:
      return "Resolve thread " + n;
    case comment_act::reopen:
      return "Reopen thread " + n;
    case comment_act::open:
      break;
  }
  const comment_anchor& a = t.anchor;
  if (a.kind == anchor_kind::proposal) return "Comment on proposal " + std::to_string(a.proposal);
  std::string s = "Comment on " + label_of(head, a.clause);
  if (a.kind == anchor_kind::span) s += ": \"" + one_line_quote(a.quote) + "\"";
  return s;
}

std::string message_of(const comment_request& req, const comment_thread& t, const snapshot& head) {
  std::string m = summary_of(req, t, head) + "\n\n";
  if (req.act == comment_act::open || req.act == comment_act::reply) m += req.text + "\n\n";
  m += std::string("Act: ") + to_string(req.act) + "\nThread: " + std::to_string(t.n) + "\n";
  if (!t.anchor.clause.empty()) m += "Clause: " + t.anchor.clause + "\n";
  if (t.anchor.kind == anchor_kind::proposal) {
    m += "Proposal: " + std::to_string(t.anchor.proposal) + "\n";
  }
  m += "State: " + req.by.state + "\n";
  return m;
}

// Writes the commit that stores `t` as threads/<n>.json on top of the book's tip (one pack, then
// refs/heads/comments by compare-and-swap); then the book's tip and tree.
result<std::string> commit_thread(repo& r, comment_book& book, const comment_thread& t,
                                  std::string text, const actor& by, std::int64_t at) {
  const side_commit c{.folder = "threads",
                      .name = std::to_string(t.n) + ".json",
                      .content = write_thread(t),
                      .author = by,
                      .at = at,
                      .message = std::move(text),
                      .what = "the comment"};
  auto tip = commit_side_branch(r, comments_ref, side_tip{book.tip, book.root_tree}, c);
  if (!tip) return std::move(tip).err();
  book.tip = tip->commit;
  book.root_tree = tip->tree;
  return git::to_hex(tip->commit);
}

result<comment_thread*> find_thread(comment_book& book, int n) {
  if (n < 1 || static_cast<std::size_t>(n) > book.threads.size()) {
    return make_error(error_kind::not_found,
                      "There is no thread " + std::to_string(n) + " in this draft.");
  }
  return &book.threads[static_cast<std::size_t>(n) - 1];
}

std::string check_comment_text(std::string_view text) {
  std::string problem = check_note(text, "text");
  if (!problem.empty()) return problem;
  if (text.find_first_not_of(" \t\n") == std::string_view::npos) {
    return "`text` is empty: write the comment.";
  }
  return {};
}

// A new thread's anchor, checked against the draft; `quote` filled in for a span.
result<comment_anchor> checked_anchor(const comment_context& ctx, comment_anchor a) {
  if (a.kind == anchor_kind::proposal) {
    if (a.proposal < 1 || static_cast<std::size_t>(a.proposal) > ctx.proposals.size()) {
      return make_error(error_kind::not_found,
                        "There is no proposal " + std::to_string(a.proposal) + " in this draft.");
    }
    const proposal_record& p = ctx.proposals[static_cast<std::size_t>(a.proposal) - 1];
    a.clause = p.clause.value_or(std::string());
    a.rev.clear();
    a.start = a.end = 0;
    a.quote.clear();
    return a;
  }
  const auto& clauses = ctx.head.clauses;
  const bool present = std::any_of(clauses.begin(), clauses.end(),
                                   [&](const clause& c) { return c.id == a.clause; });
  if (!present) {
    return make_error(error_kind::not_found, "There is no clause " + a.clause +
                                                 " in this draft (it may have been deleted).");
  }
  if (a.kind == anchor_kind::clause) {
    a.rev.clear();
    a.start = a.end = 0;
    a.quote.clear();
    return a;
  }
  if (!ctx.span_text) {
    return make_error(error_kind::not_found, "`base` " + a.rev.substr(0, 12) +
                                                 " is not a text of clause " + a.clause +
                                                 "; send the `rev` of the text you commented on.");
  }
  if (std::string problem = check_span(*ctx.span_text, a.start, a.end); !problem.empty()) {
    return invalid(std::move(problem));
  }
  a.quote = ctx.span_text->substr(a.start, a.end - a.start);
  return a;
}

}  // namespace

std::string check_span(std::string_view text, std::size_t start, std::size_t end) {
  if (start >= end) {
    return "The span [" + std::to_string(start) + ", " + std::to_string(end) +
           ") is empty: `end` must be greater than `start`.";
  }
  if (end > text.size()) {
    return "The span ends at byte " + std::to_string(end) + ", past the end of the text (" +
           std::to_string(text.size()) + " bytes).";
  }
  if (!at_character(text, start) || !at_character(text, end)) {
    return "The span [" + std::to_string(start) + ", " + std::to_string(end) +
           ") cuts a character in two: offsets are bytes of the UTF-8 text.";
  }
  if (!brackets::has_marks(text)) return {};
  auto found = brackets::parse(text);
  if (!found) return {};  // a text that went in was checked; an old one is commented as it is
  for (const brackets::bracket& b : *found) {
    const bool overlaps = start < b.end && end > b.start;
    const bool inside = start >= b.start && end <= b.end;
    const bool around = start <= b.start && end >= b.end;
    if (overlaps && !inside && !around) {
      return "The span [" + std::to_string(start) + ", " + std::to_string(end) +
             ") crosses the edge of the bracket at bytes " + std::to_string(b.start) + "-" +
             std::to_string(b.end) +
             ": comment on words inside it, on the whole bracket, or on words outside it.";
    }
  }
  return {};
}

result<comment_outcome> apply_comment(repo& r, comment_book& book, const comment_context& ctx,
                                      const comment_request& req) {
  for (const std::string& problem : {check_actor(req.by, "by"), check_time(req.at)}) {
    if (!problem.empty()) return invalid(problem);
  }
  if (ctx.head.stage == draft_stage::adopted) {
    return make_error(error_kind::forbidden,
                      "The draft has been adopted: its discussion is closed (the comments stay "
                      "to read).");
  }
  comment_thread next;
  if (req.act == comment_act::open || req.act == comment_act::reply) {
    if (std::string problem = check_comment_text(req.text); !problem.empty()) {
      return invalid(std::move(problem));
    }
  }
  if (req.act == comment_act::open) {
    if (book.threads.size() >= ctx.max_threads) {
      return invalid("The draft has " + std::to_string(book.threads.size()) +
                     " threads, the most it may have; reply in an existing thread instead.");
    }
    auto anchor = checked_anchor(ctx, req.anchor);
    if (!anchor) return std::move(anchor).err();
    next.n = static_cast<int>(book.threads.size()) + 1;
    next.anchor = std::move(*anchor);
    next.comments.push_back({req.by, req.at, req.text});
  } else {
    auto found = find_thread(book, req.thread);
    if (!found) return std::move(found).err();
    next = **found;
    const std::string n = std::to_string(next.n);
    const bool may_close =
        req.by.state == next.author().state || req.by.state == std::string(chair_state);
    switch (req.act) {
      case comment_act::reply:
        if (next.resolved) {
          return make_error(error_kind::conflict,
                            "Thread " + n + " is resolved: reopen it to reply.");
        }
        if (next.comments.size() >= ctx.max_comments_per_thread) {
          return invalid("Thread " + n + " has " + std::to_string(next.comments.size()) +
                         " comments, the most a thread may have; open a new thread.");
        }
        next.comments.push_back({req.by, req.at, req.text});
        break;
      case comment_act::resolve:
      case comment_act::reopen: {
        const bool resolve = req.act == comment_act::resolve;
        if (!may_close) {
          return make_error(error_kind::forbidden,
                            "Only " + next.author().state + ", who opened thread " + n +
                                ", or the chair can " + (resolve ? "resolve" : "reopen") + " it.");
        }
        if (next.resolved == resolve) {
          return make_error(error_kind::conflict,
                            "Thread " + n + " is already " + (resolve ? "resolved." : "open."));
        }
        next.resolved = resolve;
        next.resolved_by = resolve ? std::optional<actor>(req.by) : std::nullopt;
        next.resolved_at = resolve ? req.at : 0;
        break;
      }
      case comment_act::open:
        break;
    }
  }
  comment_book after = book;
  auto commit = commit_thread(r, after, next, message_of(req, next, ctx.head), req.by, req.at);
  if (!commit) return std::move(commit).err();
  const auto slot = static_cast<std::size_t>(next.n) - 1;
  if (slot == after.threads.size()) {
    after.threads.push_back(next);
  } else {
    after.threads[slot] = next;
  }
  book = std::move(after);
  return comment_outcome{std::move(next), std::move(*commit)};
}

placed_anchor place_anchor(const comment_anchor& a, const snapshot& head,
                           const std::vector<history_entry>* history) {
  placed_anchor out;
  if (a.kind == anchor_kind::proposal && a.clause.empty()) return out;  // an insert's proposal
  const auto c = std::find_if(head.clauses.begin(), head.clauses.end(),
                              [&](const clause& x) { return x.id == a.clause; });
  if (c == head.clauses.end()) {
    out.state = anchor_state::clause_deleted;
    return out;
  }
  out.rev = c->rev;
  if (a.kind != anchor_kind::span) return out;
  if (c->rev == a.rev) {
    out.start = a.start;
    out.end = a.end;
    return out;
  }
  std::vector<std::string> texts;
  if (history) {
    bool from_here = false;
    for (const history_entry& h : *history) {
      if (h.entry.commit == a.rev) from_here = true;
      if (from_here && h.text) texts.push_back(*h.text);
    }
  }
  if (texts.empty()) {  // the rev is not in the clause's history: the thread is on the clause
    out.state = anchor_state::words_gone;
    return out;
  }
  const carried_span s = carry_span_over(a.start, a.end, texts);
  if (s.gone) {
    out.state = anchor_state::words_gone;
    return out;
  }
  out.state = s.changed ? anchor_state::changed : anchor_state::exact;
  out.start = s.start;
  out.end = s.end;
  return out;
}

}  // namespace plenary::storage
