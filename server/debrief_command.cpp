// `plenary draft debrief`: the debrief of a draft (storage/debrief.hpp) as JSON, CSV (one row
// per state, for grading sheets) or Markdown, on standard output. Reads only, like `plenary
// draft export` (export_command.cpp): safe beside a server on the same data directory.
#include <cstdio>

#include "exports/debrief.hpp"
#include "server/app.hpp"
#include "server/data_dir.hpp"
#include "storage/draft.hpp"
#include "storage/text.hpp"

namespace plenary::server {
namespace fs = std::filesystem;

int debrief_command(const fs::path& data, const std::string& slug, const std::string& format,
                    const std::optional<std::string>& version) {
  auto fmt = exports::parse_debrief_format(format);
  if (!fmt) {
    std::fprintf(stderr, "plenary: --format is json, csv or md\n");
    return 2;
  }
  if (!storage::is_valid_slug(slug)) {
    std::fprintf(stderr, "plenary: `%s` is not a draft name (1 to 63 of a-z, 0-9 and -)\n",
                 slug.c_str());
    return 1;
  }
  const data_dir dir(data);
  if (!dir.has_draft(slug)) {
    std::fprintf(stderr, "plenary: there is no draft named `%s` in %s\n", slug.c_str(),
                 data.string().c_str());
    return 1;
  }
  storage::library lib({.fsync = false, .check_owner = false});
  auto d = storage::draft::open(dir.repo_path(slug), {.repair = false});
  if (!d) {
    std::fprintf(stderr, "plenary: cannot read the draft `%s`: %s\n", slug.c_str(),
                 d.err().message.c_str());
    return 1;
  }
  auto db = (*d)->debrief_of(version.value_or(""));
  if (!db) {
    std::fprintf(stderr, "plenary: %s\n", db.err().message.c_str());
    return 1;
  }
  // The roster lives beside the repository; without it the rows are the states that acted.
  if (auto access = dir.load_access(slug)) {
    const auto roster = access->roster();
    storage::debrief_add_roster(*db, roster);
  }
  const std::string out = exports::render_debrief(*db, slug, *fmt);
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (std::fflush(stdout) != 0) {
    std::fprintf(stderr, "plenary: cannot write the debrief to standard output\n");
    return 1;
  }
  return 0;
}

}  // namespace plenary::server
