#include "storage/pack_writer.hpp"

#include <fcntl.h>
#include <git2/sys/odb_backend.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <future>
#include <optional>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "storage/files.hpp"
#include "storage/sha1.hpp"

namespace plenary::storage::pack_writer {
namespace fs = std::filesystem;

namespace {

fs::path pack_dir(const fs::path& git_dir) { return git_dir / "objects" / "pack"; }

// The pack names ("pack-<hash>") that have an index in objects/pack.
std::vector<std::string> list_packs(const fs::path& git_dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(pack_dir(git_dir), ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    if (p.extension() == ".idx") names.push_back(p.stem().string());
  }
  return names;
}

// ---- writing packs ourselves ------------------------------------------------------------
//
// A pack (gitformat-pack(5), version 2) of whole objects, no deltas, zlib level 0: "PACK", version,
// count; per object a type-and-size header and its zlib stream; the SHA-1 of all that. Its index
// (version 2): fanout, sorted ids, CRC-32 of each entry, offsets (64-bit ones apart), the
// pack's checksum, the index's own checksum. libgit2's packbuilder would search for deltas
// and then run its indexer, which inflates and hashes every object again; for a batch of a
// few dozen small objects that is most of the cost of a commit. Without deltas a pack is
// larger on disk (clause texts and trees are small; `git gc` packs them tighter any time).

constexpr int obj_commit = 1, obj_tree = 2, obj_blob = 3, obj_tag = 4;

struct packed {
  git_oid oid{};
  std::uint64_t offset = 0;
  std::uint32_t crc = 0;
};

void put32(std::string& out, std::uint32_t v) {
  const char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                     static_cast<char>(v >> 8), static_cast<char>(v)};
  out.append(b, 4);
}

std::uint32_t get32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

void append_entry_header(std::string& out, int type, std::uint64_t size) {
  unsigned char c = static_cast<unsigned char>((type << 4) | (size & 15));
  size >>= 4;
  while (size != 0) {
    out.push_back(static_cast<char>(c | 0x80));
    c = static_cast<unsigned char>(size & 0x7f);
    size >>= 7;
  }
  out.push_back(static_cast<char>(c));
}

// One zlib stream per object, with one compressor reused. Level 0 ("stored" blocks): zlib
// costs ~15 us per small object at level 1 whatever the parameters (Huffman tables built and
// written for each stream), which was most of the cost of a commit; stored, it is ~0.5 us.
// The objects are small and a tree is mostly object ids, which do not compress; level 1
// saved about a quarter of their size. `git gc` recompresses whenever disk space matters.
class deflater {
 public:
  deflater() {
    ok_ = deflateInit2(&z_, Z_NO_COMPRESSION, Z_DEFLATED, 15, 1, Z_DEFAULT_STRATEGY) == Z_OK;
  }
  ~deflater() {
    if (ok_) deflateEnd(&z_);
  }
  deflater(const deflater&) = delete;
  deflater& operator=(const deflater&) = delete;

  bool append(std::string& out, const void* data, std::size_t size) {
    if (!ok_ || deflateReset(&z_) != Z_OK) return false;
    const std::size_t start = out.size();
    out.resize(start + deflateBound(&z_, static_cast<uLong>(size)) + 16);
    z_.next_in = static_cast<Bytef*>(const_cast<void*>(data));
    z_.avail_in = static_cast<uInt>(size);
    z_.next_out = reinterpret_cast<Bytef*>(out.data() + start);
    z_.avail_out = static_cast<uInt>(out.size() - start);
    const int rc = deflate(&z_, Z_FINISH);
    if (rc != Z_STREAM_END) return false;
    out.resize(out.size() - z_.avail_out);
    return true;
  }

 private:
  z_stream z_{};
  bool ok_ = false;
};

std::uint32_t crc_of(const std::string& bytes, std::size_t from) {
  return static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(bytes.data() + from),
                                          static_cast<uInt>(bytes.size() - from)));
}

std::string pack_header(std::size_t count) {
  std::string out = "PACK";
  put32(out, 2);
  put32(out, static_cast<std::uint32_t>(count));
  return out;
}

