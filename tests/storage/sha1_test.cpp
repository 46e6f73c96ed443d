// SHA-1 against its published test vectors (FIPS 180 / RFC 3174) and git's object ids, run
// through BOTH implementations on every machine: the portable code always, the SHA-NI code
// when the processor has the SHA extensions (otherwise that half says it was skipped).
#include "storage/git/sha1.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace plenary::storage {
namespace {

using impl = sha1::implementation;

std::string hex(const sha1::digest& d) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char c : d) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

// A git object's id: SHA-1 of "<type> <size>\0" and the content.
std::string git_object_id(std::string_view type, std::string_view content, impl which) {
  sha1 h(which);
  const std::string header = std::string(type) + " " + std::to_string(content.size());
  h.update(header.data(), header.size() + 1);  // with its NUL
  h.update(content);
  return hex(h.finish());
}

struct vector_case {
  const char* name;
  std::string message;
  const char* digest;  // lower-case hex
};

void PrintTo(const vector_case& c, std::ostream* os) { *os << c.name; }

const vector_case vectors[] = {
    // FIPS 180-2 appendix A / RFC 3174 section 7.3.
    {"empty", "", "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
    {"abc", "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
    {"two_blocks_448_bits", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
    {"896_bits",
     "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnop"
     "qrsmnopqrstnopqrstu",
     "a49b2446a02c645bf419f995b67091253a04a259"},
    {"million_a", std::string(1000000, 'a'), "34aa973cd4c4daa4f61eeb2bdbad27316534016f"},
    // Padding edges: 55 bytes fit one block with the length, 56 need a second.
    {"55_bytes", std::string(55, 'a'), "c1c8bbdc22796e28c0e15163d20899b65621d65a"},
    {"56_bytes", std::string(56, 'a'), "c2db330f6083854c99d4b5bfb6e8f29f201be699"},
    {"64_bytes", std::string(64, 'a'), "0098ba824b5c16427bd7a1122a5a442a25ec644d"},
};

class sha1_vectors : public ::testing::TestWithParam<vector_case> {
 protected:
  // The digest in one call, and fed in pieces of 1, 7, 63, 64 and 65 bytes (across the
  // 64-byte block boundaries that the buffering handles).
  static void check(const vector_case& c, impl which) {
    EXPECT_EQ(hex(sha1::of(c.message, which)), c.digest) << "in one call";
    for (const std::size_t piece : {1u, 7u, 63u, 64u, 65u}) {
      if (c.message.size() > 100000 && piece < 63) continue;  // a million one-byte calls: slow
      sha1 h(which);
      for (std::size_t at = 0; at < c.message.size(); at += piece) {
        h.update(std::string_view(c.message).substr(at, piece));
      }
      EXPECT_EQ(hex(h.finish()), c.digest) << "in pieces of " << piece;
    }
  }
};

TEST_P(sha1_vectors, portable) { check(GetParam(), impl::portable); }

TEST_P(sha1_vectors, sha_ni) {
  if (!sha1::sha_ni_available()) GTEST_SKIP() << "this processor has no SHA extensions";
  check(GetParam(), impl::sha_ni);
}

TEST_P(sha1_vectors, best) { check(GetParam(), impl::best); }

INSTANTIATE_TEST_SUITE_P(fips_180, sha1_vectors, ::testing::ValuesIn(vectors),
                         [](const ::testing::TestParamInfo<vector_case>& p) {
                           return p.param.name;
                         });

// Object ids as `git hash-object` prints them.
struct object_case {
  const char* name;
  const char* type;
  std::string content;
  const char* id;
};

void PrintTo(const object_case& c, std::ostream* os) { *os << c.name; }

const object_case objects[] = {
    {"empty_blob", "blob", "", "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"},
    {"hello_world_blob", "blob", "hello world\n", "3b18e512dba79e4c8300dd08aeb37f8e728b8dad"},
    {"clause_blob", "blob", "The States shall cooperate.\n",
     "e6cf9e157a8240ff37fb472ed38c23bfb6aacba7"},
    {"empty_tree", "tree", "", "4b825dc642cb6eb9a060e54bf8d69288fbee4904"},
};

class git_object_ids : public ::testing::TestWithParam<object_case> {};

TEST_P(git_object_ids, portable) {
  const object_case& c = GetParam();
  EXPECT_EQ(git_object_id(c.type, c.content, impl::portable), c.id);
}

TEST_P(git_object_ids, sha_ni) {
  if (!sha1::sha_ni_available()) GTEST_SKIP() << "this processor has no SHA extensions";
  const object_case& c = GetParam();
  EXPECT_EQ(git_object_id(c.type, c.content, impl::sha_ni), c.id);
}

INSTANTIATE_TEST_SUITE_P(git_hash_object, git_object_ids, ::testing::ValuesIn(objects),
                         [](const ::testing::TestParamInfo<object_case>& p) {
                           return p.param.name;
                         });

// The two implementations agree on every length around the block size, byte for byte.
TEST(sha1_implementations, agree_on_every_length_up_to_300) {
  if (!sha1::sha_ni_available()) GTEST_SKIP() << "this processor has no SHA extensions";
  std::string message;
  for (std::size_t n = 0; n <= 300; ++n) {
    EXPECT_EQ(hex(sha1::of(message, impl::portable)), hex(sha1::of(message, impl::sha_ni)))
        << n << " bytes";
    message += static_cast<char>('a' + n * 7 % 26);
  }
}

}  // namespace
}  // namespace plenary::storage
