#include "storage/draft.hpp"

#include <git2.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <map>
#include <optional>
#include <utility>

#include "storage/amend.hpp"
#include "storage/brackets.hpp"
#include "storage/comment_store.hpp"
#include "storage/commit_message.hpp"
#include "storage/draft_impl.hpp"
#include "storage/files.hpp"
#include "storage/git/checkpointer.hpp"
#include "storage/git/commit_writer.hpp"
#include "storage/git/main_lock.hpp"
#include "storage/git/pack_writer.hpp"
#include "storage/git/repo.hpp"
#include "storage/git/wal.hpp"
#include "storage/index.hpp"
#include "storage/index_cache.hpp"
#include "storage/index_loader.hpp"
#include "storage/procedure.hpp"
#include "storage/settings.hpp"
#include "storage/text.hpp"

namespace plenary::storage {
namespace fs = std::filesystem;

namespace {

error invalid(std::string message) { return make_error(error_kind::invalid, std::move(message)); }

// Checks a draft_spec and the chair before anything is written.
std::string check_spec(const draft_spec& spec, const actor& chair, std::int64_t at) {
  if (std::string p = check_title(spec.title, "title"); !p.empty()) return p;
  if (spec.clauses.empty()) return "A draft needs at least one clause.";
  for (std::size_t i = 0; i < spec.clauses.size(); ++i) {
    const auto& c = spec.clauses[i];
    const std::string field = "clauses[" + std::to_string(i) + "]";
    if (c.kind != clause_kind::heading && c.kind != clause_kind::preamble &&
        c.kind != clause_kind::operative) {
      return "`" + field + ".kind` must be heading, preamble or operative.";
    }
    if (std::string p = check_clause_text(c.text, field + ".text"); !p.empty()) return p;
    if (auto b = brackets::parse(c.text, {}, "`" + field + ".text`"); !b) return b.err().message;
  }
  if (std::string p = check_actor(chair, "chair"); !p.empty()) return p;
  if (spec.sponsors.size() > max_sponsors) {
    return "`sponsors` lists more than " + std::to_string(max_sponsors) + " states.";
  }
  for (std::size_t i = 0; i < spec.sponsors.size(); ++i) {
    const std::string& code = spec.sponsors[i];
    const std::string field = "`sponsors[" + std::to_string(i) + "]`";
    if (!is_valid_state_code(code) || code == chair_state) {
      return field + " must be the state code of a delegation.";
    }
    if (std::find(spec.sponsors.begin(), spec.sponsors.begin() + static_cast<std::ptrdiff_t>(i),
                  code) != spec.sponsors.begin() + static_cast<std::ptrdiff_t>(i)) {
      return field + " " + code + " is listed twice.";
    }
  }
  return check_time(at);
}

commit_plan open_plan(const draft_spec& spec, const actor& chair, std::int64_t at) {
  commit_plan p;
  p.op = op_kind::open;
  p.summary = message::open_summary(spec.title);
  p.by = chair;
  p.at = at;
  p.order_changed = true;
  p.stage = draft_stage::working;
  p.sponsors = spec.sponsors;
  for (std::size_t i = 0; i < spec.clauses.size(); ++i) {
    clause c;
    c.id = "c" + std::to_string(i + 1);
    c.kind = spec.clauses[i].kind;
    p.files.push_back({c.id, spec.clauses[i].text});
    p.clauses.push_back(std::move(c));
  }
  return p;
}

// Writes the open commit into the fresh repository at `dir` and points main at it.
status write_open_commit(const fs::path& dir, const draft_spec& spec, const actor& chair,
                         std::int64_t at) {
  auto r = repo::init(dir);
  if (!r) return std::move(r).err();
  tip empty;
  empty.snap.title = spec.title;
  auto w = write_commit(*r, empty, open_plan(spec, chair, at));
  if (!w) return std::move(w).err();
  if (status s = pack_writer::write(*r, w->objects); !s) return s;
  if (status s = r->update_main(w->oid, nullptr); !s) return s;
  r->discard_memory();
  return ok_status();
}

// Removes a temporary directory unless released.
class temp_dir_guard {
 public:
  explicit temp_dir_guard(fs::path p) : path_(std::move(p)) {}
  ~temp_dir_guard() {
    if (!path_.empty()) files::remove_quietly(path_);
  }
  temp_dir_guard(const temp_dir_guard&) = delete;
  temp_dir_guard& operator=(const temp_dir_guard&) = delete;
  void release() { path_.clear(); }

