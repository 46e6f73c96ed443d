#include "server/restore_command.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "protocol/messages.hpp"
#include "server/data_dir.hpp"
#include "storage/draft.hpp"

namespace plenary::server {

int restore_command(const std::filesystem::path& data, const std::string& slug,
                    const std::string& url, bool replace, bool fsync,
                    const std::filesystem::path& roster_file) {
  ::umask(077);  // the access file and the repository are the owner's only, as create makes them
  std::vector<storage::actor> roster;
  if (!roster_file.empty()) {
    std::ifstream in(roster_file, std::ios::binary);
    std::ostringstream text;
    if (!in || !(text << in.rdbuf())) {
      std::fprintf(stderr, "plenary: cannot read %s: no such file or not readable\n",
                   roster_file.string().c_str());
      return 1;
    }
    auto parsed = protocol::parse_draft_file(text.str());
    if (!parsed.file) {
      std::fprintf(stderr, "plenary: %s: %s\n", roster_file.string().c_str(), parsed.error.c_str());
      return 1;
    }
    for (const auto& d : parsed.file->delegations) roster.push_back({d.state, d.name});
  }
  storage::library lib({.fsync = fsync});
  auto done = data_dir(data).restore_draft(slug, url, replace, roster);
  if (!done) {
    std::fprintf(stderr, "plenary: %s\n", done.err().message.c_str());
    return 1;
  }
  std::string listed;
  for (const auto& a : done->roster) listed += (listed.empty() ? "" : ", ") + a.state;
  std::fprintf(stderr,
               "plenary: restored `%s` from %s: %zu objects checked, %zu refs, main at %s; "
               "delegations: %s\n",
               slug.c_str(), url.c_str(), done->objects, done->refs, done->head.c_str(),
               listed.empty() ? "none" : listed.c_str());
  const auto& codes = done->made.codes;
  std::cout << protocol::created_json(done->made.slug, codes.chair, codes.observer,
                                      codes.delegations)
            << '\n'
            << std::flush;
  return 0;
}

}  // namespace plenary::server
