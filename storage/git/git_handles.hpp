// Private to storage: RAII handles for libgit2 objects, and the conversion of a libgit2
// failure into an `error` value. Include only from storage/*.cpp and private headers.
// Thread safety: the handles are plain owners; libgit2 errors are per thread, so read them
// (git_failure) on the thread that made the failing call, right after it.
#pragma once

#include <git2.h>

#include <memory>
#include <string>
#include <string_view>

#include "storage/result.hpp"

namespace plenary::storage::git {

template <class T, void (*Free)(T*)>
struct deleter {
  void operator()(T* p) const noexcept {
    if (p != nullptr) Free(p);
  }
};

template <class T, void (*Free)(T*)>
using handle = std::unique_ptr<T, deleter<T, Free>>;

using repository_ptr = handle<git_repository, git_repository_free>;
using odb_ptr = handle<git_odb, git_odb_free>;
using object_ptr = handle<git_object, git_object_free>;
using commit_ptr = handle<git_commit, git_commit_free>;
using tree_ptr = handle<git_tree, git_tree_free>;
using tree_entry_ptr = handle<git_tree_entry, git_tree_entry_free>;
using blob_ptr = handle<git_blob, git_blob_free>;
using treebuilder_ptr = handle<git_treebuilder, git_treebuilder_free>;
using signature_ptr = handle<git_signature, git_signature_free>;
using reference_ptr = handle<git_reference, git_reference_free>;
using revwalk_ptr = handle<git_revwalk, git_revwalk_free>;
using packbuilder_ptr = handle<git_packbuilder, git_packbuilder_free>;

// The last libgit2 error of this thread, as one sentence: "<what>: <libgit2's reason>".
// Call it at once after the failing call, on the same thread.
inline error git_failure(error_kind kind, std::string_view what) {
  const git_error* e = git_error_last();
  std::string message(what);
  if (e != nullptr && e->message != nullptr && e->message[0] != '\0') {
    message += ": ";
    message += e->message;
  }
  git_error_clear();
  if (!message.empty() && message.back() != '.') message += '.';
  return make_error(kind, std::move(message));
}

inline std::string to_hex(const git_oid& oid) {
  char out[GIT_OID_HEXSZ + 1];
  git_oid_tostr(out, sizeof out, &oid);
  return std::string(out, GIT_OID_HEXSZ);
}

// Parses exactly 40 hex digits; false for anything else.
inline bool from_hex(std::string_view hex, git_oid* out) {
  if (hex.size() != GIT_OID_HEXSZ) return false;
  for (char c : hex) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    if (!ok) return false;
  }
  return git_oid_fromstrn(out, hex.data(), hex.size()) == 0;
}

struct oid_hash {
  std::size_t operator()(const git_oid& oid) const noexcept {
    std::size_t h = 0;
    for (std::size_t i = 0; i < sizeof(std::size_t); ++i) h = (h << 8) | oid.id[i];
    return h;
  }
};

struct oid_equal {
  bool operator()(const git_oid& a, const git_oid& b) const noexcept {
    return git_oid_equal(&a, &b) != 0;
  }
};

}  // namespace plenary::storage::git
