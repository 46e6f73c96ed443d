// Bracketed text (procedure.md, "Bracketed text"): disputed wording inside a clause's text,
// with its alternatives and who proposed each:
//
//   ⟦CHN: wording ‖ USA: other wording ‖ RUS: ⟧
//
// U+27E6 opens, U+27E7 closes, alternatives are joined by exactly " ‖ " (space, U+2016, space),
// each alternative is `CODE: wording` with CODE a state code, and an empty wording means
// "delete this". Brackets do not nest. The notation lives in the clause text itself, so git,
// history, diff and merge see it as ordinary words.
//
// Who may be named. Storage does not own the roster (the server keeps it beside the
// repository, with the join codes). The server hands the draft its delegations once
// (draft::set_delegations); every text that goes in (replace, insert, proposals, adoption,
// bracket, resolve) is then checked against them plus `CHAIR` and `TABLED` (tabled_state: the
// wording is the text as tabled, whose proponents are the draft's sponsors). With no delegations
// given (an empty list: tests, tools that do not know the roster) only the structure is checked and
// any well-formed state code is accepted.
//
// All positions are byte offsets into the UTF-8 text. A text given to these functions is
// expected to be valid UTF-8 (check_clause_text first); spans that cut a character are
// refused.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/model.hpp"
#include "storage/result.hpp"

namespace plenary::storage::brackets {

inline constexpr std::string_view open_mark = "\u27E6";   // ⟦ (3 bytes)
inline constexpr std::string_view bar_mark = "\u2016";    // ‖ (3 bytes)
inline constexpr std::string_view close_mark = "\u27E7";  // ⟧ (3 bytes)
inline constexpr std::string_view separator = " \u2016 ";

struct alternative {
  std::string state;      // the proponent: a state code, CHAIR or TABLED
  std::string wording;    // may be empty: "delete this"
  std::size_t start = 0;  // byte offset of the wording in the text (parse only)
};

struct bracket {
  std::size_t start = 0;                  // byte offset of ⟦
  std::size_t end = 0;                    // byte offset just past ⟧
  std::vector<alternative> alternatives;  // at least one
};

// The brackets of `text` in order; what lies between them is plain text. `invalid` with one
// sentence when the notation is broken: a mark outside a well-formed bracket, a bracket never
// closed or nested, an empty bracket, a separator that is not exactly " ‖ ", an alternative
// without `CODE: `, or (when `delegations` is not empty) a CODE that is none of them, CHAIR
// or TABLED. `where` starts the sentence: "Clause c3: bracket 2 names `XYZ`, which is ...".
result<std::vector<bracket>> parse(std::string_view text,
                                   std::span<const std::string> delegations = {},
                                   std::string_view where = "The text");

// True when `text` holds any of ⟦, ‖, ⟧ (a text without them has no brackets to parse).
bool has_marks(std::string_view text) noexcept;

// The canonical form: ⟦, the alternatives `CODE: wording` joined by " ‖ ", ⟧.
std::string format(std::span<const alternative> alternatives);

// ---- the two operations ----------------------------------------------------------------------

// What `bracket` makes of a clause: the span [start, end) of `text` becomes a bracket whose
// first alternative is the span's wording, attributed to the state `blame` gives for most of
// its bytes, and whose second is `wording` by `by`; a span that exactly covers an existing
// bracket gets `wording` as one more alternative. `blame` is the raw blame of `text` (its
// segments joined give `text`), the words of the text as tabled given to TABLED
// (as_tabled), so that wording still as tabled is the tabled text's, not its committer's. `invalid`
// for an empty span, one out of range, one that cuts a UTF-8 character, lies inside a bracket,
// overlaps one partly or contains one, for a wording holding a mark, and for a change that changes
// nothing.
struct bracketed {
  std::string text;       // the clause after the change
  std::size_t index = 0;  // the bracket's index in the clause
  bool added_to_existing = false;
};
result<bracketed> bracket_span(std::string_view text, std::size_t start, std::size_t end,
                               std::string_view by, std::string_view wording,
                               const std::vector<blame_segment>& blame);

// What `resolve` makes of a clause: bracket number `index` (0-based, in text order) replaced by
// the wording of its alternative `choose` (0-based). `invalid` when either is out of range.
result<std::string> resolve(std::string_view text, std::size_t index, std::size_t choose);

// ---- blame
// ---------------------------------------------------------------------------------------

// Attributes each alternative's wording to its proponent: the bytes of every alternative's
// wording get the state its CODE names (the commit stays the one that introduced those bytes);
// the marks and codes keep their blame. With `tabled_commit` (the first commit of main), marks
// `tabled` the words of the text as tabled: that commit's words outside the alternatives of
// other proponents, and every word of a TABLED alternative. Adjacent segments of one state,
// commit and `tabled` are joined. A text whose notation does not parse keeps its states.
std::vector<blame_segment> attribute_proponents(std::vector<blame_segment> segments,
                                                std::string_view tabled_commit = {});

// The raw blame with the words of `tabled_commit` (the first commit of main) given to TABLED:
// what bracket_span attributes a new bracket's first alternative by.
std::vector<blame_segment> as_tabled(std::vector<blame_segment> segments,
                                     std::string_view tabled_commit);

}  // namespace plenary::storage::brackets
