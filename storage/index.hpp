// Private to storage: what a draft knows about its history without asking git again.
//
// Built by one walk of `main`, oldest to newest (index_loader.cpp), then extended by every new
// commit, so that history, blame and `at` cost follows the clause's own history:
//   - every commit of main in order, with its log entry, findable by id;
//   - per clause id ever used, the commits that created it, changed its text or deleted it
//     (what `git log -- clauses/<id>.txt` shows), each with the blob after it;
//   - per clause, its blame once asked for, carried forward on each later change;
//   - the largest n of an id `c<n>` ever used, so that ids are never reused.
//
// Thread safety: not thread-safe (the blame cache is filled by const calls); one owner.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "storage/git/git_handles.hpp"
#include "storage/model.hpp"

namespace plenary::storage {

class draft_index {
 public:
  struct commit_record {
    git_oid oid{};
    log_entry entry;
  };

  // One commit that touched clauses/<id>.txt.
  struct change {
    std::uint32_t commit = 0;     // position in commits()
    std::optional<git_oid> blob;  // the file after the commit; nullopt: deleted
    // The word diff against the previous text, once computed: a commit never changes, so
    // neither does its diff, and a history is read again far more often than it grows.
    mutable std::optional<std::vector<diff_piece>> diff;
  };

  struct clause_record {
    std::vector<change> changes;  // oldest first
    // Blame of the text after the last change, once computed.
    mutable std::optional<std::vector<blame_segment>> blame;
  };

  // Room for `n` commits in all (a walk knows how many it will add).
  void reserve(std::size_t n) {
    commits_.reserve(n);
    by_hex_.reserve(n);
  }

  // Appends a commit (a child of the last one) and returns its position.
  std::uint32_t add_commit(const git_oid& oid, log_entry entry);

  // Records that commit `commit` changed clause `id`. When the clause's blame is cached and
  // `text` (the new text) is given, the blame is carried forward; a deletion drops it.
  void add_change(const std::string& id, std::uint32_t commit, std::optional<git_oid> blob,
                  const std::string* text = nullptr);

  std::size_t size() const noexcept { return commits_.size(); }
  const commit_record& commit(std::uint32_t position) const { return commits_[position]; }
  std::optional<std::uint32_t> find_commit(std::string_view hex) const;

  // Null when no clause ever had this id.
  const clause_record* find_clause(std::string_view id) const;

  // The change of clause `id` in effect at commit `position` (the last at or before it);
  // null when the clause did not exist yet.
  const change* change_at(std::string_view id, std::uint32_t position) const;

  // The largest n of a clause id "c<n>" seen so far.
  int max_id_number() const noexcept { return max_id_; }

  // Every clause id ever used, with its changes (for index_cache).
  const std::map<std::string, clause_record, std::less<>>& clauses() const noexcept {
    return clauses_;
  }

 private:
  void note_id(std::string_view id);

  std::vector<commit_record> commits_;
  std::unordered_map<std::string, std::uint32_t> by_hex_;
  std::map<std::string, clause_record, std::less<>> clauses_;
  int max_id_ = 0;
};

// The head of `main` as the amendment code needs it.
struct tip {
  snapshot snap;           // title, head, clauses with text, rev, by and numbers
  git_oid commit{};        // zero before the first commit
  git_oid root_tree{};     // zero before the first commit
  git_oid clauses_tree{};  // zero when there is no clauses/ tree
  int max_id = 0;          // the largest n of an id "c<n>" ever used
};

// Fills `number` of the operative clauses (1, 2, 3… in order) and clears the others'.
void number_clauses(std::vector<clause>& clauses);

// The clause text stored in a file: the file without its one trailing newline.
std::string text_of_file(std::string file);

}  // namespace plenary::storage
