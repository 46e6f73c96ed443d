#include "storage/git/sha1.hpp"

#include <algorithm>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#define PLENARY_SHA_NI 1
#endif

namespace plenary::storage {
namespace {

inline std::uint32_t rol(std::uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

void blocks_portable(std::uint32_t* h, const unsigned char* p, std::size_t n) noexcept {
  for (; n > 0; --n, p += 64) {
    std::uint32_t w[80];
    for (int i = 0; i < 16; ++i) {
      w[i] = (std::uint32_t{p[4 * i]} << 24) | (std::uint32_t{p[4 * i + 1]} << 16) |
             (std::uint32_t{p[4 * i + 2]} << 8) | std::uint32_t{p[4 * i + 3]};
    }
    for (int i = 16; i < 80; ++i) w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; ++i) {
      std::uint32_t f, k;
      if (i < 20) {
        f = (b & c) | (~b & d);
        k = 0x5A827999u;
      } else if (i < 40) {
        f = b ^ c ^ d;
        k = 0x6ED9EBA1u;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8F1BBCDCu;
      } else {
        f = b ^ c ^ d;
        k = 0xCA62C1D6u;
      }
      const std::uint32_t t = rol(a, 5) + f + e + k + w[i];
      e = d;
      d = c;
      c = rol(b, 30);
      b = a;
      a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
  }
}

#ifdef PLENARY_SHA_NI
// The SHA extensions' four-rounds-at-a-time form (as in Intel's reference code). Group g does
// rounds 4g..4g+3 with message word vector M = W[g % 4]; it also advances the message
// schedule (sha1msg1/xor/sha1msg2), which the last groups do needlessly but harmlessly.
#define PLENARY_SHA1_GROUP(A, B, M, NEXT, PREV, PP, F) \
  A = _mm_sha1nexte_epu32(A, M);                       \
  B = abcd;                                            \
  NEXT = _mm_sha1msg2_epu32(NEXT, M);                  \
  abcd = _mm_sha1rnds4_epu32(abcd, A, F);              \
  PREV = _mm_sha1msg1_epu32(PREV, M);                  \
  PP = _mm_xor_si128(PP, M);

__attribute__((target("sha,sse4.1"))) void blocks_sha_ni(std::uint32_t* h, const unsigned char* p,
                                                         std::size_t n) noexcept {
  const __m128i mask = _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
  __m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(h)), 0x1B);
  __m128i e0 = _mm_set_epi32(static_cast<int>(h[4]), 0, 0, 0);
  for (; n > 0; --n, p += 64) {
    const __m128i abcd_save = abcd;
    const __m128i e0_save = e0;
    __m128i m0 = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), mask);
    __m128i m1 = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16)), mask);
    __m128i m2 = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 32)), mask);
    __m128i m3 = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 48)), mask);
    __m128i e1;
    // Rounds 0-15: the first groups, before the schedule is complete.
    e0 = _mm_add_epi32(e0, m0);
    e1 = abcd;
    abcd = _mm_sha1rnds4_epu32(abcd, e0, 0);
    e1 = _mm_sha1nexte_epu32(e1, m1);
    e0 = abcd;
    abcd = _mm_sha1rnds4_epu32(abcd, e1, 0);
    m0 = _mm_sha1msg1_epu32(m0, m1);
    e0 = _mm_sha1nexte_epu32(e0, m2);
    e1 = abcd;
    abcd = _mm_sha1rnds4_epu32(abcd, e0, 0);
    m1 = _mm_sha1msg1_epu32(m1, m2);
    m0 = _mm_xor_si128(m0, m2);
    PLENARY_SHA1_GROUP(e1, e0, m3, m0, m2, m1, 0)  // 12-15
    PLENARY_SHA1_GROUP(e0, e1, m0, m1, m3, m2, 0)  // 16-19
    PLENARY_SHA1_GROUP(e1, e0, m1, m2, m0, m3, 1)  // 20-23
    PLENARY_SHA1_GROUP(e0, e1, m2, m3, m1, m0, 1)
    PLENARY_SHA1_GROUP(e1, e0, m3, m0, m2, m1, 1)
    PLENARY_SHA1_GROUP(e0, e1, m0, m1, m3, m2, 1)
    PLENARY_SHA1_GROUP(e1, e0, m1, m2, m0, m3, 1)  // 36-39
    PLENARY_SHA1_GROUP(e0, e1, m2, m3, m1, m0, 2)  // 40-43
    PLENARY_SHA1_GROUP(e1, e0, m3, m0, m2, m1, 2)
    PLENARY_SHA1_GROUP(e0, e1, m0, m1, m3, m2, 2)
    PLENARY_SHA1_GROUP(e1, e0, m1, m2, m0, m3, 2)
    PLENARY_SHA1_GROUP(e0, e1, m2, m3, m1, m0, 2)  // 56-59
    PLENARY_SHA1_GROUP(e1, e0, m3, m0, m2, m1, 3)  // 60-63
    PLENARY_SHA1_GROUP(e0, e1, m0, m1, m3, m2, 3)
    PLENARY_SHA1_GROUP(e1, e0, m1, m2, m0, m3, 3)
    PLENARY_SHA1_GROUP(e0, e1, m2, m3, m1, m0, 3)
    // Rounds 76-79.
    e1 = _mm_sha1nexte_epu32(e1, m3);
    e0 = abcd;
    abcd = _mm_sha1rnds4_epu32(abcd, e1, 3);
    e0 = _mm_sha1nexte_epu32(e0, e0_save);
    abcd = _mm_add_epi32(abcd, abcd_save);
  }
  _mm_storeu_si128(reinterpret_cast<__m128i*>(h), _mm_shuffle_epi32(abcd, 0x1B));
  h[4] = static_cast<std::uint32_t>(_mm_extract_epi32(e0, 3));
}
#undef PLENARY_SHA1_GROUP

