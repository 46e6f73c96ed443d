// pack_encoding against git itself: a pack and index made with it pass `git verify-pack -v`,
// which inflates every entry, hashes it against the id the index lists, and checks both
// files' checksums and the index's CRCs.
#include "storage/git/pack_encoding.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "storage/git/sha1.hpp"
#include "storage_fixture.hpp"

namespace plenary::storage::testing {
namespace {

using namespace pack_encoding;

struct object {
  git_object_t type;
  std::string content;
};

const char* type_name(git_object_t t) {
  switch (t) {
    case GIT_OBJECT_COMMIT:
      return "commit";
    case GIT_OBJECT_TREE:
      return "tree";
    case GIT_OBJECT_BLOB:
      return "blob";
    default:
      return "tag";
  }
}

git_oid id_of(const object& o) {
  sha1 h;
  const std::string header =
      std::string(type_name(o.type)) + " " + std::to_string(o.content.size());
  h.update(header.data(), header.size() + 1);  // with its NUL
  h.update(o.content);
  const sha1::digest d = h.finish();
  git_oid oid;
  git_oid_fromraw(&oid, d.data());
  return oid;
}

std::string raw(const git_oid& oid) {
  return std::string(reinterpret_cast<const char*>(oid.id), 20);
}

std::string hex(const git_oid& oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &oid);
  return buf;
}

class pack_encoding_test : public storage_test {
 protected:
  // Encodes `objects` as a pack and its index in dir_, the way pack_files::install does in
  // memory; returns the index's path.
  fs::path write_pack(const std::vector<object>& objects) {
    std::string pack = pack_header(objects.size());
    deflater z;
    std::vector<packed> entries;
    for (const object& o : objects) {
      auto e = append_object(pack, z, id_of(o), o.type, o.content.data(), o.content.size());
      EXPECT_TRUE(e.has_value());
      if (e) entries.push_back(*e);
    }
    const sha1::digest sum = sha1::of(pack);
    pack.append(reinterpret_cast<const char*>(sum.data()), sum.size());
    const std::string idx = make_index(entries, sum);
    const fs::path base = dir_ / ("pack-" + hex_of(sum));
    std::ofstream(base.string() + ".pack", std::ios::binary) << pack;
    std::ofstream(base.string() + ".idx", std::ios::binary) << idx;
    return base.string() + ".idx";
  }

  static command_result verify(const fs::path& idx) {
    return run("GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null git verify-pack -v " +
               sh_quote(idx.string()));
  }
};

TEST_F(pack_encoding_test, a_commit_its_tree_and_blob_pass_git_verify_pack) {
  const object blob{GIT_OBJECT_BLOB, "The States shall cooperate.\n"};
  const object tree{GIT_OBJECT_TREE, std::string("100644 c1.txt\0", 14) + raw(id_of(blob))};
  const object commit{
      GIT_OBJECT_COMMIT,
      "tree " + hex(id_of(tree)) +
          "\nauthor Chair <chair@delegations.invalid> 1795774500 +0000\n"
          "committer Chair <chair@delegations.invalid> 1795774500 +0000\n\nCreate\n"};
  const fs::path idx = write_pack({commit, tree, blob});
  const command_result r = verify(idx);
  ASSERT_EQ(r.status, 0) << r.out;
  // One line per object: id, type, size, ...; all whole (no deltas); both files ok.
  for (const object* o : {&blob, &tree, &commit}) {
    const std::string line = hex(id_of(*o)) + " " + type_name(o->type);
    EXPECT_NE(r.out.find(line), std::string::npos) << line << "\n" << r.out;
  }
  EXPECT_NE(r.out.find("non delta: 3 objects"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(".pack: ok"), std::string::npos) << r.out;
}

TEST_F(pack_encoding_test, large_and_empty_objects_pass_git_verify_pack) {
  // 200,000 bytes: a size header of three bytes and several stored deflate blocks (at most
  // 65,535 bytes each); the empty blob: a one-byte header and an empty stream.
  std::string big;
  for (std::size_t i = 0; big.size() < 200000; ++i) big += "clause " + std::to_string(i) + "\n";
  big.resize(200000);
  const object large{GIT_OBJECT_BLOB, big};
  const object empty{GIT_OBJECT_BLOB, ""};
  const command_result r = verify(write_pack({large, empty}));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find(hex(id_of(large)) + " blob   200000"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(hex(id_of(empty)) + " blob   0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("non delta: 2 objects"), std::string::npos) << r.out;
}

TEST_F(pack_encoding_test, a_corrupted_pack_fails_git_verify_pack) {
  // The check above has teeth: one flipped byte in an entry and git refuses the pack.
  const fs::path idx = write_pack({{GIT_OBJECT_BLOB, "Each State shall report.\n"}});
  fs::path pack = idx;
  pack.replace_extension(".pack");
  std::fstream f(pack, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(22);  // 12 of pack header, 2 of entry header, 2 of zlib header, 5 of stored block
  f.put('X');
  f.close();
  EXPECT_NE(verify(idx).status, 0);
}

TEST(pack_encoding, the_index_reads_back_what_it_lists) {
  std::vector<packed> entries(3);
  for (unsigned i = 0; i < entries.size(); ++i) {
    unsigned char id[20] = {};
    id[0] = static_cast<unsigned char>(0xC0 - 0x40 * i);  // out of order: make_index sorts
    git_oid_fromraw(&entries[i].oid, id);
    entries[i].offset = 12 + 100 * i;
    entries[i].crc = 0xDEADBEEF + i;
  }
  const std::string idx = make_index(entries, sha1::of("pack"));
  const auto read = parse_index(idx);
  ASSERT_TRUE(read.has_value());
  ASSERT_EQ(read->objects.size(), 3u);
  for (unsigned i = 0; i < 3; ++i) {
    EXPECT_EQ(git_oid_cmp(&read->objects[i], &entries[i].oid), 0);
    EXPECT_EQ(read->offsets[i], entries[i].offset);
    EXPECT_EQ(read->crcs[i], entries[i].crc);
  }
  EXPECT_FALSE(parse_index(idx.substr(0, 100)).has_value());
  EXPECT_FALSE(
      parse_index(std::string("\377tOc\0\0\0\1", 8) + idx.substr(8)).has_value());  // version 1
}

}  // namespace
}  // namespace plenary::storage::testing
