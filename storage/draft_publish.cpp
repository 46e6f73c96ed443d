// How a draft's batches reach git (draft_impl.hpp): one pack and a compare-and-swap of main
// (publish), or a record in the write-ahead log acknowledged at once and turned into git by the
// checkpointer (publish_logged, release_checkpointed, settle); then the index and head move
// (adopt), re-read after a failure (reload), finished after a crash (repair), and the packs
// folded when there are too many (maybe_consolidate, collect_rollup).
#include <git2.h>
#include <git2/sys/odb_backend.h>

#include <unordered_set>
#include <utility>

#include "storage/commit_message.hpp"
#include "storage/draft_impl.hpp"
#include "storage/files.hpp"
#include "storage/git/commit_writer.hpp"
#include "storage/git/main_lock.hpp"
#include "storage/git/pack_files.hpp"
#include "storage/git/rollup.hpp"

namespace plenary::storage {

status draft::impl::publish_logged(batch& b) {
  wal::record rec;
  rec.expected = head.commit;
  rec.target = b.t.commit;
  std::unordered_set<git_oid, git::oid_hash, git::oid_equal> seen;
  git_odb_backend* memory = r.memory();
  for (const git_oid& oid : b.objects) {
    if (!seen.insert(oid).second) continue;
    void* data = nullptr;
    std::size_t size = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    if (memory == nullptr || memory->read(&data, &size, &type, memory, &oid) < 0) {
      git_error_clear();
      return make_error(error_kind::internal,
                        "A new object is missing from memory. Nothing was committed.");
    }
    rec.objects.push_back({oid, type, std::string(static_cast<const char*>(data), size)});
    git_odb_backend_data_free(memory, data);
  }
  const std::size_t size = wal::log::record_size(rec);
  if (!wal::log::fits_half(size)) {
    // Larger than a half: every record in git first, then from the start.
    if (status s = settle(); !s) return s;
    if (status s = keep_in_memory(rec); !s) return s;
  } else if (!wal->fits(size)) {
    // This half is full: on to the other, once its records are in git (they almost always
    // are: the checkpointer is at most checkpoint_bytes behind).
    if (checkpoints->completed() < wal->other_half_last()) {
      if (status s = checkpoints->drain(); !s) return s;
    }
    if (status s = release_checkpointed(rec); !s) return s;
    wal->switch_half();
  }
  auto logged = wal->append(rec);
  if (!logged) {
    error e = std::move(logged).err();
    e.message += " Nothing was committed.";
    return e;
  }
  checkpoints->push(std::make_shared<const wal::record>(std::move(rec)));
  unsettled = true;
  return ok_status();
}

status draft::impl::settle() {
  if (!checkpoints || !unsettled) return ok_status();
  if (status s = checkpoints->drain(); !s) return s;
  unsettled = false;
  if (pack_count) *pack_count += checkpoints->take_packs_written();
  wal->rewind();
  status s = pack_files::refresh(r);
  r.discard_memory();
  return s;
}

status draft::impl::release_checkpointed(const wal::record& also) {
  // Taken before the refresh: a record that reaches git meanwhile is kept in memory too,
  // which costs nothing but memory until the next time.
  auto waiting = checkpoints->pending();
  waiting.push_back(std::shared_ptr<const wal::record>(&also, [](const wal::record*) {}));
  if (pack_count) *pack_count += checkpoints->take_packs_written();
  status s = pack_files::refresh(r);
  r.discard_memory();
  maybe_consolidate(0);  // may reopen the repository: memory is empty now anyway
  for (const auto& rec : waiting) {
    if (status kept = keep_in_memory(*rec); !kept) return kept;
  }
  return s;
}

status draft::impl::keep_in_memory(const wal::record& rec) {
  for (const wal::object& o : rec.objects) {
    if (!r.write_object(o.data, o.type)) {
      return make_error(error_kind::internal, "Could not keep a new object in memory.");
    }
  }
  return ok_status();
}

status draft::impl::publish(batch& b) {
  if (wal) return publish_logged(b);
  if (status s = pack_writer::write_and_move_main(r, b.objects, b.t.commit, head.commit); !s) {
    return s;
  }
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
  if (!settle()) return;  // main on disk is behind what was acknowledged: keep the memory
  r.discard_memory();
  pack_count.reset();
  if (!r.reopen()) return;
  auto loaded = load_draft(r);
  if (!loaded) return;  // keep what we had; the next write will fail its check and retry
  index = std::move(loaded->index);
  head = std::move(loaded->head);
  if (auto loaded_book = load_book(r)) book = std::move(*loaded_book);
  if (auto loaded_settings = load_settings(r, book)) settings = *loaded_settings;
  if (auto loaded_comments = load_comments(r)) comments = std::move(*loaded_comments);
  placed_cache.clear();
  repair();
  if (auto loaded_versions = load_versions(r, index)) versions = std::move(*loaded_versions);
}

void draft::impl::repair() {
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  for (int round = 0; round < 4; ++round) {
    auto moved = reconcile(r, index, head, book, now);
    if (!moved || !*moved) break;
    auto loaded = load_draft(r);  // main moved: read its new commits
    if (!loaded) break;
    index = std::move(loaded->index);
    head = std::move(loaded->head);
  }
  ensure_adopted_tag();
}

void draft::impl::ensure_adopted_tag() {
  if (head.snap.stage != draft_stage::adopted) return;
  auto existing = r.ref_target("refs/tags/adopted");
  if (existing || existing.err().kind != error_kind::not_found) return;
  for (std::size_t i = index.size(); i-- > 0;) {
    const draft_index::commit_record& c = index.commit(static_cast<std::uint32_t>(i));
    if (c.entry.op == op_kind::stage && c.entry.stage == draft_stage::adopted) {
      (void)create_tag(r, "adopted", c.oid, c.entry.by, c.entry.at, adopted_tag_message);
      return;
    }
  }
}

void draft::impl::maybe_consolidate(std::size_t new_packs) {
  // Counting packs lists objects/pack, which costs more than a small commit: keep a running
  // count instead (a batch writes at most one pack), listed again after each consolidation.
  if (!pack_count) {
    pack_count = pack_writer::count_packs(r.git_dir());
  } else {
    *pack_count += new_packs;
  }
  if (rollup) {
    // Finished, or so many packs meanwhile that this batch waits for it.
    const bool done =
        rollup->written.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
    if (done || *pack_count > 2 * pack_writer::max_packs) collect_rollup();
    return;
  }
  if (*pack_count <= pack_writer::max_packs) return;
  auto plan = pack_writer::plan_rollup(r.git_dir());
  if (!plan) {
    pack_count = pack_writer::count_packs(r.git_dir());
    return;
  }
  auto written = std::async(std::launch::async, [dir = r.git_dir(), p = *plan] {
    return pack_writer::write_rollup(dir, p);
  });
  rollup.emplace(rollup_job{std::move(*plan), std::move(written)});
}

void draft::impl::collect_rollup() {
  result<std::string> written = rollup->written.get();
  const pack_writer::rollup plan = std::move(rollup->plan);
  rollup.reset();
  // A rollup that fails leaves every object where it was; reopening lets the object database
  // see what is on disk now. Its own failure is not reported here: the next read or commit,
  // which needs the repository, reports it to whoever asked.
  if (written) {
    if (!pack_writer::finish_rollup(r, plan, *written)) (void)r.reopen();
  } else if (written.err().kind == error_kind::invalid) {
    // Packs with deltas: libgit2 resolves them, on this thread, as the repository's owner.
    if (!pack_writer::consolidate(r)) (void)r.reopen();
  }  // else a failure to write: the packs are as they were, and it is tried again when due
  pack_count = pack_writer::count_packs(r.git_dir());
}

}  // namespace plenary::storage
