// The commits of the side branches `procedure` and `comments`: one file into the tip's tree, the
// commit, the pack and the ref; and their folders of numbered records read back
// (storage/git/side_branch.hpp).
#include "storage/git/side_branch.hpp"

#include <git2/sys/commit.h>

#include <charconv>

#include "storage/git/commit_writer.hpp"
#include "storage/git/pack_writer.hpp"

namespace plenary::storage {
namespace {

constexpr std::string_view json_suffix = ".json";

// A tree builder holding the entries of `source` (none when zero).
result<git::treebuilder_ptr> builder_from(repo& r, const git_oid& source) {
  git::tree_ptr tree;
  if (!git_oid_is_zero(&source)) {
    git_tree* raw = nullptr;
    if (git_tree_lookup(&raw, r.get(), &source) < 0) {
      return git::git_failure(error_kind::io, "Could not read the tree " + git::to_hex(source));
    }
    tree.reset(raw);
  }
  git_treebuilder* raw = nullptr;
  if (git_treebuilder_new(&raw, r.get(), tree.get()) < 0) {
    return git::git_failure(error_kind::io, "Could not start a tree");
  }
  return git::treebuilder_ptr(raw);
}

// Writes the tree `base` with `name` set to `oid` (of `mode`); its id into `out`.
status put_entry(repo& r, const git_oid& base, const std::string& name, const git_oid& oid,
                 git_filemode_t mode, const std::string& path, git_oid& out) {
  auto builder = builder_from(r, base);
  if (!builder) return std::move(builder).err();
  if (git_treebuilder_insert(nullptr, builder->get(), name.c_str(), &oid, mode) < 0 ||
      git_treebuilder_write(&out, builder->get()) < 0) {
    return git::git_failure(error_kind::io, "Could not store " + path);
  }
  return ok_status();
}

}  // namespace

result<side_written> write_side_commit(repo& r, const side_tip& parent, const side_commit& c) {
  side_written out;
  auto blob = r.write_blob(c.content);
  if (!blob) return std::move(blob).err();
  out.objects.push_back(*blob);
  git_oid root{};
  if (c.folder.empty()) {
    if (status s = put_entry(r, parent.tree, c.name, *blob, GIT_FILEMODE_BLOB, c.name, root); !s) {
      return std::move(s).err();
    }
  } else {
    git_oid folder_tree{};
    if (!git_oid_is_zero(&parent.tree)) {
      auto existing = r.tree_entry(parent.tree, c.folder.c_str());
      if (existing) {
        folder_tree = *existing;
      } else if (existing.err().kind != error_kind::not_found) {
        return std::move(existing).err();
      }
    }
    git_oid folder{};
    const std::string path = c.folder + "/" + c.name;
    if (status s = put_entry(r, folder_tree, c.name, *blob, GIT_FILEMODE_BLOB, path, folder); !s) {
      return std::move(s).err();
    }
    out.objects.push_back(folder);
    if (status s = put_entry(r, parent.tree, c.folder, folder, GIT_FILEMODE_TREE,
                             "the tree of " + c.what, root);
        !s) {
      return std::move(s).err();
    }
  }
  out.objects.push_back(root);
  auto author = signature_of(c.author, c.at);
  if (!author) return std::move(author).err();
  auto committer = signature_of(std::nullopt, c.at);
  if (!committer) return std::move(committer).err();
  const bool has_parent = !git_oid_is_zero(&parent.commit);
  const git_oid* parents[] = {&parent.commit};
  git_oid commit;
  if (git_commit_create_from_ids(&commit, r.get(), nullptr, author->get(), committer->get(),
                                 nullptr, c.message.c_str(), &root, has_parent ? 1 : 0,
                                 parents) < 0) {
    return git::git_failure(error_kind::io, "Could not store the commit of " + c.what);
  }
  out.objects.push_back(commit);
  out.tip = side_tip{commit, root};
  return out;
}

result<side_tip> commit_side_branch(repo& r, const std::string& ref, const side_tip& parent,
                                    const side_commit& c) {
  if (status s = check_settled(r, "The branch " + ref); !s) return std::move(s).err();
  struct memory_guard {
    repo& r;
    ~memory_guard() { r.discard_memory(); }
  } guard{r};
  auto written = write_side_commit(r, parent, c);
  if (!written) return std::move(written).err();
  if (status s = pack_writer::write(r, written->objects); !s) return std::move(s).err();
  const bool has_parent = !git_oid_is_zero(&parent.commit);
  if (status s = r.update_ref(ref, written->tip.commit, has_parent ? &parent.commit : nullptr);
      !s) {
    return std::move(s).err();
  }
  return written->tip;
}

status check_settled(const repo& r, const std::string& what) {
  // Refused before anything is written, so that a write path that forgot to settle fails its
  // tests instead of losing acknowledged amendments.
  if (!r.holds_written_objects()) return ok_status();
  return make_error(error_kind::internal,
                    what + " was to move while new commits of main were still only in memory " +
                        "(the draft did not settle first); nothing was written.");
}

result<side_tip> read_side_tip(const repo& r, const std::string& ref) {
  side_tip out;
  auto commit = r.ref_target(ref);
  if (!commit) {
    if (commit.err().kind == error_kind::not_found) return out;
    return std::move(commit).err();
  }
  auto tree = r.commit_tree(*commit);
  if (!tree) return std::move(tree).err();
  out.commit = *commit;
  out.tree = *tree;
  return out;
}

result<std::vector<numbered_file>> read_numbered_files(const repo& r, const git_oid& tree,
                                                       std::string_view branch,
                                                       const std::string& folder) {
  std::vector<numbered_file> out;
  if (git_oid_is_zero(&tree)) return out;
  auto sub = r.tree_entry(tree, folder.c_str());
  if (!sub) {
    if (sub.err().kind == error_kind::not_found) return out;
    return std::move(sub).err();
  }
  git_tree* raw = nullptr;
  if (git_tree_lookup(&raw, r.get(), &*sub) < 0) {
    return git::git_failure(error_kind::io,
                            "Could not read " + folder + "/ of " + r.git_dir().string());
  }
  git::tree_ptr entries(raw);
  const std::size_t count = git_tree_entrycount(entries.get());
  std::vector<std::optional<numbered_file>> found(count);
  for (std::size_t i = 0; i < count; ++i) {
    const git_tree_entry* e = git_tree_entry_byindex(entries.get(), i);
    const std::string_view name = git_tree_entry_name(e);
    const std::size_t digits =
        name.size() > json_suffix.size() ? name.size() - json_suffix.size() : 0;
    int n = 0;
    const bool numbered =
        digits > 0 && name.substr(digits) == json_suffix && name.front() != '0' &&
        std::from_chars(name.data(), name.data() + digits, n).ptr == name.data() + digits &&
        git_tree_entry_type(e) == GIT_OBJECT_BLOB;
    if (!numbered || n < 1 || static_cast<std::size_t>(n) > count) {
      return damaged_side_branch(r, branch,
                                 folder + "/" + std::string(name.substr(0, 64)) +
                                     " is not a file named <n>.json with n from 1 to " +
                                     std::to_string(count));
    }
    auto text = r.read_blob(*git_tree_entry_id(e));
    if (!text) return std::move(text).err();
    found[static_cast<std::size_t>(n) - 1] = numbered_file{n, std::string(name), std::move(*text)};
  }
  // count entries, each n in 1..count and distinct names: every slot is filled.
  for (auto& f : found) out.push_back(std::move(*f));
  return out;
}

error damaged_side_branch(const repo& r, std::string_view branch, const std::string& what) {
  return make_error(error_kind::io, "The branch " + std::string(branch) + " of " +
                                        r.git_dir().string() + " is damaged: " + what + ".");
}

}  // namespace plenary::storage
