// Private to storage: turns a draft's write-ahead log records (wal.hpp) into git, on a thread
// of its own, after they were acknowledged: one pack of every record waiting and one move of
// `main` (pack_writer::write_objects_and_move_main, the same files and the same order as the
// group commit that did it before the ack), and `replay`, which does the same at open for what
// a crash left in the log.
//
// A checkpoint waits `checkpoint_delay` after the first record that it will hold, so that the
// records of that time make one pack and one move of main instead of one each: creating the
// pack, its index and main's lock (three new inodes) and the renames cost most of the CPU of
// a small group commit (perf at 2 writers, docs/performance.md). A record is durable once in
// the log, so the delay costs nothing but plain git seeing it a little later; the owner asks
// for a checkpoint at once with `drain`.
//
// A checkpoint that fails (main.lock held by a git command, a full disk) is tried again by
// the worker itself after a backoff (checkpoint_retry_first, doubling up to
// checkpoint_retry_max), or at once when the owner drains; its records stay queued and in the
// log meanwhile, so nothing acknowledged is lost. The owner hears of the first failure of a
// streak and of the success that ends it (`hooks`), to log them.
//
// Thread safety: push, idle, drain and take_packs_written are called by the draft's owner (one
// strand); the worker thread touches files only, never the repository's libgit2 objects. The
// hooks run on the worker thread.
#pragma once

#include <git2/oid.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "storage/git/repo.hpp"
#include "storage/git/wal.hpp"
#include "storage/result.hpp"

namespace plenary::storage {

// How long a checkpoint waits for more records: 50 ms folds ~30 group commits into one pack at
// 600 amendments/s and still leaves plain git (a mirror push, `git log` on the server) at most
// a twentieth of a second behind what was acknowledged.
inline constexpr std::chrono::milliseconds checkpoint_delay{50};
// ... unless this much waits already: at 11 MB/s of records (3,700 amendments/s) that is a
// checkpoint every ~25 ms, and a half of the log (wal.hpp) is never close to full.
inline constexpr std::size_t checkpoint_bytes = std::size_t{256} << 10;
// After a failed checkpoint the worker waits this long before trying again, doubling the wait
// after each further failure: 50 ms (the checkpoint delay) gets past a lock that a git command
// holds for a moment (`git gc`, `git update-ref` by hand) as if nothing had happened, ...
inline constexpr std::chrono::milliseconds checkpoint_retry_first{50};
// ... and 5 s bounds both the wait once the cause is gone (a stale main.lock removed, space
// freed) and the cost of a cause that stays: one pack written to a temporary file and removed
// again every 5 s (at most 2 MB, the log's half: wal.hpp).
inline constexpr std::chrono::milliseconds checkpoint_retry_max{5000};

// What the checkpointer tells its owner, on its worker thread (so quick, and thread-safe).
struct checkpoint_hooks {
  // After each checkpoint that moved main on disk.
  std::function<void()> moved;
  // The first failure after a success (or the first checkpoint): why, and when the worker
  // tries again by itself. Not called again until a checkpoint succeeds.
  std::function<void(const error& why, std::chrono::milliseconds retry_in)> failed;
  // The success that ends a streak of `failures` failed checkpoints, `for_ms` after the first.
  std::function<void(std::size_t failures, std::chrono::milliseconds for_ms)> recovered;
};

class checkpointer {
 public:
  // Each checkpoint moves main from its first record's `expected`: the owner pushes records
  // that continue from main on disk, one after the other.
  explicit checkpointer(std::filesystem::path git_dir, checkpoint_hooks hooks = {});
  // Puts what is waiting into git (unless a checkpoint failed), then stops the thread.
  ~checkpointer();
  checkpointer(const checkpointer&) = delete;
  checkpointer& operator=(const checkpointer&) = delete;

  // A record now in the log, to put into git.
  void push(std::shared_ptr<const wal::record> r);
  // Every record pushed is in git (main on disk is at the last target).
  bool idle() const;
  // Puts every record pushed into git now and waits for it; the error of a failed checkpoint
  // (its records stay queued, and the worker tries again after its backoff, or the next
  // drain at once).
  status drain();
  // Packs written since the last call.
  std::size_t take_packs_written();
  // The number of the last record in git (0 before any).
  std::uint64_t completed() const;
  // The records not yet in git, oldest first.
  std::vector<std::shared_ptr<const wal::record>> pending() const;

 private:
  void run();

  const std::filesystem::path git_dir_;
  const checkpoint_hooks hooks_;
  mutable std::mutex mu_;
  std::condition_variable wake_, done_;
  std::deque<std::shared_ptr<const wal::record>> queue_;
  bool urgent_ = false;  // drain: no delay
  bool stopping_ = false;
  bool working_ = false;         // a checkpoint is being written
  std::optional<error> failed_;  // the last checkpoint's error, for drain
  std::size_t failures_ = 0;     // failed checkpoints in a row
  std::size_t packs_ = 0;
  std::size_t queued_bytes_ = 0;  // of the records in queue_
  std::uint64_t completed_ = 0;
  std::thread worker_;  // started by the first push
};

// At open, before the draft serves: puts into git the records of the log that main on disk
// does not hold yet (those from the one whose `expected` is main, on), as one pack and one
// move of main. Nothing when main is at or past the last record's target (they are all in
// git). `io` when main is none of these (something else moved it while acknowledged records
// waited): the log is left as it is, so nothing is lost, and the message says what to do.
// Returns whether main moved.
result<bool> replay(repo& r, const std::vector<wal::record>& records);

}  // namespace plenary::storage
