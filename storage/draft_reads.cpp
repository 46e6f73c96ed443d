// The draft's derived reads (draft.hpp): a clause's history with its word diffs and its blame,
// the debrief of a version, and the comparison of two versions. Each is computed from the
// draft index and the repository, kept where it is dear (the diffs in the index, the debriefs
// per head); the reads and writes of the draft itself are in draft.cpp.
#include <git2.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "storage/blame.hpp"
#include "storage/brackets.hpp"
#include "storage/debrief_builder.hpp"
#include "storage/draft.hpp"
#include "storage/draft_impl.hpp"
#include "storage/index.hpp"
#include "storage/text.hpp"
#include "storage/words.hpp"

namespace plenary::storage {

result<const draft_index::clause_record*> draft::impl::record_of(std::string_view id) const {
  if (!is_valid_clause_id(id)) {
    return make_error(
        error_kind::invalid,
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
  auto segments = clause_blame(impl_->r, impl_->index, clause_id);
  if (!segments) return std::move(segments).err();
  // Each alternative of a bracket is its proponent's, and the words still as tabled are marked
  // so (storage/brackets.hpp).
  return brackets::attribute_proponents(std::move(*segments), impl_->index.commit(0).entry.commit);
}

result<debrief> draft::debrief_of(std::string_view version) const {
  std::string commit = impl_->head.snap.head;
  if (!version.empty()) {
    auto resolved = resolve(version);
    if (!resolved) return std::move(resolved).err();
    commit = std::move(*resolved);
  }
  const std::string key = impl_->head.snap.head + "/" + git::to_hex(impl_->book.tip) + "/" +
                          std::to_string(impl_->versions.size());
  if (key != impl_->debrief_key) {
    impl_->debriefs.clear();
    impl_->debrief_key = key;
  }
  const std::string cache_key = commit + "/" + std::string(version);
  // Comments are counted at each read (one pass over the threads in memory), so that a comment
  // does not make the debrief computed again.
  const auto with_comments = [this](debrief d) {
    for (const comment_thread& t : impl_->comments.threads) {
      for (const comment_entry& c : t.comments) {
        auto row = std::find_if(d.states.begin(), d.states.end(),
                                [&](const debrief_state& s) { return s.state == c.by.state; });
        if (row == d.states.end()) {
          debrief_state s;
          s.state = c.by.state;
          s.name = c.by.name;
          row = d.states.insert(
              std::upper_bound(
                  d.states.begin(), d.states.end(), s,
                  [](const debrief_state& a, const debrief_state& b) { return a.state < b.state; }),
              std::move(s));
        }
        ++row->comments;
      }
    }
    return d;
  };
  if (auto it = impl_->debriefs.find(cache_key); it != impl_->debriefs.end()) {
    return with_comments(it->second);
  }
  const auto position = impl_->index.find_commit(commit);
  if (!position) {
    return make_error(error_kind::not_found,
                      "Commit " + commit + " is not in the history of this draft.");
  }
  auto text = at(commit);
  if (!text) return std::move(text).err();
  auto tabled = at(impl_->index.commit(0).entry.commit);
  if (!tabled) return std::move(tabled).err();
  auto built = build_debrief({impl_->r, impl_->index, impl_->book, impl_->versions, *text, *tabled,
                              *position, std::string(version), impl_->head.snap.stage});
  if (!built) return std::move(built).err();
  if (impl_->debriefs.size() >= impl::max_debriefs) impl_->debriefs.clear();
  impl_->debriefs.emplace(cache_key, *built);
  return with_comments(std::move(*built));
}

result<comparison> draft::compare(std::string_view from, std::string_view to) const {
  auto from_commit = resolve(from);
  if (!from_commit) return std::move(from_commit).err();
  auto to_commit = resolve(to);
  if (!to_commit) return std::move(to_commit).err();
  auto from_snapshot = at(*from_commit);
  if (!from_snapshot) return std::move(from_snapshot).err();
  if (*to_commit == *from_commit) return storage::compare(*from_snapshot, *from_snapshot);
  auto to_snapshot = at(*to_commit);
  if (!to_snapshot) return std::move(to_snapshot).err();
  return storage::compare(*from_snapshot, *to_snapshot,
                          moved_between(impl_->index, *from_commit, *to_commit));
}

}  // namespace plenary::storage
