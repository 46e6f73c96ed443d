// The organizer's access (docs/extensions.md, "Organizer console"): one code for the whole
// server, which opens /organize and the /api/ calls that create, list and archive drafts.
// 192 random bits like a join code, stored only as its BLAKE2b-256 hash (the same hashing as
// join codes) in DATA/access/organizer.hash, outside every repository. `plenary serve`
// issues one when there is none and prints its link; `plenary organizer --reissue` replaces
// it, and a running server refuses the old code from its next request on (organizer_key
// notices the new file as a room notices a reissued access file).
// Thread safety: organizer_key's functions may be called from any thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace plenary::server {

class organizer_key {
 public:
  explicit organizer_key(std::filesystem::path file);

  // True when `code` is the organizer code in force (constant time in the code). The file is
  // read again when it changed since the last call; no file, or an unreadable one: false.
  bool verify(std::string_view code) const;

 private:
  struct stamp {
    std::uint64_t dev = 0, ino = 0;
    std::int64_t size = 0, mtime_ns = 0, ctime_ns = 0;
    bool operator==(const stamp&) const = default;
  };
  static std::optional<stamp> stamp_of(const std::filesystem::path& path);

  const std::filesystem::path file_;
  mutable std::mutex mu_;               // guards the two below
  mutable std::optional<stamp> stamp_;  // of the file last read
  mutable std::string hash_hex_;        // empty: no valid code
};

// The organizer file's text for a code: a comment line, then the hash.
std::string organizer_file_text(std::string_view code);

// `plenary organizer --data DIR [--reissue] [--listen-url URL]`: with --reissue, issues a
// fresh organizer code (the old one stops working, in a running server too) and prints its
// link; without, says whether one exists. Returns the exit status.
int organizer_command(const std::filesystem::path& data, bool reissue, const std::string& base_url);

// `plenary draft unarchive SLUG --data DIR`: moves an archived draft back (data_dir::
// unarchive_draft); safe while a server runs, which serves it again at its next request.
int unarchive_command(const std::filesystem::path& data, const std::string& slug);

}  // namespace plenary::server
