#include "storage/commit_writer.hpp"

#include <git2/sys/commit.h>

#include "storage/commit_message.hpp"
#include "storage/draft_json.hpp"

namespace plenary::storage {
namespace {

constexpr const char* committer_name = "plenary";
constexpr const char* committer_email = "server@plenary.invalid";

// A tree builder started from `source` (empty when zero).
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

result<git_oid> write_tree(git_treebuilder* tb) {
  git_oid oid;
  if (git_treebuilder_write(&oid, tb) < 0)
    return git::git_failure(error_kind::io, "Could not store a tree");
  return oid;
}

// Writes the new clauses/ tree; zero when it ends up empty.
status write_clauses(repo& r, const tip& base, const commit_plan& plan, written_commit& out) {
  out.clauses_tree = base.clauses_tree;
  if (plan.files.empty()) return ok_status();
  auto tb = builder_from(r, base.clauses_tree);
  if (!tb) return std::move(tb).err();
  for (const file_change& f : plan.files) {
    const std::string name = f.id + ".txt";
    if (!f.text) {
      if (git_treebuilder_remove(tb->get(), name.c_str()) < 0) {
        return git::git_failure(error_kind::internal, "Could not remove clauses/" + name);
      }
      out.blobs.emplace_back(f.id, std::nullopt);
      continue;
    }
    auto blob = r.write_blob(*f.text + "\n");
    if (!blob) return std::move(blob).err();
    out.objects.push_back(*blob);
    if (git_treebuilder_insert(nullptr, tb->get(), name.c_str(), &*blob, GIT_FILEMODE_BLOB) < 0) {
      return git::git_failure(error_kind::io, "Could not add clauses/" + name);
    }
    out.blobs.emplace_back(f.id, *blob);
  }
  if (git_treebuilder_entrycount(tb->get()) == 0) {
    out.clauses_tree = git_oid{};
    return ok_status();
  }
  auto tree = write_tree(tb->get());
  if (!tree) return std::move(tree).err();
  out.clauses_tree = *tree;
  out.objects.push_back(*tree);
  return ok_status();
}

status write_root(repo& r, const tip& base, const commit_plan& plan, written_commit& out) {
  auto tb = builder_from(r, base.root_tree);
  if (!tb) return std::move(tb).err();
  if (plan.order_changed) {
    auto json = r.write_blob(draft_json::write(base.snap.title, plan.clauses));
    if (!json) return std::move(json).err();
    out.objects.push_back(*json);
    if (git_treebuilder_insert(nullptr, tb->get(), "draft.json", &*json, GIT_FILEMODE_BLOB) < 0) {
      return git::git_failure(error_kind::io, "Could not add draft.json");
    }
  }
  int rc = 0;
  if (git_oid_is_zero(&out.clauses_tree)) {
    if (git_treebuilder_get(tb->get(), "clauses") != nullptr) {
      rc = git_treebuilder_remove(tb->get(), "clauses");
    }
  } else {
    rc =
        git_treebuilder_insert(nullptr, tb->get(), "clauses", &out.clauses_tree, GIT_FILEMODE_TREE);
  }
  if (rc < 0) return git::git_failure(error_kind::io, "Could not add clauses/");
  auto tree = write_tree(tb->get());
  if (!tree) return std::move(tree).err();
  out.root_tree = *tree;
  out.objects.push_back(*tree);
  return ok_status();
}

result<git::signature_ptr> signature(const std::string& name, const std::string& email,
                                     std::int64_t at) {
  git_signature* raw = nullptr;
  if (git_signature_new(&raw, name.c_str(), email.c_str(), static_cast<git_time_t>(at), 0) < 0) {
    return git::git_failure(error_kind::invalid, "The name \"" + name + "\" cannot sign a commit");
  }
  return git::signature_ptr(raw);
}

status write_commit_object(repo& r, const tip& base, const commit_plan& plan, written_commit& out) {
  auto author = signature(plan.by.name, message::author_email(plan.by.state), plan.at);
  if (!author) return std::move(author).err();
  auto committer = signature(committer_name, committer_email, plan.at);
  if (!committer) return std::move(committer).err();
  const std::string text =
      message::compose(plan.summary, plan.note, plan.op, plan.clause_id, plan.by.state);
  const bool has_parent = !git_oid_is_zero(&base.commit);
  const git_oid* parents[] = {&base.commit};
  if (git_commit_create_from_ids(&out.oid, r.get(), nullptr, author->get(), committer->get(),
                                 nullptr, text.c_str(), &out.root_tree, has_parent ? 1 : 0,
                                 parents) < 0) {
    return git::git_failure(error_kind::io, "Could not store the commit");
  }
  out.objects.push_back(out.oid);
  out.entry.commit = git::to_hex(out.oid);
  if (has_parent) out.entry.parent = git::to_hex(base.commit);
  out.entry.by = plan.by;
  out.entry.at = plan.at;
  out.entry.op = plan.op;
  out.entry.clause = plan.clause_id;
  out.entry.note = plan.note;
  return ok_status();
}

}  // namespace

result<written_commit> write_commit(repo& r, const tip& base, const commit_plan& plan) {
  written_commit out;
  if (status s = write_clauses(r, base, plan, out); !s) return std::move(s).err();
  if (status s = write_root(r, base, plan, out); !s) return std::move(s).err();
  if (status s = write_commit_object(r, base, plan, out); !s) return std::move(s).err();
  return out;
}

}  // namespace plenary::storage
