// Versions of a draft and the comparison of two of them (procedure.md, "Versions").
//
// A version is an annotated tag refs/tags/<name> on a commit of `main`: the chair's `tag`
// (message "Version <name>", a blank line and the note) or the tag `adopted` that the move to
// the adopted stage makes (message "The text as adopted.").
//
// Where the list lives: draft::versions() is kept in memory, read from the tag refs when the
// draft is opened (or reloaded after main moved under it) and extended by draft::tag and by
// the `adopted` tag. Reading the refs each time would cost, per tag, a loose ref file and a
// tag object inflated from its pack (caching of parsed objects is off, draft.cpp): about a
// millisecond for a few hundred tags, on the draft's strand, which every amendment of that
// draft waits behind. In memory it costs nothing, and only the draft's one writer makes tags.
// A tag made meanwhile with plain git by someone else shows up at the next open.
//
// The comparison is a pure function of two snapshots, below; draft::compare only resolves the
// two version names and reads the snapshots.
//
// Thread safety: plain values and pure functions; the loader reads a repo, which belongs to
// one draft (see repo.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/model.hpp"
#include "storage/result.hpp"

namespace plenary::storage {

// One version of a draft: a tag on a commit of main.
struct version {
  std::string name;         // the tag's name, e.g. "rev.1", "adopted"
  std::string commit;       // the commit of main it names (the tag peeled)
  std::int64_t at = 0;      // the tagger's time, seconds since the epoch (UTC)
  std::string note;         // the chair's note; empty when there is none
  std::optional<actor> by;  // the tagger (state from its e-mail); nullopt when unknown
};

// The order of draft::versions(): by time, then by name (byte order).
bool version_before(const version& a, const version& b) noexcept;

// A version from what a tag object holds. The note is the message without the summary line
// "Version <name>" that draft::tag writes, the blank line after it and the final newline, so
// that a note comes back exactly as it was given; a message without that summary line (the
// tag `adopted`: "The text as adopted.", or a tag made with plain git) is the note whole,
// less its final newline. `by` is the tagger's name and the state of its e-mail
// (`rus@delegations.invalid`: RUS); nullopt when the e-mail is not one plenary writes.
version version_from_tag(std::string_view name, std::string commit, std::string_view tagger_name,
                         std::string_view tagger_email, std::int64_t at, std::string_view message);

// ---- comparison ------------------------------------------------------------------------

// What became of one clause between two versions.
enum class clause_change {
  added,    // only in `to`
  removed,  // only in `from`
  changed,  // in both, with another text (whether or not it moved)
  moved,    // in both, same text, another place among the others (see compare)
  same,     // in both, same text, same place among the others (its number may differ)
};
const char* to_string(clause_change change) noexcept;  // "added", "removed", ...

struct compared_clause {
  std::string id;
  clause_change change = clause_change::same;
  std::optional<int> number_from;  // its operative number in `from`; nullopt if not operative
  std::optional<int> number_to;    //   or not there (added / removed)
  clause_kind kind = clause_kind::operative;  // in `to` (in `from` when removed)
  // Word diff from the text in `from` to the text in `to` (words::diff): joining '=' and '-'
  // gives the old text ("" when added), joining '=' and '+' the new one ("" when removed).
  // One '=' piece for a clause whose text is the same, one '+' or '-' piece for a clause
  // added or removed.
  std::vector<diff_piece> diff;
  // The texts differ too much to diff word by word within words::diff_budget: `diff` is the
  // whole old text removed, then the whole new one added.
  bool whole = false;
};

struct comparison {
  std::string from;  // the commit of each version
  std::string to;
  std::vector<compared_clause> clauses;
};

// Compares two snapshots clause by clause, matching clauses by id.
//
// Order: the clauses of `to` in its order; each removed clause is placed after the nearest
// clause before it in `from` that kept its place (is `same` or `changed` but not moved), so
// that it stands where it stood; removed clauses with no such clause before them come first.
// Several placed after one clause keep the order of `from`, and come before any clause added
// right there (a replacement reads "removed, then added").
//
// Place: the clauses present in both versions are listed in each version's order; the
// longest common subsequence of those two lists (ids) is what kept its place, and a clause
// outside it is `moved` (when its text is the same) or `changed`. Inserting or removing
// other clauses, which renumbers the operative ones, moves nothing. Of several longest
// subsequences (two neighbours swapped: either one moved) one is chosen deterministically.
//
// Numbers are derived from each snapshot's order and kinds (operative clauses 1, 2, 3...),
// as protocol.md defines them. Cost: O(n log n) for the places, plus a word diff per changed
// clause.
comparison compare(const snapshot& from, const snapshot& to);

// ---- private to storage: the clauses the commits moved ------------------------------------
//
// compare() finds a clause's place by the longest common subsequence of the two orders; when
// two neighbours were swapped, either one can be the one that "moved", and the LCS picks one
// by position. The commits between the two versions know better: each `Op: move` commit names,
// in its `Clause:` trailer, the clause that was moved. draft::compare passes those ids here. A
// range without such commits (a reorder written with plain git) falls back to the LCS alone.

class draft_index;

// compare(), with `moved` the ids of the clauses that commits between the two versions moved:
// the clauses not named keep their place by the longest common subsequence among themselves,
// then each named clause that still fits between its kept neighbours (moved away and back)
// keeps its place too; the rest are `moved` (same text) or `changed`. An empty `moved` is
// compare() exactly. Ids not present in both versions are ignored.
comparison compare(const snapshot& from, const snapshot& to, const std::vector<std::string>& moved);

// The clauses that the commits of main after one of the two commits, up to and including the
// other, moved (`Op: move`, the `Clause:` trailer), in commit order. Either order of the two;
// empty when a commit is not in `index` or no commit in between is a move.
std::vector<std::string> moved_between(const draft_index& index, std::string_view from_commit,
                                       std::string_view to_commit);

// ---- private to storage: reading the tags of a repository ----------------------------------

class repo;

// Every tag of refs/tags/ that names a commit of main's history (`index`), as versions, in
// version_before order. A lightweight tag (no tag object) takes the time and author of its
// commit, and no note. Tags on other commits (a proposal, the procedure branch) and names that
// are not version names (check_tag_name) are left out: they cannot be compared. `io` when the
// refs cannot be listed; a single unreadable tag is left out.
result<std::vector<version>> load_versions(const repo& r, const draft_index& index);

}  // namespace plenary::storage
