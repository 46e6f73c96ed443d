#include "storage/draft.hpp"

#include <git2.h>

#include <utility>

#include "storage/amend.hpp"
#include "storage/commit_message.hpp"
#include "storage/commit_writer.hpp"
#include "storage/files.hpp"
#include "storage/index.hpp"
#include "storage/index_loader.hpp"
#include "storage/pack_writer.hpp"
#include "storage/repo.hpp"
#include "storage/text.hpp"
#include "storage/words.hpp"

namespace plenary::storage {
namespace fs = std::filesystem;

struct draft::impl {
  repo r;
  draft_index index;
  tip head;

  impl(repo rr, loaded_draft loaded)
      : r(std::move(rr)), index(std::move(loaded.index)), head(std::move(loaded.head)) {}

  // Publishes a batch: one pack, one compare-and-swap of main. On failure nothing moved.
  status publish(batch& b);
  // Records the published commits in the index and moves the head.
  void adopt(batch& b);
  // Re-reads everything from disk (after another process moved main, or a failed write).
  void reload();
  // Folds the packs into one when there are too many; failures leave the draft as it was.
  void maybe_consolidate();

  result<std::string> read_text(const git_oid& blob) const {
    auto file = r.read_blob(blob);
    if (!file) return std::move(file).err();
    return text_of_file(std::move(*file));
  }

  result<const draft_index::clause_record*> record_of(std::string_view id) const;
};

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
  }
  if (std::string p = check_actor(chair, "chair"); !p.empty()) return p;
  return check_time(at);
}

commit_plan open_plan(const draft_spec& spec, const actor& chair, std::int64_t at) {
  commit_plan p;
  p.op = op_kind::open;
  p.summary = message::open_summary(spec.title);
  p.by = chair;
  p.at = at;
  p.order_changed = true;
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

result<std::unique_ptr<draft>> draft::open(const fs::path& git_dir) {
  std::error_code ec;
  if (!fs::is_directory(git_dir, ec)) {
    return make_error(error_kind::not_found, "There is no draft at " + git_dir.string() + ".");
  }
  files::remove_stale_locks(git_dir);
  auto r = repo::open(git_dir);
  if (!r) return std::move(r).err();
  auto loaded = load_draft(*r);
  if (!loaded) return std::move(loaded).err();
  auto p = std::make_unique<impl>(std::move(*r), std::move(*loaded));
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

result<const draft_index::clause_record*> draft::impl::record_of(std::string_view id) const {
  if (!is_valid_clause_id(id)) {
    return invalid(
        "`clause` is not a valid clause id: use 1 to 32 lower-case letters, digits or dashes.");
  }
  const draft_index::clause_record* record = index.find_clause(id);
  if (record == nullptr) {
    return make_error(error_kind::not_found,
                      "There is no clause " + std::string(id) + " in this draft.");
  }
  return record;
}

result<std::vector<history_entry>> draft::history(std::string_view clause_id) const {
  auto record = impl_->record_of(clause_id);
  if (!record) return std::move(record).err();
  std::vector<history_entry> out;
  out.reserve((*record)->changes.size());
  std::string previous;
  for (const auto& ch : (*record)->changes) {
    history_entry h;
    h.entry = impl_->index.commit(ch.commit).entry;
    if (!ch.diff) {
      // Diffs are computed once, the first time the history is read, then kept.
      std::string now;
      if (ch.blob) {
        auto text = impl_->read_text(*ch.blob);
        if (!text) return std::move(text).err();
        now = std::move(*text);
      }
      ch.diff = words::diff(previous, now);
      previous = std::move(now);
    } else {
      previous.clear();
      for (const auto& piece : *ch.diff) {
        if (piece.op != '-') previous += piece.text;
      }
    }
    if (ch.blob) h.text = previous;
    h.diff = *ch.diff;
    out.push_back(std::move(h));
  }
  return out;
}

result<std::vector<blame_segment>> draft::blame(std::string_view clause_id) const {
  auto record = impl_->record_of(clause_id);
  if (!record) return std::move(record).err();
  const draft_index::clause_record& rec = **record;
  if (rec.changes.empty() || !rec.changes.back().blob) {
    return make_error(error_kind::not_found, "Clause " + std::string(clause_id) +
                                                 " has been deleted; its history is still there.");
  }
  if (!rec.blame) {
    std::vector<blame_segment> segments;
    for (const auto& ch : rec.changes) {
      if (!ch.blob) {
        segments.clear();
        continue;
      }
      auto text = impl_->read_text(*ch.blob);
      if (!text) return std::move(text).err();
      const log_entry& e = impl_->index.commit(ch.commit).entry;
      segments = words::carry_blame(segments, *text, e.commit, e.by.state);
    }
    rec.blame = std::move(segments);
  }
  return *rec.blame;
}

result<applied> draft::amend(const request& r) {
  std::vector<result<applied>> results = amend_all(std::span<const request>(&r, 1));
  return std::move(results.front());
}

std::vector<result<applied>> draft::amend_all(std::span<const request> requests) {
  std::vector<result<applied>> results;
  results.reserve(requests.size());
  batch b;
  b.t = impl_->head;
  for (const request& req : requests) {
    results.push_back(apply_request(impl_->r, impl_->index, b, req));
  }
  if (b.commits.empty()) {
    impl_->r.discard_memory();
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
  impl_->maybe_consolidate();
  return results;
}

status draft::impl::publish(batch& b) {
  if (status s = pack_writer::write(r, b.objects); !s) return s;
  if (status s = r.update_main(b.t.commit, &head.commit); !s) return s;
  r.discard_memory();
  return ok_status();
}

void draft::impl::adopt(batch& b) {
  for (pending_commit& pc : b.commits) {
    const std::uint32_t position = index.add_commit(pc.oid, std::move(pc.entry));
    if (pc.file_changed) {
      index.add_change(pc.clause_id, position, pc.blob, pc.text ? &*pc.text : nullptr);
    }
  }
  head = std::move(b.t);
}

void draft::impl::reload() {
  r.discard_memory();
  if (!r.reopen()) return;
  auto loaded = load_draft(r);
  if (!loaded) return;  // keep what we had; the next write will fail its check and retry
  index = std::move(loaded->index);
  head = std::move(loaded->head);
}

void draft::impl::maybe_consolidate() {
  if (pack_writer::count_packs(r.git_dir()) <= pack_writer::max_packs) return;
  if (!pack_writer::consolidate(r)) r.reopen();
}

library::library(library_options options) {
  git_libgit2_init();
  files::set_fsync_enabled(options.fsync);
  git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, options.fsync ? 1 : 0);
  git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 1);
}

library::~library() { git_libgit2_shutdown(); }

}  // namespace plenary::storage
