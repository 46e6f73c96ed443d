// The group commit's pack and the move of main; see pack_writer.hpp.
#include "storage/git/pack_writer.hpp"

#include <git2/sys/odb_backend.h>
#include <unistd.h>

#include <cerrno>
#include <future>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "storage/files.hpp"
#include "storage/git/main_lock.hpp"
#include "storage/git/pack_encoding.hpp"
#include "storage/git/pack_files.hpp"

namespace plenary::storage::pack_writer {
namespace fs = std::filesystem;
using pack_encoding::packed;
using pack_files::os_reason;
using pack_files::temp_file;

namespace {

// The pack (without its trailing checksum) of those of `objects` that live only in memory.
result<std::pair<std::string, std::vector<packed>>> build(repo& r,
                                                          std::span<const git_oid> objects) {
  git_odb_backend* memory = r.memory();
  if (memory == nullptr) return make_error(error_kind::internal, "No in-memory object store.");
  std::unordered_set<git_oid, git::oid_hash, git::oid_equal> seen;
  std::vector<packed> entries;
  std::string pack = pack_encoding::pack_header(0);
  pack_encoding::deflater z;
  for (const git_oid& oid : objects) {
    if (!r.in_memory(oid) || !seen.insert(oid).second) continue;
    void* data = nullptr;
    std::size_t size = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    if (memory->read(&data, &size, &type, memory, &oid) < 0) {
      return git::git_failure(error_kind::io, "Could not read a new object from memory");
    }
    std::optional<packed> e = pack_encoding::append_object(pack, z, oid, type, data, size);
    git_odb_backend_data_free(memory, data);
    if (!e) return make_error(error_kind::io, "Could not compress an object for the pack.");
    entries.push_back(*e);
  }
  const std::string header = pack_encoding::pack_header(entries.size());
  pack.replace(0, header.size(), header);
  return std::make_pair(std::move(pack), std::move(entries));
}

error nothing_committed(error e) {
  e.message += " Nothing was committed.";
  return e;
}

int fsync_fd(int fd) { return ::fsync(fd) == 0 ? 0 : errno; }

}  // namespace

status write(repo& r, std::span<const git_oid> objects) {
  auto built = build(r, objects);
  if (!built) return std::move(built).err();
  auto& [pack, entries] = *built;
  if (entries.empty()) return ok_status();
  auto name = pack_files::install(r.git_dir(), pack, entries);
  if (!name) return nothing_committed(std::move(name).err());
  return pack_files::refresh(r);
}

namespace {

// The pack of `objects` (whole bytes), without its trailing checksum; each object once.
std::pair<std::string, std::vector<packed>> build_from(
    std::span<const wal::object* const> objects) {
  std::unordered_set<git_oid, git::oid_hash, git::oid_equal> seen;
  std::vector<packed> entries;
  std::string pack = pack_encoding::pack_header(0);
  pack_encoding::deflater z;
  for (const wal::object* o : objects) {
    if (!seen.insert(o->oid).second) continue;
    std::optional<packed> e =
        pack_encoding::append_object(pack, z, o->oid, o->type, o->data.data(), o->data.size());
    if (!e) return {};
    entries.push_back(*e);
  }
  const std::string header = pack_encoding::pack_header(entries.size());
  pack.replace(0, header.size(), header);
  return {std::move(pack), std::move(entries)};
}

// The files of the group commit: the pack (when `entries` has any), its index and main's new
// value flushed together, the pack directory, then main renamed into place and its directory
// flushed. `refresh_of`, when given, sees the new pack before main moves.
status move_with_pack(const fs::path& git_dir, std::string& pack, std::vector<packed>& entries,
                      const git_oid& target, const git_oid& expected, repo* refresh_of) {
  const fs::path dir = pack_files::pack_dir(git_dir);
  const bool sync = files::fsync_enabled();

  // Everything written first, nothing flushed yet; then the flushes that do not depend on
  // each other run at once: the pack, its index and the new value of main.
  std::optional<temp_file> tmp_pack, tmp_idx;
  std::string name;
  auto cleanup = [&] {
    for (auto* t : {&tmp_pack, &tmp_idx}) {
      if (!*t) continue;
      if ((*t)->fd >= 0) ::close((*t)->fd);
      files::remove_quietly((*t)->path);
    }
  };
  if (!entries.empty()) {
    const sha1::digest sum = sha1::of(pack);
    pack.append(reinterpret_cast<const char*>(sum.data()), sum.size());
    const std::string idx = pack_encoding::make_index(entries, sum);
    name = "pack-" + pack_encoding::hex_of(sum);
    auto p = pack_files::write_temp(dir, "tmp_pack_", pack, true);
    if (!p) return nothing_committed(std::move(p).err());
    tmp_pack = *p;
    auto i = pack_files::write_temp(dir, "tmp_idx_", idx, true);
    if (!i) {
      cleanup();
      return nothing_committed(std::move(i).err());
    }
    tmp_idx = *i;
  }
  auto locked = main_lock::acquire(git_dir);
  if (!locked) {
    cleanup();
    return std::move(locked).err();
  }
  main_lock& lock = *locked;
  auto fail_locked = [&](error e) {
    lock.release();
    cleanup();
    return e;
  };
  if (status s = lock.check_unmoved(expected); !s) return fail_locked(std::move(s).err());
  if (status s = lock.write(target); !s) return fail_locked(std::move(s).err());
  if (sync) {
    std::future<int> pack_done, idx_done;
    if (tmp_pack) pack_done = std::async(std::launch::async, fsync_fd, tmp_pack->fd);
    if (tmp_idx) idx_done = std::async(std::launch::async, fsync_fd, tmp_idx->fd);
    int err = fsync_fd(lock.fd());
    if (pack_done.valid() && pack_done.get() != 0 && err == 0) err = EIO;
    if (idx_done.valid() && idx_done.get() != 0 && err == 0) err = EIO;
    if (err != 0) {
      return fail_locked(make_error(
          error_kind::io, "Could not flush the new commits of " + git_dir.string() +
                              " to disk: " + os_reason(err) + ". Nothing was committed."));
    }
  }
  lock.close_file();
  if (tmp_pack) {
    ::close(tmp_pack->fd);
    ::close(tmp_idx->fd);
    tmp_pack->fd = tmp_idx->fd = -1;
    // The pack before its index (a reader finds packs through their index), then the
    // directory, so that both names are on disk before main points at what they hold.
    if (::rename(tmp_pack->path.c_str(), (dir / (name + ".pack")).c_str()) != 0 ||
        ::rename(tmp_idx->path.c_str(), (dir / (name + ".idx")).c_str()) != 0) {
      lock.release();
      cleanup();
      return make_error(error_kind::io, "Could not put a pack into " + dir.string() + ": " +
                                            os_reason(errno) + ". Nothing was committed.");
    }
    if (status s = files::fsync_path(dir); !s) {
      lock.release();
      return nothing_committed(std::move(s).err());
    }
    if (refresh_of != nullptr) {
      if (status s = pack_files::refresh(*refresh_of); !s) {
        lock.release();
        return s;
      }
    }
  }
  return lock.commit();
}

}  // namespace

status write_and_move_main(repo& r, std::span<const git_oid> objects, const git_oid& target,
                           const git_oid& expected) {
  if (main_is_logged(r)) {
    if (status s = write(r, objects); !s) return s;
    return r.update_main(target, &expected);
  }
  auto built = build(r, objects);
  if (!built) return std::move(built).err();
  auto& [pack, entries] = *built;
  return move_with_pack(r.git_dir(), pack, entries, target, expected, &r);
}

status write_objects_and_move_main(const fs::path& git_dir,
                                   std::span<const wal::object* const> objects,
                                   const git_oid& target, const git_oid& expected) {
  auto [pack, entries] = build_from(objects);
  if (entries.empty() && !objects.empty()) {
    return make_error(error_kind::io, "Could not compress an object for the pack.");
  }
  return move_with_pack(git_dir, pack, entries, target, expected, nullptr);
}

}  // namespace plenary::storage::pack_writer
