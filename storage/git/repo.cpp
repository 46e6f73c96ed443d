#include "storage/git/repo.hpp"

#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>

#include <utility>

#include "storage/git/sha1.hpp"

namespace plenary::storage {
namespace fs = std::filesystem;

repo::repo(repo&& other) noexcept
    : repo_(std::move(other.repo_)),
      memory_(std::exchange(other.memory_, nullptr)),
      written_(std::exchange(other.written_, 0)),
      git_dir_(std::move(other.git_dir_)) {}

repo& repo::operator=(repo&& other) noexcept {
  if (this != &other) {
    repo_ = std::move(other.repo_);
    memory_ = std::exchange(other.memory_, nullptr);
    written_ = std::exchange(other.written_, 0);
    git_dir_ = std::move(other.git_dir_);
  }
  return *this;
}

repo::~repo() = default;

result<repo> repo::open(const fs::path& git_dir) {
  repo r;
  r.git_dir_ = git_dir;
  git_repository* raw = nullptr;
  const unsigned flags =
      GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_BARE | GIT_REPOSITORY_OPEN_NO_DOTGIT;
  const int rc = git_repository_open_ext(&raw, git_dir.c_str(), flags, nullptr);
  if (rc == GIT_ENOTFOUND) {
    git_error_clear();
    return make_error(error_kind::not_found,
                      "There is no draft repository at " + git_dir.string() + ".");
  }
  if (rc < 0) return git::git_failure(error_kind::io, "Could not open " + git_dir.string());
  r.repo_.reset(raw);
  if (status s = r.attach_memory(); !s) return s.err();
  return r;
}

result<repo> repo::init(const fs::path& git_dir) {
  repo r;
  r.git_dir_ = git_dir;
  git_repository_init_options opts = GIT_REPOSITORY_INIT_OPTIONS_INIT;
  opts.flags =
      GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_NO_REINIT | GIT_REPOSITORY_INIT_MKPATH;
  opts.initial_head = "main";
  opts.description = "A plenary draft: see draft.json and clauses/ on the branch main.";
  git_repository* raw = nullptr;
  if (git_repository_init_ext(&raw, git_dir.c_str(), &opts) < 0) {
    return git::git_failure(error_kind::io, "Could not create a repository at " + git_dir.string());
  }
  r.repo_.reset(raw);
  if (status s = r.attach_memory(); !s) return s.err();
  return r;
}

status repo::attach_memory() {
  git_odb* raw_odb = nullptr;
  if (git_repository_odb(&raw_odb, repo_.get()) < 0) {
    return git::git_failure(error_kind::io,
                            "Could not open the object database of " + git_dir_.string());
  }
  git::odb_ptr odb(raw_odb);
  git_odb_backend* backend = nullptr;
  if (git_mempack_new(&backend) < 0) {
    return git::git_failure(error_kind::io, "Could not create the in-memory object store");
  }
  // Highest priority: writes land in memory, reads look there first.
  if (git_odb_add_backend(odb.get(), backend, 999) < 0) {
    error e = git::git_failure(error_kind::io, "Could not attach the in-memory object store");
    backend->free(backend);
    return e;
  }
  memory_ = backend;
  return ok_status();
}

status repo::reopen() {
  discard_memory();
  auto fresh = open(git_dir_);
  if (!fresh) return std::move(fresh).err();
  *this = std::move(fresh.value());
  return ok_status();
}

result<git_oid> repo::main_head() const {
  git_oid oid;
  const int rc = git_reference_name_to_id(&oid, repo_.get(), main_ref);
  if (rc == GIT_ENOTFOUND) {
    git_error_clear();
    return make_error(error_kind::not_found,
                      "The repository " + git_dir_.string() + " has no branch main.");
  }
  if (rc < 0)
    return git::git_failure(error_kind::io,
                            "Could not read the branch main of " + git_dir_.string());
  return oid;
}

status repo::update_main(const git_oid& target, const git_oid* expected) {
  git_reference* raw = nullptr;
  const int rc =
      expected == nullptr
          ? git_reference_create(&raw, repo_.get(), main_ref, &target, 0, "plenary: open")
          : git_reference_create_matching(&raw, repo_.get(), main_ref, &target, 1, expected,
                                          "plenary: amend");
  git::reference_ptr ref(raw);
  if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS) {
    return git::git_failure(error_kind::io,
                            "Another process moved the branch main of " + git_dir_.string() +
                                " while this amendment was written, so nothing was committed; "
                                "the draft was reloaded from disk, try again");
  }
  if (rc == GIT_ELOCKED) {
    return git::git_failure(error_kind::io,
                            "The branch main of " + git_dir_.string() +
                                " is locked by another process, so nothing was committed");
  }
  if (rc < 0) {
    return git::git_failure(error_kind::io, "Could not update the branch main of " +
                                                git_dir_.string() + ", so nothing was committed");
  }
  return ok_status();
}