 private:
  fs::path path_;
};

}  // namespace

result<fs::path> draft_path(const fs::path& data_dir, std::string_view slug) {
  if (!is_valid_slug(slug)) {
    return invalid(
        "The draft name (slug) must be 1 to 63 lower-case letters, digits or dashes, starting "
        "with a letter or a digit.");
  }
  return data_dir / "drafts" / (std::string(slug) + ".git");
}

draft::draft(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
draft::~draft() = default;

result<std::unique_ptr<draft>> draft::create(const fs::path& git_dir, const draft_spec& spec,
                                             const actor& chair, std::int64_t at) {
  if (std::string problem = check_spec(spec, chair, at); !problem.empty()) return invalid(problem);
  std::error_code ec;
  if (fs::exists(fs::symlink_status(git_dir, ec))) {
    return make_error(error_kind::exists, "A draft already exists at " + git_dir.string() + ".");
  }
  auto tmp = files::make_temp_dir_beside(git_dir);
  if (!tmp) return std::move(tmp).err();
  temp_dir_guard guard(*tmp);
  if (status s = write_open_commit(*tmp, spec, chair, at); !s) return std::move(s).err();
  if (status s = files::fsync_tree(*tmp); !s) return std::move(s).err();
  if (status s = files::rename_no_replace(*tmp, git_dir); !s) {
    if (s.err().kind == error_kind::exists) {
      return make_error(error_kind::exists, "A draft already exists at " + git_dir.string() + ".");
    }
    return std::move(s).err();
  }
  guard.release();
  return open(git_dir);
}

result<std::unique_ptr<draft>> draft::open(const fs::path& git_dir, open_options options) {
  std::error_code ec;
  if (!fs::is_directory(git_dir, ec)) {
    return make_error(error_kind::not_found, "There is no draft at " + git_dir.string() + ".");
  }
  if (options.repair) files::remove_stale_locks(git_dir);
  auto r = repo::open(git_dir);
  if (!r) return std::move(r).err();
  // The writer puts what a crash left in the write-ahead log into git before anything reads
  // main (storage/git/checkpointer.hpp, replay), then starts the log afresh.
  std::optional<wal::log> log;
  if (options.repair && options.write_ahead && !main_is_logged(*r)) {
    std::vector<wal::record> found;
    auto opened = wal::log::open(git_dir, found);
    if (!opened) return std::move(opened).err();
    auto replayed = replay(*r, found);
    if (!replayed) return std::move(replayed).err();
    if (*replayed) {
      if (status s = r->reopen(); !s) return std::move(s).err();
    }
    if (status s = opened->start(); !s) return std::move(s).err();
    log.emplace(std::move(*opened));
  }
  auto loaded = load_draft(*r);
  if (!loaded) return std::move(loaded).err();
  auto book = load_book(*r);
  if (!book) return std::move(book).err();
  const std::size_t walked = loaded->walked;
  const std::size_t from_cache = loaded->from_cache;
  auto p = std::make_unique<impl>(std::move(*r), std::move(*loaded));
  p->book = std::move(*book);
  auto settings = load_settings(p->r, p->book);
  if (!settings) return std::move(settings).err();
  p->settings = *settings;
  auto comments = load_comments(p->r);
  if (!comments) return std::move(comments).err();
  p->comments = std::move(*comments);
  if (options.repair) p->repair();
  if (log) {
    p->wal.emplace(std::move(*log));
    p->checkpoints = std::make_unique<checkpointer>(
        git_dir, checkpoint_hooks{.moved = options.on_checkpoint,
                                  .failed = options.on_checkpoint_failed,
                                  .recovered = options.on_checkpoint_recovered});
  }
  auto versions = load_versions(p->r, p->index);  // after repair: it may make `adopted`
  if (!versions) return std::move(versions).err();
  p->versions = std::move(*versions);
  p->may_save_index = options.repair;
  p->saved_commits = from_cache;
  if (options.repair && walked >= impl::index_save_step) p->save_index();
  return std::unique_ptr<draft>(new draft(std::move(p)));
}

const snapshot& draft::head() const noexcept { return impl_->head.snap; }

const fs::path& draft::path() const noexcept { return impl_->r.git_dir(); }

result<snapshot> draft::at(std::string_view commit) const {
  if (!is_valid_commit_id(commit)) {
    return invalid("`at` must be a commit id of 40 lower-case hex digits.");
  }
  const auto position = impl_->index.find_commit(commit);
  if (!position) {
    return make_error(error_kind::not_found,
                      "Commit " + std::string(commit) + " is not in the history of this draft.");
  }
  if (*position + 1 == impl_->index.size()) return impl_->head.snap;
  return snapshot_at(impl_->r, impl_->index, *position);
}

result<std::string> draft::resolve(std::string_view version) const {
  auto not_in_history = [&] {
    return make_error(error_kind::not_found, "There is no version `" + std::string(version) +
                                                 "` in this draft: give a tag or a commit of "
                                                 "its main branch.");
  };
  // A tag name (procedure.md, "Versions"), or something that may be a commit id.
  const bool tag_like =
      !version.empty() && version.size() <= 64 &&
      std::isalnum(static_cast<unsigned char>(version.front())) &&
      std::all_of(version.begin(), version.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
      });
  if (!tag_like) {
    return invalid("A version is a tag name or a commit id (hex digits), not `" +
                   std::string(version) + "`.");
  }
  git_repository* repo = impl_->r.get();
  const std::string tag_ref = "refs/tags/" + std::string(version);
  git_object* raw = nullptr;
  // Hex digits are a commit id even where an old tag of that name exists (such names are
  // refused now: reserved_tag_name): a tag must not hide the commits it abbreviates.
  if (!looks_like_commit_id(version) && git_revparse_single(&raw, repo, tag_ref.c_str()) == 0) {
    git::object_ptr tag(raw);
    git_object* peeled = nullptr;
    if (git_object_peel(&peeled, tag.get(), GIT_OBJECT_COMMIT) != 0) {
      git_error_clear();
      return not_in_history();
    }
    git::object_ptr commit(peeled);
    std::string id = git::to_hex(*git_object_id(commit.get()));
    if (!impl_->index.find_commit(id)) return not_in_history();
    return id;
  }
  git_error_clear();
  const bool hex = version.size() >= 7 && version.size() <= GIT_OID_HEXSZ &&
                   std::all_of(version.begin(), version.end(), [](char c) {
                     return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                   });
  if (!hex) return not_in_history();
  if (version.size() == GIT_OID_HEXSZ) {
    if (!impl_->index.find_commit(version)) return not_in_history();
    return std::string(version);
  }
  // An abbreviated id: the one commit of main's history that starts with it.
  std::optional<std::string> found;
  for (std::size_t i = 0; i < impl_->index.size(); ++i) {
    const std::string& id = impl_->index.commit(static_cast<std::uint32_t>(i)).entry.commit;
    if (id.compare(0, version.size(), version) != 0) continue;
    if (found) {
      return invalid("`" + std::string(version) +
                     "` is the start of several commits: give more of the commit id.");
    }
    found = id;
  }
  if (!found) return not_in_history();
  return *found;
}

std::vector<log_entry> draft::log(std::size_t limit) const {
  std::vector<log_entry> out;
  const std::size_t n = std::min(limit, impl_->index.size());
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(
        impl_->index.commit(static_cast<std::uint32_t>(impl_->index.size() - 1 - i)).entry);
  }
  return out;
}

