#include "storage/index_loader.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <vector>

#include "storage/commit_message.hpp"
#include "storage/draft_json.hpp"
#include "storage/index_cache.hpp"
#include "storage/text.hpp"

namespace plenary::storage {
namespace {

using entry_map = std::map<std::string, git_oid>;  // clause id -> blob

constexpr std::string_view txt = ".txt";

error damaged(const repo& r, const std::string& what) {
  return make_error(error_kind::io,
                    "The draft repository " + r.git_dir().string() + " is damaged: " + what + ".");
}

log_entry entry_of(const git_commit* c, bool first) {
  log_entry e;
  e.commit = git::to_hex(*git_commit_id(c));
  if (git_commit_parentcount(c) > 0) e.parent = git::to_hex(*git_commit_parent_id(c, 0));
  const git_signature* author = git_commit_author(c);
  const char* raw = git_commit_message_raw(c);
  message::parts parts = message::parse(raw == nullptr ? "" : raw);
  e.by.name = author->name;
  e.by.state = message::state_from_email(author->email);
  if (e.by.state.empty() && is_valid_state_code(parts.state)) e.by.state = parts.state;
  e.at = author->when.time;
  e.op = parts.op.value_or(first ? op_kind::open : op_kind::replace);
  e.clause = std::move(parts.clause);
  e.note = std::move(parts.note);
  e.stage = parts.procedure.stage;
  e.proposal = parts.procedure.proposal;
  e.adopted = parts.procedure.adopted;
  e.vote = parts.procedure.vote;
  return e;
}

// The clause files of a clauses/ tree.
result<entry_map> clause_entries(const repo& r, const git_oid& tree_oid) {
  git_tree* raw = nullptr;
  if (git_tree_lookup(&raw, r.get(), &tree_oid) < 0) {
    return git::git_failure(error_kind::io,
                            "Could not read a clauses/ tree of " + r.git_dir().string());
  }
  git::tree_ptr tree(raw);
  entry_map out;
  const std::size_t n = git_tree_entrycount(tree.get());
  for (std::size_t i = 0; i < n; ++i) {
    const git_tree_entry* e = git_tree_entry_byindex(tree.get(), i);
    if (git_tree_entry_type(e) != GIT_OBJECT_BLOB) continue;
    const std::string_view name = git_tree_entry_name(e);
    if (name.size() <= txt.size() || name.substr(name.size() - txt.size()) != txt) continue;
    std::string id(name.substr(0, name.size() - txt.size()));
    if (is_valid_clause_id(id)) out.emplace(std::move(id), *git_tree_entry_id(e));
  }
  return out;
}

// Records in `index` what changed between two listings of clauses/.
void record_changes(draft_index& index, std::uint32_t position, const entry_map& before,
                    const entry_map& after) {
  auto b = before.begin();
  auto a = after.begin();
  while (b != before.end() || a != after.end()) {
    if (a == after.end() || (b != before.end() && b->first < a->first)) {
      index.add_change(b->first, position, std::nullopt);
      ++b;
    } else if (b == before.end() || a->first < b->first) {
      index.add_change(a->first, position, a->second);
      ++a;
    } else {
      if (!git_oid_equal(&a->second, &b->second)) index.add_change(a->first, position, a->second);
      ++a;
      ++b;
    }
  }
}

// The clauses/ subtree of a root tree, or zero when there is none.
result<git_oid> clauses_tree_of(const repo& r, const git_oid& root) {
  auto id = r.tree_entry(root, "clauses");
  if (!id && id.err().kind == error_kind::not_found) return git_oid{};
  return id;
}

result<git::revwalk_ptr> walk_main(const repo& r, const git_oid& head) {
  git_revwalk* raw = nullptr;
  if (git_revwalk_new(&raw, r.get()) < 0) {
    return git::git_failure(error_kind::io,
                            "Could not walk the history of " + r.git_dir().string());
  }
  git::revwalk_ptr walk(raw);
  if (git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) < 0 ||
      git_revwalk_simplify_first_parent(walk.get()) < 0 ||
      git_revwalk_push(walk.get(), &head) < 0) {
    return git::git_failure(error_kind::io,
                            "Could not walk the history of " + r.git_dir().string());
  }
  return walk;
}

// Reads `commits` (oldest first, each the first-parent child of the one before, the first a
// child of the index's last commit, or the root) into `index`. `previous_tree` is the
// clauses/ tree before the first of them (zero: none).
status read_commits(const repo& r, const std::vector<git_oid>& commits, draft_index& index,
                    git_oid previous_tree) {
  entry_map previous;
  if (!git_oid_is_zero(&previous_tree)) {
    auto listed = clause_entries(r, previous_tree);
    if (!listed) return std::move(listed).err();
    previous = std::move(*listed);
  }
  index.reserve(index.size() + commits.size());
  for (const git_oid& oid : commits) {
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, r.get(), &oid) < 0) {
      return git::git_failure(error_kind::io, "Could not read the commit " + git::to_hex(oid));
    }
    git::commit_ptr c(raw);
    const std::uint32_t position = index.add_commit(oid, entry_of(c.get(), index.size() == 0));
    auto tree = clauses_tree_of(r, *git_commit_tree_id(c.get()));
    if (!tree) return std::move(tree).err();
    if (git_oid_equal(&*tree, &previous_tree)) continue;  // no clause text changed (a move)
    entry_map current;
    if (!git_oid_is_zero(&*tree)) {
      auto listed = clause_entries(r, *tree);
      if (!listed) return std::move(listed).err();
      current = std::move(*listed);
    }
    record_changes(index, position, previous, current);
    previous = std::move(current);
    previous_tree = *tree;
  }
  return ok_status();
}

