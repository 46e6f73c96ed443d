// Private to storage: the file-system steps around a repository that libgit2 does not do
// for us (atomic creation by rename, fsync of directories, removal of stale lock files).
// Thread safety: free functions; the fsync switch is process-wide and set by `library`.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "storage/result.hpp"

namespace plenary::storage::files {

// Whether durability is wanted (library_options::fsync). Set once by `library`.
void set_fsync_enabled(bool on) noexcept;
bool fsync_enabled() noexcept;

// fsync of one file or directory; a no-op when fsync is off.
status fsync_path(const std::filesystem::path& p);

// fsync of every file and directory below `root`, and `root` itself; no-op when fsync is off.
status fsync_tree(const std::filesystem::path& root);

// Makes a fresh, empty directory beside `target` (same parent, hidden name) and returns it.
result<std::filesystem::path> make_temp_dir_beside(const std::filesystem::path& target);

// Renames `from` to `to` only if nothing is at `to` (`exists` otherwise), then fsyncs the
// parent of `to`.
status rename_no_replace(const std::filesystem::path& from, const std::filesystem::path& to);

// Removes the lock files and temporary files a crashed writer can leave in a bare repository:
// refs/**/*.lock, packed-refs.lock, HEAD.lock, config.lock, index.lock, and libgit2's
// half-written packs in objects/pack (libgit2's pack_git2_* and pack_writer's tmp_pack_* and
// tmp_idx_* temporary files, an .idx whose .pack never arrived, a .pack whose .idx never did).
// Only for a repository nobody else writes to. Returns the paths removed.
std::vector<std::filesystem::path> remove_stale_locks(const std::filesystem::path& git_dir);

// Reads a whole file into `out`; false when it cannot be opened or read in full.
bool read_whole(const std::filesystem::path& p, std::string& out);

// Removes a directory tree, ignoring errors (clean-up after a failure).
void remove_quietly(const std::filesystem::path& p) noexcept;

}  // namespace plenary::storage::files