// The version-2 index of `entries` (sorted here by id) for a pack whose checksum is `sum`.
std::string make_index(std::vector<packed>& entries, const sha1::digest& sum) {
  std::sort(entries.begin(), entries.end(),
            [](const packed& a, const packed& b) { return git_oid_cmp(&a.oid, &b.oid) < 0; });
  std::string out("\377tOc", 4);
  put32(out, 2);
  std::uint32_t fanout[256] = {};
  for (const packed& e : entries) ++fanout[e.oid.id[0]];
  std::uint32_t running = 0;
  for (std::uint32_t& f : fanout) {
    running += f;
    f = running;
  }
  for (std::uint32_t f : fanout) put32(out, f);
  for (const packed& e : entries)
    out.append(reinterpret_cast<const char*>(e.oid.id), GIT_OID_RAWSZ);
  for (const packed& e : entries) put32(out, e.crc);
  std::vector<std::uint64_t> large;
  for (const packed& e : entries) {
    if (e.offset < 0x80000000ull) {
      put32(out, static_cast<std::uint32_t>(e.offset));
    } else {
      put32(out, 0x80000000u | static_cast<std::uint32_t>(large.size()));
      large.push_back(e.offset);
    }
  }
  for (std::uint64_t v : large) {
    put32(out, static_cast<std::uint32_t>(v >> 32));
    put32(out, static_cast<std::uint32_t>(v));
  }
  out.append(reinterpret_cast<const char*>(sum.data()), sum.size());
  const sha1::digest own = sha1::of(out);
  out.append(reinterpret_cast<const char*>(own.data()), own.size());
  return out;
}

std::string hex_of(const sha1::digest& d) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (unsigned char c : d) {
    s.push_back(digits[c >> 4]);
    s.push_back(digits[c & 15]);
  }
  return s;
}

std::string os_reason(int err) { return std::error_code(err, std::generic_category()).message(); }

// A file written under a temporary name, still open when asked to be (to flush it later).
struct temp_file {
  fs::path path;
  int fd = -1;
};

// Writes `data` to a new file `dir/<prefix><random>` (mode 0444 less the umask, like git's
// packs). Flushed to disk and closed unless `keep_open` (then the caller flushes and closes).
result<temp_file> write_temp(const fs::path& dir, const char* prefix, const std::string& data,
                             bool keep_open = false) {
  static std::atomic<unsigned> counter{0};
  static const unsigned salt = std::random_device{}();  // once: random_device opens a file
  for (int attempt = 0; attempt < 5; ++attempt) {
    const fs::path p = dir / (std::string(prefix) + std::to_string(::getpid()) + "_" +
                              std::to_string(salt) + "_" + std::to_string(counter++));
    const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
    if (fd < 0 && errno == EEXIST) continue;
    if (fd < 0) {
      return make_error(error_kind::io,
                        "Could not create " + p.string() + ": " + os_reason(errno) + ".");
    }
    std::size_t done = 0;
    int err = 0;
    while (done < data.size()) {
      const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        err = n < 0 ? errno : EIO;
        break;
      }
      done += static_cast<std::size_t>(n);
    }
    if (err == 0 && keep_open) return temp_file{p, fd};
    if (err == 0 && files::fsync_enabled() && ::fsync(fd) != 0) err = errno;
    ::close(fd);
    if (err != 0) {
      std::error_code ec;
      fs::remove(p, ec);
      return make_error(error_kind::io,
                        "Could not write " + p.string() + ": " + os_reason(err) + ".");
    }
    return temp_file{p, -1};
  }
  return make_error(error_kind::io, "Could not create a temporary file in " + dir.string() + ".");
}

