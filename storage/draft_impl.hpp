// Private to storage: what a draft holds (draft::impl), shared by storage/draft.cpp (the draft's
// reads and writes), storage/draft_reads.cpp (what is derived from them: history, blame,
// debrief, compare) and storage/draft_publish.cpp (how its batches reach git: straight, or
// through the write-ahead log and the checkpointer; settle, reload, repair, pack rollups).
// Thread safety: as storage::draft (one owner).
#pragma once

#include <algorithm>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storage/amend.hpp"
#include "storage/comment_store.hpp"
#include "storage/draft.hpp"
#include "storage/git/checkpointer.hpp"
#include "storage/git/pack_writer.hpp"
#include "storage/git/repo.hpp"
#include "storage/git/rollup.hpp"
#include "storage/git/wal.hpp"
#include "storage/index.hpp"
#include "storage/index_cache.hpp"
#include "storage/index_loader.hpp"
#include "storage/procedure.hpp"
#include "storage/settings.hpp"
#include "storage/text.hpp"

namespace plenary::storage {

// The message of the tag `adopted`; the same every time, so that a tag remade after a crash
// (impl::ensure_adopted_tag) is the very object the move to the adopted stage would have made.
inline constexpr const char* adopted_tag_message = "The text as adopted.\n";

struct draft::impl {
  repo r;
  draft_index index;
  tip head;
  proposal_book book;       // every proposal record and the tip of `procedure`
  draft_settings settings;  // settings.json of procedure's tip (storage/settings.hpp)
  comment_book comments;    // the threads of the branch `comments`
  // Where each thread's anchor stands, by n, with the clause rev it was placed at.
  mutable std::map<int, std::pair<std::string, placed_anchor>> placed_cache;
  std::vector<std::string> delegations;  // set_delegations: the codes brackets may name
  draft_limits limits;                   // set_limits
  std::vector<version> versions;         // every tag on main, in version_before order
  // Effective changes of open proposals by n, each valid while its computed_at is main's head
  // and the delegations are the same (cleared by set_delegations).
  mutable std::map<int, effective_change> effective_cache;

  // Debriefs computed for the current head, by the commit of their version. `debrief_key`
  // names the head they belong to (main, procedure, number of tags); any move clears them.
  // At most `max_debriefs` versions are kept: the page asks for a handful (the head, adopted,
  // a tag or two), and each is at most a few hundred kilobytes.
  static constexpr std::size_t max_debriefs = 8;
  std::string debrief_key;
  std::map<std::string, debrief, std::less<>> debriefs;

  // A tag just made: into `versions`, in order.
  void add_version(version v) {
    versions.insert(std::upper_bound(versions.begin(), versions.end(), v, version_before),
                    std::move(v));
  }

  impl(repo rr, loaded_draft loaded)
      : r(std::move(rr)), index(std::move(loaded.index)), head(std::move(loaded.head)) {}
  ~impl() {
    (void)settle();  // what fails stays in the log: the next open replays it
    if (rollup) collect_rollup();
    if (may_save_index && index.size() >= saved_commits + index_save_step) save_index();
  }

  // The index saved beside the repository (index_cache.hpp), so that the next open reads only
  // what came after it: written when opening had to read many commits from git, and when the
  // draft is closed with many commits since. Only by the writer (open_options::repair).
  static constexpr std::size_t index_save_step = 256;
  bool may_save_index = false;
  std::size_t saved_commits = 0;  // commits in the saved index
  void save_index() {
    if (index_cache::write(r.git_dir(), index, head.commit)) saved_commits = index.size();
  }

  // Publishes a batch: one pack, one compare-and-swap of main. On failure nothing moved.
  status publish(batch& b);

  // The write-ahead log (storage/git/wal.hpp) and what turns its records into git
  // (checkpointer.hpp): the writer's amendments are on disk, and acknowledged, once their
  // record is; main and the packs follow. Absent for readers (open_options::repair false) and
  // when main's updates are logged (a reflog: libgit2 moves main, synchronously as before).
  // While records wait, their objects stay in the memory store (readers see them there), so
  // nothing may discard it or reopen the repository before settle().
  std::optional<wal::log> wal;
  std::unique_ptr<checkpointer> checkpoints;
  bool unsettled = false;  // records pushed since the last settle()
  // Logs a batch (one record, one fdatasync) and hands it to the checkpointer.
  status publish_logged(batch& b);
  // Lets the object database see the packs the checkpointer wrote, empties the memory store
  // of what they hold (keeping the objects of the records still waiting, and of `also`) and
  // rolls packs up when due. Does not wait.
  status release_checkpointed(const wal::record& also);
  // Puts the objects of a record (back) into the memory store.
  status keep_in_memory(const wal::record& rec);
  // Waits until every logged record is in git, then lets the object database see the new
  // packs, empties the memory store and rewinds the log. Call before anything that writes
  // other refs, reads main from disk, or empties memory.
  status settle();
  // Records the published commits in the index and moves the head.
  void adopt(batch& b);
  // Re-reads everything from disk (after another process moved main, or a failed write).
  void reload();
  // Folds the packs into one when there are too many; failures leave the draft as it was.
  // `new_packs`: packs written since the last call, other than by the checkpointer.
  void maybe_consolidate(std::size_t new_packs);
  std::optional<std::size_t> pack_count;  // packs in objects/pack, as far as we know
  // A rollup of packs being written on another thread (pack_writer::write_rollup), so that
  // the amendments of the moment do not wait for it; finished by the next batch after it.
  struct rollup_job {
    pack_writer::rollup plan;
    std::future<result<std::string>> written;
  };
  std::optional<rollup_job> rollup;
  void collect_rollup();  // waits for it if need be
  // Finishes what a crash left undone (storage/procedure.hpp): adoptions main lacks, proposal
  // refs, the tag `adopted`. Best effort: what fails is tried again on the next open.
  void repair();
  void ensure_adopted_tag();

  result<std::string> read_text(const git_oid& blob) const {
    auto file = r.read_blob(blob);
    if (!file) return std::move(file).err();
    return text_of_file(std::move(*file));
  }

  result<const draft_index::clause_record*> record_of(std::string_view id) const;
};

}  // namespace plenary::storage
