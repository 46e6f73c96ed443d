#include "storage/files.hpp"

#include <fcntl.h>
#include <stdio.h>  // renameat2
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string_view>
#include <system_error>

namespace plenary::storage::files {
namespace fs = std::filesystem;

namespace {

std::atomic<bool> g_fsync{true};

std::string os_reason(int err) { return std::error_code(err, std::generic_category()).message(); }

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

void set_fsync_enabled(bool on) noexcept { g_fsync.store(on); }
bool fsync_enabled() noexcept { return g_fsync.load(); }

status fsync_path(const fs::path& p) {
  if (!fsync_enabled()) return ok_status();
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return make_error(error_kind::io, "Could not open " + p.string() +
                                          " to flush it to disk: " + os_reason(errno) + ".");
  }
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) {
    return make_error(error_kind::io,
                      "Could not flush " + p.string() + " to disk: " + os_reason(err) + ".");
  }
  return ok_status();
}

status fsync_tree(const fs::path& root) {
  if (!fsync_enabled()) return ok_status();
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    const auto type = it->symlink_status(ec).type();
    if (ec) break;
    if (type != fs::file_type::regular && type != fs::file_type::directory) continue;
    if (status s = fsync_path(it->path()); !s) return s;
  }
  if (ec) {
    return make_error(error_kind::io,
                      "Could not list " + root.string() + " to flush it: " + ec.message() + ".");
  }
  return fsync_path(root);
}

result<fs::path> make_temp_dir_beside(const fs::path& target) {
  const fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::error_code ec;
  const bool created = fs::create_directories(parent, ec);
  if (ec) {
    return make_error(error_kind::io, "Could not create the directory " + parent.string() + ": " +
                                          ec.message() + ".");
  }
  if (created) {
    // The new directory's own entry must be durable too.
    if (status s = fsync_path(fs::absolute(parent, ec).parent_path()); !s) return s.err();
  }
  std::string pattern = (parent / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return make_error(error_kind::io, "Could not create a temporary directory in " +
                                          parent.string() + ": " + os_reason(errno) + ".");
  }
  return fs::path(pattern);
}

status rename_no_replace(const fs::path& from, const fs::path& to) {
  int rc = ::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE);
  int err = rc == 0 ? 0 : errno;
  if (rc != 0 && (err == EINVAL || err == ENOSYS)) {
    // The file system cannot refuse to replace; rename(2) still refuses a non-empty target
    // directory, and we refuse any existing one ourselves.
    std::error_code ec;
    if (fs::exists(fs::symlink_status(to, ec))) {
      err = EEXIST;
    } else {
      rc = ::rename(from.c_str(), to.c_str());
      err = rc == 0 ? 0 : errno;
    }
  }
  if (err == EEXIST || err == ENOTEMPTY) {
    return make_error(error_kind::exists, "Something already exists at " + to.string() + ".");
  }
  if (err != 0) {
    return make_error(error_kind::io, "Could not move " + from.string() + " to " + to.string() +
                                          ": " + os_reason(err) + ".");
  }
  const fs::path parent = to.parent_path().empty() ? fs::path(".") : to.parent_path();
  return fsync_path(parent);
}

std::vector<fs::path> remove_stale_locks(const fs::path& git_dir) {
  std::vector<fs::path> removed;
  std::error_code ec;
  auto remove = [&](const fs::path& p) {
    std::error_code rm_ec;
    if (fs::is_regular_file(fs::symlink_status(p, rm_ec)) && fs::remove(p, rm_ec)) {
      removed.push_back(p);
    }
  };
  for (const char* name : {"packed-refs.lock", "HEAD.lock", "config.lock", "index.lock"}) {
    remove(git_dir / name);
  }
  const fs::path refs = git_dir / "refs";
  if (fs::is_directory(refs, ec)) {
    std::vector<fs::path> found;
    for (fs::recursive_directory_iterator it(refs, ec), end; !ec && it != end; it.increment(ec)) {
      if (ends_with(it->path().filename().string(), ".lock")) found.push_back(it->path());
    }
    for (const auto& p : found) remove(p);
  }
  const fs::path packs = git_dir / "objects" / "pack";
  if (fs::is_directory(packs, ec)) {
    std::vector<fs::path> found;
    for (fs::directory_iterator it(packs, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      // libgit2's indexer writes pack_git2_XXXXXX and pack_git2_XXXXXXidx.lock, then links
      // the .idx into place before the .pack: a crash in between leaves an index whose pack
      // is missing.
      const bool orphan_index = it->path().extension() == ".idx" &&
                                !fs::exists(fs::path(it->path()).replace_extension(".pack"), ec);
      // pack_writer renames a pack into place before its index: a crash in between leaves a
      // pack that nothing refers to.
      const bool orphan_pack = it->path().extension() == ".pack" &&
                               !fs::exists(fs::path(it->path()).replace_extension(".idx"), ec);
      // pack_writer's own temporary files are tmp_pack_* and tmp_idx_* (git's names).
      if (starts_with(name, "pack_git2_") || starts_with(name, "tmp_pack_") ||
          starts_with(name, "tmp_idx_") || ends_with(name, ".lock") || orphan_index ||
          orphan_pack) {
        found.push_back(it->path());
      }
    }
    for (const auto& p : found) remove(p);
  }
  return removed;
}

void remove_quietly(const fs::path& p) noexcept {
  std::error_code ec;
  fs::remove_all(p, ec);
}

bool read_whole(const std::filesystem::path& p, std::string& out) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  bool ok = ::fstat(fd, &st) == 0;
  if (ok) {
    out.resize(static_cast<std::size_t>(st.st_size));
    std::size_t done = 0;
    while (ok && done < out.size()) {
      const ssize_t n = ::read(fd, out.data() + done, out.size() - done);
      if (n < 0 && errno == EINTR) continue;
      ok = n > 0;
      if (ok) done += static_cast<std::size_t>(n);
    }
  }
  ::close(fd);
  return ok;
}

}  // namespace plenary::storage::files
