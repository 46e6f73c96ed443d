#include "storage/blame.hpp"

#include "storage/words.hpp"

namespace plenary::storage {

result<std::vector<blame_segment>> clause_blame(const repo& r, const draft_index& index,
                                                std::string_view clause_id) {
  const draft_index::clause_record* rec = index.find_clause(clause_id);
  if (rec == nullptr) {
    return make_error(error_kind::not_found,
                      "There is no clause " + std::string(clause_id) + " in this draft.");
  }
  if (rec->changes.empty() || !rec->changes.back().blob) {
    return make_error(error_kind::not_found, "Clause " + std::string(clause_id) +
                                                 " has been deleted; its history is still there.");
  }
  if (!rec->blame) {
    std::vector<blame_segment> segments;
    for (const auto& ch : rec->changes) {
      if (!ch.blob) {
        segments.clear();
        continue;
      }
      auto file = r.read_blob(*ch.blob);
      if (!file) return std::move(file).err();
      const log_entry& e = index.commit(ch.commit).entry;
      segments = words::carry_blame(segments, text_of_file(std::move(*file)), e.commit, e.by.state);
    }
    rec->blame = std::move(segments);
  }
  return *rec->blame;
}

result<std::vector<blame_segment>> clause_blame(const repo& r, const draft_index& index,
                                                const batch& b, std::string_view clause_id) {
  std::vector<blame_segment> segments;
  if (index.find_clause(clause_id) != nullptr) {
    auto known = clause_blame(r, index, clause_id);
    // A clause deleted on main may not be here any more; a clause new in this batch has none.
    if (known) {
      segments = std::move(*known);
    } else if (known.err().kind != error_kind::not_found) {
      return std::move(known).err();
    }
  }
  for (const pending_commit& pc : b.commits) {
    if (!pc.file_changed || pc.clause_id != clause_id) continue;
    if (!pc.text) {
      segments.clear();
      continue;
    }
    segments = words::carry_blame(segments, *pc.text, pc.entry.commit, pc.entry.by.state);
  }
  return segments;
}

}  // namespace plenary::storage
