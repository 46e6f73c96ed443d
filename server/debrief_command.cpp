// `plenary draft debrief`: the debrief of a draft (storage/debrief.hpp) as JSON, CSV (one row
// per state, for grading sheets) or Markdown, on standard output, the words of CSV and Markdown
// in the --lang given. Reads only, like `plenary draft export` (server/read_only.hpp): safe
// beside a server on the same data directory.
#include <cstdio>

#include "exports/debrief.hpp"
#include "server/app.hpp"
#include "server/read_only.hpp"

namespace plenary::server {
namespace fs = std::filesystem;

int debrief_command(const fs::path& data, const std::string& slug, const std::string& format,
                    const std::optional<std::string>& version,
                    const std::optional<std::string>& lang) {
  auto fmt = exports::parse_debrief_format(format);
  if (!fmt) {
    std::fprintf(stderr, "plenary: --format is json, csv or md\n");
    return 2;
  }
  auto language = parse_lang_option(lang);
  if (auto* status = std::get_if<int>(&language)) return *status;
  auto opened = open_for_reading(data, slug);
  if (auto* status = std::get_if<int>(&opened)) return *status;
  const readable_draft& r = std::get<readable_draft>(opened);
  auto db = r.draft->debrief_of(version.value_or(""));
  if (!db) {
    std::fprintf(stderr, "plenary: %s\n", db.err().message.c_str());
    return 1;
  }
  // Without the roster the rows are the states that acted.
  if (r.access) storage::debrief_add_roster(*db, r.access->roster());
  const std::string out = exports::render_debrief(
      *db, slug, *fmt, r.draft->threads(), std::get<std::optional<exports::language>>(language));
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (std::fflush(stdout) != 0) {
    std::fprintf(stderr, "plenary: cannot write the debrief to standard output\n");
    return 1;
  }
  return 0;
}

}  // namespace plenary::server
