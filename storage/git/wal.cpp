// The write-ahead log of a draft's group commits; see wal.hpp.
#include "storage/git/wal.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <string_view>
#include <utility>

#include "storage/files.hpp"
#include "storage/git/pack_encoding.hpp"
#include "storage/git/pack_files.hpp"
#include "storage/git/sha1.hpp"

namespace plenary::storage::wal {
namespace fs = std::filesystem;
using pack_files::os_reason;

namespace {

constexpr std::string_view header_magic = "PLENARY-WAL v1\n";  // 15 bytes, then a zero
constexpr std::size_t key_offset = 16;
constexpr std::uint32_t record_magic = 0x31525750;  // "PWR1" little-endian
constexpr std::size_t record_head = 4 + 4 + 8;      // magic, body size, seq
constexpr std::size_t oid_size = GIT_OID_RAWSZ;

void put_le(std::string& out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

std::uint64_t get_le(const unsigned char* p, int bytes) noexcept {
  std::uint64_t v = 0;
  for (int i = bytes; i-- > 0;) v = (v << 8) | p[i];
  return v;
}

git_object_t type_of_pack(int t) noexcept {
  switch (t) {
    case pack_encoding::obj_commit:
      return GIT_OBJECT_COMMIT;
    case pack_encoding::obj_tree:
      return GIT_OBJECT_TREE;
    case pack_encoding::obj_blob:
      return GIT_OBJECT_BLOB;
    case pack_encoding::obj_tag:
      return GIT_OBJECT_TAG;
    default:
      return GIT_OBJECT_INVALID;
  }
}

sha1::digest checksum(const std::array<unsigned char, 16>& key, std::string_view bytes) {
  sha1 h;
  h.update(key.data(), key.size());
  h.update(bytes);
  return h.finish();
}

error io_error(const fs::path& p, const std::string& what, int err) {
  return make_error(error_kind::io, "Could not " + what + " the write-ahead log " + p.string() +
                                        ": " + os_reason(err) + ".");
}

bool write_all(int fd, const char* data, std::size_t size, std::size_t at) {
  while (size > 0) {
    const ssize_t n = ::pwrite(fd, data, size, static_cast<off_t>(at));
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
    at += static_cast<std::size_t>(n);
  }
  return true;
}

// The records of `file` that hold with `key`, in order, from offset `at` on.
std::vector<record> parse_run(std::string_view file, const std::array<unsigned char, 16>& key,
                              std::size_t at) {
  std::vector<record> out;
  const auto* base = reinterpret_cast<const unsigned char*>(file.data());
  while (at + record_head + oid_size <= file.size()) {
    const unsigned char* p = base + at;
    if (get_le(p, 4) != record_magic) break;
    const std::uint64_t body = get_le(p + 4, 4);
    const std::uint64_t seq = get_le(p + 8, 8);
    if (body > file.size() || at + record_head + body + oid_size > file.size()) break;
    if (!out.empty() && seq != out.back().seq + 1) break;
    const std::string_view signed_part = file.substr(at, record_head + body);
    const sha1::digest sum = checksum(key, signed_part);
    if (std::memcmp(sum.data(), p + record_head + body, oid_size) != 0) break;
    // The body, checked: a record whose checksum holds was written by us, but read it with
    // care all the same.
    record r;
    r.seq = seq;
    const unsigned char* q = p + record_head;
    const unsigned char* end = q + body;
    if (end - q < static_cast<std::ptrdiff_t>(2 * oid_size + 4)) break;
    std::memcpy(r.expected.id, q, oid_size);
    std::memcpy(r.target.id, q + oid_size, oid_size);
    const std::uint64_t count = get_le(q + 2 * oid_size, 4);
    q += 2 * oid_size + 4;
    bool whole = true;
    for (std::uint64_t i = 0; i < count && whole; ++i) {
      if (end - q < static_cast<std::ptrdiff_t>(1 + oid_size + 4)) {
        whole = false;
        break;
      }
      object o;
      o.type = type_of_pack(*q);
      std::memcpy(o.oid.id, q + 1, oid_size);
      const std::uint64_t size = get_le(q + 1 + oid_size, 4);
      q += 1 + oid_size + 4;
      if (o.type == GIT_OBJECT_INVALID || static_cast<std::uint64_t>(end - q) < size) {
        whole = false;
        break;
      }
      o.data.assign(reinterpret_cast<const char*>(q), size);
      q += size;
      r.objects.push_back(std::move(o));
    }
    if (!whole || q != end) break;
    out.push_back(std::move(r));
    at += record_head + body + oid_size;
  }
  return out;
}

// The records of both halves: the run of consecutive numbers that ends with the highest.
std::vector<record> parse(std::string_view file, const std::array<unsigned char, 16>& key,
                          std::size_t half) {
  std::map<std::uint64_t, record> by_seq;
  for (std::size_t start : {header_size, header_size + half}) {
    for (record& r : parse_run(file, key, start)) {
      const std::uint64_t seq = r.seq;
      by_seq.try_emplace(seq, std::move(r));
    }
  }
  std::vector<record> out;
  for (auto it = by_seq.rbegin(); it != by_seq.rend(); ++it) {
    if (!out.empty() && it->first + 1 != out.back().seq) break;
    out.push_back(std::move(it->second));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace

void log::switch_half() noexcept {
  half_ = 1 - half_;
  tail_ = header_size + static_cast<std::size_t>(half_) * half_size;
  last_in_[half_] = 0;
}

void log::rewind() noexcept {
  half_ = 0;
  tail_ = header_size;
  last_in_[0] = last_in_[1] = 0;
}

std::size_t log::record_size(const record& r) noexcept {
  std::size_t n = record_head + 2 * oid_size + 4 + oid_size;
  for (const object& o : r.objects) n += 1 + oid_size + 4 + o.data.size();
  return n;
}

result<log> log::open(const fs::path& git_dir, std::vector<record>& found) {
  found.clear();
  log l;
  l.path_ = git_dir / file_name;
  l.fd_ = ::open(l.path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (l.fd_ < 0) return io_error(l.path_, "open", errno);
  struct stat st {};
  if (::fstat(l.fd_, &st) != 0) return io_error(l.path_, "read", errno);
  const auto existing = static_cast<std::size_t>(st.st_size);
  std::string file(std::max(existing, capacity), '\0');
  std::size_t got = 0;
  while (got < existing) {
    const ssize_t n = ::pread(l.fd_, file.data() + got, existing - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return io_error(l.path_, "read", n < 0 ? errno : EIO);
    got += static_cast<std::size_t>(n);
  }
  if (existing >= header_size &&
      std::string_view(file).substr(0, header_magic.size()) == header_magic) {
    std::array<unsigned char, 16> old_key{};
    std::memcpy(old_key.data(), file.data() + key_offset, old_key.size());
    found = parse(std::string_view(file).substr(0, existing), old_key, half_size);
    if (!found.empty()) l.next_seq_ = found.back().seq + 1;
  }
  l.size_ = std::max(existing, capacity);
  if (existing < capacity) {
    // A new log (or one cut short): its blocks written once, so that records overwrite them.
    if (!write_all(l.fd_, file.data() + existing, capacity - existing, existing)) {
      return io_error(l.path_, "write", errno);
    }
    if (files::fsync_enabled() && ::fsync(l.fd_) != 0) return io_error(l.path_, "flush", errno);
    if (existing == 0) {
      if (status s = files::fsync_path(git_dir); !s) return std::move(s).err();
    }
  }
  l.open_direct();
  return l;
}

log::log(log&& other) noexcept
    : path_(std::move(other.path_)),
      fd_(std::exchange(other.fd_, -1)),
      direct_fd_(std::exchange(other.direct_fd_, -1)),
      align_(other.align_),
      stage_(std::move(other.stage_)),
      stage_size_(std::exchange(other.stage_size_, 0)),
      size_(other.size_),
      tail_(other.tail_),
      next_seq_(other.next_seq_),
      key_(other.key_) {}

log& log::operator=(log&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    if (direct_fd_ >= 0) ::close(direct_fd_);
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
    direct_fd_ = std::exchange(other.direct_fd_, -1);
    align_ = other.align_;
    stage_ = std::move(other.stage_);
    stage_size_ = std::exchange(other.stage_size_, 0);
    size_ = other.size_;
    tail_ = other.tail_;
    next_seq_ = other.next_seq_;
    key_ = other.key_;
  }
  return *this;
}

log::~log() {
  if (fd_ >= 0) ::close(fd_);
  if (direct_fd_ >= 0) ::close(direct_fd_);
}

void log::open_direct() {
  // Only worth it when records are flushed: without fsync a plain write stays in memory.
  if (!files::fsync_enabled()) return;
  struct statx sx {};
  if (::statx(fd_, "", AT_EMPTY_PATH, STATX_DIOALIGN, &sx) != 0 ||
      (sx.stx_mask & STATX_DIOALIGN) == 0 || sx.stx_dio_offset_align == 0) {
    return;  // no direct I/O here (tmpfs), or a kernel that does not say (before 6.1)
  }
  const std::size_t align =
      std::max<std::size_t>({sx.stx_dio_offset_align, sx.stx_dio_mem_align, 512});
  if (align > header_size || header_size % align != 0 || (header_size + half_size) % align != 0) {
    return;  // a record's block would reach into the other half
  }
  const int fd = ::open(path_.c_str(), O_RDWR | O_DIRECT | O_CLOEXEC);
  if (fd < 0) return;
  direct_fd_ = fd;
  align_ = align;
}

status log::write_record(std::string_view bytes) {
  const bool sync = files::fsync_enabled();
  if (direct_fd_ >= 0) {
    const std::size_t lead = tail_ % align_;  // bytes of the last record in tail_'s block
    const std::size_t used = lead + bytes.size();
    const std::size_t size = (used + align_ - 1) / align_ * align_;
    if (size > stage_size_) {
      void* grown = nullptr;
      if (::posix_memalign(&grown, align_, size) != 0) return io_error(path_, "write", ENOMEM);
      std::unique_ptr<char, free_deleter> next(static_cast<char*>(grown));
      if (lead > 0) std::memcpy(next.get(), stage_.get(), lead);
      stage_ = std::move(next);
      stage_size_ = size;
    }
    char* stage = stage_.get();
    std::memcpy(stage + lead, bytes.data(), bytes.size());
    std::memset(stage + used, 0, size - used);
    if (write_all(direct_fd_, stage, size, tail_ - lead)) {
      if (::fdatasync(direct_fd_) != 0) return io_error(path_, "flush", errno);
      // The block the next record starts in: its bytes so far to the front.
      const std::size_t next_lead = used % align_;
      std::memmove(stage, stage + (used - next_lead), next_lead);
      return ok_status();
    }
    if (errno != EINVAL) return io_error(path_, "write", errno);
    // Refused after all (the file moved to another file system?): plain writes from now on.
    ::close(std::exchange(direct_fd_, -1));
  }
  if (!write_all(fd_, bytes.data(), bytes.size(), tail_)) return io_error(path_, "write", errno);
  if (sync && ::fdatasync(fd_) != 0) return io_error(path_, "flush", errno);
  return ok_status();
}

status log::start() {
  std::size_t got = 0;
  while (got < key_.size()) {
    const ssize_t n = ::getrandom(key_.data() + got, key_.size() - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error(path_, "make a key for", errno);
    got += static_cast<std::size_t>(n);
  }
  std::string header(header_size, '\0');
  header.replace(0, header_magic.size(), header_magic);
  std::memcpy(header.data() + key_offset, key_.data(), key_.size());
  if (!write_all(fd_, header.data(), header.size(), 0)) return io_error(path_, "write", errno);
  if (files::fsync_enabled() && ::fdatasync(fd_) != 0) return io_error(path_, "flush", errno);
  rewind();
  return ok_status();
}

result<std::uint64_t> log::append(record& r) {
  r.seq = next_seq_;
  std::string buf;
  buf.reserve(record_size(r));
  put_le(buf, record_magic, 4);
  put_le(buf, 0, 4);  // the body's size, below
  put_le(buf, r.seq, 8);
  buf.append(reinterpret_cast<const char*>(r.expected.id), oid_size);
  buf.append(reinterpret_cast<const char*>(r.target.id), oid_size);
  put_le(buf, r.objects.size(), 4);
  for (const object& o : r.objects) {
    buf.push_back(static_cast<char>(pack_encoding::pack_type(o.type)));
    buf.append(reinterpret_cast<const char*>(o.oid.id), oid_size);
    put_le(buf, o.data.size(), 4);
    buf += o.data;
  }
  const std::uint64_t body = buf.size() - record_head;
  for (int i = 0; i < 4; ++i) buf[4 + i] = static_cast<char>((body >> (8 * i)) & 0xFF);
  const sha1::digest sum = checksum(key_, buf);
  buf.append(reinterpret_cast<const char*>(sum.data()), sum.size());
  if (status s = write_record(buf); !s) return std::move(s).err();
  tail_ += buf.size();
  if (tail_ > size_) size_ = tail_;
  last_in_[half_] = next_seq_;
  return next_seq_++;
}

}  // namespace plenary::storage::wal
