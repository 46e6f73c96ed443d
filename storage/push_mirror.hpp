// Mirroring a draft's repository to another git repository, as a backup that any git tool
// reads. The server decides when (after commits, on its own thread); this only pushes.
// Thread safety: push_mirror opens its own handle on the repository, so it may run on any
// thread, beside the draft's owner writing to the same repository (git's ref updates are
// compare-and-swap; a push simply sends the refs as they were when it read them).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "storage/result.hpp"

namespace plenary::storage {

// Pushes every branch (refs/heads/*) and tag (refs/tags/*) of the bare repository `git_dir`
// to `url`, each to the same name, without force: a branch the mirror has that is not an
// ancestor of ours (someone else wrote to the mirror) is refused, and so is a tag that names
// another commit there. `url` is anything libgit2 pushes to; a local path or a file:// URL
// whose repository does not exist yet is first created as a bare repository (with its
// parent folders). `io` with libgit2's reason, or the refused refs, on failure.
status push_mirror(const std::filesystem::path& git_dir, const std::string& url);

// True for a plain path or a file:// URL (what push_mirror creates when missing).
bool is_local_url(std::string_view url) noexcept;

}  // namespace plenary::storage
