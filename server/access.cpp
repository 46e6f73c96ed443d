// Join codes (access.hpp): the access file's format, issuing and checking codes, and the
// file of a running draft, read again when it is replaced.
#include "server/access.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <set>
#include <sstream>

namespace plenary::server {
namespace {

constexpr std::string_view header =
    "# plenary access v1: role<TAB>state<TAB>name<TAB>BLAKE2b-256 of the join code (hex)";
constexpr std::size_t hash_bytes = crypto_generichash_BYTES;  // 32

std::array<unsigned char, hash_bytes> hash_code(std::string_view code) {
  std::array<unsigned char, hash_bytes> out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(code.data()),
                     code.size(), nullptr, 0);
  return out;
}

std::string to_hex(const unsigned char* bytes, std::size_t n) {
  std::string hex(n * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, n);
  hex.pop_back();
  return hex;
}

std::optional<role> parse_role(std::string_view s) {
  if (s == "delegation") return role::delegation;
  if (s == "chair") return role::chair;
  if (s == "observer") return role::observer;
  return std::nullopt;
}

}  // namespace

const char* to_string(role r) noexcept {
  switch (r) {
    case role::delegation: return "delegation";
    case role::chair: return "chair";
    case role::observer: return "observer";
  }
  return "observer";
}

std::string new_join_code() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
  std::array<unsigned char, 24> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::string code(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                   '\0');
  sodium_bin2base64(code.data(), code.size(), bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  code.resize(std::char_traits<char>::length(code.c_str()));
  return code;
}

access_list access_list::issue(const std::vector<storage::actor>& roster, issued_codes& codes) {
  access_list list;
  auto add = [&](identity who) {
    std::string code = new_join_code();
    auto h = hash_code(code);
    list.entries_.push_back({std::move(who), to_hex(h.data(), h.size())});
    return code;
  };
  codes.chair = add({"CHAIR", "Chair", role::chair});
  codes.observer = add({"OBSERVER", "Observer", role::observer});
  for (const auto& d : roster) codes.delegations[d.state] = add({d.state, d.name, role::delegation});
  return list;
}

storage::result<access_list> access_list::reissue(const std::vector<std::string>& roles,
                                                  issued_codes& codes) const {
  bool all = false, chair = false, observer = false;
  std::set<std::string> states;
  for (const std::string& r : roles) {
    if (r == "all") {
      all = true;
    } else if (r == "chair") {
      chair = true;
    } else if (r == "observer") {
      observer = true;
    } else if (std::any_of(entries_.begin(), entries_.end(), [&](const entry& e) {
                 return e.who.role == role::delegation && e.who.state == r;
               })) {
      states.insert(r);
    } else {
      std::string valid = "chair, observer, all";
      for (const auto& a : roster()) valid += ", " + a.state;
      return storage::make_error(storage::error_kind::invalid,
                                 "unknown role `" + r + "`: the roles of this draft are " + valid);
    }
  }
  if (!all && !chair && !observer && states.empty()) {
    return storage::make_error(storage::error_kind::invalid,
                               "no role to reissue: name chair, observer, all or a delegation");
  }
  codes = {};
  access_list out = *this;
  // One fresh code per identity (were an identity listed twice, both lines get the same one).
  std::map<std::pair<int, std::string>, std::string> fresh;
  for (auto& e : out.entries_) {
    bool pick = all || (e.who.role == role::chair && chair) ||
                (e.who.role == role::observer && observer) ||
                (e.who.role == role::delegation && states.count(e.who.state) != 0);
    if (!pick) continue;
    auto key = std::make_pair(static_cast<int>(e.who.role), e.who.state);
    auto it = fresh.find(key);
    if (it == fresh.end()) it = fresh.emplace(key, new_join_code()).first;
    auto h = hash_code(it->second);
    e.hash_hex = to_hex(h.data(), h.size());
    switch (e.who.role) {
      case role::chair: codes.chair = it->second; break;
      case role::observer: codes.observer = it->second; break;
      case role::delegation: codes.delegations[e.who.state] = it->second; break;
    }
  }
  return out;
}

