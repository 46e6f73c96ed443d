// Write-ahead log records into git, in the background and at open; see checkpointer.hpp.
#include "storage/git/checkpointer.hpp"

#include <git2.h>

#include <algorithm>
#include <utility>

#include "storage/git/main_lock.hpp"
#include "storage/git/pack_writer.hpp"

namespace plenary::storage {
namespace fs = std::filesystem;

namespace {

// One pack of the records' objects and main moved to the last one's target.
status put_into_git(const fs::path& git_dir, const std::vector<const wal::record*>& records,
                    const git_oid& expected) {
  std::vector<const wal::object*> objects;
  for (const wal::record* r : records) {
    for (const wal::object& o : r->objects) objects.push_back(&o);
  }
  return pack_writer::write_objects_and_move_main(git_dir, objects, records.back()->target,
                                                  expected);
}

}  // namespace

checkpointer::checkpointer(fs::path git_dir, checkpoint_hooks hooks)
    : git_dir_(std::move(git_dir)), hooks_(std::move(hooks)) {}

checkpointer::~checkpointer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    urgent_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void checkpointer::push(std::shared_ptr<const wal::record> r) {
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    const std::size_t before = queued_bytes_;
    queued_bytes_ += wal::log::record_size(*r);
    queue_.push_back(std::move(r));
    if (!worker_.joinable()) worker_ = std::thread([this] { run(); });
    // Only what changes the worker's mind wakes it (a wake-up per group commit was a context
    // switch per acknowledgement): the first record, or enough of them to go at once.
    wake = queue_.size() == 1 || (before < checkpoint_bytes && queued_bytes_ >= checkpoint_bytes);
  }
  if (wake) wake_.notify_all();
}

bool checkpointer::idle() const {
  std::lock_guard lock(mu_);
  return queue_.empty() && !working_;
}

status checkpointer::drain() {
  std::unique_lock lock(mu_);
  if (queue_.empty() && !working_) return ok_status();
  urgent_ = true;
  failed_.reset();
  wake_.notify_all();
  done_.wait(lock, [&] { return (queue_.empty() && !working_) || failed_.has_value(); });
  urgent_ = false;
  if (failed_) {
    error e = *failed_;
    failed_.reset();
    return e;
  }
  return ok_status();
}

std::uint64_t checkpointer::completed() const {
  std::lock_guard lock(mu_);
  return completed_;
}

std::vector<std::shared_ptr<const wal::record>> checkpointer::pending() const {
  std::lock_guard lock(mu_);
  return {queue_.begin(), queue_.end()};
}

std::size_t checkpointer::take_packs_written() {
  std::lock_guard lock(mu_);
  return std::exchange(packs_, 0);
}

void checkpointer::run() {
  using clock = std::chrono::steady_clock;
  std::chrono::milliseconds backoff{0};  // before the next try, after failed checkpoints
  clock::time_point first_failure;
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;
    if (failures_ > 0) {
      // Try again after the backoff, or at once when someone waits (drain, stopping).
      wake_.wait_for(lock, backoff, [&] { return urgent_; });
    } else if (!urgent_) {
      // Let the records of the next moments join this one, unless someone waits for it.
      wake_.wait_for(lock, checkpoint_delay,
                     [&] { return urgent_ || queued_bytes_ >= checkpoint_bytes; });
    }
    std::vector<std::shared_ptr<const wal::record>> taken(queue_.begin(), queue_.end());
    const git_oid expected = taken.front()->expected;
    working_ = true;
    lock.unlock();
    std::vector<const wal::record*> records;
    records.reserve(taken.size());
    for (const auto& r : taken) records.push_back(r.get());
    status s = put_into_git(git_dir_, records, expected);
    lock.lock();
    working_ = false;
    if (!s) {
      failed_ = std::move(s).err();
      const error why = *failed_;
      done_.notify_all();
      if (stopping_) return;  // what is left is in the log: the next open replays it
      backoff =
          failures_++ == 0 ? checkpoint_retry_first : std::min(backoff * 2, checkpoint_retry_max);
      if (failures_ == 1) {
        first_failure = clock::now();
        if (hooks_.failed) {
          lock.unlock();
          hooks_.failed(why, backoff);
          lock.lock();
        }
      }
      continue;
    }
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(taken.size()));
    for (const auto& r : taken) queued_bytes_ -= wal::log::record_size(*r);
    completed_ = taken.back()->seq;
    ++packs_;
    failed_.reset();
    const std::size_t failures = std::exchange(failures_, 0);
    lock.unlock();
    if (failures > 0 && hooks_.recovered) {
      hooks_.recovered(failures, std::chrono::duration_cast<std::chrono::milliseconds>(
                                     clock::now() - first_failure));
    }
    if (hooks_.moved) hooks_.moved();
    lock.lock();
    done_.notify_all();
  }
}

result<bool> replay(repo& r, const std::vector<wal::record>& records) {
  if (records.empty()) return false;
  auto main = read_main(r.git_dir());
  if (!main) return std::move(main).err();
  const wal::record& last = records.back();
  if (*main) {
    const git_oid& m = **main;
    if (git_oid_equal(&m, &last.target)) return false;
    // Records already in git from before the log was rewound: main holds their target.
    if (git_graph_descendant_of(r.get(), &m, &last.target) == 1) return false;
  }
  // From the record that main is the `expected` of (the latest such).
  for (std::size_t i = records.size(); i-- > 0;) {
    if (!*main || !git_oid_equal(&**main, &records[i].expected)) continue;
    std::vector<const wal::record*> rest;
    for (std::size_t k = i; k < records.size(); ++k) rest.push_back(&records[k]);
    if (status s = put_into_git(r.git_dir(), rest, **main); !s) return std::move(s).err();
    return true;
  }
  return make_error(
      error_kind::io,
      "The write-ahead log " + (r.git_dir() / wal::file_name).string() +
          " holds acknowledged amendments that main of " + r.git_dir().string() +
          " does not lead to: main was moved by something other than plenary after a crash. "
          "Nothing was changed; put main back where plenary left it (git reflog, or the "
          "`expected` commit of the log's first record) and start the server again.");
}

}  // namespace plenary::storage
