#include "storage/push_mirror.hpp"

#include <git2.h>

#include <system_error>
#include <vector>

#include "storage/git/git_handles.hpp"

namespace plenary::storage {
namespace fs = std::filesystem;

namespace {

using remote_ptr = git::handle<git_remote, git_remote_free>;

constexpr std::string_view file_scheme = "file://";

fs::path local_path(std::string_view url) {
  if (url.starts_with(file_scheme)) url.remove_prefix(file_scheme.size());
  return fs::path(std::string(url));
}

// Creates an empty bare repository at `dir` (and its parents) unless one is there.
status ensure_bare_repository(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    git_repository* raw = nullptr;
    const unsigned flags =
        GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_BARE | GIT_REPOSITORY_OPEN_NO_DOTGIT;
    if (git_repository_open_ext(&raw, dir.c_str(), flags, nullptr) != 0) {
      return git::git_failure(error_kind::io,
                              "The mirror " + dir.string() + " exists but is not a git repository");
    }
    git_repository_free(raw);
    return ok_status();
  }
  // The folders first, with a plain reason when that fails (a file in the way, permissions).
  fs::create_directories(dir, ec);
  if (ec) {
    return make_error(error_kind::io,
                      "Could not create the mirror " + dir.string() + ": " + ec.message() + ".");
  }
  git_repository_init_options opts = GIT_REPOSITORY_INIT_OPTIONS_INIT;
  opts.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH;
  opts.initial_head = "main";
  opts.description = "A mirror of a plenary draft: see draft.json and clauses/ on the branch main.";
  git_repository* raw = nullptr;
  if (git_repository_init_ext(&raw, dir.c_str(), &opts) != 0) {
    return git::git_failure(error_kind::io, "Could not create the mirror " + dir.string());
  }
  git_repository_free(raw);
  return ok_status();
}

struct push_state {
  std::string refused;  // "refs/heads/main (non-fast-forward), ..."
};

int on_update_reference(const char* refname, const char* status, void* data) {
  if (status != nullptr) {
    auto* st = static_cast<push_state*>(data);
    if (!st->refused.empty()) st->refused += ", ";
    st->refused += std::string(refname) + " (" + status + ")";
  }
  return 0;
}

}  // namespace

bool is_local_url(std::string_view url) noexcept {
  if (url.starts_with(file_scheme)) return true;
  if (url.find("://") != std::string_view::npos) return false;
  // scp-like "host:path" is remote; a path's first ':' comes after a '/'.
  const auto colon = url.find(':');
  const auto slash = url.find('/');
  return colon == std::string_view::npos || (slash != std::string_view::npos && slash < colon);
}

status push_mirror(const fs::path& git_dir, const std::string& url) {
  if (url.empty()) return make_error(error_kind::invalid, "The mirror URL is empty.");
  if (is_local_url(url)) {
    if (status s = ensure_bare_repository(local_path(url)); !s) return s;
  }

  git_repository* raw = nullptr;
  const unsigned flags =
      GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_BARE | GIT_REPOSITORY_OPEN_NO_DOTGIT;
  if (git_repository_open_ext(&raw, git_dir.c_str(), flags, nullptr) != 0) {
    return git::git_failure(error_kind::io, "Could not open " + git_dir.string());
  }
  git::repository_ptr repo(raw);

  // Each branch, tag and proposal to the same name, not forced
  // ("refs/heads/main:refs/heads/main"; main and procedure, the tags, refs/proposals/<n>).
  std::vector<std::string> specs;
  for (const char* glob : {"refs/heads/*", "refs/tags/*", "refs/proposals/*"}) {
    auto collect = [](const char* name, void* payload) -> int {
      static_cast<std::vector<std::string>*>(payload)->push_back(std::string(name) + ":" + name);
      return 0;
    };
    const int rc = git_reference_foreach_glob(repo.get(), glob, collect, &specs);
    if (rc != 0 && rc != GIT_ENOTFOUND) {
      return git::git_failure(error_kind::io, "Could not list the refs of " + git_dir.string());
    }
  }
  if (specs.empty()) return ok_status();  // nothing to push yet
  std::vector<char*> spec_ptrs;
  for (auto& s : specs) spec_ptrs.push_back(s.data());
  git_strarray refspecs{spec_ptrs.data(), spec_ptrs.size()};

  // An anonymous remote of the repository. Skipping url.*.insteadOf matters beyond meaning:
  // libgit2 1.5 leaks PCRE2 match data (about 20 KiB) each time it scans the configuration
  // for it, that is, on every push.
  git_remote_create_options create = GIT_REMOTE_CREATE_OPTIONS_INIT;
  create.repository = repo.get();
  create.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
  git_remote* raw_remote = nullptr;
  if (git_remote_create_with_opts(&raw_remote, url.c_str(), &create) != 0) {
    return git::git_failure(error_kind::invalid, "The mirror URL is not usable");
  }
  remote_ptr remote(raw_remote);

  push_state state;
  git_push_options opts = GIT_PUSH_OPTIONS_INIT;
  opts.callbacks.push_update_reference = on_update_reference;
  opts.callbacks.payload = &state;
  if (git_remote_push(remote.get(), &refspecs, &opts) != 0) {
    return git::git_failure(error_kind::io, "The push to the mirror failed");
  }
  if (!state.refused.empty()) {
    return make_error(error_kind::conflict,
                      "The mirror refused " + state.refused +
                          ": it has commits this draft does not (was it written to by something "
                          "else?).");
  }
  return ok_status();
}

}  // namespace plenary::storage
