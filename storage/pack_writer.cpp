#include "storage/pack_writer.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "storage/files.hpp"

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

git::packbuilder_ptr new_packbuilder(repo& r, error* err) {
  git_packbuilder* raw = nullptr;
  if (git_packbuilder_new(&raw, r.get()) < 0) {
    *err = git::git_failure(error_kind::io, "Could not start writing a pack");
    return nullptr;
  }
  git::packbuilder_ptr pb(raw);
  git_packbuilder_set_threads(pb.get(), 1);
  return pb;
}

status write_and_refresh(repo& r, git_packbuilder* pb) {
  if (git_packbuilder_write(pb, nullptr, 0, nullptr, nullptr) < 0) {
    return git::git_failure(error_kind::io, "Could not write a pack to " +
                                                pack_dir(r.git_dir()).string() +
                                                ", so nothing was committed");
  }
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

struct pack_info {
  std::string name;              // "pack-<hash>"
  std::vector<git_oid> objects;  // as listed by its .idx
};

// The object ids listed by a version-2 pack index; nullopt for anything else.
std::optional<std::vector<git_oid>> read_index(const fs::path& idx) {
  std::ifstream in(idx, std::ios::binary);
  if (!in) return std::nullopt;
  const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  constexpr std::size_t header = 8;
  constexpr std::size_t fanout = 256 * 4;
  if (data.size() < header + fanout || data.compare(0, 8, std::string("\377tOc\0\0\0\2", 8)) != 0) {
    return std::nullopt;
  }
  const auto* last = reinterpret_cast<const unsigned char*>(data.data()) + header + fanout - 4;
  const std::size_t count = (std::size_t{last[0]} << 24) | (std::size_t{last[1]} << 16) |
                            (std::size_t{last[2]} << 8) | std::size_t{last[3]};
  if (data.size() < header + fanout + count * GIT_OID_RAWSZ) return std::nullopt;
  std::vector<git_oid> out(count);
  for (std::size_t i = 0; i < count; ++i) {
    const auto* raw =
        reinterpret_cast<const unsigned char*>(data.data()) + header + fanout + i * GIT_OID_RAWSZ;
    git_oid_fromraw(&out[i], raw);
  }
  return out;
}

// The packs that may be rolled up (not .keep, readable index), smallest first.
std::vector<pack_info> list_packs_with_counts(const fs::path& git_dir) {
  std::vector<pack_info> out;
  const fs::path dir = pack_dir(git_dir);
  std::error_code ec;
  for (const std::string& name : list_packs(git_dir)) {
    if (fs::exists(dir / (name + ".keep"), ec)) continue;
    auto objects = read_index(dir / (name + ".idx"));
    if (objects) out.push_back({name, std::move(*objects)});
  }
  std::sort(out.begin(), out.end(), [](const pack_info& a, const pack_info& b) {
    return a.objects.size() < b.objects.size();
  });
  return out;
}

// How many of the smallest packs to roll into one so that, afterwards, every pack holds at
// least twice as many objects as all smaller packs together (a geometric progression: few
// packs, and each object is rewritten O(log n) times over the life of the draft).
std::size_t rollup_size(const std::vector<pack_info>& packs) {
  std::size_t rollup = 0;
  std::size_t smaller = 0;
  for (std::size_t i = 0; i < packs.size(); ++i) {
    if (i == 0 || packs[i].objects.size() < 2 * smaller) rollup = i + 1;
    smaller += packs[i].objects.size();
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

}  // namespace

status write(repo& r, std::span<const git_oid> objects) {
  error err;
  git::packbuilder_ptr pb = new_packbuilder(r, &err);
  if (!pb) return err;
  std::unordered_set<git_oid, git::oid_hash, git::oid_equal> seen;
  for (const git_oid& oid : objects) {
    if (!r.in_memory(oid) || !seen.insert(oid).second) continue;
    if (git_packbuilder_insert(pb.get(), &oid, nullptr) < 0) {
      return git::git_failure(error_kind::io, "Could not add an object to the pack");
    }
  }
  if (seen.empty()) return ok_status();
  return write_and_refresh(r, pb.get());
}

std::size_t count_packs(const fs::path& git_dir) { return list_packs(git_dir).size(); }

status consolidate(repo& r) {
  std::vector<pack_info> packs = list_packs_with_counts(r.git_dir());
  const std::size_t rollup = rollup_size(packs);
  if (rollup < 2) return ok_status();
  error err;
  git::packbuilder_ptr pb = new_packbuilder(r, &err);
  if (!pb) return err;
  for (std::size_t i = 0; i < rollup; ++i) {
    for (const git_oid& oid : packs[i].objects) {
      if (git_packbuilder_insert(pb.get(), &oid, nullptr) < 0) {
        return git::git_failure(error_kind::io, "Could not repack " + packs[i].name);
      }
    }
  }
  if (status s = write_and_refresh(r, pb.get()); !s) return s;
  const std::string written = std::string("pack-") + git_packbuilder_name(pb.get());
  const fs::path dir = pack_dir(r.git_dir());
  for (std::size_t i = 0; i < rollup; ++i) {
    if (packs[i].name != written) delete_pack(dir, packs[i].name);
  }
  if (status s = files::fsync_path(dir); !s) return s;
  return r.reopen();
}

}  // namespace plenary::storage::pack_writer
