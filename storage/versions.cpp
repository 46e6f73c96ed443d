#include "storage/versions.hpp"

#include <git2.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "storage/commit_message.hpp"
#include "storage/git/git_handles.hpp"
#include "storage/git/repo.hpp"
#include "storage/index.hpp"
#include "storage/procedure.hpp"
#include "storage/words.hpp"

namespace plenary::storage {

bool version_before(const version& a, const version& b) noexcept {
  if (a.at != b.at) return a.at < b.at;
  return a.name < b.name;
}

version version_from_tag(std::string_view name, std::string commit, std::string_view tagger_name,
                         std::string_view tagger_email, std::int64_t at, std::string_view message) {
  version v;
  v.name = std::string(name);
  v.commit = std::move(commit);
  v.at = at;
  // draft::tag writes "Version <name>\n", then "\n<note>\n" when there is a note.
  const std::string summary = "Version " + std::string(name);
  std::string_view note = message;
  if (note.substr(0, summary.size()) == summary &&
      (note.size() == summary.size() || note[summary.size()] == '\n')) {
    note.remove_prefix(std::min(note.size(), summary.size() + 1));
    if (!note.empty() && note.front() == '\n') note.remove_prefix(1);
  }
  if (!note.empty() && note.back() == '\n') note.remove_suffix(1);
  v.note = std::string(note);
  if (std::string state = message::state_from_email(tagger_email); !state.empty()) {
    v.by = actor{std::move(state), std::string(tagger_name)};
  }
  return v;
}

const char* to_string(clause_change change) noexcept {
  switch (change) {
    case clause_change::added:
      return "added";
    case clause_change::removed:
      return "removed";
    case clause_change::changed:
      return "changed";
    case clause_change::moved:
      return "moved";
    case clause_change::same:
      return "same";
  }
  return "same";
}

namespace {

// The operative numbers of a snapshot's clauses, from its order and kinds.
std::vector<std::optional<int>> numbers_of(const snapshot& s) {
  std::vector<std::optional<int>> out;
  out.reserve(s.clauses.size());
  int next = 1;
  for (const clause& c : s.clauses) {
    out.push_back(c.kind == clause_kind::operative ? std::optional<int>(next++) : std::nullopt);
  }
  return out;
}

// Positions of one longest strictly increasing subsequence of `seq` (patience sorting,
// O(n log n)). The values are distinct here: positions in another list.
std::vector<bool> longest_increasing(const std::vector<std::size_t>& seq) {
  std::vector<std::size_t> tails;  // tails[k]: index in seq ending an increasing run of k+1
  std::vector<std::ptrdiff_t> previous(seq.size(), -1);
  for (std::size_t i = 0; i < seq.size(); ++i) {
    auto it = std::lower_bound(tails.begin(), tails.end(), seq[i],
                               [&](std::size_t t, std::size_t value) { return seq[t] < value; });
    if (it != tails.begin()) previous[i] = static_cast<std::ptrdiff_t>(*(it - 1));
    if (it == tails.end()) {
      tails.push_back(i);
    } else {
      *it = i;
    }
  }
  std::vector<bool> in(seq.size(), false);
  if (tails.empty()) return in;
  for (auto i = static_cast<std::ptrdiff_t>(tails.back()); i >= 0; i = previous[i]) {
    in[static_cast<std::size_t>(i)] = true;
  }
  return in;
}

}  // namespace

comparison compare(const snapshot& from, const snapshot& to) { return compare(from, to, {}); }

comparison compare(const snapshot& from, const snapshot& to,
                   const std::vector<std::string>& moved) {
  comparison out;
  out.from = from.head;
  out.to = to.head;

  const std::vector<std::optional<int>> numbers_from = numbers_of(from);
  const std::vector<std::optional<int>> numbers_to = numbers_of(to);

  // Where each id stands in `from`.
  std::unordered_map<std::string_view, std::size_t> in_from;
  in_from.reserve(from.clauses.size());
  for (std::size_t i = 0; i < from.clauses.size(); ++i) in_from.emplace(from.clauses[i].id, i);
  std::unordered_map<std::string_view, std::size_t> in_to;
  in_to.reserve(to.clauses.size());
  for (std::size_t i = 0; i < to.clauses.size(); ++i) in_to.emplace(to.clauses[i].id, i);

  // The clauses in both, in the order of `to`, as positions in `from`: those on the longest
  // increasing subsequence kept their place among the others.
  std::vector<std::size_t> common;     // positions in `from`
  std::vector<std::size_t> common_to;  // the same clauses' positions in `to`
  for (std::size_t i = 0; i < to.clauses.size(); ++i) {
    if (auto it = in_from.find(to.clauses[i].id); it != in_from.end()) {
      common.push_back(it->second);
      common_to.push_back(i);
    }
  }
  std::vector<bool> kept;
  if (moved.empty()) {
    kept = longest_increasing(common);
  } else {
    // The LCS of the clauses no commit moved; then each moved one that fits between its kept
    // neighbours (in `to` order, the nearest kept before and after it in `from`) joins them.
    const std::unordered_set<std::string_view> named(moved.begin(), moved.end());
    std::vector<std::size_t> unnamed;  // indexes into common
    for (std::size_t k = 0; k < common.size(); ++k) {
      if (!named.contains(to.clauses[common_to[k]].id)) unnamed.push_back(k);
    }
    std::vector<std::size_t> seq;
    seq.reserve(unnamed.size());
    for (std::size_t k : unnamed) seq.push_back(common[k]);
    const std::vector<bool> in = longest_increasing(seq);
    kept.assign(common.size(), false);
    for (std::size_t u = 0; u < unnamed.size(); ++u) kept[unnamed[u]] = in[u];
    for (std::size_t k = 0; k < common.size(); ++k) {
      if (kept[k] || !named.contains(to.clauses[common_to[k]].id)) continue;
      std::optional<std::size_t> before, after;  // from-positions of the kept neighbours
      for (std::size_t j = k; j-- > 0;) {
        if (kept[j]) {
          before = common[j];
          break;
        }
      }
      for (std::size_t j = k + 1; j < common.size(); ++j) {
        if (kept[j]) {
          after = common[j];
          break;
        }
      }
      if ((!before || *before < common[k]) && (!after || common[k] < *after)) kept[k] = true;
    }
  }
  std::vector<bool> kept_from(from.clauses.size(), false);  // by position in `from`
  std::vector<bool> kept_to(to.clauses.size(), false);      // by position in `to`
  for (std::size_t k = 0; k < common.size(); ++k) {
    kept_from[common[k]] = kept[k];
    kept_to[common_to[k]] = kept[k];
  }

  // Each removed clause goes after the nearest clause before it in `from` that kept its place
  // (anchor: its position in `to`), or at the top.
  std::vector<std::vector<std::size_t>> removed_after(to.clauses.size());  // positions in from
  std::vector<std::size_t> removed_at_top;
  {
    std::optional<std::size_t> anchor;  // position in `to`
    for (std::size_t i = 0; i < from.clauses.size(); ++i) {
      auto it = in_to.find(from.clauses[i].id);
      if (it == in_to.end()) {
        (anchor ? removed_after[*anchor] : removed_at_top).push_back(i);
      } else if (kept_from[i]) {
        anchor = it->second;
      }
    }
  }

  auto removed = [&](std::size_t i) {
    const clause& c = from.clauses[i];
    compared_clause r;
    r.id = c.id;
    r.change = clause_change::removed;
    r.number_from = numbers_from[i];
    r.kind = c.kind;
    r.diff.push_back({'-', c.text});
    out.clauses.push_back(std::move(r));
  };

  out.clauses.reserve(to.clauses.size() + from.clauses.size() - common.size());
  for (std::size_t i : removed_at_top) removed(i);
  for (std::size_t i = 0; i < to.clauses.size(); ++i) {
    const clause& c = to.clauses[i];
    compared_clause r;
    r.id = c.id;
    r.number_to = numbers_to[i];
    r.kind = c.kind;
    if (auto it = in_from.find(c.id); it == in_from.end()) {
      r.change = clause_change::added;
      r.diff.push_back({'+', c.text});
    } else {
      const clause& before = from.clauses[it->second];
      r.number_from = numbers_from[it->second];
      if (before.text != c.text) {
        r.change = clause_change::changed;
        if (auto d = words::diff_within(before.text, c.text, words::diff_budget)) {
          r.diff = std::move(*d);
        } else {
          r.diff = {{'-', before.text}, {'+', c.text}};
          r.whole = true;
        }
      } else {
        r.change = kept_to[i] ? clause_change::same : clause_change::moved;
        r.diff.push_back({'=', c.text});
      }
    }
    out.clauses.push_back(std::move(r));
    for (std::size_t j : removed_after[i]) removed(j);
  }
  return out;
}

// ---- reading the tags ------------------------------------------------------------------

namespace {

// The version a tag ref stands for; nullopt when it is not one (see load_versions).
std::optional<version> read_version(const repo& r, const draft_index& index,
                                    const std::string& ref) {
  const std::string name = ref.substr(std::string_view("refs/tags/").size());
  if (!check_tag_name(name).empty()) return std::nullopt;
  auto target = r.ref_target(ref);
  if (!target) return std::nullopt;
  git_object* raw = nullptr;
  if (git_object_lookup(&raw, r.get(), &*target, GIT_OBJECT_ANY) != 0) {
    git_error_clear();
    return std::nullopt;
  }
  git::object_ptr object(raw);
  git_object* peeled_raw = nullptr;
  if (git_object_peel(&peeled_raw, object.get(), GIT_OBJECT_COMMIT) != 0) {
    git_error_clear();
    return std::nullopt;  // a tag of a tree or a blob
  }
  git::object_ptr peeled(peeled_raw);
  std::string commit = git::to_hex(*git_object_id(peeled.get()));
  const auto position = index.find_commit(commit);
  if (!position) return std::nullopt;  // not a commit of main

  if (git_object_type(object.get()) != GIT_OBJECT_TAG) {
    // A lightweight tag: the commit's time and author.
    const log_entry& e = index.commit(*position).entry;
    version v;
    v.name = name;
    v.commit = std::move(commit);
    v.at = e.at;
    v.by = e.by;
    return v;
  }
  const auto* tag = reinterpret_cast<const git_tag*>(object.get());
  const git_signature* tagger = git_tag_tagger(tag);
  const char* message = git_tag_message(tag);
  if (tagger == nullptr) {
    const log_entry& e = index.commit(*position).entry;
    version v =
        version_from_tag(name, std::move(commit), "", "", e.at, message != nullptr ? message : "");
    return v;
  }
  return version_from_tag(name, std::move(commit), tagger->name != nullptr ? tagger->name : "",
                          tagger->email != nullptr ? tagger->email : "",
                          static_cast<std::int64_t>(tagger->when.time),
                          message != nullptr ? message : "");
}

}  // namespace

result<std::vector<version>> load_versions(const repo& r, const draft_index& index) {
  std::vector<std::string> refs;
  auto collect = [](const char* name, void* payload) -> int {
    static_cast<std::vector<std::string>*>(payload)->emplace_back(name);
    return 0;
  };
  const int rc = git_reference_foreach_glob(r.get(), "refs/tags/*", collect, &refs);
  if (rc != 0 && rc != GIT_ENOTFOUND) {
    return git::git_failure(error_kind::io,
                            "Could not list the versions (tags) of " + r.git_dir().string());
  }
  git_error_clear();
  std::vector<version> out;
  out.reserve(refs.size());
  for (const std::string& ref : refs) {
    if (auto v = read_version(r, index, ref)) out.push_back(std::move(*v));
  }
  std::sort(out.begin(), out.end(), version_before);
  return out;
}

std::vector<std::string> moved_between(const draft_index& index, std::string_view from_commit,
                                       std::string_view to_commit) {
  auto a = index.find_commit(from_commit);
  auto b = index.find_commit(to_commit);
  if (!a || !b) return {};
  if (*a > *b) std::swap(a, b);
  std::vector<std::string> out;
  for (std::uint32_t p = *a + 1; p <= *b; ++p) {
    const log_entry& e = index.commit(p).entry;
    if (e.op == op_kind::move && !e.clause.empty()) out.push_back(e.clause);
  }
  return out;
}

}  // namespace plenary::storage
