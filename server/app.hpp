// What the `plenary` command does: serve a data directory (app.cpp), create a draft in one
// (app.cpp), export one (export_command.cpp); `draft codes` is codes_command.hpp's. Each
// returns a process exit status and prints a one-line reason on failure.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "server/config.hpp"

namespace plenary::server {

// Serves cfg.data until SIGINT or SIGTERM. On an empty data directory it first creates the
// demo draft from the embedded sample and prints its join links.
int serve(const config& cfg);

// `plenary draft create`: prints {"slug", "codes": {...}} on standard output. `from` is a
// draft file (JSON: a .json name, or content opening with `{`) or a text to split
// (protocol/splitter.hpp), which then takes its title from `title` or its own first line, its
// roster from `roster_file` (protocol::parse_roster_file) and its sponsors from `sponsors`.
struct create_options {
  std::filesystem::path from;  // "-": standard input
  std::optional<std::string> slug;
  std::optional<std::string> title;                  // text only
  std::optional<std::filesystem::path> roster_file;  // text only
  std::vector<std::string> sponsors;                 // text only
  bool fsync = true;
};
int create_draft_command(const std::filesystem::path& data, const create_options& opt);

// `plenary draft export`: the draft `slug` at `version` (a tag or a commit; the head of main
// when absent) as `format` (md, html, akn) in the `text` form (clean, compilation), on standard
// output, its fixed words in `lang` (ar, zh, en, fr, ru, es; exports/words.hpp) when given.
// Reads only: safe beside a server running on the same data directory. `comments`
// (`--comments`, compilation only): the open threads as notes on their clauses.
int export_draft_command(const std::filesystem::path& data, const std::string& slug,
                         const std::string& format, const std::optional<std::string>& version,
                         const std::string& text, const std::optional<std::string>& lang = {},
                         bool comments = false);

// `plenary draft debrief`: the debrief of the draft `slug` (storage/debrief.hpp) for `version`
// (a tag or a commit; the head when absent) as `format` (json, csv, md), with the roster of
// DATA/access/<slug>.tsv, on standard output; the words of csv and md in `lang` (as export's
// --lang; exports/debrief.hpp says what changes). Reads only, like export_draft_command.
int debrief_command(const std::filesystem::path& data, const std::string& slug,
                    const std::string& format, const std::optional<std::string>& version,
                    const std::optional<std::string>& lang = {});

// The sample draft built into the binary (samples/code-of-conduct.json).
extern const char* const embedded_sample;

}  // namespace plenary::server
