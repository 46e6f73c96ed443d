// Private to storage: puts a batch of new objects on disk as one pack (group commit), and
// folds many small packs into one when they pile up.
//
// The pack and its index are written here, not by libgit2's packbuilder: a batch's objects
// (read from the memory store, exactly those that live only in memory) go in whole, stored
// (zlib level 0), no delta search, and the index is computed from the ids we already know instead
// of by libgit2's indexer inflating and hashing every object again. Both files are written
// under temporary names (tmp_pack_*, tmp_idx_*), flushed when fsync is on, renamed into
// place (the pack before its index) and the directory flushed.
// Consolidation copies whole-object entries from pack to pack as they are (like git's pack
// reuse) and writes deltas (from packs that `git gc` or an older plenary wrote) whole, as
// libgit2 reads them: no delta search, so its cost follows the bytes. (git_mempack_dump is not
// used: in libgit2 1.5 it adds each commit's whole tree, so every pack would carry every
// clause text.)
//
// Thread safety: free functions on a repo, which has one owner.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "storage/repo.hpp"

namespace plenary::storage::pack_writer {

// More packs than this and `consolidate` is due.
inline constexpr std::size_t max_packs = 32;

// Writes those of `objects` that live only in memory as one pack in objects/pack, and lets
// the object database see it. Memory is left as it is (reset it once the ref is updated).
status write(repo& r, std::span<const git_oid> objects);

// The group commit: writes the pack as `write` does and moves `main` from `expected` to
// `target` (compare-and-swap, git's lock protocol on refs/heads/main.lock), flushing what
// does not depend on each other at the same time: the pack, its index and main's new value
// together, then the pack directory, then the rename of main and its directory. Three
// waits for the disk instead of five one after the other. `io` when main is locked or moved;
// on any error main has not moved. When main's updates are logged (a reflog), this is
// `write` followed by repo::update_main.
status write_and_move_main(repo& r, std::span<const git_oid> objects, const git_oid& target,
                           const git_oid& expected);

// The number of packs (.idx files) in objects/pack.
std::size_t count_packs(const std::filesystem::path& git_dir);

// Rolls the smallest packs into one (geometric repacking: afterwards every pack holds at
// least twice as many objects as all smaller ones together), deletes them (never .keep
// packs), and reopens the repository. Keeps every object, reachable or not. Memory must be
// empty.
status consolidate(repo& r);

// The same in three steps, so that the writing can happen on another thread while the
// draft goes on committing (the packs rolled up never change; new ones are not in the plan):
struct rollup {
  std::vector<std::string> packs;  // "pack-<hash>", smallest first
};
// By the owner: which packs are due to be rolled up; nullopt when none is.
std::optional<rollup> plan_rollup(const std::filesystem::path& git_dir);
// On any thread, touching files only (no repository): writes the rolled-up pack and returns
// its name. `invalid` when a pack holds deltas: then the owner calls `consolidate` instead.
result<std::string> write_rollup(const std::filesystem::path& git_dir, const rollup& plan);
// By the owner, once written: deletes the packs rolled up and reopens the repository.
// Memory must be empty.
status finish_rollup(repo& r, const rollup& plan, const std::string& written);

}  // namespace plenary::storage::pack_writer
