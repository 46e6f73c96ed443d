// Rolling packs up; see rollup.hpp.
#include "storage/git/rollup.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "storage/files.hpp"
#include "storage/git/pack_encoding.hpp"
#include "storage/git/pack_files.hpp"

namespace plenary::storage::pack_writer {
namespace fs = std::filesystem;
using namespace pack_encoding;
using pack_files::list_packs;
using pack_files::pack_dir;

namespace {

struct pack_info {
  std::string name;                    // "pack-<hash>"
  std::size_t count = 0;               // objects it holds
  std::vector<git_oid> objects;        // as listed by its .idx (once read in full)
  std::vector<std::uint64_t> offsets;  // of each object, in the same order
  std::vector<std::uint32_t> crcs;     // of each entry, in the same order
};

// The object ids and offsets listed by a version-2 pack index; nullopt for anything else.
std::optional<index_entries> read_index(const fs::path& idx) {
  std::string data;
  if (!files::read_whole(idx, data)) return std::nullopt;
  return parse_index(data);
}

// The number of objects a version-2 pack index lists (its last fanout entry); nullopt for
// anything else. Reads 1 KiB, not the whole index.
std::optional<std::size_t> count_in_index(const fs::path& idx) {
  const int fd = ::open(idx.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  unsigned char head[index_head_bytes];
  const ssize_t n = ::pread(fd, head, sizeof head, 0);
  ::close(fd);
  if (n != static_cast<ssize_t>(sizeof head) ||
      std::memcmp(head, index_magic.data(), index_magic.size()) != 0) {
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
  return pack_files::install(git_dir, merged->first, merged->second);
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
  auto name = pack_files::install(r.git_dir(), merged->first, merged->second);
  if (!name) return std::move(name).err();
  return finish_rollup(r, *plan, *name);
}

}  // namespace plenary::storage::pack_writer
