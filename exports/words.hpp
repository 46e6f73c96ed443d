// The fixed words of the exports (issue 18, item 5) in the six official languages of the
// United Nations: the line under the title, the sponsors line, the HTML footer, "Chair",
// "(delete)" and the notes of `--comments` (`words`, words.cpp); the debrief's Markdown and
// CSV header (`debrief_words`, words_debrief.cpp); and how each language writes a number
// (`number_format`, words.cpp). One row per language in each table; the
// draft's own text is never translated. The wording follows the UN's documents in each language
// (UNTERM); the reason for each choice is in docs/un-terms.md.
//
// Templates hold `{name}` placeholders that the formats fill with values they have already
// escaped (fill below); the templates themselves are written into Markdown and HTML as they
// are, so they contain no character that either format would read (tests/ops check this).
// Thread safety: constant data and pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace plenary::exports {

// In the order the UN lists them (Arabic, Chinese, English, French, Russian, Spanish).
enum class language { ar, zh, en, fr, ru, es };
inline constexpr std::array<language, 6> all_languages = {language::ar, language::zh, language::en,
                                                          language::fr, language::ru, language::es};

std::optional<language> parse_language(std::string_view s) noexcept;  // "ar", ..., "es"
std::string_view language_code(language l) noexcept;   // BCP 47, for HTML `lang`: "ar"
std::string_view language_code3(language l) noexcept;  // ISO 639-2/T, for Akoma Ntoso: "ara"
bool right_to_left(language l) noexcept;               // Arabic
// "ar, zh, en, fr, ru, es": for the error that names the choices.
std::string_view language_choices() noexcept;

// CLDR's plural categories (unicode.org/cldr, "Language Plural Rules"), for integers.
enum class plural { zero, one, two, few, many, other };
plural plural_of(language l, std::uint64_t n) noexcept;

struct words {
  // The line under the title: draft, then version (when a version is named), then commit,
  // then date (when there are commits), then end. Placeholders: {slug}, {version}, {commit},
  // {date}.
  std::string_view draft;    // "Draft {slug}"
  std::string_view version;  // ", version {version}"
  std::string_view commit;   // ", commit {commit}"
  std::string_view date;     // " of {date}"
  std::string_view end;      // "."
  // The draft's sponsors, when it has any: {list} of names joined by list_separator.
  std::string_view sponsors;        // "Sponsors: {list}"
  std::string_view list_separator;  // ", "
  // The HTML footer: exported, then after (when there are commits), then history.
  std::string_view exported;  // "Exported by plenary from the draft {slug} at commit {commit}"
  // ", after {n} commits; the last by {author} on {date}", by plural category of {n}.
  std::array<std::string_view, 6> after;
  std::string_view history;   // ". The full history is in the draft's git repository."
  std::string_view chair;     // the chair as a party: "Chair"
  std::string_view deletion;  // an alternative that deletes: "(delete)"
  // The wording of the text as tabled (storage's TABLED, procedure.md "Bracketed text") as a
  // compilation names it: alone, and followed by its sponsors' codes or names.
  std::string_view as_tabled;       // "as tabled"
  std::string_view as_tabled_list;  // "as tabled: {list}"
  std::string_view tabled;          // as a party of Akoma Ntoso's references: "The text as tabled"
  // `plenary draft export --comments` (docs/extensions.md, "Comments"): each open thread as a
  // note. Placeholders of `note`: {n} the thread's number, {author} who opened it, {on} what it
  // is on (on_words, on_proposal, or nothing for a clause), {place} where its words stand now
  // (words_changed, words_gone, clause_gone, or nothing), {text} the first comment.
  std::string_view note;           // "Note {n} ({author}{on}{place}): {text}"
  std::string_view on_words;       // ", on “{quote}”"
  std::string_view on_proposal;    // ", on proposal {n}"
  std::string_view words_changed;  // "; the words have changed since"
  std::string_view words_gone;     // "; the words are no longer in the text"
  std::string_view clause_gone;    // "; the clause is not in this text"
  std::string_view reply;          // each later comment: "Reply by {author}: {text}"
  // The heading of the notes on no clause of the text (a deleted clause, a proposal to insert).
  std::string_view other_notes;  // "Other notes"
};

const words& words_of(language l) noexcept;