result<applied> draft::amend(const request& r) {
  std::vector<result<applied>> results = amend_all(std::span<const request>(&r, 1));
  return std::move(results.front());
}

std::vector<result<applied>> draft::amend_all(std::span<const request> requests) {
  std::vector<result<applied>> results;
  results.reserve(requests.size());
  if (impl_->unsettled && impl_->checkpoints->idle()) {
    // The checkpointer caught up: settling is cheap now (no wait), and keeps the memory store
    // and the log small. A failure here is retried by the next batch; the records are safe.
    if (impl_->settle()) impl_->maybe_consolidate(0);
  }
  batch b;
  b.t = impl_->head;
  b.delegations = impl_->delegations;
  b.limits = impl_->limits;
  for (const request& req : requests) {
    results.push_back(apply_request(impl_->r, impl_->index, b, req));
  }
  if (b.commits.empty()) {
    if (!impl_->unsettled) impl_->r.discard_memory();
    return results;
  }
  if (status s = impl_->publish(b); !s) {
    for (auto& res : results) {
      if (res) res = s.err();
    }
    impl_->reload();
    return results;
  }
  impl_->adopt(b);
  // The move to the adopted stage makes the tag `adopted` once main holds the commit.
  for (auto& res : results) {
    if (!res || res->entry.op != op_kind::stage || res->entry.stage != draft_stage::adopted) {
      continue;
    }
    // The tag points at the commit from disk: main there first (else open() makes it).
    if (!impl_->settle()) continue;
    git_oid oid;
    if (!git::from_hex(res->entry.commit, &oid)) continue;
    auto made =
        create_tag(impl_->r, "adopted", oid, res->entry.by, res->entry.at, adopted_tag_message);
    if (!made) continue;
    res->tag = made->name;
    impl_->add_version(version_from_tag(made->name, made->commit, res->entry.by.name,
                                        message::author_email(res->entry.by.state), res->entry.at,
                                        adopted_tag_message));
  }
  if (!impl_->wal) impl_->maybe_consolidate(1);
  return results;
}