// Puts a finished pack (everything but its trailing checksum) and its entries into
// objects/pack: both files written and flushed under temporary names, the pack renamed into
// place before its index (a reader looks for packs through their index), then the directory
// flushed. Returns the pack's name ("pack-<checksum>").
result<std::string> install(const fs::path& git_dir, std::string& pack,
                            std::vector<packed>& entries) {
  const sha1::digest sum = sha1::of(pack);
  pack.append(reinterpret_cast<const char*>(sum.data()), sum.size());
  const std::string idx = make_index(entries, sum);
  const fs::path dir = pack_dir(git_dir);
  const std::string name = "pack-" + hex_of(sum);
  auto tmp_pack = write_temp(dir, "tmp_pack_", pack);
  if (!tmp_pack) return std::move(tmp_pack).err();
  auto tmp_idx = write_temp(dir, "tmp_idx_", idx);
  if (!tmp_idx) {
    files::remove_quietly(tmp_pack->path);
    return std::move(tmp_idx).err();
  }
  for (const auto& [from, to] : {std::pair{tmp_pack->path, dir / (name + ".pack")},
                                 std::pair{tmp_idx->path, dir / (name + ".idx")}}) {
    if (::rename(from.c_str(), to.c_str()) != 0) {
      const int err = errno;
      files::remove_quietly(tmp_pack->path);
      files::remove_quietly(tmp_idx->path);
      return make_error(error_kind::io, "Could not move " + from.string() + " to " + to.string() +
                                            ": " + os_reason(err) + ".");
    }
  }
  if (status s = files::fsync_path(dir); !s) return std::move(s).err();
  return name;
}

status refresh(repo& r) {
  git_odb* raw = nullptr;
  if (git_repository_odb(&raw, r.get()) < 0) {
    return git::git_failure(error_kind::io, "Could not open the object database");
  }
  git::odb_ptr odb(raw);
  if (git_odb_refresh(odb.get()) < 0) {
    return git::git_failure(error_kind::io,
                            "Could not reload the packs of " + r.git_dir().string());
  }
  return ok_status();
}

int pack_type(git_object_t t) {
  switch (t) {
    case GIT_OBJECT_COMMIT:
      return obj_commit;
    case GIT_OBJECT_TREE:
      return obj_tree;
    case GIT_OBJECT_BLOB:
      return obj_blob;
    case GIT_OBJECT_TAG:
      return obj_tag;
    default:
      return 0;
  }
}

// ---- reading packs for consolidation -----------------------------------------------------

struct pack_info {
  std::string name;                    // "pack-<hash>"
  std::size_t count = 0;               // objects it holds
  std::vector<git_oid> objects;        // as listed by its .idx (once read in full)
  std::vector<std::uint64_t> offsets;  // of each object, in the same order
  std::vector<std::uint32_t> crcs;     // of each entry, in the same order
};

// The object ids and offsets listed by a version-2 pack index; nullopt for anything else.
std::optional<pack_info> read_index(const fs::path& idx) {
  std::string data;
  if (!files::read_whole(idx, data)) return std::nullopt;
  constexpr std::size_t header = 8;
  constexpr std::size_t fanout = 256 * 4;
  if (data.size() < header + fanout || data.compare(0, 8, std::string("\377tOc\0\0\0\2", 8)) != 0) {
    return std::nullopt;
  }
  const auto* base = reinterpret_cast<const unsigned char*>(data.data());
  const std::size_t count = get32(base + header + fanout - 4);
  const std::size_t ids = header + fanout;
  const std::size_t crcs = ids + count * GIT_OID_RAWSZ;
  const std::size_t offs = crcs + count * 4;
  const std::size_t large = offs + count * 4;
  if (data.size() < large + 40) return std::nullopt;
  pack_info out;
  out.objects.resize(count);
  out.offsets.resize(count);
  out.crcs.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    git_oid_fromraw(&out.objects[i], base + ids + i * GIT_OID_RAWSZ);
    out.crcs[i] = get32(base + crcs + i * 4);
    const std::uint32_t o = get32(base + offs + i * 4);
    if (o & 0x80000000u) {
      const std::size_t at = large + (o & 0x7fffffffu) * 8;
      if (data.size() < at + 8 + 40) return std::nullopt;
      out.offsets[i] = (std::uint64_t{get32(base + at)} << 32) | get32(base + at + 4);
    } else {
      out.offsets[i] = o;
    }
  }
  return out;
}

