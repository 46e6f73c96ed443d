// The debrief of a draft (storage/debrief.hpp) written out: JSON (the API's
// `GET /api/drafts/<slug>/debrief` and `plenary draft debrief --format json`), CSV (one row per
// state, for grading sheets) and Markdown. Plain values in, text out; the shapes are in
// docs/extensions.md, "Debrief".
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "exports/words.hpp"
#include "storage/comments.hpp"
#include "storage/debrief.hpp"

namespace plenary::exports {

enum class debrief_format { json, csv, markdown };
std::optional<debrief_format> parse_debrief_format(std::string_view s) noexcept;  // json|csv|md

// What each state did in the discussion (docs/extensions.md, "Comments"), from the threads as
// the branch `comments` holds them (storage::draft::threads): the threads it opened, its
// replies, and the threads it resolved that are resolved now (a thread reopened since counts
// for nobody). storage::debrief_state::comments, the comments and replies it wrote, is
// opened + replies.
struct comment_figures {
  int opened = 0;
  int replies = 0;
  int resolved = 0;
};
comment_figures comment_figures_of(std::span<const storage::comment_thread> threads,
                                   std::string_view state);

// `slug` names the draft in the output; `threads` the draft's threads (comment_figures_of, per
// row). Each ends with a newline. A state that only resolved a thread gets a row too.
//
// `lang` (`plenary draft debrief --lang`; exports/words.hpp debrief_words) is the language of
// the words of CSV and Markdown; JSON has no words, only keys. Without it: English words, and
// the CSV's header row is its stable column ids (`state,name,in_roster,replace,...,comments,
// threads_opened,replies,threads_resolved`) and in_roster `yes`/`no`, for scripts and grading
// sheets that read columns by name. With it (en too): the header row is the debrief page's
// column labels in that language and in_roster its yes/no, for people who open the file in a
// spreadsheet; the columns and their order are the same, so a script may skip the header row
// instead.
std::string debrief_json(const storage::debrief& d, std::string_view slug,
                         std::span<const storage::comment_thread> threads);
std::string debrief_csv(const storage::debrief& d, std::span<const storage::comment_thread> threads,
                        std::optional<language> lang = std::nullopt);
std::string debrief_markdown(const storage::debrief& d, std::string_view slug,
                             std::span<const storage::comment_thread> threads,
                             std::optional<language> lang = std::nullopt);
std::string render_debrief(const storage::debrief& d, std::string_view slug, debrief_format f,
                           std::span<const storage::comment_thread> threads,
                           std::optional<language> lang = std::nullopt);

}  // namespace plenary::exports
