// Private to storage: SHA-1 (FIPS 180-4), for the checksums of the pack and index files that
// pack_writer writes itself (object ids are still computed by libgit2). Incremental. Uses
// the x86 SHA extensions when the processor has them (5x faster: consolidating packs hashes
// every byte of the packs it rolls up), plain C++ otherwise.
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

  sha1() noexcept;
  void update(const void* data, std::size_t size) noexcept;
  void update(std::string_view s) noexcept { update(s.data(), s.size()); }
  digest finish() noexcept;  // the hasher is spent afterwards

  static digest of(std::string_view s) noexcept {
    sha1 h;
    h.update(s);
    return h.finish();
  }

 private:
  void blocks(const unsigned char* p, std::size_t n) noexcept;  // n blocks of 64 bytes

  std::uint32_t h_[5];
  unsigned char buf_[64];
  std::size_t used_ = 0;
  std::uint64_t total_ = 0;
};

}  // namespace plenary::storage
