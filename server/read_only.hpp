// What the commands that only read a draft share (`plenary draft export`, export_command.cpp;
// `plenary draft debrief`, debrief_command.cpp): the draft opened from --data without ever
// writing to it, and the --lang option. Each prints its own error on standard error, the same
// words for both commands, and says which exit status to return.
//
// Reading never writes: no lock is taken and nothing is repaired (storage::open_options{.repair =
// false}), so it runs beside a server on the same data directory (which holds DATA/.serve.lock);
// the owner check of libgit2 is off, so an administrator may read the service user's data as
// root (storage::library_options::check_owner).
// Thread safety: for a command's main thread (they print to stderr).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "exports/words.hpp"
#include "server/access.hpp"
#include "storage/draft.hpp"

namespace plenary::server {

// A draft open for reading, with the library that must outlive it.
struct readable_draft {
  std::unique_ptr<storage::library> lib;
  std::unique_ptr<storage::draft> draft;
  std::optional<access_list> access;  // DATA/access/<slug>.tsv, when it can be read
};

// `slug` of `data` opened for reading; on failure the error is printed ("plenary: there is no
// draft named `x` in DATA") and the exit status returned (1).
std::variant<readable_draft, int> open_for_reading(const std::filesystem::path& data,
                                                   const std::string& slug);

// --lang: nullopt when absent; the language; or, when it is not one of the six, the error
// printed and exit status 2.
std::variant<std::optional<exports::language>, int> parse_lang_option(
    const std::optional<std::string>& lang);

}  // namespace plenary::server
