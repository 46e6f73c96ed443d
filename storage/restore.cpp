#include "storage/restore.hpp"

#include <fcntl.h>
#include <git2.h>
#include <stdio.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <system_error>
#include <unordered_set>
#include <utility>
#include <vector>

#include "storage/brackets.hpp"
#include "storage/commit_message.hpp"
#include "storage/draft.hpp"
#include "storage/files.hpp"
#include "storage/git/git_handles.hpp"
#include "storage/git/repo.hpp"
#include "storage/procedure.hpp"
#include "storage/push_mirror.hpp"
#include "storage/text.hpp"

namespace plenary::storage {
namespace fs = std::filesystem;

namespace {

using remote_ptr = git::handle<git_remote, git_remote_free>;

constexpr const char* fetched_globs[] = {"refs/heads/*", "refs/tags/*", "refs/proposals/*"};

git::repository_ptr open_bare(const fs::path& dir) {
  git_repository* raw = nullptr;
  const unsigned flags =
      GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_BARE | GIT_REPOSITORY_OPEN_NO_DOTGIT;
  if (git_repository_open_ext(&raw, dir.c_str(), flags, nullptr) != 0) return nullptr;
  return git::repository_ptr(raw);
}

// A local path made absolute (libgit2 resolves a relative one against nothing useful).
std::string usable_url(const std::string& url) {
  if (!is_local_url(url) || url.starts_with("file://")) return url;
  std::error_code ec;
  const fs::path abs = fs::absolute(url, ec);
  return ec ? url : abs.string();
}

// Step 1: an empty bare repository at `dir` (HEAD -> main), then every branch, tag and
// proposal ref of `url` under the same names. libgit2 rather than the git command: the same
// library pushes the mirror (what the server can push to, restore can fetch from, with the
// same transports), and the binary needs no git at run time (the container has none).
status fetch_into(const fs::path& dir, const std::string& url) {
  if (is_local_url(url)) {
    // libgit2 says "unsupported URL protocol" for a path that does not exist: say it plainly.
    std::error_code ec;
    const std::string path = url.starts_with("file://") ? url.substr(7) : url;
    if (!fs::exists(path, ec)) {
      return make_error(error_kind::not_found,
                        "Could not fetch from " + url + ": there is nothing at that path.");
    }
  }
  git_repository_init_options init = GIT_REPOSITORY_INIT_OPTIONS_INIT;
  init.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH;
  init.initial_head = "main";
  git_repository* raw = nullptr;
  if (git_repository_init_ext(&raw, dir.c_str(), &init) != 0) {
    return git::git_failure(error_kind::io, "Could not create a repository in " + dir.string());
  }
  git::repository_ptr repo(raw);
  // Anonymous, without url.*.insteadOf (storage/mirror.cpp says why: libgit2 1.5 leaks on it).
  git_remote_create_options create = GIT_REMOTE_CREATE_OPTIONS_INIT;
  create.repository = repo.get();
  create.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
  git_remote* raw_remote = nullptr;
  const std::string target = usable_url(url);
  if (git_remote_create_with_opts(&raw_remote, target.c_str(), &create) != 0) {
    return git::git_failure(error_kind::invalid, "`" + url + "` is not a git URL");
  }
  remote_ptr remote(raw_remote);
  std::string specs[] = {"+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*",
                         "+refs/proposals/*:refs/proposals/*"};
  char* spec_ptrs[] = {specs[0].data(), specs[1].data(), specs[2].data()};
  git_strarray refspecs{spec_ptrs, 3};
  git_fetch_options opts = GIT_FETCH_OPTIONS_INIT;
  opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;  // the refspec brings every tag
  opts.update_fetchhead = 0;
  if (git_remote_fetch(remote.get(), &refspecs, &opts, "plenary draft restore") != 0) {
    error e = git::git_failure(error_kind::io, "Could not fetch from " + url);
    // The source lists a ref whose objects it lacks: a truncated or damaged copy.
    if (e.message.find("object not found") != std::string::npos ||
        e.message.find("failed to find") != std::string::npos ||
        e.message.find("missing") != std::string::npos) {
      e.message = url + " is incomplete or damaged (objects are missing); nothing was restored. " +
                  e.message;
    }
    return e;
  }
  return ok_status();
}

std::vector<std::pair<std::string, git_oid>> list_refs(git_repository* repo) {
  std::vector<std::pair<std::string, git_oid>> out;
  for (const char* glob : fetched_globs) {
    git_reference_iterator* raw = nullptr;
    if (git_reference_iterator_glob_new(&raw, repo, glob) != 0) {
      git_error_clear();
      continue;
    }
    git_reference* ref = nullptr;
    while (git_reference_next(&ref, raw) == 0) {
      git::reference_ptr owned(ref);
      if (const git_oid* id = git_reference_target(ref))
        out.emplace_back(git_reference_name(ref), *id);
    }
    git_error_clear();
    git_reference_iterator_free(raw);
  }
  return out;
}

// Step 2: a branch main whose tree holds draft.json, or a sentence saying what is missing.
status check_is_draft(git_repository* repo, const std::string& url,
                      const std::vector<std::pair<std::string, git_oid>>& refs) {
  auto main =
      std::find_if(refs.begin(), refs.end(), [](const auto& r) { return r.first == main_ref; });
  if (main == refs.end()) {
    std::string has;
    for (std::size_t i = 0; i < refs.size() && i < 5; ++i) {
      has += (i ? ", " : "") + refs[i].first;
    }
    if (refs.size() > 5) has += ", ...";
    return make_error(error_kind::invalid,
                      url + " is not a plenary draft: it has no branch `main` (" +
                          (refs.empty() ? std::string("it has no branch, tag or proposal at all")
                                        : "it has " + has) +
                          ").");
  }
  git_commit* raw = nullptr;
  if (git_commit_lookup(&raw, repo, &main->second) != 0) {
    return git::git_failure(error_kind::io, url + " is damaged: the commit of `main` (" +
                                                git::to_hex(main->second) + ") cannot be read");
  }
  git::commit_ptr commit(raw);
  git_tree* tree_raw = nullptr;
  if (git_commit_tree(&tree_raw, commit.get()) != 0) {
    return git::git_failure(error_kind::io, url + " is damaged: the tree of `main` cannot be read");
  }
  git::tree_ptr tree(tree_raw);
  if (git_tree_entry_byname(tree.get(), "draft.json") == nullptr) {
    std::string has;
    const std::size_t n = git_tree_entrycount(tree.get());
    for (std::size_t i = 0; i < n && i < 5; ++i) {
      has +=
          std::string(i ? ", " : "") + git_tree_entry_name(git_tree_entry_byindex(tree.get(), i));
    }
    if (n > 5) has += ", ...";
    return make_error(error_kind::invalid,
                      url + " is not a plenary draft: the branch `main` has no draft.json (" +
                          (n == 0 ? std::string("its tree is empty") : "it holds " + has) + ").");
  }
  return ok_status();
}

struct walk_result {
  std::size_t objects = 0;
  std::map<std::string, std::string> authors;  // state code -> name, latest commit wins
  std::map<std::string, std::int64_t> when;    // state code -> time of that commit
};

void note_author(walk_result& w, const git_signature* sig) {
  if (sig == nullptr || sig->email == nullptr) return;
  const std::string state = message::state_from_email(sig->email);
  if (state.empty() || state == "CHAIR") return;
  auto at = w.when.find(state);
  if (at == w.when.end() || at->second <= sig->when.time) {
    w.authors[state] = sig->name == nullptr ? state : sig->name;
    w.when[state] = sig->when.time;
  }
}

// Step 3: every object reachable from every ref, read and hashed once.
status check_connectivity(git_repository* repo, const std::string& url,
                          const std::vector<std::pair<std::string, git_oid>>& refs,
                          walk_result& out) {
  git_odb* odb_raw = nullptr;
  if (git_repository_odb(&odb_raw, repo) != 0) {
    return git::git_failure(error_kind::io, "Could not open the objects of " + url);
  }
  git::odb_ptr odb(odb_raw);
  std::unordered_set<git_oid, git::oid_hash, git::oid_equal> seen;
  for (const auto& [ref, start] : refs) {
    std::vector<git_oid> todo{start};
    while (!todo.empty()) {
      const git_oid id = todo.back();
      todo.pop_back();
      if (!seen.insert(id).second) continue;
      auto damaged = [&](const std::string& what) {
        return make_error(error_kind::io, url + " is incomplete or damaged: " + what + " " +
                                              git::to_hex(id) + ", reached from " + ref +
                                              ", is missing or unreadable; nothing was restored.");
      };
      git_odb_object* raw = nullptr;
      if (git_odb_read(&raw, odb.get(), &id) != 0) {
        git_error_clear();
        return damaged("the object");
      }
      const git_object_t type = git_odb_object_type(raw);
      git_oid actual;
      const int hashed =
          git_odb_hash(&actual, git_odb_object_data(raw), git_odb_object_size(raw), type);
      git_odb_object_free(raw);
      if (hashed != 0 || !git_oid_equal(&actual, &id)) {
        git_error_clear();
        return damaged("the object (its content does not match its id)");
      }
      ++out.objects;
      git_object* obj_raw = nullptr;
      if (git_object_lookup(&obj_raw, repo, &id, type) != 0) {
        git_error_clear();
        return damaged("the object (it does not parse)");
      }
      git::object_ptr obj(obj_raw);
      switch (type) {
        case GIT_OBJECT_COMMIT: {
          auto* c = reinterpret_cast<git_commit*>(obj.get());
          todo.push_back(*git_commit_tree_id(c));
          for (unsigned i = 0; i < git_commit_parentcount(c); ++i) {
            todo.push_back(*git_commit_parent_id(c, i));
          }
          note_author(out, git_commit_author(c));
          break;
        }
        case GIT_OBJECT_TREE: {
          auto* t = reinterpret_cast<git_tree*>(obj.get());
          for (std::size_t i = 0; i < git_tree_entrycount(t); ++i) {
            const git_tree_entry* e = git_tree_entry_byindex(t, i);
            // A gitlink names a commit of another repository: never present (plenary writes none).
            if (git_tree_entry_type(e) != GIT_OBJECT_COMMIT) todo.push_back(*git_tree_entry_id(e));
          }
          break;
        }
        case GIT_OBJECT_TAG: {
          auto* t = reinterpret_cast<git_tag*>(obj.get());
          todo.push_back(*git_tag_target_id(t));
          note_author(out, git_tag_tagger(t));
          break;
        }
        default:
          break;
      }
    }
  }
  return ok_status();
}

// Step 5: the head's clauses under the text rules, and a ref per proposal record.
status check_contents(const draft& d, const fs::path& dir, const std::string& url,
                      const std::vector<std::string>& codes) {
  for (const clause& c : d.head().clauses) {
    const std::string where = "Clause " + c.id;
    if (std::string problem = check_clause_text(c.text, where); !problem.empty()) {
      return make_error(error_kind::invalid,
                        url + " holds a clause that breaks the text rules: " + problem);
    }
    if (brackets::has_marks(c.text)) {
      auto parsed = brackets::parse(c.text, codes, where);
      if (!parsed) {
        return make_error(
            error_kind::invalid,
            url + " holds a clause whose brackets do not parse: " + parsed.err().message);
      }
    }
  }
  auto r = repo::open(dir);
  if (!r) return std::move(r).err();
  for (const proposal_record& p : d.proposals()) {
    if (!r->ref_target(proposal_ref(p.n))) {
      return make_error(error_kind::io, url + " is incomplete: the procedure records proposal " +
                                            std::to_string(p.n) + " but " + proposal_ref(p.n) +
                                            " is missing.");
    }
  }
  return ok_status();
}

// Removes a directory unless released.
struct remove_guard {
  fs::path path;
  ~remove_guard() {
    if (!path.empty()) files::remove_quietly(path);
  }
};

int exchange(const fs::path& a, const fs::path& b) {
  return ::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE);
}

}  // namespace

