// `plenary draft export`: reads a draft without ever writing to it, so that it can run beside
// a server on the same data directory (the server holds DATA/.serve.lock; the export takes
// no lock and repairs nothing: storage::open_options{.repair = false}).
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iterator>

#include "exports/render.hpp"
#include "server/app.hpp"
#include "server/data_dir.hpp"
#include "storage/draft.hpp"
#include "storage/text.hpp"

namespace plenary::server {
namespace fs = std::filesystem;

int export_draft_command(const fs::path& data, const std::string& slug, const std::string& format,
                         const std::optional<std::string>& version, const std::string& text,
                         const std::optional<std::string>& lang, bool comments) {
  auto fmt = exports::parse_format(format);
  auto form = exports::parse_text_form(text);
  if (!fmt || !form) {
    std::fprintf(stderr,
                 "plenary: --format is md, html or akn and --text is clean or compilation\n");
    return 2;
  }
  std::optional<exports::language> language;
  if (lang) {
    language = exports::parse_language(*lang);
    if (!language) {
      // The value is echoed only when it is a short tag of letters and hyphens (a terminal
      // shows nothing else as typed).
      const bool echo = lang->size() <= 16 && std::all_of(lang->begin(), lang->end(), [](char c) {
                          return std::isalpha(static_cast<unsigned char>(c)) || c == '-';
                        });
      std::fprintf(stderr,
                   "plenary: --lang %s is not one of the six languages of the United Nations: "
                   "%s\n",
                   echo ? ("`" + *lang + "`").c_str() : "(that value)",
                   std::string(exports::language_choices()).c_str());
      return 2;
    }
  }
  if (comments && (*form != exports::text_form::compilation || *fmt == exports::format::akn)) {
    std::fprintf(stderr,
                 "plenary: --comments goes with --text compilation and --format md or html (the "
                 "open threads are written as notes after their clauses)\n");
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
  // Nothing is written; the repositories may belong to the service's user (export as root).
  storage::library lib({.fsync = false, .check_owner = false});
  auto d = storage::draft::open(dir.repo_path(slug), {.repair = false});
  if (!d) {
    std::fprintf(stderr, "plenary: cannot read the draft `%s`: %s\n", slug.c_str(),
                 d.err().message.c_str());
    return 1;
  }
  std::string commit = (*d)->head().head;
  if (version) {
    auto resolved = (*d)->resolve(*version);
    if (!resolved) {
      std::fprintf(stderr, "plenary: %s\n", resolved.err().message.c_str());
      return 1;
    }
    commit = std::move(*resolved);
  }
  auto snap = (*d)->at(commit);
  if (!snap) {
    std::fprintf(stderr, "plenary: %s\n", snap.err().message.c_str());
    return 1;
  }

  exports::document doc;
  doc.slug = slug;
  doc.lang = language;
  doc.text = std::move(*snap);
  // A tag is named in the export; a commit id (or its prefix) is shown as the commit anyway.
  if (version && !commit.starts_with(*version)) doc.version = *version;
  // main up to and with `commit`, oldest first.
  auto log = (*d)->log();
  auto at = std::find_if(log.begin(), log.end(),
                         [&](const storage::log_entry& e) { return e.commit == commit; });
  doc.commits.assign(std::make_move_iterator(at), std::make_move_iterator(log.end()));
  std::reverse(doc.commits.begin(), doc.commits.end());
  if (auto access = dir.load_access(slug)) doc.parties = access->roster();
  if (comments) {
    for (const storage::comment_thread& t : (*d)->threads()) {
      if (!t.resolved) doc.notes.push_back(t);
    }
  }

  const std::string out = exports::render(doc, *fmt, *form);
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (std::fflush(stdout) != 0) {
    std::fprintf(stderr, "plenary: cannot write the export to standard output\n");
    return 1;
  }
  return 0;
}

}  // namespace plenary::server