result<git_oid> repo::ref_target(const std::string& name) const {
  git_oid oid;
  const int rc = git_reference_name_to_id(&oid, repo_.get(), name.c_str());
  if (rc == GIT_ENOTFOUND) {
    git_error_clear();
    return make_error(error_kind::not_found,
                      "There is no " + name + " in " + git_dir_.string() + ".");
  }
  if (rc < 0) {
    return git::git_failure(error_kind::io, "Could not read " + name + " of " + git_dir_.string());
  }
  return oid;
}

status repo::update_ref(const std::string& name, const git_oid& target, const git_oid* expected) {
  git_reference* raw = nullptr;
  const int rc =
      expected == nullptr
          ? git_reference_create(&raw, repo_.get(), name.c_str(), &target, 0, "plenary: create")
          : git_reference_create_matching(&raw, repo_.get(), name.c_str(), &target, 1, expected,
                                          "plenary: update");
  git::reference_ptr ref(raw);
  if (rc == GIT_EEXISTS) {
    return git::git_failure(error_kind::exists,
                            name + " of " + git_dir_.string() + " exists already");
  }
  if (rc == GIT_EMODIFIED) {
    return git::git_failure(error_kind::io, "Another process moved " + name + " of " +
                                                git_dir_.string() + ", so nothing was written");
  }
  if (rc < 0) {
    return git::git_failure(error_kind::io, "Could not update " + name + " of " +
                                                git_dir_.string() + ", so nothing was written");
  }
  return ok_status();
}

status repo::force_ref(const std::string& name, const git_oid& target) {
  git_reference* raw = nullptr;
  const int rc =
      git_reference_create(&raw, repo_.get(), name.c_str(), &target, 1, "plenary: repair");
  git::reference_ptr ref(raw);
  if (rc < 0) {
    return git::git_failure(error_kind::io, "Could not write " + name + " of " + git_dir_.string());
  }
  return ok_status();
}

result<std::string> repo::read_blob(const git_oid& oid) const {
  git_blob* raw = nullptr;
  if (git_blob_lookup(&raw, repo_.get(), &oid) < 0) {
    return git::git_failure(
        error_kind::io, "Could not read the file " + git::to_hex(oid) + " of " + git_dir_.string());
  }
  git::blob_ptr blob(raw);
  const auto* data = static_cast<const char*>(git_blob_rawcontent(blob.get()));
  return std::string(data, static_cast<std::size_t>(git_blob_rawsize(blob.get())));
}

result<git_oid> repo::tree_entry(const git_oid& tree_oid, const char* name) const {
  git_tree* raw = nullptr;
  if (git_tree_lookup(&raw, repo_.get(), &tree_oid) < 0) {
    return git::git_failure(error_kind::io, "Could not read the tree " + git::to_hex(tree_oid) +
                                                " of " + git_dir_.string());
  }
  git::tree_ptr tree(raw);
  const git_tree_entry* entry = git_tree_entry_byname(tree.get(), name);
  if (entry == nullptr) {
    return make_error(error_kind::not_found, std::string("The tree has no entry ") + name + ".");
  }
  return *git_tree_entry_id(entry);
}

result<std::string> repo::read_file(const git_oid& tree_oid, const char* name) const {
  auto id = tree_entry(tree_oid, name);
  if (!id) return std::move(id).err();
  return read_blob(*id);
}

result<git_oid> repo::commit_tree(const git_oid& commit) const {
  git_commit* raw = nullptr;
  if (git_commit_lookup(&raw, repo_.get(), &commit) < 0) {
    return git::git_failure(error_kind::io, "Could not read the commit " + git::to_hex(commit) +
                                                " of " + git_dir_.string());
  }
  git::commit_ptr c(raw);
  return *git_commit_tree_id(c.get());
}

result<git_oid> repo::write_blob(std::string_view data) {
  return write_object(data, GIT_OBJECT_BLOB);
}

result<git_oid> repo::write_object(std::string_view data, git_object_t type) {
  git_oid oid;
  if (type == GIT_OBJECT_TREE) {
    // Trees are ours (ids and names that storage chose), so plain SHA-1 is enough for them;
    // blobs and commits carry delegates' text and keep libgit2's collision-detecting hash.
    sha1 h;
    const std::string header = "tree " + std::to_string(data.size());
    h.update(header.data(), header.size() + 1);  // with its NUL
    h.update(data);
    const sha1::digest d = h.finish();
    git_oid_fromraw(&oid, d.data());
  } else if (git_odb_hash(&oid, data.data(), data.size(), type) < 0) {
    return git::git_failure(error_kind::io, "Could not store an object");
  }
  if (memory_ == nullptr || memory_->write(memory_, &oid, data.data(), data.size(), type) < 0) {
    return git::git_failure(error_kind::io, type == GIT_OBJECT_BLOB
                                                ? "Could not store a clause text"
                                                : "Could not store an object");
  }
  ++written_;
  return oid;
}

bool repo::in_memory(const git_oid& oid) const {
  return memory_ != nullptr && memory_->exists(memory_, &oid) == 1;
}

void repo::discard_memory() noexcept {
  if (memory_ != nullptr) git_mempack_reset(memory_);
  written_ = 0;
}

}  // namespace plenary::storage
