// A draft under negotiation, stored as a bare git repository (protocol.md, "Storage layout"):
//   draft.json          {"title": ..., "clauses": [{"id": ..., "kind": ...}, ...]}
//   clauses/<id>.txt    each clause's text followed by one newline
// on the branch `main`, one commit per amendment, authored by the delegation.
//
// Thread safety: a draft is NOT thread-safe. One owner (the server's room for that draft)
// calls it from one strand at a time. Different drafts may be used from different threads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/model.hpp"
#include "storage/result.hpp"

namespace plenary::storage {

// One amendment to apply, with who made it and when the server accepted it.
struct request {
  actor by;
  amendment change;
  std::int64_t at = 0;  // seconds since the epoch, UTC
};

class draft {
 public:
  // Creates a bare repository at `git_dir` holding the `open` commit (author = chair) and
  // returns it opened. Atomic: the repository is built beside `git_dir` and renamed into
  // place, so a reader never sees half a draft; `exists` if anything is at `git_dir`.
  static result<std::unique_ptr<draft>> create(const std::filesystem::path& git_dir,
                                               const draft_spec& spec, const actor& chair,
                                               std::int64_t at);

  // Opens an existing draft and builds its index (one walk of `main`). Removes stale
  // `.lock` files that a crashed writer left behind in this repository.
  static result<std::unique_ptr<draft>> open(const std::filesystem::path& git_dir);

  ~draft();
  draft(const draft&) = delete;
  draft& operator=(const draft&) = delete;

  // The text at the head of `main`. Cheap: kept in memory and updated on every commit.
  const snapshot& head() const noexcept;

  // The text as it stood at `commit` (a full 40-hex id of `main`'s history); `not_found`
  // for a commit that is not in it, `invalid` for something that is not a commit id.
  result<snapshot> at(std::string_view commit) const;

  // Every commit of `main`, newest first; at most `limit` entries.
  std::vector<log_entry> log(std::size_t limit = SIZE_MAX) const;

  // The commits that created, changed the text of, or deleted the clause (what
  // `git log -- clauses/<id>.txt` shows), oldest first, each with the text after it and a
  // word diff against the text before it. Cost follows the clause's own history.
  result<std::vector<history_entry>> history(std::string_view clause_id) const;

  // The current text of the clause, each piece attributed to the commit and state that
  // introduced it. Joining the segments' texts gives the current text.
  result<std::vector<blame_segment>> blame(std::string_view clause_id) const;

  // Applies one amendment as exactly one commit on `main`. Returns only once the objects
  // and the branch update are on disk (when fsync is on). On any error nothing is committed.
  // replace/remove with a stale `base`: replace merges word by word when the changes do not
  // overlap (`merged`), otherwise `conflict` carrying the current clause; a stale remove is
  // always a `conflict`.
  result<applied> amend(const request& r);

  // Applies several amendments in order, each its own commit on top of the previous one
  // (a refused one is skipped and the rest go on), with one write of all new objects and one
  // compare-and-swap of `main` (group commit). Results are in the order of `requests`.
  std::vector<result<applied>> amend_all(std::span<const request> requests);

  const std::filesystem::path& path() const noexcept;

 private:
  struct impl;
  explicit draft(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

// Where the draft `slug` lives in a data directory: DATA/drafts/<slug>.git. `invalid` when
// `slug` is not ^[a-z0-9][a-z0-9-]{0,62}$ (so no "..", "/" or other path tricks get through).
result<std::filesystem::path> draft_path(const std::filesystem::path& data_dir,
                                         std::string_view slug);

// Process-wide libgit2 setup. Create one before any draft is used, keep it alive while
// drafts are in use. fsync is on by default; turning it off is for tests and benchmarks.
struct library_options {
  bool fsync = true;
};

class library {
 public:
  explicit library(library_options options = {});
  ~library();
  library(const library&) = delete;
  library& operator=(const library&) = delete;
};

}  // namespace plenary::storage
