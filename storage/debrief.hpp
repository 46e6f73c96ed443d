// The debrief of a draft (docs/extensions.md, "Debrief"): who shaped the text, from the git
// record alone. Every figure comes from the repository: main's commits (author, `Op:`,
// `Clause:`, `Proposal:` trailers), the word blame of each clause, the records and the act
// commits of the branch `procedure`, and the tags. A draft written by an earlier plenary, or
// restored from a mirror, gets the same debrief.
//
// Two parts, each with its own scope (the page and the API say so):
//   - the text (words per state, per clause, the journey): the chosen version of main;
//   - the activity (amendments, proposals, supports, votes, the timeline): the whole record
//     up to the head of main and of `procedure`, whatever version is chosen.
//
// What git does not hold is not here: an amendment refused for a conflict makes no commit,
// and a merged amendment's commit looks like any other (its base is not recorded), so the
// debrief counts neither; a proposal whose adoption could not apply is recorded (`conflict`).
//
// draft::debrief computes it and keeps it per head (storage/draft.hpp); debrief_add_roster
// adds the roster, which lives outside the repository (the server's access list).
//
// Thread safety: plain values and a pure function.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "storage/model.hpp"

namespace plenary::storage {

// One state's part. CHAIR is a row like the others when it did anything.
struct debrief_state {
  std::string state;  // code
  std::string name;   // the roster's name, else the author name of its latest commit or act
  // nullopt when the roster is not known (debrief_add_roster not called); false for a state
  // that acted but has since been removed from the roster.
  std::optional<bool> in_roster;
  // Direct amendments on main, by op (an adopted proposal's commit is counted under
  // proposals, not here).
  int replace = 0, insert = 0, remove = 0, move = 0, bracket = 0, resolve = 0;
  // Proposals it tabled, by what became of them (pending: tabled or voting now).
  int tabled = 0, adopted = 0, rejected = 0, withdrawn = 0, could_not_apply = 0, pending = 0;
  int supports = 0;  // proposals it supported
  int votes_yes = 0, votes_no = 0, votes_abstain = 0;
  // Of its yes and no votes on closed votes, how many went the way the vote went (yes on a
  // vote that carried, no on one that did not); abstentions never count.
  int votes_decided = 0, votes_matched = 0;
  int clauses_touched = 0;  // distinct clauses its commits on main changed (adoptions too)
  int words = 0;            // words of the chosen version's text that blame gives to it
  int comments = 0;         // comments and replies it wrote (the branch `comments`, up to now)

  int amendments() const noexcept { return replace + insert + remove + move + bracket + resolve; }
};

// Words of one clause (or one whole text) by state; `tabled`: still as tabled.
struct word_share {
  std::string state;
  int words = 0;
};

// A piece of the word diff from the tabled text to the chosen version, '+' pieces attributed.
struct journey_piece {
  char op = '=';  // '=' as tabled, '+' added, '-' removed
  std::string text;
  std::string state;  // '+': who introduced it (blame); empty otherwise
};

struct debrief_clause {
  std::string id;
  clause_kind kind = clause_kind::operative;
  std::optional<int> number;           // operative number in the chosen version
  bool removed = false;                // in the tabled text, not in the chosen version
  int words = 0;                       // words in the chosen version
  int tabled_words = 0;                // of those, still as tabled
  std::vector<word_share> by_state;    // the others, most first (then by code)
  int open_brackets = 0;               // brackets still open in this clause
  std::vector<journey_piece> journey;  // from the tabled text to the chosen version
};

// One point of the text's journey: the tabled text, each tag up to the chosen version, the
// chosen version.
struct debrief_checkpoint {
  std::string name;  // "tabled", a tag's name, or the version asked for ("" = head)
  std::string commit;
  std::int64_t at = 0;
  int words = 0;
  int tabled_words = 0;
  std::vector<word_share> by_state;  // most first, then by code
};

// Activity of one state in one time bucket (only the non-zero ones are listed).
struct debrief_bucket {
  int bucket = 0;  // index from debrief::timeline_start, of timeline_step seconds
  std::string state;
  int amendments = 0;  // commits on main (direct amendments and adoptions) it authored
  int proposals = 0;   // proposals tabled
  int supports = 0;
  int votes = 0;
};

// A mark on the timeline: a stage change or a tag.
struct debrief_marker {
  std::int64_t at = 0;
  std::string kind;  // "stage" or "tag"
  std::string name;  // the stage ("formal", "adopted") or the tag's name
};

struct debrief {
  std::string title;
  std::string version;                       // as asked ("" = the head)
  std::string commit;                        // the commit of main it stands for
  std::string head;                          // main's head when computed
  draft_stage stage = draft_stage::working;  // the stage at the head
  std::string tabled_commit;                 // the first commit of main (the tabled text)
  std::int64_t started = 0;                  // the first commit's time
  std::int64_t ended = 0;                    // the latest commit or act
  std::size_t commits = 0;                   // commits of main
  std::size_t acts = 0;                      // commits of `procedure`
  std::size_t proposals = 0;

  int words = 0;         // words of the chosen version
  int tabled_words = 0;  // of those, still as tabled
  int open_brackets = 0;
  std::vector<debrief_state> states;    // by code
  std::vector<debrief_clause> clauses;  // the chosen version's order, then removed ones
  std::vector<debrief_checkpoint> journey;
  std::int64_t timeline_start = 0;   // a multiple of timeline_step
  std::int64_t timeline_step = 300;  // 300 s, or 900 s for sessions over 6 hours, or more
  int timeline_buckets = 0;
  std::vector<debrief_bucket> timeline;  // by bucket, then state
  std::vector<debrief_marker> markers;   // by time
};

// The words of a text as the debrief counts them: tokens (storage/words.hpp) that hold a
// letter, a digit or an ideograph; white space, punctuation and the bracket marks are not
// words. (In the debrief's figures the proponents' codes of brackets, `CODE: `, are notation and
// count for nobody either.)
int count_words(std::string_view text);

// Adds the roster: every delegation of it gets a row (those that did nothing too, with its
// name), and each row says whether its state is in the roster. CHAIR is always "in".
void debrief_add_roster(debrief& d, std::span<const actor> roster);

}  // namespace plenary::storage
