// `plenary draft export`: reads a draft without ever writing to it, so that it can run beside
// a server on the same data directory (server/read_only.hpp: no lock, no repair).
#include <algorithm>
#include <cstdio>
#include <iterator>

#include "exports/render.hpp"
#include "server/app.hpp"
#include "server/read_only.hpp"

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
  auto language = parse_lang_option(lang);
  if (auto* status = std::get_if<int>(&language)) return *status;
  if (comments && *form != exports::text_form::compilation) {
    std::fprintf(stderr,
                 "plenary: --comments goes with --text compilation (the open threads are written "
                 "as notes on their clauses)\n");
    return 2;
  }
  auto opened = open_for_reading(data, slug);
  if (auto* status = std::get_if<int>(&opened)) return *status;
  const storage::draft& d = *std::get<readable_draft>(opened).draft;
  const auto& access = std::get<readable_draft>(opened).access;

  std::string commit = d.head().head;
  if (version) {
    auto resolved = d.resolve(*version);
    if (!resolved) {
      std::fprintf(stderr, "plenary: %s\n", resolved.err().message.c_str());
      return 1;
    }
    commit = std::move(*resolved);
  }
  auto snap = d.at(commit);
  if (!snap) {
    std::fprintf(stderr, "plenary: %s\n", snap.err().message.c_str());
    return 1;
  }

  exports::document doc;
  doc.slug = slug;
  doc.lang = std::get<std::optional<exports::language>>(language);
  doc.text = std::move(*snap);
  // A tag is named in the export; a commit id (or its prefix) is shown as the commit anyway.
  if (version && !commit.starts_with(*version)) doc.version = *version;
  // main up to and with `commit`, oldest first.
  auto log = d.log();
  auto at = std::find_if(log.begin(), log.end(),
                         [&](const storage::log_entry& e) { return e.commit == commit; });
  doc.commits.assign(std::make_move_iterator(at), std::make_move_iterator(log.end()));
  std::reverse(doc.commits.begin(), doc.commits.end());
  if (access) doc.parties = access->roster();
  if (comments) {
    // Where a span's words stand is known at the head of main only: an earlier version's
    // notes say nothing of what changed after it.
    const bool at_head = commit == d.head().head;
    for (const storage::comment_thread& t : d.threads()) {
      if (t.resolved) continue;
      exports::note n{t};
      if (at_head) {
        if (auto placed = d.placed(t.n)) {
          n.place = placed->state;
          // The span's end is in the clause's text at `placed->rev`: the exported one when the
          // clause has not changed since.
          const auto& cs = doc.text.clauses;
          const auto c = std::find_if(cs.begin(), cs.end(), [&](const storage::clause& x) {
            return x.id == t.anchor.clause;
          });
          if (placed->end && c != cs.end() && c->rev == placed->rev) n.end = placed->end;
        }
      }
      doc.notes.push_back(std::move(n));
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