std::vector<result<act_outcome>> draft::act_all(std::span<const act_request> requests) {
  std::vector<result<act_outcome>> results;
  results.reserve(requests.size());
  if (status s = impl_->settle(); !s) {
    for (std::size_t i = 0; i < requests.size(); ++i) results.push_back(s.err());
    return results;
  }
  act_batch ab;
  ab.main.t = impl_->head;
  ab.main.delegations = impl_->delegations;
  ab.main.limits = impl_->limits;
  ab.book = impl_->book;
  for (const act_request& req : requests) {
    results.push_back(apply_act(impl_->r, impl_->index, ab, req));
  }
  if (ab.acts == 0) {
    impl_->r.discard_memory();
    return results;
  }
  if (status s = publish_acts(impl_->r, ab, impl_->head.commit, impl_->book.tip); !s) {
    for (auto& res : results) {
      if (res) res = s.err();
    }
    impl_->reload();
    return results;
  }
  impl_->adopt(ab.main);
  impl_->book = std::move(ab.book);
  impl_->maybe_consolidate(1);
  return results;
}

result<act_outcome> draft::act(const act_request& request) {
  std::vector<result<act_outcome>> results = act_all(std::span<const act_request>(&request, 1));
  return std::move(results.front());
}

result<act_outcome> draft::table(const actor& proposer, const amendment& change, std::int64_t at) {
  act_request r;
  r.kind = act_kind::table;
  r.by = proposer;
  r.at = at;
  r.change = change;
  return act(r);
}

result<act_outcome> draft::support(int n, const actor& by, std::int64_t at) {
  return act(act_request{act_kind::support, by, at, n, {}, {}, {}});
}

result<act_outcome> draft::withdraw(int n, const actor& by, std::int64_t at) {
  return act(act_request{act_kind::withdraw, by, at, n, {}, {}, {}});
}