fetched_draft::fetched_draft(fs::path target, fs::path temp)
    : target_(std::move(target)), temp_(std::move(temp)) {}

fetched_draft::fetched_draft(fetched_draft&& other) noexcept
    : target_(std::move(other.target_)),
      temp_(std::exchange(other.temp_, {})),
      authors_(std::move(other.authors_)),
      objects_(other.objects_),
      refs_(other.refs_),
      head_(std::move(other.head_)) {}

fetched_draft::~fetched_draft() {
  if (!temp_.empty()) files::remove_quietly(temp_);
}

result<fetched_draft> fetched_draft::fetch(const fs::path& git_dir, const std::string& url) {
  if (url.empty()) return make_error(error_kind::invalid, "The URL to restore from is empty.");
  auto tmp = files::make_temp_dir_beside(git_dir);
  if (!tmp) return std::move(tmp).err();
  remove_guard guard{*tmp};
  fetched_draft out(git_dir, *tmp);
  walk_result walked;
  {
    if (status s = fetch_into(*tmp, url); !s) return std::move(s).err();
    git::repository_ptr repo = open_bare(*tmp);
    if (!repo) return git::git_failure(error_kind::io, "Could not open " + tmp->string());
    const auto refs = list_refs(repo.get());
    out.refs_ = refs.size();
    if (status s = check_is_draft(repo.get(), url, refs); !s) return std::move(s).err();
    if (status s = check_connectivity(repo.get(), url, refs, walked); !s) {
      return std::move(s).err();
    }
    out.objects_ = walked.objects;
  }
  auto d = draft::open(*tmp);  // repairs what a crash before the copy left half done
  if (!d) {
    return make_error(d.err().kind == error_kind::not_found ? error_kind::invalid : d.err().kind,
                      url + " is not a usable plenary draft: " + d.err().message);
  }
  for (const std::string& s : (*d)->head().sponsors) {
    walked.authors.emplace(s, s);  // a sponsor that never acted: only its code is known
  }
  std::vector<std::string> codes;
  for (const auto& [state, name] : walked.authors) {
    out.authors_.push_back({state, name});
    codes.push_back(state);
  }
  out.head_ = (*d)->head().head;
  if (status s = check_contents(**d, *tmp, url, codes); !s) return std::move(s).err();
  d->reset();
  if (status s = files::fsync_tree(*tmp); !s) return std::move(s).err();
  guard.path.clear();
  return out;
}

