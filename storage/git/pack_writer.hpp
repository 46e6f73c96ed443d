// Private to storage: puts a batch of new objects on disk as one pack (group commit), and
// moves `main` to the batch's last commit.
//
// The pack and its index are written here (bytes: pack_encoding.hpp; files: pack_files.hpp),
// not by libgit2's packbuilder: a batch's objects (read from the memory store, exactly those
// that live only in memory) go in whole, stored (zlib level 0), no delta search, and the index
// is computed from the ids we already know instead of by libgit2's indexer inflating and
// hashing every object again. Both files are written under temporary names (tmp_pack_*,
// tmp_idx_*), flushed when fsync is on, renamed into place (the pack before its index) and
// the directory flushed. Packs piling up are rolled into one by rollup.hpp.
//
// Thread safety: free functions on a repo, which has one owner.
#pragma once

#include <span>

#include "storage/git/repo.hpp"
#include "storage/git/wal.hpp"

namespace plenary::storage::pack_writer {

// Writes those of `objects` that live only in memory as one pack in objects/pack, and lets
// the object database see it. Memory is left as it is (reset it once the ref is updated).
status write(repo& r, std::span<const git_oid> objects);

// The group commit: writes the pack as `write` does and moves `main` from `expected` to
// `target` (compare-and-swap, git's lock protocol on refs/heads/main.lock: main_lock.hpp),
// flushing what does not depend on each other at the same time: the pack, its index and
// main's new value together, then the pack directory, then the rename of main and its
// directory. Three waits for the disk instead of five one after the other. `io` when main is
// locked or moved; on any error main has not moved. When main's updates are logged (a
// reflog), this is `write` followed by repo::update_main.
status write_and_move_main(repo& r, std::span<const git_oid> objects, const git_oid& target,
                           const git_oid& expected);

// The same group commit for objects given as bytes (the write-ahead log's records, wal.hpp),
// touching files only, so that it may run on another thread (checkpointer.hpp): one pack of
// `objects` (each once), main moved from `expected` to `target` with the same three waits.
// The repository's owner lets its object database see the pack afterwards
// (pack_files::refresh). `io` when main is locked or moved; on any error main has not moved.
// Never used when main's updates are logged (main_is_logged).
status write_objects_and_move_main(const std::filesystem::path& git_dir,
                                   std::span<const wal::object* const> objects,
                                   const git_oid& target, const git_oid& expected);

}  // namespace plenary::storage::pack_writer
