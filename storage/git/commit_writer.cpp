#include "storage/git/commit_writer.hpp"

#include <git2/sys/commit.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "storage/commit_message.hpp"
#include "storage/draft_json.hpp"

namespace plenary::storage {
namespace {

constexpr const char* committer_name = "plenary";
constexpr const char* committer_email = "server@plenary.invalid";

// The entries of a tree being edited, in git's order (by name, a tree's name compared as if
// it ended in '/'). Serialised and stored by us rather than by git_treebuilder_write, whose
// git_odb_write rescans objects/pack for each new object; and the entries of the last trees
// written are kept, so that the next commit on top starts from them instead of reading and
// parsing the tree again (trees are content-addressed: an id names the same entries in any
// repository, so one small cache per thread serves every draft).
struct tree_item {
  std::string name;
  std::uint32_t mode = 0;
  git_oid oid{};
};
using tree_items = std::vector<tree_item>;

bool is_tree_mode(std::uint32_t mode) { return (mode & 0170000u) == 0040000u; }

bool tree_order(std::string_view na, bool tree_a, std::string_view nb, bool tree_b) {
  const std::size_t len = std::min(na.size(), nb.size());
  if (const int cmp = std::memcmp(na.data(), nb.data(), len); cmp != 0) return cmp < 0;
  unsigned char ca = len < na.size() ? static_cast<unsigned char>(na[len]) : (tree_a ? '/' : 0);
  unsigned char cb = len < nb.size() ? static_cast<unsigned char>(nb[len]) : (tree_b ? '/' : 0);
  return ca < cb;
}

class tree_cache {
 public:
  std::shared_ptr<const tree_items> find(const git_oid& oid) const {
    for (const auto& [id, items] : slots_) {
      if (items && git_oid_equal(&id, &oid)) return items;
    }
    return nullptr;
  }
  void put(const git_oid& oid, std::shared_ptr<const tree_items> items) {
    slots_[next_] = {oid, std::move(items)};
    next_ = (next_ + 1) % slots_.size();
  }

 private:
  std::array<std::pair<git_oid, std::shared_ptr<const tree_items>>, 8> slots_{};
  std::size_t next_ = 0;
};

tree_cache& cache() {
  thread_local tree_cache c;
  return c;
}

class tree_edit {
 public:
  // The entries of `source` (none when zero).
  static result<tree_edit> from(repo& r, const git_oid& source) {
    tree_edit t;
    if (git_oid_is_zero(&source)) return t;
    if (auto cached = cache().find(source)) {
      t.items_ = *cached;
      return t;
    }
    git_tree* raw = nullptr;
    if (git_tree_lookup(&raw, r.get(), &source) < 0) {
      return git::git_failure(error_kind::io, "Could not read the tree " + git::to_hex(source));
    }
    git::tree_ptr tree(raw);
    const std::size_t n = git_tree_entrycount(tree.get());
    t.items_.reserve(n + 1);
    for (std::size_t i = 0; i < n; ++i) {  // libgit2 lists them in git's order
      const git_tree_entry* e = git_tree_entry_byindex(tree.get(), i);
      t.items_.push_back({git_tree_entry_name(e),
                          static_cast<std::uint32_t>(git_tree_entry_filemode_raw(e)),
                          *git_tree_entry_id(e)});
    }
    return t;
  }

  bool has(std::string_view name) const { return find(name) != nullptr; }
  bool empty() const { return items_.empty(); }

  void set(std::string_view name, git_filemode_t mode, const git_oid& oid) {
    remove(name);
    const bool tree = is_tree_mode(mode);
    auto at = std::lower_bound(items_.begin(), items_.end(), name,
                               [&](const tree_item& e, std::string_view n) {
                                 return tree_order(e.name, is_tree_mode(e.mode), n, tree);
                               });
    items_.insert(at, tree_item{std::string(name), static_cast<std::uint32_t>(mode), oid});
  }

  bool remove(std::string_view name) {
    auto it = std::find_if(items_.begin(), items_.end(),
                           [&](const tree_item& e) { return e.name == name; });
    if (it == items_.end()) return false;
    items_.erase(it);
    return true;
  }

  result<git_oid> write(repo& r) {
    std::string data;
    data.reserve(items_.size() * 40);
    for (const tree_item& e : items_) {
      // The mode in octal without leading zeros (100644, 40000), as git writes it.
      char mode[12];
      char* const end = mode + sizeof mode;
      char* p = end;
      for (std::uint32_t m = e.mode; p == end || m != 0; m >>= 3) {
        *--p = static_cast<char>('0' + (m & 7));
      }
      data.append(p, end);
      data += ' ';
      data += e.name;
      data += '\0';
      data.append(reinterpret_cast<const char*>(e.oid.id), GIT_OID_RAWSZ);
    }
    auto oid = r.write_object(data, GIT_OBJECT_TREE);
    if (!oid) return std::move(oid).err();
    cache().put(*oid, std::make_shared<const tree_items>(items_));
    return oid;
  }

 private:
  const tree_item* find(std::string_view name) const {
    for (const tree_item& e : items_) {
      if (e.name == name) return &e;
    }
    return nullptr;
  }