// The number of objects a version-2 pack index lists (its last fanout entry); nullopt for
// anything else. Reads 1 KiB, not the whole index.
std::optional<std::size_t> count_in_index(const fs::path& idx) {
  const int fd = ::open(idx.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  unsigned char head[8 + 256 * 4];
  const ssize_t n = ::pread(fd, head, sizeof head, 0);
  ::close(fd);
  if (n != static_cast<ssize_t>(sizeof head) || std::memcmp(head, "\377tOc\0\0\0\2", 8) != 0) {
    return std::nullopt;
  }
  return get32(head + sizeof head - 4);
}

// The packs that may be rolled up (not .keep, readable index), smallest first, with their
// object counts only.
std::vector<pack_info> list_packs_with_counts(const fs::path& git_dir) {
  std::vector<pack_info> out;
  const fs::path dir = pack_dir(git_dir);
  std::error_code ec;
  for (const std::string& name : list_packs(git_dir)) {
    if (fs::exists(dir / (name + ".keep"), ec)) continue;
    auto count = count_in_index(dir / (name + ".idx"));
    if (!count) continue;
    pack_info info;
    info.name = name;
    info.count = *count;
    out.push_back(std::move(info));
  }
  std::sort(out.begin(), out.end(),
            [](const pack_info& a, const pack_info& b) { return a.count < b.count; });
  return out;
}

// How many of the smallest packs to roll into one so that, afterwards, every pack holds at
// least twice as many objects as all smaller packs together (a geometric progression: few
// packs, and each object is rewritten O(log n) times over the life of the draft).
std::size_t rollup_size(const std::vector<pack_info>& packs) {
  std::size_t rollup = 0;
  std::size_t smaller = 0;
  for (std::size_t i = 0; i < packs.size(); ++i) {
    if (i == 0 || packs[i].count < 2 * smaller) rollup = i + 1;
    smaller += packs[i].count;
  }
  return rollup;
}

void delete_pack(const fs::path& dir, const std::string& name) {
  std::error_code ec;
  if (fs::exists(dir / (name + ".keep"), ec)) return;
  // The index first: a reader that no longer finds it no longer looks for the pack.
  for (const char* ext : {".idx", ".pack", ".rev", ".bitmap", ".promisor", ".mtimes"}) {
    fs::remove(dir / (name + ext), ec);
  }
}

// Rolls packs into one. A whole-object entry is copied as it is (its header and zlib stream),
// the way git reuses pack data; a delta (in packs that `git gc` or an older plenary wrote) is
// read through libgit2, which resolves it, and written whole. No delta search either way, so
// the cost follows the bytes, however the packs were made. Without `odb` (in the
// background, away from the repository's owner) a delta is an `invalid` error instead.
result<std::pair<std::string, std::vector<packed>>> merge_packs(const fs::path& git_dir,
                                                                std::vector<pack_info> packs,
                                                                git_odb* odb) {
  const fs::path dir = pack_dir(git_dir);
  std::size_t total = 0;
  for (pack_info& p : packs) {
    auto full = read_index(dir / (p.name + ".idx"));
    if (!full) return make_error(error_kind::io, "Could not read the index of " + p.name + ".");
    p.objects = std::move(full->objects);
    p.offsets = std::move(full->offsets);
    p.crcs = std::move(full->crcs);
    total += p.objects.size();
  }
  std::unordered_set<git_oid, git::oid_hash, git::oid_equal> seen;
  seen.reserve(total);
  std::vector<packed> entries;
  entries.reserve(total);
  std::string out = pack_header(0);  // the count is set at the end (duplicates are dropped)
  deflater z;
  for (const pack_info& p : packs) {
    std::string data;
    if (!files::read_whole(dir / (p.name + ".pack"), data) || data.size() < 12 + 20 ||
        data.compare(0, 4, "PACK") != 0) {
      return make_error(error_kind::io,
                        "Could not read " + (dir / (p.name + ".pack")).string() + ".");
    }
    const std::size_t end = data.size() - 20;
    std::vector<std::size_t> order(p.objects.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return p.offsets[a] < p.offsets[b]; });
    for (std::size_t k = 0; k < order.size(); ++k) {
      const std::size_t i = order[k];
      if (!seen.insert(p.objects[i]).second) continue;
      const std::uint64_t from = p.offsets[i];
      const std::uint64_t to = k + 1 < order.size() ? p.offsets[order[k + 1]] : end;
      if (from < 12 || to > end || from >= to) {
        return make_error(error_kind::io, "The pack " + p.name + " does not match its index.");
      }
      packed e;
      e.oid = p.objects[i];
      e.offset = out.size();
      const int type = (static_cast<unsigned char>(data[from]) >> 4) & 7;
      if (type >= obj_commit && type <= obj_tag) {
        out.append(data, from, to - from);  // the same bytes: the same CRC (its index has it)
        e.crc = p.crcs[i];
      } else {
        if (odb == nullptr) return make_error(error_kind::invalid, p.name + " holds deltas.");
        git_odb_object* obj = nullptr;
        if (git_odb_read(&obj, odb, &e.oid) < 0) {
          return git::git_failure(error_kind::io, "Could not read " + git::to_hex(e.oid));
        }
        append_entry_header(out, pack_type(git_odb_object_type(obj)), git_odb_object_size(obj));
        const bool ok = z.append(out, git_odb_object_data(obj), git_odb_object_size(obj));
        git_odb_object_free(obj);
        if (!ok) return make_error(error_kind::io, "Could not compress an object for the pack.");
        e.crc = crc_of(out, e.offset);
      }
      entries.push_back(e);
    }
  }
  const std::string header = pack_header(entries.size());
  out.replace(0, header.size(), header);
  return std::make_pair(std::move(out), std::move(entries));
}

}  // namespace

