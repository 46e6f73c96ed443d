// Private to storage: one open bare repository with an in-memory object store in front of
// its object database. Every object written goes to memory (git_mempack) until the batch is
// put on disk as one pack (pack_writer.hpp) or discarded; readers see both.
// Thread safety: not thread-safe; it belongs to one draft and is used by its owner only.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "storage/git/git_handles.hpp"
#include "storage/result.hpp"

namespace plenary::storage {

inline constexpr const char* main_ref = "refs/heads/main";

class repo {
 public:
  // Opens the bare repository at `git_dir`: `not_found` if there is none.
  static result<repo> open(const std::filesystem::path& git_dir);
  // Creates an empty bare repository whose HEAD names refs/heads/main.
  static result<repo> init(const std::filesystem::path& git_dir);

  repo(repo&& other) noexcept;
  repo& operator=(repo&& other) noexcept;
  ~repo();

  git_repository* get() const noexcept { return repo_.get(); }
  git_odb_backend* memory() const noexcept { return memory_; }
  const std::filesystem::path& git_dir() const noexcept { return git_dir_; }

  // Closes and opens the repository again (drops libgit2's view of deleted packs) and
  // discards whatever was in memory.
  status reopen();

  // The commit `main` points at; `not_found` when the branch does not exist.
  result<git_oid> main_head() const;
  // Moves `main` from `expected` to `target`, refusing (io) if it is not at `expected`
  // any more. Creates it when `expected` is null (and refuses if it exists).
  status update_main(const git_oid& target, const git_oid* expected);

  // Any other reference (refs/heads/procedure, refs/proposals/<n>, refs/tags/<name>):
  // The object `name` points at (peeled of nothing); `not_found` when there is no such ref.
  result<git_oid> ref_target(const std::string& name) const;
  // Moves `name` from `expected` to `target` by compare-and-swap (io when it moved); creates
  // it when `expected` is null, refusing with `exists` when it is already there.
  status update_ref(const std::string& name, const git_oid& target, const git_oid* expected);
  // Points `name` at `target` whatever it was (a repair, or a ref only this draft writes).
  status force_ref(const std::string& name, const git_oid& target);

  // Reads a blob's bytes.
  result<std::string> read_blob(const git_oid& oid) const;
  // Reads the file `name` of the tree `tree_oid` (a blob); `not_found` when it is not there.
  result<std::string> read_file(const git_oid& tree_oid, const char* name) const;
  // The tree of a commit.
  result<git_oid> commit_tree(const git_oid& commit) const;
  // The id of the entry `name` in the tree `tree_oid`; `not_found` when absent.
  result<git_oid> tree_entry(const git_oid& tree_oid, const char* name) const;

  result<git_oid> write_blob(std::string_view data);
  // Stores an object in the memory store and returns its id, without first looking for it on
  // disk: git_odb_write would "freshen" it, and for an object that is not there yet that
  // means a rescan of objects/pack (and a utimensat of a loose path) per new object.
  result<git_oid> write_object(std::string_view data, git_object_t type);

  // True when the object lives only in memory so far.
  bool in_memory(const git_oid& oid) const;
  // True when write_object (or write_blob) stored an object since the last discard_memory:
  // commits of main that may not be in git yet (with the write-ahead log, until the draft
  // settles). A write that ends by discarding memory checks it first (storage/git/
  // side_branch.hpp, "the write-ahead rule"). Objects libgit2 writes itself are not counted.
  bool holds_written_objects() const noexcept { return written_ != 0; }
  // Forgets every object written to memory since the last reset.
  void discard_memory() noexcept;

 private:
  repo() = default;
  status attach_memory();

  git::repository_ptr repo_;
  git_odb_backend* memory_ = nullptr;  // owned by the repository's object database
  std::size_t written_ = 0;            // objects write_object stored since discard_memory
  std::filesystem::path git_dir_;
};

}  // namespace plenary::storage
