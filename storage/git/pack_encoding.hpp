// Private to storage: git's pack and pack index formats, as bytes in memory (gitformat-pack(5),
// version 2 of both). Pure: no files, no repository; pack_writer and rollup put the bytes on
// disk. tests/storage/pack_encoding_test.cpp checks the output with `git verify-pack`.
//
// A pack of whole objects, no deltas, zlib level 0: "PACK", version, count; per object a
// type-and-size header and its zlib stream; the SHA-1 of all that. Its index: fanout, sorted
// ids, CRC-32 of each entry, offsets (64-bit ones apart), the pack's checksum, the index's own
// checksum. libgit2's packbuilder would search for deltas and then run its indexer, which
// inflates and hashes every object again; for a batch of a few dozen small objects that is
// most of the cost of a commit. Without deltas a pack is larger on disk (clause texts and
// trees are small; `git gc` packs them tighter any time).
//
// Thread safety: pure functions; a deflater belongs to one thread.
#pragma once

#include <git2/oid.h>
#include <git2/types.h>
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/git/sha1.hpp"

namespace plenary::storage::pack_encoding {

// The object types of a pack entry's header (deltas are 6 and 7, never written here).
inline constexpr int obj_commit = 1, obj_tree = 2, obj_blob = 3, obj_tag = 4;

// The pack type of a libgit2 object type; 0 for anything that has none.
int pack_type(git_object_t t) noexcept;

// One entry of a pack, as its index lists it.
struct packed {
  git_oid oid{};
  std::uint64_t offset = 0;
  std::uint32_t crc = 0;
};

// Big-endian 32-bit words, as both formats store them.
void put32(std::string& out, std::uint32_t v);
std::uint32_t get32(const unsigned char* p) noexcept;

// "PACK", version 2, `count` objects: the first 12 bytes of a pack.
std::string pack_header(std::size_t count);

// An entry's type-and-size header (type in bits 4-6 of the first byte, size in 4 + 7n bits).
void append_entry_header(std::string& out, int type, std::uint64_t size);

// One zlib stream per object, with one compressor reused. Level 0 ("stored" blocks): zlib
// costs ~15 us per small object at level 1 whatever the parameters (Huffman tables built and
// written for each stream), which was most of the cost of a commit; stored, it is ~0.5 us.
// The objects are small and a tree is mostly object ids, which do not compress; level 1
// saved about a quarter of their size. `git gc` recompresses whenever disk space matters.
class deflater {
 public:
  deflater() noexcept;
  ~deflater();
  deflater(const deflater&) = delete;
  deflater& operator=(const deflater&) = delete;

  // Appends the zlib stream of `data` to `out`; false when zlib fails.
  bool append(std::string& out, const void* data, std::size_t size);

 private:
  z_stream z_{};
  bool ok_ = false;
};

// The CRC-32 of bytes[from, end), as the index records each entry's.
std::uint32_t crc_of(const std::string& bytes, std::size_t from) noexcept;

// Appends one whole object (header and zlib stream) to `pack` and returns its entry; nullopt
// when the type has no pack type or zlib fails.
std::optional<packed> append_object(std::string& pack, deflater& z, const git_oid& oid,
                                    git_object_t type, const void* data, std::size_t size);

// The version-2 index of `entries` (sorted here by id) for a pack whose checksum is `sum`.
std::string make_index(std::vector<packed>& entries, const sha1::digest& sum);

// 40 lower-case hex digits: a pack is named "pack-<hex of its checksum>".
std::string hex_of(const sha1::digest& d);

// What a version-2 index lists: each object's id, offset and entry CRC, in index order.
struct index_entries {
  std::vector<git_oid> objects;
  std::vector<std::uint64_t> offsets;
  std::vector<std::uint32_t> crcs;
};
// Reads a whole version-2 index; nullopt for anything else (another version, cut short).
std::optional<index_entries> parse_index(std::string_view data);

// The index header: the 4-byte magic and version 2, then a 1 KiB fanout whose last entry is
// the number of objects.
inline constexpr std::string_view index_magic{"\377tOc\0\0\0\2", 8};
inline constexpr std::size_t index_head_bytes = 8 + 256 * 4;

}  // namespace plenary::storage::pack_encoding