  tree_items items_;
};

// Writes the new clauses/ tree; zero when it ends up empty.
status write_clauses(repo& r, const tip& base, const commit_plan& plan, written_commit& out) {
  out.clauses_tree = base.clauses_tree;
  if (plan.files.empty()) return ok_status();
  auto tb = tree_edit::from(r, base.clauses_tree);
  if (!tb) return std::move(tb).err();
  for (const file_change& f : plan.files) {
    const std::string name = f.id + ".txt";
    if (!f.text) {
      if (!tb->remove(name)) {
        return make_error(error_kind::internal, "Could not remove clauses/" + name + ".");
      }
      out.blobs.emplace_back(f.id, std::nullopt);
      continue;
    }
    auto blob = r.write_blob(*f.text + "\n");
    if (!blob) return std::move(blob).err();
    out.objects.push_back(*blob);
    tb->set(name, GIT_FILEMODE_BLOB, *blob);
    out.blobs.emplace_back(f.id, *blob);
  }
  if (tb->empty()) {
    out.clauses_tree = git_oid{};
    return ok_status();
  }
  auto tree = tb->write(r);
  if (!tree) return std::move(tree).err();
  out.clauses_tree = *tree;
  out.objects.push_back(*tree);
  return ok_status();
}

status write_root(repo& r, const tip& base, const commit_plan& plan, written_commit& out) {
  auto tb = tree_edit::from(r, base.root_tree);
  if (!tb) return std::move(tb).err();
  if (plan.order_changed) {
    auto json = r.write_blob(
        draft_json::write(base.snap.title, plan.stage.value_or(base.snap.stage),
                          plan.sponsors ? *plan.sponsors : base.snap.sponsors, plan.clauses));
    if (!json) return std::move(json).err();
    out.objects.push_back(*json);
    tb->set("draft.json", GIT_FILEMODE_BLOB, *json);
  }
  if (git_oid_is_zero(&out.clauses_tree)) {
    tb->remove("clauses");
  } else {
    tb->set("clauses", GIT_FILEMODE_TREE, out.clauses_tree);
  }
  auto tree = tb->write(r);
  if (!tree) return std::move(tree).err();
  out.root_tree = *tree;
  out.objects.push_back(*tree);
  return ok_status();
}

status write_commit_object(repo& r, const tip& base, const commit_plan& plan, written_commit& out) {
  auto author = signature_of(plan.by, plan.at);
  if (!author) return std::move(author).err();
  auto committer = signature_of(std::nullopt, plan.at);
  if (!committer) return std::move(committer).err();
  const std::string text = message::compose(plan.summary, plan.note, plan.op, plan.clause_id,
                                            plan.by.state, plan.procedure);
  const bool has_parent = !git_oid_is_zero(&base.commit);
  const git_oid* parents[] = {&base.commit};
  // The commit's text from libgit2 (which checks the tree and parent exist), stored in
  // memory by us (git_commit_create would go through git_odb_write; see tree_edit).
  git_tree* tree_raw = nullptr;
  if (git_tree_lookup(&tree_raw, r.get(), &out.root_tree) < 0) {
    return git::git_failure(error_kind::io, "Could not store the commit");
  }
  git::tree_ptr tree(tree_raw);
  git::commit_ptr parent;
  if (has_parent) {
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, r.get(), parents[0]) < 0) {
      return git::git_failure(error_kind::io, "Could not store the commit");
    }
    parent.reset(raw);
  }
  const git_commit* parent_list[] = {parent.get()};
  git_buf buf = GIT_BUF_INIT;
  if (git_commit_create_buffer(&buf, r.get(), author->get(), committer->get(), nullptr,
                               text.c_str(), tree.get(), has_parent ? 1 : 0, parent_list) < 0) {
    return git::git_failure(error_kind::io, "Could not store the commit");
  }
  auto commit = r.write_object(std::string_view(buf.ptr, buf.size), GIT_OBJECT_COMMIT);
  git_buf_dispose(&buf);
  if (!commit) return std::move(commit).err();
  out.oid = *commit;
  out.objects.push_back(out.oid);
  out.entry.commit = git::to_hex(out.oid);
  if (has_parent) out.entry.parent = git::to_hex(base.commit);
  out.entry.by = plan.by;
  out.entry.at = plan.at;
  out.entry.op = plan.op;
  out.entry.clause = plan.clause_id;
  out.entry.note = plan.note;
  out.entry.stage = plan.procedure.stage;
  out.entry.proposal = plan.procedure.proposal;
  out.entry.adopted = plan.procedure.adopted;
  out.entry.vote = plan.procedure.vote;
  return ok_status();
}

}  // namespace

result<git::signature_ptr> signature_of(const std::optional<actor>& by, std::int64_t at) {
  const std::string name = by ? by->name : committer_name;
  const std::string email = by ? message::author_email(by->state) : committer_email;
  git_signature* raw = nullptr;
  if (git_signature_new(&raw, name.c_str(), email.c_str(), static_cast<git_time_t>(at), 0) < 0) {
    return git::git_failure(error_kind::invalid, "The name \"" + name + "\" cannot sign a commit");
  }
  return git::signature_ptr(raw);
}

result<written_commit> write_commit(repo& r, const tip& base, const commit_plan& plan) {
  written_commit out;
  if (status s = write_clauses(r, base, plan, out); !s) return std::move(s).err();
  if (status s = write_root(r, base, plan, out); !s) return std::move(s).err();
  if (status s = write_commit_object(r, base, plan, out); !s) return std::move(s).err();
  return out;
}

}  // namespace plenary::storage