namespace {

// The pack (without its trailing checksum) of those of `objects` that live only in memory.
result<std::pair<std::string, std::vector<packed>>> build(repo& r,
                                                          std::span<const git_oid> objects) {
  git_odb_backend* memory = r.memory();
  if (memory == nullptr) return make_error(error_kind::internal, "No in-memory object store.");
  std::unordered_set<git_oid, git::oid_hash, git::oid_equal> seen;
  std::vector<packed> entries;
  std::string pack = pack_header(0);
  deflater z;
  for (const git_oid& oid : objects) {
    if (!r.in_memory(oid) || !seen.insert(oid).second) continue;
    void* data = nullptr;
    std::size_t size = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    if (memory->read(&data, &size, &type, memory, &oid) < 0) {
      return git::git_failure(error_kind::io, "Could not read a new object from memory");
    }
    packed e;
    e.oid = oid;
    e.offset = pack.size();
    const int t = pack_type(type);
    append_entry_header(pack, t, size);
    const bool ok = t != 0 && z.append(pack, data, size);
    git_odb_backend_data_free(memory, data);
    if (!ok) return make_error(error_kind::io, "Could not compress an object for the pack.");
    e.crc = crc_of(pack, e.offset);
    entries.push_back(e);
  }
  const std::string header = pack_header(entries.size());
  pack.replace(0, header.size(), header);
  return std::make_pair(std::move(pack), std::move(entries));
}

error nothing_committed(error e) {
  e.message += " Nothing was committed.";
  return e;
}

// Whether `main`'s updates must be logged (a reflog exists, or core.logAllRefUpdates asks for
// one): then libgit2 moves it, which keeps that log.
bool main_is_logged(repo& r) {
  std::error_code ec;
  if (fs::exists(r.git_dir() / "logs" / main_ref, ec)) return true;
  git_config* raw = nullptr;
  if (git_repository_config_snapshot(&raw, r.get()) < 0) {
    git_error_clear();
    return true;  // cannot tell: let libgit2 decide
  }
  const char* value = nullptr;
  int rc = git_config_get_string(&value, raw, "core.logallrefupdates");
  const bool logged = rc == 0 && value != nullptr && std::string_view(value) != "false";
  git_config_free(raw);
  git_error_clear();
  return logged;
}

// The commit a loose ref file or packed-refs gives for `main`; nullopt when neither has it,
// `invalid` when it is not a plain commit id (a symbolic ref).
result<std::optional<git_oid>> current_main(const fs::path& git_dir) {
  std::string text;
  if (files::read_whole(git_dir / main_ref, text)) {
    git_oid oid;
    if (text.size() < GIT_OID_HEXSZ ||
        !git::from_hex(std::string_view(text).substr(0, GIT_OID_HEXSZ), &oid)) {
      return make_error(error_kind::invalid, "refs/heads/main is not a commit id.");
    }
    return std::optional<git_oid>(oid);
  }
  if (files::read_whole(git_dir / "packed-refs", text)) {
    const std::string suffix = std::string(" ") + main_ref;
    std::size_t at = 0;
    while (at < text.size()) {
      std::size_t nl = text.find('\n', at);
      if (nl == std::string::npos) nl = text.size();
      const std::string_view line(text.data() + at, nl - at);
      git_oid oid;
      if (line.size() == GIT_OID_HEXSZ + suffix.size() && line.substr(GIT_OID_HEXSZ) == suffix &&
          git::from_hex(line.substr(0, GIT_OID_HEXSZ), &oid)) {
        return std::optional<git_oid>(oid);
      }
      at = nl + 1;
    }
  }
  return std::optional<git_oid>();
}

int fsync_fd(int fd) { return ::fsync(fd) == 0 ? 0 : errno; }

}  // namespace