result<act_outcome> draft::open_vote(int n, vote_threshold threshold, const actor& chair,
                                     std::int64_t at) {
  return act(act_request{act_kind::open, chair, at, n, {}, threshold, {}});
}

result<act_outcome> draft::vote(int n, const actor& by, vote_choice choice, std::int64_t at) {
  return act(act_request{act_kind::vote, by, at, n, {}, {}, choice});
}

result<act_outcome> draft::close_vote(int n, const actor& chair, std::int64_t at) {
  return act(act_request{act_kind::close, chair, at, n, {}, {}, {}});
}

result<act_outcome> draft::restart_vote(int n, const actor& chair, std::int64_t at) {
  return act(act_request{act_kind::restart, chair, at, n, {}, {}, {}});
}

void draft::set_delegations(std::vector<std::string> codes) {
  impl_->delegations = std::move(codes);
  impl_->effective_cache.clear();
}

result<std::optional<effective_change>> draft::effective(int n) const {
  auto rec = proposal(n);
  if (!rec) return std::move(rec).err();
  if (rec->status != proposal_status::tabled && rec->status != proposal_status::voting) {
    impl_->effective_cache.erase(n);
    return std::optional<effective_change>();
  }
  auto& cache = impl_->effective_cache;
  if (auto it = cache.find(n);
      it != cache.end() && it->second.computed_at == impl_->head.snap.head) {
    return std::optional<effective_change>(it->second);
  }
  batch b;
  b.t = impl_->head;
  b.delegations = impl_->delegations;
  // The time plays no part in the text; 0 is a valid one.
  auto made = effective_adoption(impl_->r, impl_->index, b, request{rec->by, rec->change(), 0});
  if (!made) return std::move(made).err();
  cache[n] = *made;
  return std::optional<effective_change>(std::move(*made));
}

status draft::settle() { return impl_->settle(); }

void draft::set_limits(draft_limits limits) { impl_->limits = limits; }

const std::vector<proposal_record>& draft::proposals() const noexcept {
  return impl_->book.records;
}

result<proposal_record> draft::proposal(int n) const {
  const auto& records = impl_->book.records;
  if (n < 1 || static_cast<std::size_t>(n) > records.size()) {
    return make_error(error_kind::not_found,
                      "There is no proposal " + std::to_string(n) + " in this draft.");
  }
  return records[static_cast<std::size_t>(n) - 1];
}

result<tag_info> draft::tag(std::string_view name, const actor& by, std::string_view note,
                            std::int64_t at) {
  for (const std::string& problem :
       {check_actor(by, "by"), check_time(at), check_note(note, "note")}) {
    if (!problem.empty()) return invalid(problem);
  }
  if (by.state != chair_state) {
    return make_error(error_kind::forbidden, "Only the chair names versions of the draft.");
  }
  if (std::string problem = check_tag_name(name); !problem.empty()) return invalid(problem);
  if (name == "adopted") {
    return invalid(
        "The version `adopted` is made by the move to the adopted stage; choose another name.");
  }
  if (status s = impl_->settle(); !s) return std::move(s).err();
  std::string message = "Version " + std::string(name) + "\n";
  if (!note.empty()) message += "\n" + std::string(note) + "\n";
  auto made = create_tag(impl_->r, name, impl_->head.commit, by, at, message);
  if (made) {
    impl_->add_version(version_from_tag(made->name, made->commit, by.name,
                                        message::author_email(by.state), at, message));
  }
  return made;
}

const draft_settings& draft::settings() const noexcept { return impl_->settings; }

