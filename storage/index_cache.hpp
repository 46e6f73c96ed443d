// Private to storage: a draft's index saved beside its repository, so that opening a draft of
// 100,000 commits does not read them all again (DATA/drafts/<slug>.git/plenary-index).
//
// It holds what the walk of `main` computed (index_loader.cpp): every commit's log entry and
// which clause files each commit added, changed or removed, as of one commit of `main` (its
// head when saved). It is a cache, never the truth: it is used only when that commit is still
// on `main`'s first-parent chain (commits added since, by plenary or by plain git, are then
// read from git as usual), and ignored when it is missing, of another format version, or
// damaged (its trailing SHA-1 does not match). Written to a temporary file and renamed, not
// flushed: after a crash it is either the old one, the new one, or fails its checksum.
//
// Thread safety: free functions; the file is the draft owner's.
#pragma once

#include <filesystem>
#include <optional>

#include "storage/git/git_handles.hpp"
#include "storage/index.hpp"

namespace plenary::storage::index_cache {

inline constexpr const char* file_name = "plenary-index";

struct cached {
  draft_index index;
  git_oid head{};  // the commit of `main` the index is as of (its last commit)
};

// The saved index, or nullopt when there is none usable (missing, other version, damaged).
std::optional<cached> read(const std::filesystem::path& git_dir);

// Saves `index` (whose last commit is `head`); false when it could not be written.
bool write(const std::filesystem::path& git_dir, const draft_index& index, const git_oid& head);

}  // namespace plenary::storage::index_cache
