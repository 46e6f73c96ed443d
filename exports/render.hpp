// Exports of a draft as a document to print, publish or archive (procedure.md, "Exports"):
// Markdown, a self-contained printable HTML page, and Akoma Ntoso 3.0 XML.
//
// This layer turns plain values (a storage::snapshot and log entries) into text. It opens
// nothing and knows nothing of git, sockets or JSON; storage knows nothing of formats.
// Thread safety: pure functions.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exports/words.hpp"
#include "storage/brackets.hpp"
#include "storage/comments.hpp"
#include "storage/model.hpp"

namespace plenary::exports {

enum class format { markdown, html, akn };
std::optional<format> parse_format(std::string_view s) noexcept;  // "md", "html", "akn"

// How the text of a clause is written (procedure.md): `clean` shows each remaining bracket
// as `[wording / other wording]` without names, `compilation` shows each alternative with its
// proponent. A text without brackets is the same in both.
enum class text_form { clean, compilation };
std::optional<text_form> parse_text_form(std::string_view s) noexcept;  // "clean", "compilation"

// An open thread of comments to write as a note, and where its words stand.
struct note {
  storage::comment_thread thread;
  // Where the anchor stands in the text at the head of main (storage::draft::placed); an
  // export of an earlier version leaves it `exact` (it says nothing of later changes).
  storage::anchor_state place = storage::anchor_state::exact;
  // A span's end (bytes) in its clause's text as exported, when known (the export is of the
  // head and the words are still there): Akoma Ntoso puts the <noteRef> there.
  std::optional<std::size_t> end = std::nullopt;
};

// What is exported: the draft as it stood at one version, and how it got there.
struct document {
  std::string slug;
  storage::snapshot text;                   // the clauses at that version
  std::vector<storage::log_entry> commits;  // `main` up to and with that version, oldest first
  std::vector<storage::actor> parties;      // the roster's delegations, in roster order
  std::string version;                      // the name asked for (tag or commit); "" = head
  // The language of the fixed words (words.hpp) and the one the export declares (HTML `lang`,
  // Akoma Ntoso FRBRlanguage and xml:lang). None: English words and no language declared
  // (Akoma Ntoso "und"), as before --lang.
  std::optional<language> lang = std::nullopt;
  // `plenary draft export --comments` (docs/extensions.md, "Comments"): the open threads,
  // written as notes after the clause they are on (Markdown, HTML) or as Akoma Ntoso <note>s
  // referred to from it; the others under words::other_notes at the end. Empty: no notes.
  std::vector<note> notes = {};
};

// The fixed words of the document's language.
const words& words_for(const document& doc) noexcept;

// The whole export, ending with a newline.
std::string render(const document& doc, format f, text_form form);

std::string render_markdown(const document& doc, text_form form);
std::string render_html(const document& doc, text_form form);
std::string render_akn(const document& doc, text_form form);

// The text of a clause as plain text, before a format's escaping: each bracket (procedure.md,
// "Bracketed text") as `[wording / other wording]` (clean) or `[wording (CHN) / other wording
// (USA)]` (compilation; the text as tabled as `(as tabled: CHN, RUS)`, the sponsors of the
// version exported: proponent); an empty wording (a proposal to delete) as `(delete)`; a line
// break inside a bracket as a space. The fixed words are the document's language (words_for).
// A text whose notation does not parse is shown as it is. Markdown writes this; HTML and Akoma
// Ntoso mark the compilation form up (clause_lines).
std::string clause_text(const document& doc, const storage::clause& c, text_form form);

// The lines of a clause as a format writes them (as detail::lines: trimmed, empty ones
// dropped). Plain runs go through `plain` (the format's escaping); in the compilation form
// each bracket goes through `bracket` (the format's markup), in the clean form it is plain
// text `[a / b]` in the document's words. A line break inside a bracket is a space, so markup
// never spans lines.
// `marks` are markup put into the text as it is (Akoma Ntoso's <noteRef>): each at its byte
// offset of the clause's text, one that falls inside a bracket right after the bracket, one at
// a line break at the end of the line it ends, one past the end at the end.
using bracket_writer = std::function<std::string(const storage::brackets::bracket&)>;
struct text_mark {
  std::size_t at = 0;
  std::string markup;
};
std::vector<std::string> clause_lines(const document& doc, const storage::clause& c, text_form form,
                                      const std::function<std::string(std::string_view)>& plain,
                                      const bracket_writer& bracket,
                                      std::vector<text_mark> marks = {});

// The name of a state for people, in the document's language (words_for): the roster's name,
// "Chair" (words::chair) for CHAIR, "The text as tabled" (words::tabled) for TABLED
// (storage::tabled_state), else the code.
std::string party_name(const document& doc, std::string_view state);

// A note as the formats write it: one line per comment, oldest first, each with the state
// that wrote it (Akoma Ntoso refers to it), as plain text before a format's escaping.
struct note_line {
  std::string state;
  std::string text;
};
struct written_note {
  int n = 0;  // the thread's number
  std::vector<note_line> lines;
  std::optional<std::size_t> end = std::nullopt;  // note::end
};

// The notes on clause `c` (doc.notes on it, by thread) in the document's words (words::note,
// words::reply): "Note 3 (France, on “shall endeavour”): Too weak." then one line per reply,
// "Reply by United States: We agree." (line breaks of a comment as spaces); a span whose words
// changed or are gone says so inside the parentheses (words::words_changed, words_gone).
std::vector<written_note> clause_notes(const document& doc, const storage::clause& c);
// The notes on no clause of the text: their clause deleted or not yet in this version
// (words::clause_gone), or a proposal on no clause. The formats write them at the end, under
// words::other_notes.
std::vector<written_note> other_notes(const document& doc);

// Who proposed an alternative, as a compilation writes it after the wording (in parentheses):
// its code, `CHN`; for the text as tabled (TABLED) `as tabled: CHN, RUS` (words::as_tabled_list,
// the sponsors of the version exported joined by words::list_separator; words::as_tabled,
// `as tabled`, when it has none), their names instead of codes with `names` (`as tabled: China,
// Russian Federation`). The wording as tabled is the sponsors' text, not the chair's who opened
// the draft (docs/extensions.md, "Bracketed text").
std::string proponent(const document& doc, std::string_view state, bool names);

// The wording shown for an alternative: its wording, or "(delete)" (words::deletion in the
// document's language) when empty.
std::string shown_wording(const document& doc, const storage::brackets::alternative& a);

// Helpers shared by the formats.
namespace detail {
std::string utc_date(std::int64_t at);       // "2026-11-27"
std::string utc_minute(std::int64_t at);     // "2026-11-27 10:15 UTC"
std::string xml_escape(std::string_view s);  // & < > " ' as entities; other controls dropped
std::vector<std::string> lines(std::string_view text);  // split on '\n', each line trimmed
std::string trim(std::string_view s);
std::string short_id(std::string_view commit);  // the first 7 hex digits
// Who made a commit, for people: "Russian Federation (RUS)".
std::string author(const storage::log_entry& e);
}  // namespace detail

}  // namespace plenary::exports
