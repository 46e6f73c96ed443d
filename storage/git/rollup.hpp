// Private to storage: folds many small packs into one when they pile up (every group commit
// adds a pack), in the background where it can be.
//
// Consolidation copies whole-object entries from pack to pack as they are (like git's pack
// reuse) and writes deltas (from packs that `git gc` or an older plenary wrote) whole, as
// libgit2 reads them: no delta search, so its cost follows the bytes. (git_mempack_dump is not
// used: in libgit2 1.5 it adds each commit's whole tree, so every pack would carry every
// clause text.)
//
// Thread safety: plan_rollup, finish_rollup and consolidate by the repository's owner;
// write_rollup on any thread (files only).
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "storage/git/repo.hpp"

namespace plenary::storage::pack_writer {

// More packs than this and `consolidate` is due.
inline constexpr std::size_t max_packs = 32;

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
