// Private to storage: puts a batch of new objects on disk as one pack (group commit), and
// folds many small packs into one when they pile up.
//
// Why not git_mempack_dump: in libgit2 1.5 it inserts every commit of the memory store with
// git_packbuilder_insert_commit, which adds the commit's whole tree, so each pack would carry
// a copy of every clause text of the draft, however small the change. We insert exactly the
// objects that live only in memory instead (git_packbuilder_insert) and write them with
// git_packbuilder_write, which runs libgit2's indexer: it fsyncs the .pack, the .idx and the
// pack directory when GIT_OPT_ENABLE_FSYNC_GITDIR is on.
//
// Thread safety: free functions on a repo, which has one owner.
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>

#include "storage/repo.hpp"

namespace plenary::storage::pack_writer {

// More packs than this and `consolidate` is due.
inline constexpr std::size_t max_packs = 32;

// Writes those of `objects` that live only in memory as one pack in objects/pack, and lets
// the object database see it. Memory is left as it is (reset it once the ref is updated).
status write(repo& r, std::span<const git_oid> objects);

// The number of packs (.idx files) in objects/pack.
std::size_t count_packs(const std::filesystem::path& git_dir);

// Rolls the smallest packs into one (geometric repacking: afterwards every pack holds at
// least twice as many objects as all smaller ones together), deletes them (never .keep
// packs), and reopens the repository. Keeps every object, reachable or not. Memory must be
// empty.
status consolidate(repo& r);

}  // namespace plenary::storage::pack_writer