result<std::string> draft::set_live_wording(bool on, const actor& by, std::int64_t at) {
  for (const std::string& problem : {check_actor(by, "by"), check_time(at)}) {
    if (!problem.empty()) return invalid(problem);
  }
  if (by.state != chair_state) {
    return make_error(error_kind::forbidden, "Only the chair turns live wording on or off.");
  }
  if (impl_->head.snap.stage == draft_stage::adopted) {
    return make_error(error_kind::forbidden,
                      "The draft has been adopted: its settings no longer change.");
  }
  if (impl_->settings.live_wording == on) {
    return make_error(error_kind::conflict,
                      std::string("Live wording is already ") + (on ? "on." : "off."));
  }
  if (status s = impl_->settle(); !s) return std::move(s).err();
  draft_settings next = impl_->settings;
  next.live_wording = on;
  proposal_book book = impl_->book;
  auto made = write_settings(impl_->r, book, next, by, at);
  if (!made) {
    impl_->reload();
    return made;
  }
  impl_->book = std::move(book);
  impl_->settings = next;
  return made;
}

const std::vector<version>& draft::versions() const noexcept { return impl_->versions; }

// ---- comments (storage/comment_store.hpp) ------------------------------------------------------

const std::vector<comment_thread>& draft::threads() const noexcept {
  return impl_->comments.threads;
}

result<placed_anchor> draft::placed(int n) const {
  const auto& threads = impl_->comments.threads;
  if (n < 1 || static_cast<std::size_t>(n) > threads.size()) {
    return make_error(error_kind::not_found,
                      "There is no thread " + std::to_string(n) + " in this draft.");
  }
  const comment_anchor& a = threads[static_cast<std::size_t>(n) - 1].anchor;
  std::string rev;  // the clause's rev now, the key of the cached place
  for (const clause& c : impl_->head.snap.clauses) {
    if (c.id == a.clause) rev = c.rev;
  }
  if (auto it = impl_->placed_cache.find(n);
      it != impl_->placed_cache.end() && it->second.first == rev) {
    return it->second.second;
  }
  std::optional<std::vector<history_entry>> changes;
  if (a.kind == anchor_kind::span && !rev.empty() && rev != a.rev) {
    auto h = history(a.clause);
    if (!h) return std::move(h).err();
    changes = std::move(*h);
  }
  placed_anchor out = place_anchor(a, impl_->head.snap, changes ? &*changes : nullptr);
  impl_->placed_cache[n] = {rev, out};
  return out;
}

result<comment_outcome> draft::comment(const comment_request& request) {
  // The comment's commit is written straight into git (comment_store.cpp), which discards the
  // objects kept in memory: every acknowledged amendment must be in git first (write-ahead).
  if (status s = impl_->settle(); !s) return std::move(s).err();
  std::optional<std::string> span_text;
  if (request.act == comment_act::open && request.anchor.kind == anchor_kind::span) {
    if (auto h = history(request.anchor.clause)) {
      for (const history_entry& e : *h) {
        if (e.entry.commit == request.anchor.rev && e.text) span_text = *e.text;
      }
    }
  }
  const comment_context ctx{impl_->head.snap, impl_->book.records, span_text,
                            impl_->limits.max_threads, impl_->limits.max_comments_per_thread};
  auto out = apply_comment(impl_->r, impl_->comments, ctx, request);
  if (!out && (out.err().kind == error_kind::io || out.err().kind == error_kind::internal)) {
    impl_->reload();
  } else if (out) {
    impl_->placed_cache.erase(out->thread.n);
  }
  return out;
}

library::library(library_options options) {
  git_libgit2_init();
  files::set_fsync_enabled(options.fsync);
  git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, options.fsync ? 1 : 0);
  git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 1);
  // No cache of parsed objects: the index keeps what plenary reads again (log entries, diffs,
  // blame), and opening a draft of 100,000 commits would otherwise fill libgit2's cache with
  // commits and trees read once (it cost 20% of the open, and memory that stayed).
  git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
  // Objects read are not hashed again: zlib's checksum (adler32, kept by stored blocks too)
  // already catches damaged bytes, as with the git command line, which does not rehash on
  // read either; `git fsck` checks ids. (About 15% of opening a large draft.)
  git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, options.check_owner ? 1 : 0);
}

library::~library() { git_libgit2_shutdown(); }

}  // namespace plenary::storage
