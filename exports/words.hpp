// The fixed words of the exports (issue 18, item 5) in the six official languages of the
// United Nations: the line under the title, the sponsors line, the HTML footer, "Chair" and
// "(delete)". One table (words.cpp), one row per language; the draft's own text is never
// translated. The wording follows the UN's documents in each language (UNTERM); the reason
// for each choice is in docs/un-terms.md.
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
};

const words& words_of(language l) noexcept;

// `tmpl` with each `{name}` replaced by its value; a placeholder without a value stays as it is.
std::string fill(std::string_view tmpl,
                 std::initializer_list<std::pair<std::string_view, std::string_view>> values);

}  // namespace plenary::exports