storage::result<access_list> access_list::parse(std::string_view tsv) {
  access_list list;
  std::size_t line_no = 0;
  while (!tsv.empty()) {
    ++line_no;
    auto nl = tsv.find('\n');
    std::string_view line = tsv.substr(0, nl);
    tsv = nl == std::string_view::npos ? std::string_view{} : tsv.substr(nl + 1);
    if (line.empty() || line.front() == '#') continue;
    std::array<std::string_view, 4> f;
    for (std::size_t i = 0; i < f.size(); ++i) {
      auto tab = line.find('\t');
      if (i + 1 < f.size() && tab == std::string_view::npos) {
        return storage::make_error(storage::error_kind::invalid,
                                   "access file line " + std::to_string(line_no) +
                                       " does not have 4 tab-separated fields");
      }
      f[i] = line.substr(0, tab);
      line = tab == std::string_view::npos ? std::string_view{} : line.substr(tab + 1);
    }
    auto r = parse_role(f[0]);
    if (!r || f[3].size() != hash_bytes * 2) {
      return storage::make_error(storage::error_kind::invalid,
                                 "access file line " + std::to_string(line_no) + " is malformed");
    }
    list.entries_.push_back({{std::string(f[1]), std::string(f[2]), *r}, std::string(f[3])});
  }
  if (list.entries_.empty()) {
    return storage::make_error(storage::error_kind::invalid, "access file lists nobody");
  }
  return list;
}

std::string access_list::serialize() const {
  std::ostringstream out;
  out << header << '\n';
  for (const auto& e : entries_) {
    out << to_string(e.who.role) << '\t' << e.who.state << '\t' << e.who.name << '\t' << e.hash_hex
        << '\n';
  }
  return out.str();
}

std::optional<identity> access_list::verify(std::string_view code) const {
  auto h = hash_code(code);
  std::array<unsigned char, hash_bytes> stored{};
  const entry* match = nullptr;
  for (const auto& e : entries_) {
    std::size_t len = 0;
    if (sodium_hex2bin(stored.data(), stored.size(), e.hash_hex.data(), e.hash_hex.size(), nullptr,
                       &len, nullptr) != 0 ||
        len != stored.size()) {
      continue;
    }
    // Every entry is compared, whatever matched before: the time does not depend on the code.
    if (sodium_memcmp(stored.data(), h.data(), h.size()) == 0) match = &e;
  }
  if (!match) return std::nullopt;
  return match->who;
}

std::vector<storage::actor> access_list::roster() const {
  std::vector<storage::actor> out;
  for (const auto& e : entries_) {
    if (e.who.role == role::delegation) out.push_back({e.who.state, e.who.name});
  }
  return out;
}

access_file::access_file(std::string slug, access_list initial, std::filesystem::path path)
    : slug_(std::move(slug)),
      path_(std::move(path)),
      list_(std::make_shared<const access_list>(std::move(initial))) {}

std::optional<access_file::stamp> access_file::stamp_of(const std::filesystem::path& path) {
  if (path.empty()) return std::nullopt;
  struct ::stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  stamp s;
  s.dev = static_cast<std::uint64_t>(st.st_dev);
  s.ino = static_cast<std::uint64_t>(st.st_ino);
  s.size = static_cast<std::int64_t>(st.st_size);
  s.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  s.ctime_ns = static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec;
  return s;
}

std::shared_ptr<const access_list> access_file::in_force() const {
  std::lock_guard lock(mu_);
  return list_;
}

std::shared_ptr<const access_list> access_file::current() const {
  auto now = stamp_of(path_);  // outside the lock: joins do not queue behind a stat
  std::lock_guard lock(mu_);
  if (!now || now == stamp_) return list_;
  // Replaced (a reissue renames a new file over it): read it again. The roster is kept as it
  // was when the draft was opened; only the codes change.
  // The first call reads it too: the file may have been replaced between the registry's
  // read and the room's construction. The stamp is taken before reading, so a replacement
  // during the read is read again next time.
  const bool first = !stamp_;
  stamp_ = now;  // a file that fails is reported once, not at every join
  std::ifstream in(path_, std::ios::binary);
  if (!in) {
    spdlog::warn(
        "event=access_reload_failed draft={} error=\"cannot read {}\" (the codes in "
        "force stay)",
        slug_, path_.string());
    return list_;
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  auto fresh = access_list::parse(buf.str());
  if (!fresh) {
    spdlog::warn("event=access_reload_failed draft={} error=\"{}\" (the codes in force stay)",
                 slug_, fresh.err().message);
    return list_;
  }
  list_ = std::make_shared<const access_list>(std::move(*fresh));
  if (!first) {
    spdlog::info("event=access_reloaded draft={} entries={}", slug_, list_->entries().size());
  }
  return list_;
}

}  // namespace plenary::server
