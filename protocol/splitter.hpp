// The splitter: a text pasted from a word processor, a Markdown file or a UN resolution, cut
// into the clauses of a draft by UN drafting conventions (docs/extensions.md, "Organizer
// console"). It serves `plenary draft create --from FILE.txt|FILE.md` and the organizer's
// `POST /api/split` preview, so both see the same split.
//
//   - blank lines separate paragraphs; a line that continues a paragraph is joined to it;
//   - a paragraph that opens with a preambular phrase (protocol/preambular_phrases.txt, with
//     adverbs such as "Also" or "Further" before it) is a preambular paragraph;
//   - a numbered line (`1.`, `2)`, `(3)`) or a list item (`-`, `*`, `•`) is an operative
//     paragraph, its number or marker dropped (plenary numbers operative paragraphs itself);
//   - a sub-paragraph (`(a)`, `(ii)`, `b)`) belongs to the paragraph before it, on a line of
//     its own (joined with a newline), its letter kept;
//   - a line ending with `:` that is not numbered, a Markdown heading (`#`), a section number
//     (`II.`) and a short line without final punctuation standing alone are headings;
//   - a paragraph ending with `,` before any operative paragraph is preambular ("The General
//     Assembly," alone is a heading); everything else is operative.
// Word-processor pastes are normalised first: `\r\n` and `\r`, tabs, non-breaking and other
// fixed-width spaces, zero-width characters, soft hyphens and Word's manual line break (`\v`);
// curly quotes and every other character are kept as they are.
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/messages.hpp"

namespace plenary::protocol {

struct split_result {
  std::vector<draft_file::initial_clause> clauses;  // empty on failure
  std::string error;  // one sentence saying what is wrong and where ("line 4 contains ...")
};

// Splits `text` (UTF-8, at most max_source_text_bytes) into at most max_draft_clauses
// clauses, each a valid clause text. Fails, with a sentence a person can act on, for an
// empty or blank text, invalid UTF-8, a control character, a paragraph over the clause
// limit, too many paragraphs, or a text of headings only.
split_result split_text(std::string_view text);

// The draft's title taken from the split: the first clause when it is a heading that reads
// as a title (a Markdown heading or a first line of its own, not ending with `:` or `,`); it
// is removed from `clauses`. nullopt, `clauses` unchanged, otherwise.
std::optional<std::string> take_title(std::vector<draft_file::initial_clause>& clauses);

// The preambular phrases, as in protocol/preambular_phrases.txt (for tests and docs).
const std::vector<std::string>& preambular_phrases();

}  // namespace plenary::protocol