// The words of the debrief's Markdown and CSV (`plenary draft debrief --lang`; words_debrief.cpp):
// the page's own labels (web/i18n `debrief.*`). Templates as in `words`.
struct debrief_words {
  std::string_view title;          // "Debrief: {title}"
  std::string_view about;          // "Draft {slug}. Stage: {stage}."
  std::string_view stage_working;  // "Working paper"
  std::string_view stage_formal;   // "Formal stage"
  std::string_view stage_adopted;  // "Adopted text"
  std::string_view
      scope;  // the scope of the figures: {shown}, {commit}, {from}, {to}, {commits}, {acts}
  std::string_view current_text;      // {shown}: "the current text"
  std::string_view version_of;        // {shown}: "version {version}"
  std::string_view words_line;        // {words}, {tabled}, {percent}
  std::string_view open_brackets;     // {n}
  std::string_view delegations;       // "Delegations"
  std::string_view clauses_title;     // "Words of each clause by who wrote them"
  std::string_view journey_title;     // "The journey of the text"
  std::string_view state;             // "State"
  std::string_view name;              // "Name"
  std::string_view in_roster;         // "In the roster"
  std::string_view amendments;        // "Amendments"
  std::string_view replace;           // "Replace"
  std::string_view insert;            // "Insert"
  std::string_view delete_;           // "Delete"
  std::string_view move;              // "Move"
  std::string_view bracket;           // "Bracket"
  std::string_view resolve;           // "Resolve"
  std::string_view tabled;            // "Proposals tabled"
  std::string_view adopted;           // "Adopted"
  std::string_view rejected;          // "Rejected"
  std::string_view withdrawn;         // "Withdrawn"
  std::string_view could_not_apply;   // "Could not apply"
  std::string_view pending;           // "Pending"
  std::string_view supports;          // "Supports given"
  std::string_view yes;               // "Votes yes"
  std::string_view no;                // "Votes no"
  std::string_view abstain;           // "Abstentions"
  std::string_view decided;           // "Votes on closed votes"
  std::string_view matched;           // "Vote matched outcome"
  std::string_view clauses_touched;   // "Clauses touched"
  std::string_view words_in_text;     // "Words in the text"
  std::string_view share;             // "Share"
  std::string_view comments;          // "Comments written"
  std::string_view threads_opened;    // "Threads opened"
  std::string_view replies;           // "Replies"
  std::string_view threads_resolved;  // "Threads resolved"
  std::string_view gone;              // "(no longer in the roster)"
  std::string_view matched_of;        // "{matched} of {decided}"
  std::string_view operative_n;       // "Operative clause {n}"
  std::string_view operative;         // "Operative clause"
  std::string_view preamble;          // "Preambular paragraph"
  std::string_view heading;           // "Heading"
  std::string_view clause_id;         // "{label} ({id})"
  std::string_view clause_removed;    // "{label} (removed, {id})"
  std::string_view clause;            // "Clause"
  std::string_view clause_words;      // "Words"
  std::string_view as_tabled;         // "As tabled"
  std::string_view by_state;          // "By state"
  std::string_view point;             // "Point"
  std::string_view commit;            // "Commit"
  std::string_view time;              // "Time"
  std::string_view tabled_point;      // "Tabled text"
  std::string_view current_point;     // "Current text"
  std::string_view true_;             // "yes"
  std::string_view false_;            // "no"
};

const debrief_words& debrief_words_of(language l) noexcept;

// How a language writes a number (the debrief's `--lang` Markdown and CSV; number_format_of,
// words.cpp): its decimal separator, its group separator and from how many digits it groups,
// and where its percent sign goes, as CLDR gives them, i.e. what the debrief page's
// `new Intl.NumberFormat(lang)` and `new Intl.NumberFormat(lang, {style: 'percent',
// minimumFractionDigits: 1})` print (node 20, ICU 78), so that the file says what the page
// says: en and zh `12,345` and `25.0%`; fr `12 345` (U+202F, a narrow no-break space) and
// `25,0 %`; ru `12 345` (U+00A0, a no-break space) and `25,0 %`; es `12.345` but `1234`
// (CLDR's minimumGroupingDigits 2: Spanish groups only from five digits) and `25,0 %`. The
// space before a percent sign is U+00A0 in fr, ru and es: the sign never starts a line.
// Arabic: `12,345` and `25.0%`, Latin digits with their comma and point, as the UN's Arabic
// documents and the page (`ar-u-nu-latn`) write them; CLDR's left-to-right marks (U+200E)
// around the sign and before a minus are left out: invisible controls in a text file, and not
// needed, since a sign next to European digits stays with them in a right-to-left line
// (Unicode bidi, rules W5 and W7).
// A table of six rows rather than ICU (libicu): four facts per language do not need a 30 MB
// data library linked into every export.
struct number_format {
  std::string_view decimal;      // "." or ","
  std::string_view group;        // ",", ".", "\u202f" or "\u00a0"
  std::size_t min_group_digits;  // 1, or 2: the first group is grouped off only from 10 000
  std::string_view percent;      // "{p}%", "{p}\u00a0%"
};
const number_format& number_format_of(language l) noexcept;
// An integer the language's way, its digits grouped in threes: format_integer(fr, 12345) ==
// "12 345", format_integer(es, 1234) == "1234". A negative one starts with "-" (U+002D), as
// Intl writes it in the six.
std::string format_integer(language l, std::int64_t n);
// `tenths` (>= 0) / 10 with one decimal, the language's way, the whole part grouped as
// format_integer groups it: format_percent(fr, 250) == "25,0 %", format_percent(en, 12345) ==
// "1,234.5%" (over 100 %: the share of the tabled words in a text that has shrunk since).
std::string format_percent(language l, long tenths);

// `tmpl` with each `{name}` replaced by its value; a placeholder without a value stays as it is.
std::string fill(std::string_view tmpl,
                 std::initializer_list<std::pair<std::string_view, std::string_view>> values);

}  // namespace plenary::exports
