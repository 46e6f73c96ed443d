#include "storage/index.hpp"

#include <algorithm>
#include <charconv>

#include "storage/words.hpp"

namespace plenary::storage {

std::uint32_t draft_index::add_commit(const git_oid& oid, log_entry entry) {
  const auto position = static_cast<std::uint32_t>(commits_.size());
  by_hex_.emplace(entry.commit, position);
  commits_.push_back(commit_record{oid, std::move(entry)});
  return position;
}

void draft_index::add_change(const std::string& id, std::uint32_t commit,
                             std::optional<git_oid> blob, const std::string* text) {
  note_id(id);
  clause_record& record = clauses_[id];
  const bool deleted = !blob.has_value();
  record.changes.push_back(change{commit, blob, std::nullopt});
  if (deleted || text == nullptr) {
    record.blame.reset();
    return;
  }
  if (record.blame) {
    const log_entry& entry = commits_[commit].entry;
    record.blame = words::carry_blame(*record.blame, *text, entry.commit, entry.by.state);
  }
}

std::optional<std::uint32_t> draft_index::find_commit(std::string_view hex) const {
  const auto it = by_hex_.find(std::string(hex));
  if (it == by_hex_.end()) return std::nullopt;
  return it->second;
}

const draft_index::clause_record* draft_index::find_clause(std::string_view id) const {
  const auto it = clauses_.find(id);
  return it == clauses_.end() ? nullptr : &it->second;
}

const draft_index::change* draft_index::change_at(std::string_view id,
                                                  std::uint32_t position) const {
  const clause_record* record = find_clause(id);
  if (record == nullptr) return nullptr;
  const auto& changes = record->changes;
  auto it = std::upper_bound(changes.begin(), changes.end(), position,
                             [](std::uint32_t p, const change& c) { return p < c.commit; });
  if (it == changes.begin()) return nullptr;
  return &*std::prev(it);
}

void draft_index::note_id(std::string_view id) {
  if (id.size() < 2 || id.size() > 10 || id[0] != 'c') return;
  int n = 0;
  const char* first = id.data() + 1;
  const char* last = id.data() + id.size();
  const auto [end, ec] = std::from_chars(first, last, n);
  if (ec == std::errc() && end == last) max_id_ = std::max(max_id_, n);
}

void number_clauses(std::vector<clause>& clauses) {
  int next = 1;
  for (clause& c : clauses) {
    if (c.kind == clause_kind::operative) {
      c.number = next++;
    } else {
      c.number.reset();
    }
  }
}

std::string text_of_file(std::string file) {
  if (!file.empty() && file.back() == '\n') file.pop_back();
  return file;
}

}  // namespace plenary::storage
