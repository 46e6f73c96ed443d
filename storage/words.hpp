// Word-level diff, three-way merge and blame, on tokens of a clause's text.
// Tokens: runs of letters/digits (any script), runs of white space, single punctuation
// characters, and single ideographs (CJK text has no spaces between words).
// The browser's web/diff.js is the same tokenizer and diff written again in JavaScript; the
// table tests/shared/word-diff-cases.json, run by both test suites, keeps them one definition.
// Thread safety: pure functions, and blame_carrier, a plain value (one per thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/model.hpp"

namespace plenary::storage::words {

// Splits text into tokens; concatenating them gives `text` back byte for byte.
// Never splits a UTF-8 character.
std::vector<std::string_view> tokenize(std::string_view text);

// The readable clean-up of a word diff, for what people read (docs/diffs.md has the rule
// with examples). An equality lying between two edits is folded into them (deleted and
// inserted again) when it is no longer than either edit, counted in code points (an edit's
// size is the larger of its two sides), and it holds at most kFoldLongWords words longer than
// kFoldShortWord code points; white space, punctuation and short words ("the", "of", "and")
// are what it is usually made of. Folding repeats until no such equality is left. Before
// that, each pure insertion or deletion is slid along the repeated text around it to start
// at a word: "upon **all** States", not "upon** all** States".
inline constexpr std::size_t kFoldShortWord = 3;  // "the", "and", "of": short enough to fold
inline constexpr std::size_t kFoldLongWords = 1;  // "United" between two rewritten phrases

// Word diff for display and blame: the minimal diff, cleaned up as above. Adjacent pieces of
// one op coalesced, a deletion before an insertion. Joining '=' and '-' gives `before`,
// joining '=' and '+' gives `after`.
std::vector<diff_piece> diff(std::string_view before, std::string_view after);

// The minimal word diff (a longest common subsequence of tokens), as the merge sees it.
// Same form as diff().
std::vector<diff_piece> minimal_diff(std::string_view before, std::string_view after);

// The word diff's work is bounded by the product of the two middles' token counts (what is
// left once the common start and end are set aside, and the tokens found on one side only):
// the O(NP) diff on 5,400 ideographs and their reverse (29 million) took 73 ms. 4 million
// (two middles of 2,000 tokens, ~10 ms at worst) spares every ordinary edit of a 16 KB clause.
inline constexpr std::size_t diff_budget = 4'000'000;
// Like diff (the readable diff), or nullopt when the work would pass `budget` (see
// diff_budget): the caller then shows the change whole (old text removed, new added) and
// says so.
std::optional<std::vector<diff_piece>> diff_within(std::string_view before, std::string_view after,
                                                   std::size_t budget);

// Three-way merge of two edits of `base`. Returns the merged text, or nullopt when the edits
// overlap (touch the same tokens, or insert different text at the same place).
// Identical edits on both sides merge to one.
std::optional<std::string> merge(std::string_view base, std::string_view ours,
                                 std::string_view theirs);

// Carries a blame forward across one change (on the readable diff, so that a kept "the"
// inside a rewritten passage goes with the rewrite): pieces of `after` that were in the text of
// `before` keep their attribution, new pieces get (`commit`, `state`). Adjacent segments of
// one commit are coalesced. `before` empty means the clause is new.
std::vector<blame_segment> carry_blame(const std::vector<blame_segment>& before,
                                       std::string_view after, const std::string& commit,
                                       const std::string& state);

// The blame of one clause carried across its successive texts, as carry_blame does, with each
// attribution a number the caller chooses (the debrief uses a commit's position in the draft
// index) instead of a commit and a state: the debrief carries 100,000 changes on a
// cold open, where building and comparing those strings for every segment of every step took
// most of the time. It keeps the current text and its tokens, so that each text is tokenized
// once, and a change that leaves the text as it was costs one comparison.
// Thread safety: a plain value; one per clause being carried.
class blame_carrier {
 public:
  // Bytes [end of the run before, end) of text() were introduced by `who`. Adjacent runs have
  // different attributions; none is empty.
  struct run {
    std::size_t end = 0;
    std::uint32_t who = 0;
  };

  blame_carrier();
  ~blame_carrier();
  blame_carrier(blame_carrier&&) noexcept;
  blame_carrier& operator=(blame_carrier&&) noexcept;

  // The clause's next text, changed by `who` (a new clause when there is no text yet).
  void carry(std::string text, std::uint32_t who);
  // The clause is deleted: no text and no blame, until a text comes again as a new clause.
  void clear() noexcept;

  bool has_text() const noexcept { return has_text_; }
  const std::string& text() const noexcept;
  const std::vector<run>& runs() const noexcept { return runs_; }

  // The runs as segments, `attribution(who)` giving each run's commit and state.
  template <typename F>
  std::vector<blame_segment> segments(F&& attribution) const {
    std::vector<blame_segment> out;
    out.reserve(runs_.size());
    std::size_t start = 0;
    for (const run& r : runs_) {
      const auto& [commit, state] = attribution(r.who);
      out.push_back({text().substr(start, r.end - start), std::string(state), std::string(commit)});
      start = r.end;
    }
    return out;
  }

 private:
  struct texts;  // the current text and the one before, tokenized
  std::unique_ptr<texts> texts_;
  std::vector<run> runs_;
  std::vector<run> spare_;  // the next step's runs, kept for their capacity
  bool has_text_ = false;
};

}  // namespace plenary::storage::words
