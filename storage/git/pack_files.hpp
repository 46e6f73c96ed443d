// Private to storage: putting pack files into a repository's objects/pack, shared by the
// group commit (pack_writer) and the rollup. Files are written under temporary names
// (tmp_pack_*, tmp_idx_*), flushed when fsync is on, renamed into place (the pack before its
// index: a reader looks for packs through their index) and the directory flushed.
// Thread safety: free functions; install and write_temp touch files only, refresh needs the
// repository's owner.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "storage/git/pack_encoding.hpp"
#include "storage/git/repo.hpp"

namespace plenary::storage::pack_files {

std::filesystem::path pack_dir(const std::filesystem::path& git_dir);

// The pack names ("pack-<hash>") that have an index in objects/pack.
std::vector<std::string> list_packs(const std::filesystem::path& git_dir);

// strerror as a std::string.
std::string os_reason(int err);

// A file written under a temporary name, still open when asked to be (to flush it later).
struct temp_file {
  std::filesystem::path path;
  int fd = -1;
};

// Writes `data` to a new file `dir/<prefix><random>` (mode 0444 less the umask, like git's
// packs). Flushed to disk and closed unless `keep_open` (then the caller flushes and closes).
result<temp_file> write_temp(const std::filesystem::path& dir, const char* prefix,
                             const std::string& data, bool keep_open = false);

// Puts a finished pack (everything but its trailing checksum, which is appended here) and its
// entries into objects/pack: both files written and flushed under temporary names, the pack
// renamed into place before its index, then the directory flushed. Returns the pack's name
// ("pack-<checksum>").
result<std::string> install(const std::filesystem::path& git_dir, std::string& pack,
                            std::vector<pack_encoding::packed>& entries);

// Lets the repository's object database see packs added since it last looked.
status refresh(repo& r);

}  // namespace plenary::storage::pack_files
