// Private to storage: moving the branch `main` the way git does, without libgit2, for the
// group commit (pack_writer::write_and_move_main). git's lock protocol: whoever creates
// refs/heads/main.lock (O_EXCL) may move main; the new value is written into the lock file,
// flushed, and the lock renamed over refs/heads/main. Deleting the lock instead leaves main as
// it was. Also the reader of main's current value, from its loose ref file or packed-refs.
// When main's updates are logged (a reflog), libgit2 moves it instead (repo::update_main),
// which keeps that log.
// Thread safety: a lock belongs to the repository's owner; the readers are free functions.
#pragma once

#include <filesystem>
#include <optional>

#include "storage/git/repo.hpp"

namespace plenary::storage {

// The commit a loose ref file or packed-refs gives for `main`; nullopt when neither has it,
// `invalid` when it is not a plain commit id (a symbolic ref).
result<std::optional<git_oid>> read_main(const std::filesystem::path& git_dir);

// Whether `main`'s updates must be logged (a reflog exists, or core.logAllRefUpdates asks for
// one): then libgit2 moves it, which keeps that log.
bool main_is_logged(repo& r);

class main_lock {
 public:
  // Creates refs/heads/main.lock. `io` when another process holds it, or it cannot be made.
  // Both messages end "nothing was committed".
  static result<main_lock> acquire(const std::filesystem::path& git_dir);

  main_lock(main_lock&& other) noexcept;
  main_lock& operator=(main_lock&&) = delete;
  main_lock(const main_lock&) = delete;
  main_lock& operator=(const main_lock&) = delete;
  ~main_lock() { release(); }

  // `io` unless main is still at `expected` (another process may have moved it since the
  // draft read it); the error of read_main when main cannot be read.
  status check_unmoved(const git_oid& expected) const;
  // Writes `target` into the lock file, not yet flushed.
  status write(const git_oid& target);
  // The lock file's descriptor, to flush it together with other files; -1 once closed.
  int fd() const noexcept { return fd_; }
  // Closes the lock file (once flushed); the lock is still held.
  void close_file() noexcept;
  // Renames the lock over refs/heads/main (main moves) and flushes its directory. When the
  // rename fails the lock is released and main has not moved.
  status commit();
  // Closes and deletes the lock file, if still held: main stays as it was.
  void release() noexcept;

 private:
  main_lock(std::filesystem::path git_dir, int fd) : git_dir_(std::move(git_dir)), fd_(fd) {}
  std::filesystem::path ref() const;
  std::filesystem::path lock() const;

  std::filesystem::path git_dir_;
  int fd_ = -1;
  bool held_ = true;
};

}  // namespace plenary::storage
