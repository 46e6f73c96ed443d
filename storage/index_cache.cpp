#include "storage/index_cache.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "storage/files.hpp"
#include "storage/git/sha1.hpp"

namespace plenary::storage::index_cache {
namespace fs = std::filesystem;

namespace {

// Bump when the layout below changes. The size check makes a change of log_entry (a new
// field) fail to compile here until the cache writes and reads that field too.
constexpr std::uint32_t version = 1;
static_assert(sizeof(log_entry) == 4 * sizeof(std::string) + sizeof(actor) + 8 + 8 + 8 + 8 + 8 + 16,
              "log_entry changed: save and load its new fields in index_cache.cpp, then bump "
              "`version` there");
constexpr std::string_view magic = "plenary index cache\n";

class writer {
 public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void i64(std::int64_t v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void oid(const git_oid& o) { out_.append(reinterpret_cast<const char*>(o.id), GIT_OID_RAWSZ); }
  void str(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }
  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

class reader {
 public:
  explicit reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return pos_ == in_.size(); }
  std::uint8_t u8() {
    std::uint8_t v = 0;
    take(&v, 1);
    return v;
  }
  std::uint32_t u32() {
    std::uint32_t v = 0;
    take(&v, sizeof v);
    return v;
  }
  std::int64_t i64() {
    std::int64_t v = 0;
    take(&v, sizeof v);
    return v;
  }
  git_oid oid() {
    git_oid o{};
    unsigned char raw[GIT_OID_RAWSZ] = {};
    take(raw, sizeof raw);
    git_oid_fromraw(&o, raw);
    return o;
  }
  std::string str() {
    const std::uint32_t n = u32();
    if (!ok_ || in_.size() - pos_ < n) {
      ok_ = false;
      return {};
    }
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }

 private:
  void take(void* out, std::size_t n) {
    if (!ok_ || in_.size() - pos_ < n) {
      ok_ = false;
      return;
    }
    std::memcpy(out, in_.data() + pos_, n);
    pos_ += n;
  }
  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

// A change of one clause file, as recorded for one commit.
struct change_row {
  std::uint32_t commit;
  const std::string* id;
  const draft_index::change* change;
};

}  // namespace

std::optional<cached> read(const fs::path& git_dir) {
  std::string data;
  if (!files::read_whole(git_dir / file_name, data)) return std::nullopt;
  if (data.size() < magic.size() + 20 || data.compare(0, magic.size(), magic) != 0) {
    return std::nullopt;
  }
  const std::string_view body(data.data(), data.size() - 20);
  const sha1::digest sum = sha1::of(body);
  if (std::memcmp(sum.data(), data.data() + body.size(), sum.size()) != 0) return std::nullopt;
  reader in(body.substr(magic.size()));
  if (in.u32() != version) return std::nullopt;
  cached out;
  out.head = in.oid();
  const std::uint32_t commits = in.u32();
  if (static_cast<std::size_t>(commits) > body.size() / 40) return std::nullopt;  // not that many
  out.index.reserve(commits);
  git_oid previous{};
  for (std::uint32_t i = 0; i < commits && in.ok(); ++i) {
    const git_oid oid = in.oid();
    log_entry e;
    e.commit = git::to_hex(oid);
    if (in.u8() != 0) e.parent = git::to_hex(previous);
    e.by.name = in.str();
    e.by.state = in.str();
    e.at = in.i64();
    const std::uint8_t op = in.u8();
    if (op > static_cast<std::uint8_t>(op_kind::resolve)) return std::nullopt;  // newer: ignore
    e.op = static_cast<op_kind>(op);
    e.clause = in.str();
    e.note = in.str();
    if (in.u8() != 0) e.stage = static_cast<draft_stage>(in.u8());
    if (in.u8() != 0) e.proposal = static_cast<int>(in.u32());
    if (in.u8() != 0) e.adopted = static_cast<adoption_kind>(in.u8());
    if (in.u8() != 0) {
      vote_count v;
      v.yes = static_cast<int>(in.u32());
      v.no = static_cast<int>(in.u32());
      v.abstain = static_cast<int>(in.u32());
      e.vote = v;
    }
    out.index.add_commit(oid, std::move(e));
    const std::uint32_t changes = in.u32();
    for (std::uint32_t k = 0; k < changes && in.ok(); ++k) {
      std::string id = in.str();
      std::optional<git_oid> blob;
      if (in.u8() != 0) blob = in.oid();
      if (in.ok()) out.index.add_change(id, i, blob);
    }
    previous = oid;
  }
  if (!in.ok() || !in.done() || out.index.size() == 0) return std::nullopt;
  if (!git_oid_equal(&out.index.commit(static_cast<std::uint32_t>(out.index.size() - 1)).oid,
                     &out.head)) {
    return std::nullopt;
  }
  return out;
}

bool write(const fs::path& git_dir, const draft_index& index, const git_oid& head) {
  // The changes, commit by commit (the index keeps them clause by clause).
  std::vector<change_row> rows;
  for (const auto& [id, record] : index.clauses()) {
    for (const auto& ch : record.changes) rows.push_back({ch.commit, &id, &ch});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const change_row& a, const change_row& b) { return a.commit < b.commit; });
  writer w;
  w.bytes().reserve(index.size() * 160 + rows.size() * 32);
  w.bytes().append(magic);
  w.u32(version);
  w.oid(head);
  w.u32(static_cast<std::uint32_t>(index.size()));
  std::size_t next_row = 0;
  for (std::uint32_t i = 0; i < index.size(); ++i) {
    const draft_index::commit_record& c = index.commit(i);
    const log_entry& e = c.entry;
    w.oid(c.oid);
    // The walk follows first parents, so a commit's parent is the one before it.
    w.u8(e.parent.empty() ? 0 : 1);
    w.str(e.by.name);
    w.str(e.by.state);
    w.i64(e.at);
    w.u8(static_cast<std::uint8_t>(e.op));
    w.str(e.clause);
    w.str(e.note);
    w.u8(e.stage ? 1 : 0);
    if (e.stage) w.u8(static_cast<std::uint8_t>(*e.stage));
    w.u8(e.proposal ? 1 : 0);
    if (e.proposal) w.u32(static_cast<std::uint32_t>(*e.proposal));
    w.u8(e.adopted ? 1 : 0);
    if (e.adopted) w.u8(static_cast<std::uint8_t>(*e.adopted));
    w.u8(e.vote ? 1 : 0);
    if (e.vote) {
      w.u32(static_cast<std::uint32_t>(e.vote->yes));
      w.u32(static_cast<std::uint32_t>(e.vote->no));
      w.u32(static_cast<std::uint32_t>(e.vote->abstain));
    }
    std::size_t end = next_row;
    while (end < rows.size() && rows[end].commit == i) ++end;
    w.u32(static_cast<std::uint32_t>(end - next_row));
    for (; next_row < end; ++next_row) {
      w.str(*rows[next_row].id);
      const auto& blob = rows[next_row].change->blob;
      w.u8(blob ? 1 : 0);
      if (blob) w.oid(*blob);
    }
  }
  const sha1::digest sum = sha1::of(w.bytes());
  w.bytes().append(reinterpret_cast<const char*>(sum.data()), sum.size());

  const fs::path final_path = git_dir / file_name;
  const fs::path tmp = git_dir / (std::string(file_name) + ".tmp-" + std::to_string(::getpid()));
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  const std::string& data = w.bytes();
  std::size_t done = 0;
  bool ok = true;
  while (ok && done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  ok = (::close(fd) == 0) && ok;
  if (ok) ok = ::rename(tmp.c_str(), final_path.c_str()) == 0;
  if (!ok) ::unlink(tmp.c_str());
  return ok;
}

}  // namespace plenary::storage::index_cache
