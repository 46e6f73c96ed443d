// Private to storage: a draft's write-ahead log (issue 20), `<slug>.git/plenary-wal`.
//
// A group commit of amendments is acknowledged once its record is on disk: the objects of its
// commits (computed in memory, so the ack carries the commit id) and the move of `main` from
// `expected` to `target`, written in one pwrite and flushed with one fdatasync. The pack and
// the move of main follow on another thread (checkpointer.hpp); `draft::open` replays what a
// crash left in the log and not in git (replay.hpp) before the draft serves, so plain git and
// every reader see exactly what was acknowledged. git ignores the file (`git fsck` too).
//
// Layout. The file is made once at its full size, `capacity` bytes of zeros, flushed, so that
// a record overwrites blocks the file already has: an fdatasync then writes data only, no
// journal commit for a new size (measured by bench/fsync_floor.cpp: half the time of a 4 KiB
// append on this machine's ext4). Block 0 is the header: magic, then a 16-byte random key
// chosen each time a writer opens the log. Records follow from offset `header_size`:
//   u32 magic "PWR1", u32 body size, u64 sequence number,
//   body: expected (20 bytes), target (20), u32 object count, per object: u8 pack type,
//         id (20), u32 size, the bytes,
//   SHA-1 of key + everything before it in the record (20 bytes).
// Numbers little-endian. A record counts only if its checksum holds with the file's key and
// its number follows the previous one's; reading stops at the first that does not. The key
// makes a delegate's text that happens to look like a record worthless (it cannot know the
// key), and records of an earlier opening (another key) dead.
//
// The space after the header is two halves, written in turn: records go into one half until
// the next does not fit, then to the start of the other, once every record of that other half
// is in git (the owner checks; most of the time the checkpointer is long past them, so nobody
// waits). Reading takes the records of both halves and keeps the run of consecutive numbers
// that ends with the highest: stale records (already in git) beyond a half's tail have smaller
// numbers and end that half's run; a stale record left at a half's start by a crash before the
// new one was flushed is one whose target main already holds, which replay skips.
//
// Writing. With fsync on, records are written with direct I/O (O_DIRECT, then fdatasync) when
// the file system allows it at the offsets the layout needs: the page cache's copy and its
// write-back cost 39-44 us of CPU per 1.5 KB record against 23-25 us direct, and the record is
// acknowledged ~7% sooner in the server (docs/performance.md, issue 20's follow-up). Direct
// I/O writes whole blocks of the device's alignment (512 bytes here): the block a record starts
// in is written again with the bytes before it, which the log keeps from its last write (the
// same bytes, so a torn write cannot hurt them, as with the page cache's write-back of the
// whole page), and the rest of the record's last block with zeros (stale records, in git).
// Where direct I/O is refused (tmpfs, an alignment the halves do not keep), plain pwrite.
//
// Thread safety: a log belongs to the draft's owner (one strand).
#pragma once

#include <git2/oid.h>
#include <git2/types.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/result.hpp"

namespace plenary::storage::wal {

// The log's size on disk: a group commit of 20 amendments writes about 60 KB (commit, tree,
// blob, sometimes draft.json each), 3,700 amendments/s about 11 MB/s; the checkpointer puts
// what waits into git as soon as 256 KB wait (checkpointer.hpp), so with halves of 2 MiB it
// is far past a half when the log comes back to it, and a group practically never waits. A
// record larger than a half is written once the checkpointer has caught up, at the start of
// the first half, and may grow the file (then its flush also writes the new size).
inline constexpr std::size_t capacity = std::size_t{4} << 20;
// The header block; records start after it.
inline constexpr std::size_t header_size = 4096;
// The file, in the repository.
inline constexpr const char* file_name = "plenary-wal";

struct object {
  git_oid oid{};
  git_object_t type = GIT_OBJECT_INVALID;
  std::string data;
};

// One group commit: main moves from `expected` to `target`; `objects` are its new objects.
struct record {
  std::uint64_t seq = 0;
  git_oid expected{};
  git_oid target{};
  std::vector<object> objects;
};

class log {
 public:
  // Opens the log of the repository at `git_dir`, creating the file (at full size, flushed,
  // with its directory) when there is none, and returns it with the records it holds from the
  // last opening (possibly none). The records are not yet in git, or some of them not: replay
  // them (replay.hpp), then call start() before appending.
  static result<log> open(const std::filesystem::path& git_dir, std::vector<record>& found);

  log(log&& other) noexcept;
  log& operator=(log&& other) noexcept;
  log(const log&) = delete;
  log& operator=(const log&) = delete;
  ~log();

  // A fresh key in the header, flushed: every record written before is dead. Call once what
  // open() returned is in git.
  status start();

  // Writes `r` (its seq is set here) after the records since the last rewind and flushes it
  // (fdatasync, when fsync is on). Returns its sequence number. `io` when it cannot be
  // written; nothing then counts as logged.
  result<std::uint64_t> append(record& r);

  // Whether a record of `bytes` (record_size) still fits in the current half.
  bool fits(std::size_t bytes) const noexcept { return tail_ + bytes <= half_end(); }
  // Whether it fits in a half at all.
  static bool fits_half(std::size_t bytes) noexcept { return bytes <= half_size; }
  // The last record written in the other half (0 when none): it must be in git before
  // switch_half().
  std::uint64_t other_half_last() const noexcept { return last_in_[1 - half_]; }
  // The next record goes to the start of the other half.
  void switch_half() noexcept;
  // The next record goes to the start of the first half: call only when every record appended
  // is in git (main on disk holds its target).
  void rewind() noexcept;

  // What a record occupies in the file.
  static std::size_t record_size(const record& r) noexcept;

  const std::filesystem::path& path() const noexcept { return path_; }
  // Whether records are written with direct I/O (see "Writing" above).
  bool direct() const noexcept { return direct_fd_ >= 0; }

 private:
  log() = default;
  // Writes `bytes` at tail_ and flushes them (fsync on).
  status write_record(std::string_view bytes);
  // Opens the file a second time for direct I/O, when the file system allows it at the
  // offsets records start at (header_size, the second half's start); else leaves direct_fd_.
  void open_direct();

  std::filesystem::path path_;
  int fd_ = -1;
  int direct_fd_ = -1;     // the same file with O_DIRECT, for records; -1: plain writes
  std::size_t align_ = 0;  // direct I/O's alignment of offsets, sizes and memory
  struct free_deleter {
    void operator()(char* p) const noexcept { std::free(p); }
  };
  // An aligned buffer of stage_size_ bytes; its first tail_ % align_ bytes are those of the
  // block tail_ is in, before tail_ (written by the last record).
  std::unique_ptr<char, free_deleter> stage_;
  std::size_t stage_size_ = 0;
  static constexpr std::size_t half_size = (capacity - header_size) / 2;
  std::size_t half_end() const noexcept {
    return header_size + static_cast<std::size_t>(half_ + 1) * half_size;
  }
  std::size_t size_ = 0;               // the file's size
  std::size_t tail_ = header_size;     // where the next record goes
  int half_ = 0;                       // the half it is in
  std::uint64_t last_in_[2] = {0, 0};  // the last record written in each half
  std::uint64_t next_seq_ = 1;
  std::array<unsigned char, 16> key_{};
};

}  // namespace plenary::storage::wal