status read_history(const repo& r, const git_oid& head, draft_index& index) {
  auto walk = walk_main(r, head);
  if (!walk) return std::move(walk).err();
  std::vector<git_oid> commits;
  git_oid oid;
  int rc = 0;
  while ((rc = git_revwalk_next(&oid, walk->get())) == 0) commits.push_back(oid);
  if (rc != GIT_ITEROVER) return git::git_failure(error_kind::io, "Could not walk the history");
  git_error_clear();
  return read_commits(r, commits, index, git_oid{});
}

// The commits of `main` after `since` (oldest first), following first parents from `head`;
// nullopt when `since` is not on that chain (history rewritten) or a commit cannot be read.
std::optional<std::vector<git_oid>> commits_since(const repo& r, const git_oid& head,
                                                  const git_oid& since) {
  std::vector<git_oid> out;
  git_oid at = head;
  while (!git_oid_equal(&at, &since)) {
    out.push_back(at);
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, r.get(), &at) < 0) {
      git_error_clear();
      return std::nullopt;
    }
    git::commit_ptr c(raw);
    if (git_commit_parentcount(c.get()) == 0) return std::nullopt;
    at = *git_commit_parent_id(c.get(), 0);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

// The index from index_cache plus the commits after it, when the cache is usable.
std::optional<std::size_t> read_from_cache(const repo& r, const git_oid& head, draft_index& index) {
  auto saved = index_cache::read(r.git_dir());
  if (!saved) return std::nullopt;
  auto newer = commits_since(r, head, saved->head);
  if (!newer) return std::nullopt;
  git_oid previous_tree{};
  if (!newer->empty()) {
    auto root = r.commit_tree(saved->head);
    if (!root) return std::nullopt;
    auto tree = clauses_tree_of(r, *root);
    if (!tree) return std::nullopt;
    previous_tree = *tree;
  }
  draft_index combined = std::move(saved->index);
  if (!read_commits(r, *newer, combined, previous_tree)) return std::nullopt;
  index = std::move(combined);
  return newer->size();
}

// The clauses listed by draft.json of `root`, each as of commit `position`.
result<snapshot> read_snapshot(const repo& r, const draft_index& index, const git_oid& root,
                               std::uint32_t position) {
  auto json = r.read_file(root, "draft.json");
  if (!json) return damaged(r, "draft.json is missing (" + json.err().message + ")");
  auto layout = draft_json::parse(*json);
  if (!layout) return damaged(r, layout.err().message);
  snapshot snap;
  snap.title = std::move(layout->title);
  snap.stage = layout->stage;
  snap.sponsors = std::move(layout->sponsors);
  snap.head = index.commit(position).entry.commit;
  for (auto& e : layout->clauses) {
    const draft_index::change* ch = index.change_at(e.id, position);
    if (ch == nullptr || !ch->blob) {
      return damaged(
          r, "draft.json lists clause " + e.id + " but clauses/" + e.id + ".txt is missing");
    }
    auto file = r.read_blob(*ch->blob);
    if (!file) return std::move(file).err();
    const log_entry& rev = index.commit(ch->commit).entry;
    clause c;
    c.id = std::move(e.id);
    c.kind = e.kind;
    c.text = text_of_file(std::move(*file));
    c.rev = rev.commit;
    c.by = rev.by.state;
    snap.clauses.push_back(std::move(c));
  }
  number_clauses(snap.clauses);
  return snap;
}

}  // namespace

result<loaded_draft> load_draft(const repo& r) {
  auto head = r.main_head();
  if (!head) return make_error(error_kind::io, head.err().message);
  loaded_draft out;
  if (auto walked = read_from_cache(r, *head, out.index)) {
    out.walked = *walked;
    out.from_cache = out.index.size() - *walked;
  } else {
    out.index = draft_index{};
    if (status s = read_history(r, *head, out.index); !s) return std::move(s).err();
    out.walked = out.index.size();
  }
  if (out.index.size() == 0) return damaged(r, "the branch main has no commits");
  auto root = r.commit_tree(*head);
  if (!root) return std::move(root).err();
  auto clauses = clauses_tree_of(r, *root);
  if (!clauses) return std::move(clauses).err();
  auto snap = read_snapshot(r, out.index, *root, static_cast<std::uint32_t>(out.index.size() - 1));
  if (!snap) return std::move(snap).err();
  out.head.snap = std::move(*snap);
  out.head.commit = *head;
  out.head.root_tree = *root;
  out.head.clauses_tree = *clauses;
  out.head.max_id = out.index.max_id_number();
  return out;
}

result<snapshot> snapshot_at(const repo& r, const draft_index& index, std::uint32_t position) {
  auto root = r.commit_tree(index.commit(position).oid);
  if (!root) return std::move(root).err();
  return read_snapshot(r, index, *root, position);
}

}  // namespace plenary::storage
