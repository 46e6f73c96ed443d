// git's lock protocol on refs/heads/main, and main's current value; see main_lock.hpp.
#include "storage/git/main_lock.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "storage/files.hpp"

namespace plenary::storage {
namespace fs = std::filesystem;
namespace {

std::string os_reason(int err) { return std::error_code(err, std::generic_category()).message(); }

}  // namespace

result<std::optional<git_oid>> read_main(const fs::path& git_dir) {
  std::string text;
  if (files::read_whole(git_dir / main_ref, text)) {
    git_oid oid;
    if (text.size() < GIT_OID_HEXSZ ||
        !git::from_hex(std::string_view(text).substr(0, GIT_OID_HEXSZ), &oid)) {
      return make_error(error_kind::invalid, "refs/heads/main is not a commit id.");
    }
    return std::optional<git_oid>(oid);
  }
  if (files::read_whole(git_dir / "packed-refs", text)) {
    const std::string suffix = std::string(" ") + main_ref;
    std::size_t at = 0;
    while (at < text.size()) {
      std::size_t nl = text.find('\n', at);
      if (nl == std::string::npos) nl = text.size();
      const std::string_view line(text.data() + at, nl - at);
      git_oid oid;
      if (line.size() == GIT_OID_HEXSZ + suffix.size() && line.substr(GIT_OID_HEXSZ) == suffix &&
          git::from_hex(line.substr(0, GIT_OID_HEXSZ), &oid)) {
        return std::optional<git_oid>(oid);
      }
      at = nl + 1;
    }
  }
  return std::optional<git_oid>();
}

bool main_is_logged(repo& r) {
  std::error_code ec;
  if (fs::exists(r.git_dir() / "logs" / main_ref, ec)) return true;
  git_config* raw = nullptr;
  if (git_repository_config_snapshot(&raw, r.get()) < 0) {
    git_error_clear();
    return true;  // cannot tell: let libgit2 decide
  }
  const char* value = nullptr;
  int rc = git_config_get_string(&value, raw, "core.logallrefupdates");
  const bool logged = rc == 0 && value != nullptr && std::string_view(value) != "false";
  git_config_free(raw);
  git_error_clear();
  return logged;
}

fs::path main_lock::ref() const { return git_dir_ / main_ref; }
fs::path main_lock::lock() const { return ref().string() + ".lock"; }

result<main_lock> main_lock::acquire(const fs::path& git_dir) {
  const std::string lock = (git_dir / main_ref).string() + ".lock";
  const int fd = ::open(lock.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    const int err = errno;
    if (err == EEXIST) {
      return make_error(error_kind::io, "The branch main of " + git_dir.string() +
                                            " is locked by another process (" + lock +
                                            " exists), so nothing was committed.");
    }
    return make_error(error_kind::io, "Could not lock the branch main of " + git_dir.string() +
                                          ": " + os_reason(err) + ". Nothing was committed.");
  }
  return main_lock(git_dir, fd);
}

main_lock::main_lock(main_lock&& other) noexcept
    : git_dir_(std::move(other.git_dir_)), fd_(other.fd_), held_(other.held_) {
  other.fd_ = -1;
  other.held_ = false;
}

status main_lock::check_unmoved(const git_oid& expected) const {
  auto current = read_main(git_dir_);
  if (!current) return std::move(current).err();
  if (!*current || !git_oid_equal(&**current, &expected)) {
    return make_error(error_kind::io,
                      "Another process moved the branch main of " + git_dir_.string() +
                          " while this amendment was written, so nothing was committed; the "
                          "draft was reloaded from disk, try again.");
  }
  return ok_status();
}

status main_lock::write(const git_oid& target) {
  const std::string value = git::to_hex(target) + "\n";
  if (::write(fd_, value.data(), value.size()) != static_cast<ssize_t>(value.size())) {
    return make_error(error_kind::io,
                      "Could not write " + lock().string() + ". Nothing was committed.");
  }
  return ok_status();
}

void main_lock::close_file() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

status main_lock::commit() {
  const fs::path to = ref();
  if (::rename(lock().c_str(), to.c_str()) != 0) {
    const int err = errno;
    release();
    return make_error(error_kind::io, "Could not update the branch main of " + git_dir_.string() +
                                          ": " + os_reason(err) + ". Nothing was committed.");
  }
  held_ = false;
  return files::fsync_path(to.parent_path());
}

void main_lock::release() noexcept {
  close_file();
  if (held_) ::unlink(lock().c_str());
  held_ = false;
}

}  // namespace plenary::storage
