// The debrief of a draft (storage/debrief.hpp) written out: JSON (the API's
// `GET /api/drafts/<slug>/debrief` and `plenary draft debrief --format json`), CSV (one row per
// state, for grading sheets) and Markdown. Plain values in, text out; the shapes are in
// docs/extensions.md, "Debrief".
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "exports/words.hpp"
#include "storage/debrief.hpp"

namespace plenary::exports {

enum class debrief_format { json, csv, markdown };
std::optional<debrief_format> parse_debrief_format(std::string_view s) noexcept;  // json|csv|md

// `slug` names the draft in the output. Each ends with a newline.
//
// `lang` (`plenary draft debrief --lang`; exports/words.hpp debrief_words) is the language of
// the words of CSV and Markdown; JSON has no words, only keys. Without it: English words, and
// the CSV's header row is its stable column ids (`state,name,in_roster,replace,...,comments`)
// and in_roster `yes`/`no`, for scripts and grading sheets that read columns by name. With it
// (en too): the header row is the debrief page's column labels in that language and in_roster
// its yes/no, for people who open the file in a spreadsheet; the columns and their order are
// the same, so a script may skip the header row instead. Every row carries `comments`: the
// comments and replies the state wrote (storage::debrief_state::comments, the JSON's figure).
std::string debrief_json(const storage::debrief& d, std::string_view slug);
std::string debrief_csv(const storage::debrief& d, std::optional<language> lang = std::nullopt);
std::string debrief_markdown(const storage::debrief& d, std::string_view slug,
                             std::optional<language> lang = std::nullopt);
std::string render_debrief(const storage::debrief& d, std::string_view slug, debrief_format f,
                           std::optional<language> lang = std::nullopt);

}  // namespace plenary::exports
