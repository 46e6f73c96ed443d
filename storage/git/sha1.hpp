// Private to storage: SHA-1 (FIPS 180-4), for the checksums git's file formats end with (the
// pack and index files storage writes itself, pack_encoding.hpp; the index cache) and for the
// ids of the trees storage builds (repo::write_object; blobs and commits, which carry
// delegates' text, keep libgit2's collision-detecting hash). Incremental. Uses the x86 SHA
// extensions when the processor has them (5x faster: consolidating packs hashes every byte of
// the packs it rolls up), plain C++ otherwise; both can be asked for by name, so that tests
// run each (tests/storage/sha1_test.cpp).
// Thread safety: one hasher per thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace plenary::storage {

class sha1 {
 public:
  using digest = std::array<unsigned char, 20>;

  // Which code computes the blocks: the fastest this processor has, or one by name.
  enum class implementation : std::uint8_t { best, portable, sha_ni };
  // Whether this build and this processor have the SHA extensions (x86-64 with SHA and
  // SSE4.1). Asking for `sha_ni` without them gets the portable code.
  static bool sha_ni_available() noexcept;

  explicit sha1(implementation impl = implementation::best) noexcept;
  void update(const void* data, std::size_t size) noexcept;
  void update(std::string_view s) noexcept { update(s.data(), s.size()); }
  digest finish() noexcept;  // the hasher is spent afterwards

  static digest of(std::string_view s, implementation impl = implementation::best) noexcept {
    sha1 h(impl);
    h.update(s);
    return h.finish();
  }

 private:
  void blocks(const unsigned char* p, std::size_t n) noexcept;  // n blocks of 64 bytes

  std::uint32_t h_[5];
  unsigned char buf_[64];
  std::size_t used_ = 0;
  std::uint64_t total_ = 0;
  bool sha_ni_ = false;  // blocks() uses the SHA extensions
};

}  // namespace plenary::storage
