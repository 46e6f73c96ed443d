#include "server/read_only.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "server/data_dir.hpp"
#include "storage/text.hpp"

namespace plenary::server {

std::variant<readable_draft, int> open_for_reading(const std::filesystem::path& data,
                                                   const std::string& slug) {
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
  readable_draft out;
  // Nothing is written; the repositories may belong to the service's user (read as root).
  out.lib = std::make_unique<storage::library>(
      storage::library_options{.fsync = false, .check_owner = false});
  auto d = storage::draft::open(dir.repo_path(slug), {.repair = false});
  if (!d) {
    std::fprintf(stderr, "plenary: cannot read the draft `%s`: %s\n", slug.c_str(),
                 d.err().message.c_str());
    return 1;
  }
  out.draft = std::move(*d);
  // The roster lives beside the repository; without it, names are the authors' own.
  if (auto access = dir.load_access(slug)) out.access = std::move(*access);
  return out;
}

std::variant<std::optional<exports::language>, int> parse_lang_option(
    const std::optional<std::string>& lang) {
  if (!lang) return std::optional<exports::language>{};
  if (auto l = exports::parse_language(*lang)) return std::optional<exports::language>{*l};
  // The value is echoed only when it is a short tag of letters and hyphens (a terminal shows
  // nothing else as typed).
  const bool echo = lang->size() <= 16 && std::all_of(lang->begin(), lang->end(), [](char c) {
                      return std::isalpha(static_cast<unsigned char>(c)) || c == '-';
                    });
  std::fprintf(stderr,
               "plenary: --lang %s is not one of the six languages of the United Nations: %s\n",
               echo ? ("`" + *lang + "`").c_str() : "(that value)",
               std::string(exports::language_choices()).c_str());
  return 2;
}

}  // namespace plenary::server