status fetched_draft::place() {
  if (status s = files::rename_no_replace(temp_, target_); !s) {
    if (s.err().kind == error_kind::exists) {
      return make_error(error_kind::exists, "A draft already exists at " + target_.string() + ".");
    }
    return s;
  }
  temp_.clear();
  return ok_status();
}

status fetched_draft::replace() {
  if (exchange(temp_, target_) != 0) {
    const int err = errno;
    if (err != EINVAL && err != ENOSYS) {
      return make_error(error_kind::io, "Could not swap " + temp_.string() + " with " +
                                            target_.string() + ": " + std::strerror(err) + ".");
    }
    // No RENAME_EXCHANGE here: the old draft aside, then the new one in (a moment without one).
    fs::path old = temp_;
    old += ".old";
    if (::rename(target_.c_str(), old.c_str()) != 0) {
      return make_error(error_kind::io, "Could not move " + target_.string() +
                                            " aside: " + std::strerror(errno) + ".");
    }
    if (::rename(temp_.c_str(), target_.c_str()) != 0) {
      const int e = errno;
      ::rename(old.c_str(), target_.c_str());
      return make_error(error_kind::io, "Could not move the restored draft to " + target_.string() +
                                            ": " + std::strerror(e) + ".");
    }
    temp_ = old;
  }
  return files::fsync_path(target_.parent_path());
}

status fetched_draft::undo_replace() {
  if (exchange(temp_, target_) != 0) {
    fs::path fresh = temp_;
    fresh += ".new";
    if (::rename(target_.c_str(), fresh.c_str()) != 0 ||
        ::rename(temp_.c_str(), target_.c_str()) != 0) {
      const fs::path kept = std::exchange(temp_, {});  // never removed: it is the old draft
      return make_error(error_kind::io, "Could not put the old draft back at " + target_.string() +
                                            ": it is in " + kept.string() + ".");
    }
    temp_ = fresh;
  }
  return files::fsync_path(target_.parent_path());
}

}  // namespace plenary::storage
