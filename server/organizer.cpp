#include "server/organizer.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "server/access.hpp"
#include "server/data_dir.hpp"

namespace plenary::server {
namespace {

constexpr std::string_view header =
    "# plenary organizer v1: BLAKE2b-256 of the organizer code (hex)";
constexpr std::size_t hash_hex_chars = 64;

// The hash in the file's text, or "" when there is none.
std::string parse_hash(std::string_view text) {
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (line.empty() || line.front() == '#') continue;
    return line.size() == hash_hex_chars ? std::string(line) : std::string();
  }
  return {};
}

}  // namespace

std::string organizer_file_text(std::string_view code) {
  return std::string(header) + "\n" + hash_code_hex(code) + "\n";
}

organizer_key::organizer_key(std::filesystem::path file) : file_(std::move(file)) {}

std::optional<organizer_key::stamp> organizer_key::stamp_of(const std::filesystem::path& path) {
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

bool organizer_key::verify(std::string_view code) const {
  auto now = stamp_of(file_);  // outside the lock: one stat per request
  std::string hash;
  {
    std::lock_guard lock(mu_);
    if (!now) {
      stamp_.reset();
      hash_hex_.clear();  // removed: nobody is the organizer
    } else if (now != stamp_) {
      // Replaced (a reissue renames a new file over it): read it again. The stamp is taken
      // before reading, so a replacement during the read is read again next time.
      stamp_ = now;
      std::ifstream in(file_, std::ios::binary);
      std::ostringstream buf;
      buf << in.rdbuf();
      hash_hex_ = parse_hash(buf.str());
      if (hash_hex_.empty())
        spdlog::warn(
            "event=organizer_file_unusable file={} (the organizer is refused until "
            "`plenary organizer --reissue`)",
            file_.string());
      else
        spdlog::info("event=organizer_code_loaded");
    }
    hash = hash_hex_;
  }
  if (hash.empty()) {
    code_matches(code, std::string(hash_hex_chars, '0'));  // the same work either way
    return false;
  }
  return code_matches(code, hash);
}

int organizer_command(const std::filesystem::path& data, bool reissue,
                      const std::string& base_url) {
  ::umask(077);  // the organizer file is the owner's only
  std::string base = base_url;
  if (!base.starts_with("http://") && !base.starts_with("https://")) {
    std::fprintf(stderr,
                 "plenary: --listen-url is the server's base URL, such as "
                 "https://plenary.example.org\n");
    return 2;
  }
  while (base.ends_with('/')) base.pop_back();
  data_dir dir(data);
  if (!reissue) {
    std::error_code ec;
    const bool has = std::filesystem::exists(dir.organizer_path(), ec);
    std::printf("%s\n",
                has ? "An organizer code is set (only its hash is stored). `plenary organizer "
                      "--reissue` replaces it and prints the new link."
                    : "No organizer code yet: `plenary organizer --reissue` issues one "
                      "(`plenary serve` does too, at its start).");
    return 0;
  }
  auto code = dir.issue_organizer_code();
  if (!code) {
    std::fprintf(stderr, "plenary: %s\n", code.err().message.c_str());
    return 1;
  }
  std::printf(
      "Organizer link (shown only now; the previous one no longer works):\n  %s/organize#code=%s\n",
      base.c_str(), code->c_str());
  return 0;
}

int unarchive_command(const std::filesystem::path& data, const std::string& slug) {
  ::umask(077);
  if (auto st = data_dir(data).unarchive_draft(slug); !st) {
    std::fprintf(stderr, "plenary: %s\n", st.err().message.c_str());
    return 1;
  }
  std::printf(
      "Restored the draft `%s`: it is served again at /d/%s with its earlier join "
      "codes.\n",
      slug.c_str(), slug.c_str());
  return 0;
}

}  // namespace plenary::server
