// git's pack and index formats in memory; see pack_encoding.hpp.
#include "storage/git/pack_encoding.hpp"

#include <algorithm>

namespace plenary::storage::pack_encoding {

int pack_type(git_object_t t) noexcept {
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

void put32(std::string& out, std::uint32_t v) {
  const char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                     static_cast<char>(v >> 8), static_cast<char>(v)};
  out.append(b, 4);
}

std::uint32_t get32(const unsigned char* p) noexcept {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

std::string pack_header(std::size_t count) {
  std::string out = "PACK";
  put32(out, 2);
  put32(out, static_cast<std::uint32_t>(count));
  return out;
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

deflater::deflater() noexcept {
  ok_ = deflateInit2(&z_, Z_NO_COMPRESSION, Z_DEFLATED, 15, 1, Z_DEFAULT_STRATEGY) == Z_OK;
}

deflater::~deflater() {
  if (ok_) deflateEnd(&z_);
}

bool deflater::append(std::string& out, const void* data, std::size_t size) {
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

std::uint32_t crc_of(const std::string& bytes, std::size_t from) noexcept {
  return static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(bytes.data() + from),
                                          static_cast<uInt>(bytes.size() - from)));
}

std::optional<packed> append_object(std::string& pack, deflater& z, const git_oid& oid,
                                    git_object_t type, const void* data, std::size_t size) {
  packed e;
  e.oid = oid;
  e.offset = pack.size();
  const int t = pack_type(type);
  append_entry_header(pack, t, size);
  if (t == 0 || !z.append(pack, data, size)) return std::nullopt;
  e.crc = crc_of(pack, e.offset);
  return e;
}

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

std::optional<index_entries> parse_index(std::string_view data) {
  constexpr std::size_t header = 8;
  constexpr std::size_t fanout = 256 * 4;
  if (data.size() < header + fanout || data.substr(0, 8) != index_magic) return std::nullopt;
  const auto* base = reinterpret_cast<const unsigned char*>(data.data());
  const std::size_t count = get32(base + header + fanout - 4);
  const std::size_t ids = header + fanout;
  const std::size_t crcs = ids + count * GIT_OID_RAWSZ;
  const std::size_t offs = crcs + count * 4;
  const std::size_t large = offs + count * 4;
  if (data.size() < large + 40) return std::nullopt;
  index_entries out;
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

}  // namespace plenary::storage::pack_encoding
