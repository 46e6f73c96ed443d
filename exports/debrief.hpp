// The debrief of a draft (storage/debrief.hpp) written out: JSON (the API's
// `GET /api/drafts/<slug>/debrief` and `plenary draft debrief --format json`), CSV (one row per
// state, for grading sheets) and Markdown. Plain values in, text out; the shapes are in
// docs/extensions.md, "Debrief".
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "storage/debrief.hpp"

namespace plenary::exports {

enum class debrief_format { json, csv, markdown };
std::optional<debrief_format> parse_debrief_format(std::string_view s) noexcept;  // json|csv|md

// `slug` names the draft in the output. Each ends with a newline.
std::string debrief_json(const storage::debrief& d, std::string_view slug);
std::string debrief_csv(const storage::debrief& d);
std::string debrief_markdown(const storage::debrief& d, std::string_view slug);
std::string render_debrief(const storage::debrief& d, std::string_view slug, debrief_format f);

}  // namespace plenary::exports