status write(repo& r, std::span<const git_oid> objects) {
  auto built = build(r, objects);
  if (!built) return std::move(built).err();
  auto& [pack, entries] = *built;
  if (entries.empty()) return ok_status();
  auto name = install(r.git_dir(), pack, entries);
  if (!name) return nothing_committed(std::move(name).err());
  return refresh(r);
}

status write_and_move_main(repo& r, std::span<const git_oid> objects, const git_oid& target,
                           const git_oid& expected) {
  if (main_is_logged(r)) {
    if (status s = write(r, objects); !s) return s;
    return r.update_main(target, &expected);
  }
  auto built = build(r, objects);
  if (!built) return std::move(built).err();
  auto& [pack, entries] = *built;
  const fs::path dir = pack_dir(r.git_dir());
  const fs::path ref = r.git_dir() / main_ref;
  const fs::path lock = ref.string() + ".lock";
  const bool sync = files::fsync_enabled();

  // Everything written first, nothing flushed yet; then the flushes that do not depend on
  // each other run at once: the pack, its index and the new value of main.
  std::optional<temp_file> tmp_pack, tmp_idx;
  std::string name;
  auto cleanup = [&] {
    for (auto* t : {&tmp_pack, &tmp_idx}) {
      if (!*t) continue;
      if ((*t)->fd >= 0) ::close((*t)->fd);
      files::remove_quietly((*t)->path);
    }
  };
  if (!entries.empty()) {
    const sha1::digest sum = sha1::of(pack);
    pack.append(reinterpret_cast<const char*>(sum.data()), sum.size());
    const std::string idx = make_index(entries, sum);
    name = "pack-" + hex_of(sum);
    auto p = write_temp(dir, "tmp_pack_", pack, true);
    if (!p) return nothing_committed(std::move(p).err());
    tmp_pack = *p;
    auto i = write_temp(dir, "tmp_idx_", idx, true);
    if (!i) {
      cleanup();
      return nothing_committed(std::move(i).err());
    }
    tmp_idx = *i;
  }
  // git's lock protocol: whoever creates main.lock may move main.
  const int lock_fd = ::open(lock.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (lock_fd < 0) {
    const int err = errno;
    cleanup();
    if (err == EEXIST) {
      return make_error(error_kind::io, "The branch main of " + r.git_dir().string() +
                                            " is locked by another process, so nothing was "
                                            "committed.");
    }
    return make_error(error_kind::io, "Could not lock the branch main of " + r.git_dir().string() +
                                          ": " + os_reason(err) + ". Nothing was committed.");
  }
  auto fail_locked = [&](error e) {
    ::close(lock_fd);
    ::unlink(lock.c_str());
    cleanup();
    return e;
  };
  auto current = current_main(r.git_dir());
  if (!current) return fail_locked(std::move(current).err());
  if (!*current || !git_oid_equal(&**current, &expected)) {
    return fail_locked(make_error(
        error_kind::io, "Another process moved the branch main of " + r.git_dir().string() +
                            " while this amendment was written, so nothing was committed; the "
                            "draft was reloaded from disk, try again."));
  }
  const std::string value = git::to_hex(target) + "\n";
  if (::write(lock_fd, value.data(), value.size()) != static_cast<ssize_t>(value.size())) {
    return fail_locked(make_error(error_kind::io,
                                  "Could not write " + lock.string() + ". Nothing was committed."));
  }
  if (sync) {
    std::future<int> pack_done, idx_done;
    if (tmp_pack) pack_done = std::async(std::launch::async, fsync_fd, tmp_pack->fd);
    if (tmp_idx) idx_done = std::async(std::launch::async, fsync_fd, tmp_idx->fd);
    int err = fsync_fd(lock_fd);
    if (pack_done.valid() && pack_done.get() != 0 && err == 0) err = EIO;
    if (idx_done.valid() && idx_done.get() != 0 && err == 0) err = EIO;
    if (err != 0) {
      return fail_locked(make_error(
          error_kind::io, "Could not flush the new commits of " + r.git_dir().string() +
                              " to disk: " + os_reason(err) + ". Nothing was committed."));
    }
  }
  ::close(lock_fd);
  if (tmp_pack) {
    ::close(tmp_pack->fd);
    ::close(tmp_idx->fd);
    tmp_pack->fd = tmp_idx->fd = -1;
    // The pack before its index (a reader finds packs through their index), then the
    // directory, so that both names are on disk before main points at what they hold.
    if (::rename(tmp_pack->path.c_str(), (dir / (name + ".pack")).c_str()) != 0 ||
        ::rename(tmp_idx->path.c_str(), (dir / (name + ".idx")).c_str()) != 0) {
      ::unlink(lock.c_str());
      cleanup();
      return make_error(error_kind::io, "Could not put a pack into " + dir.string() + ": " +
                                            os_reason(errno) + ". Nothing was committed.");
    }
    if (status s = files::fsync_path(dir); !s) {
      ::unlink(lock.c_str());
      return nothing_committed(std::move(s).err());
    }
    if (status s = refresh(r); !s) {
      ::unlink(lock.c_str());
      return s;
    }
  }
  if (::rename(lock.c_str(), ref.c_str()) != 0) {
    const int err = errno;
    ::unlink(lock.c_str());
    return make_error(error_kind::io, "Could not update the branch main of " +
                                          r.git_dir().string() + ": " + os_reason(err) +
                                          ". Nothing was committed.");
  }
  return files::fsync_path(ref.parent_path());
}

std::size_t count_packs(const fs::path& git_dir) { return list_packs(git_dir).size(); }

std::optional<rollup> plan_rollup(const fs::path& git_dir) {
  std::vector<pack_info> packs = list_packs_with_counts(git_dir);
  const std::size_t n = rollup_size(packs);
  if (n < 2) return std::nullopt;
  rollup plan;
  for (std::size_t i = 0; i < n; ++i) plan.packs.push_back(packs[i].name);
  return plan;
}

result<std::string> write_rollup(const fs::path& git_dir, const rollup& plan) {
  std::vector<pack_info> packs;
  for (const std::string& name : plan.packs) packs.push_back(pack_info{name, 0, {}, {}, {}});
  auto merged = merge_packs(git_dir, std::move(packs), nullptr);
  if (!merged) return std::move(merged).err();
  return install(git_dir, merged->first, merged->second);
}

status finish_rollup(repo& r, const rollup& plan, const std::string& written) {
  const fs::path dir = pack_dir(r.git_dir());
  for (const std::string& name : plan.packs) {
    if (name != written) delete_pack(dir, name);
  }
  if (status s = files::fsync_path(dir); !s) return s;
  return r.reopen();
}

status consolidate(repo& r) {
  auto plan = plan_rollup(r.git_dir());
  if (!plan) return ok_status();
  git_odb* raw = nullptr;
  if (git_repository_odb(&raw, r.get()) < 0) {
    return git::git_failure(error_kind::io, "Could not open the object database");
  }
  git::odb_ptr odb(raw);
  std::vector<pack_info> packs;
  for (const std::string& name : plan->packs) packs.push_back(pack_info{name, 0, {}, {}, {}});
  auto merged = merge_packs(r.git_dir(), std::move(packs), odb.get());
  if (!merged) return std::move(merged).err();
  auto name = install(r.git_dir(), merged->first, merged->second);
  if (!name) return std::move(name).err();
  return finish_rollup(r, *plan, *name);
}

}  // namespace plenary::storage::pack_writer
