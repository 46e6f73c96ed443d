// Pack files into objects/pack; see pack_files.hpp.
#include "storage/git/pack_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <random>
#include <system_error>
#include <utility>

#include "storage/files.hpp"

namespace plenary::storage::pack_files {
namespace fs = std::filesystem;

fs::path pack_dir(const fs::path& git_dir) { return git_dir / "objects" / "pack"; }

std::vector<std::string> list_packs(const fs::path& git_dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(pack_dir(git_dir), ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    if (p.extension() == ".idx") names.push_back(p.stem().string());
  }
  return names;
}

std::string os_reason(int err) { return std::error_code(err, std::generic_category()).message(); }

result<temp_file> write_temp(const fs::path& dir, const char* prefix, const std::string& data,
                             bool keep_open) {
  static std::atomic<unsigned> counter{0};
  static const unsigned salt = std::random_device{}();  // once: random_device opens a file
  for (int attempt = 0; attempt < 5; ++attempt) {
    const fs::path p = dir / (std::string(prefix) + std::to_string(::getpid()) + "_" +
                              std::to_string(salt) + "_" + std::to_string(counter++));
    const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
    if (fd < 0 && errno == EEXIST) continue;
    if (fd < 0) {
      return make_error(error_kind::io,
                        "Could not create " + p.string() + ": " + os_reason(errno) + ".");
    }
    std::size_t done = 0;
    int err = 0;
    while (done < data.size()) {
      const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        err = n < 0 ? errno : EIO;
        break;
      }
      done += static_cast<std::size_t>(n);
    }
    if (err == 0 && keep_open) return temp_file{p, fd};
    if (err == 0 && files::fsync_enabled() && ::fsync(fd) != 0) err = errno;
    ::close(fd);
    if (err != 0) {
      std::error_code ec;
      fs::remove(p, ec);
      return make_error(error_kind::io,
                        "Could not write " + p.string() + ": " + os_reason(err) + ".");
    }
    return temp_file{p, -1};
  }
  return make_error(error_kind::io, "Could not create a temporary file in " + dir.string() + ".");
}

result<std::string> install(const fs::path& git_dir, std::string& pack,
                            std::vector<pack_encoding::packed>& entries) {
  const sha1::digest sum = sha1::of(pack);
  pack.append(reinterpret_cast<const char*>(sum.data()), sum.size());
  const std::string idx = pack_encoding::make_index(entries, sum);
  const fs::path dir = pack_dir(git_dir);
  const std::string name = "pack-" + pack_encoding::hex_of(sum);
  auto tmp_pack = write_temp(dir, "tmp_pack_", pack);
  if (!tmp_pack) return std::move(tmp_pack).err();
  auto tmp_idx = write_temp(dir, "tmp_idx_", idx);
  if (!tmp_idx) {
    files::remove_quietly(tmp_pack->path);
    return std::move(tmp_idx).err();
  }
  for (const auto& [from, to] : {std::pair{tmp_pack->path, dir / (name + ".pack")},
                                 std::pair{tmp_idx->path, dir / (name + ".idx")}}) {
    if (::rename(from.c_str(), to.c_str()) != 0) {
      const int err = errno;
      files::remove_quietly(tmp_pack->path);
      files::remove_quietly(tmp_idx->path);
      return make_error(error_kind::io, "Could not move " + from.string() + " to " + to.string() +
                                            ": " + os_reason(err) + ".");
    }
  }
  if (status s = files::fsync_path(dir); !s) return std::move(s).err();
  return name;
}

status refresh(repo& r) {
  git_odb* raw = nullptr;
  if (git_repository_odb(&raw, r.get()) < 0) {
    return git::git_failure(error_kind::io, "Could not open the object database");
  }
  git::odb_ptr odb(raw);
  if (git_odb_refresh(odb.get()) < 0) {
    return git::git_failure(error_kind::io,
                            "Could not reload the packs of " + r.git_dir().string());
  }
  return ok_status();
}

}  // namespace plenary::storage::pack_files
