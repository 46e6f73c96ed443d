// Private to storage: the commits of the branches beside `main`, `procedure` (proposal records,
// storage/procedure.hpp; settings, storage/settings.hpp) and `comments` (threads, storage/
// comment_store.hpp), written and read in one way:
//
//   - each commit stores one file (`<folder>/<name>`, or `<name>` at the root) on top of the
//     tree of the branch's tip, so that the tree always holds every record as it stands;
//   - its author is the state that acted (`<name> <<code>@...>`, message::author_email) or, for
//     the server's own commits (procedure's `reconcile`), the server; its committer is always
//     the server, `plenary <server@plenary.invalid>`; both at the time of the act;
//   - its parent is the tip; the branch's first commit is a root;
//   - a folder of records holds `<n>.json` for n = 1..count, no gap, no leading zero.
//
// The write-ahead rule (issue 20). A draft opened with open_options::write_ahead acknowledges
// an amendment once its record is in the log (storage/git/wal.hpp); its objects then wait in
// the memory store until the checkpointer has put them into git and moved main (at most 50 ms
// later). Every write that goes straight to git (acts, tags, settings, comments) must first call
// the draft's settle() (draft::impl::settle in storage/draft.cpp, which waits for the
// checkpointer), for two reasons: such a write ends by emptying the memory store
// (commit_side_branch, publish_acts, create_tag), which would drop objects that only memory
// holds yet; and what it writes may name main's head, which must be in git by then (an act's
// adopting commit has it as parent and publish_acts moves main from it by compare-and-swap; a
// tag points at it). This file cannot settle by itself: the log and the checkpointer belong to
// the draft, not to the repository it is handed. What it can do, it does: commit_side_branch
// (comments, settings) and create_tag (tags, storage/tags.cpp) refuse, as `internal` and before
// writing anything, while memory holds objects that repo::write_object stored
// (check_settled, repo::holds_written_objects), so that a forgotten settle fails the tests
// instead of losing acknowledged amendments. Acts cannot be checked so: their batch writes its
// own objects to memory before it is published. The call sites that settle, all in
// storage/draft.cpp: draft::act_all (acts), draft::tag (tags), draft::set_live_wording
// (settings), draft::comment (comments), draft::amend_all before the tag `adopted`;
// impl::repair (reconcile, the tag `adopted`) runs in open() before the log is attached, and
// from reload(), which settles first. A new write path calls settle() first too.
//
// Thread safety: free functions on a repo, which has one owner (the draft).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/git/repo.hpp"
#include "storage/model.hpp"

namespace plenary::storage {

// The head of a side branch: its commit and that commit's tree; both zero before the first.
struct side_tip {
  git_oid commit{};
  git_oid tree{};
};

// One commit to make on a side branch.
struct side_commit {
  std::string folder;           // "threads", "proposals"; empty: the file is at the root
  std::string name;             // "4.json", "settings.json"
  std::string content;          // the file's bytes
  std::optional<actor> author;  // the state that acted; nullopt: the server
  std::int64_t at = 0;          // seconds since the epoch, UTC: author's and committer's time
  std::string message;          // the whole commit message
  std::string what;  // how errors name it: "the comment" ("... the commit of the comment")
};

struct side_written {
  side_tip tip;                  // the new commit and its tree
  std::vector<git_oid> objects;  // every object written: blob, folder tree, root tree, commit
};

// Writes the commit on top of `parent` into the memory store. Moves no ref; the caller packs
// `objects` (with whatever else its batch holds) and moves the branch.
result<side_written> write_side_commit(repo& r, const side_tip& parent, const side_commit& c);

// write_side_commit, then its objects as one pack, then `ref` moved from `parent.commit` by
// compare-and-swap (created when it is zero; `exists` or `io` when someone moved it). Returns
// the new tip. On error the ref has not moved. Memory is empty afterwards, success or not,
// except after the refusal of check_settled (`internal`, when memory still holds objects of
// main: settle first, the write-ahead rule at the top), which writes and discards nothing.
result<side_tip> commit_side_branch(repo& r, const std::string& ref, const side_tip& parent,
                                    const side_commit& c);

// The write-ahead rule's check (top of this file), for a write that ends by emptying memory:
// `internal`, naming `what` ("The branch refs/heads/comments", "The tag v1"), when memory holds
// objects repo::write_object stored, which only a draft that did not settle leaves there.
status check_settled(const repo& r, const std::string& what);

// The tip of `ref`; zero (no error) when the branch does not exist.
result<side_tip> read_side_tip(const repo& r, const std::string& ref);

// A record file of a folder: `<n>.json` and its bytes.
struct numbered_file {
  int n = 0;
  std::string name;
  std::string text;
};

// The files `<folder>/<n>.json` of `tree`, ordered by n; none when `tree` is zero or has no such
// folder. `io` (damaged_side_branch) when an entry is not a blob named <n>.json with n from 1
// to the number of entries.
result<std::vector<numbered_file>> read_numbered_files(const repo& r, const git_oid& tree,
                                                       std::string_view branch,
                                                       const std::string& folder);

// "The branch <branch> of <git dir> is damaged: <what>." as an `io` error.
error damaged_side_branch(const repo& r, std::string_view branch, const std::string& what);

// A side branch read back: its tip and its records, records[n - 1].
template <class Record>
struct side_records {
  side_tip tip;
  std::vector<Record> records;
};

// Reads the tip of `ref` (the branch `branch`) and every `<folder>/<n>.json` of its tree, each
// made a Record by `parse` (std::string_view -> result<Record>), which must hold its own n
// (Record::n). No branch: no records. `io` naming the file when one is damaged.
template <class Record, class Parse>
result<side_records<Record>> read_side_records(const repo& r, const std::string& ref,
                                               std::string_view branch, const std::string& folder,
                                               Parse parse) {
  side_records<Record> out;
  auto tip = read_side_tip(r, ref);
  if (!tip) return std::move(tip).err();
  out.tip = *tip;
  auto files = read_numbered_files(r, tip->tree, branch, folder);
  if (!files) return std::move(files).err();
  for (numbered_file& f : *files) {
    result<Record> record = parse(f.text);
    const std::string path = folder + "/" + f.name;
    if (!record) return damaged_side_branch(r, branch, path + ": " + record.err().message);
    if (record->n != f.n) return damaged_side_branch(r, branch, path + " holds another n");
    out.records.push_back(std::move(*record));
  }
  return out;
}

}  // namespace plenary::storage