bool has_sha_ni() noexcept {
  // CPUID itself: clang 14 does not know __builtin_cpu_supports("sha").
  static const bool yes = [] {
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d) || (c & bit_SSE4_1) == 0) return false;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
    return (b & bit_SHA) != 0;
  }();
  return yes;
}
#endif

}  // namespace

bool sha1::sha_ni_available() noexcept {
#ifdef PLENARY_SHA_NI
  return has_sha_ni();
#else
  return false;
#endif
}

sha1::sha1(implementation impl) noexcept
    : h_{0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u},
      sha_ni_(impl != implementation::portable && sha_ni_available()) {}

void sha1::blocks(const unsigned char* p, std::size_t n) noexcept {
#ifdef PLENARY_SHA_NI
  if (sha_ni_) return blocks_sha_ni(h_, p, n);
#endif
  blocks_portable(h_, p, n);
}

void sha1::update(const void* data, std::size_t size) noexcept {
  const auto* p = static_cast<const unsigned char*>(data);
  total_ += size;
  if (used_ > 0) {
    const std::size_t take = std::min(size, sizeof buf_ - used_);
    std::memcpy(buf_ + used_, p, take);
    used_ += take;
    p += take;
    size -= take;
    if (used_ < sizeof buf_) return;
    blocks(buf_, 1);
    used_ = 0;
  }
  if (size >= 64) {
    blocks(p, size / 64);
    p += size / 64 * 64;
    size %= 64;
  }
  if (size > 0) {
    std::memcpy(buf_, p, size);
    used_ = size;
  }
}

sha1::digest sha1::finish() noexcept {
  const std::uint64_t bits = total_ * 8;
  const unsigned char pad = 0x80;
  update(&pad, 1);
  const unsigned char zero[64] = {};
  const std::size_t fill = used_ <= 56 ? 56 - used_ : 120 - used_;
  update(zero, fill);
  unsigned char len[8];
  for (int i = 0; i < 8; ++i) len[i] = static_cast<unsigned char>(bits >> (56 - 8 * i));
  update(len, 8);
  digest out;
  for (int i = 0; i < 5; ++i) {
    out[4 * i] = static_cast<unsigned char>(h_[i] >> 24);
    out[4 * i + 1] = static_cast<unsigned char>(h_[i] >> 16);
    out[4 * i + 2] = static_cast<unsigned char>(h_[i] >> 8);
    out[4 * i + 3] = static_cast<unsigned char>(h_[i]);
  }
  return out;
}

}  // namespace plenary::storage
