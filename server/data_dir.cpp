#include "server/data_dir.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include "server/convert.hpp"
#include "server/organizer.hpp"
#include "storage/draft.hpp"
#include "storage/restore.hpp"
#include "storage/text.hpp"

namespace plenary::server {
namespace fs = std::filesystem;
using storage::error_kind;
using storage::make_error;

namespace {

storage::result<file_lock> lock_file(const fs::path& path, bool wait) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return make_error(error_kind::io, "cannot open " + path.string() + ": " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
    int e = errno;
    ::close(fd);
    if (e == EWOULDBLOCK) {
      return make_error(error_kind::exists,
                        "another plenary server is already using " + path.parent_path().string());
    }
    return make_error(error_kind::io, "cannot lock " + path.string() + ": " + std::strerror(e));
  }
  return file_lock(fd);
}

// Writes `content` to `path` durably: a temporary file, fsync, rename, fsync of the folder.
storage::status write_file_durably(const fs::path& path, const std::string& content) {
  fs::path tmp = path;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return make_error(error_kind::io, "cannot write " + tmp.string() + ": " + std::strerror(errno));
  }
  const char* p = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return make_error(error_kind::io, "cannot write " + tmp.string() + ": " + std::strerror(e));
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return make_error(error_kind::io, "cannot sync " + tmp.string() + ": " + std::strerror(errno));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return make_error(error_kind::io,
                      "cannot rename " + tmp.string() + ": " + std::strerror(errno));
  }
  int dir = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return storage::ok_status();
}

}  // namespace

file_lock& file_lock::operator=(file_lock&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

file_lock::~file_lock() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the flock
}

data_dir::data_dir(fs::path root) : root_(std::move(root)) {}

fs::path data_dir::repo_path(const std::string& slug) const {
  return root_ / "drafts" / (slug + ".git");
}

fs::path data_dir::access_path(const std::string& slug) const {
  return root_ / "access" / (slug + ".tsv");
}

fs::path data_dir::organizer_path() const { return root_ / "access" / "organizer.hash"; }

static storage::status ensure_dirs(const fs::path& root);

storage::result<std::string> data_dir::issue_organizer_code() const {
  if (auto st = ensure_dirs(root_); !st) return st.err();
  // Serialised with creations and reissues of join codes.
  auto lock = lock_file(root_ / ".create.lock", true);
  if (!lock) return std::move(lock).err();
  std::string code = new_join_code();
  if (auto st = write_file_durably(organizer_path(), organizer_file_text(code)); !st)
    return st.err();
  return code;
}

static storage::status ensure_dirs(const fs::path& root) {
  std::error_code ec;
  for (const auto& d : {root, root / "drafts", root / "access", root / "archive"}) {
    fs::create_directories(d, ec);
    if (ec) {
      return make_error(error_kind::io,
                        "cannot create the data directory " + d.string() + ": " + ec.message());
    }
    fs::permissions(d, fs::perms::owner_all, fs::perm_options::replace, ec);
  }
  return storage::ok_status();
}

storage::result<file_lock> data_dir::lock_for_serving() const {
  if (auto st = ensure_dirs(root_); !st) return st.err();
  return lock_file(root_ / ".serve.lock", false);
}

std::vector<std::string> data_dir::slugs() const {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::directory_iterator it(root_ / "drafts", ec), end; !ec && it != end; it.increment(ec)) {
    const auto name = it->path().filename().string();
    if (name.size() > 4 && name.ends_with(".git")) {
      std::string slug = name.substr(0, name.size() - 4);
      if (storage::is_valid_slug(slug)) out.push_back(std::move(slug));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool data_dir::has_draft(const std::string& slug) const {
  std::error_code ec;
  return storage::is_valid_slug(slug) && fs::is_directory(repo_path(slug), ec);
}

storage::result<access_list> data_dir::load_access(const std::string& slug) const {
  std::ifstream in(access_path(slug), std::ios::binary);
  if (!in) {
    return make_error(error_kind::not_found,
                      "the draft `" + slug + "` has no access file " + access_path(slug).string());
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  return access_list::parse(buf.str());
}

static storage::draft_spec to_spec(const protocol::draft_file& file) {
  storage::draft_spec spec;
  spec.title = file.title;
  for (const auto& c : file.clauses) {
    storage::draft_spec::initial_clause ic;
    ic.kind = to_storage(c.kind);
    ic.text = c.text;
    spec.clauses.push_back(std::move(ic));
  }
  spec.sponsors = file.sponsors;
  return spec;
}

storage::result<data_dir::created> data_dir::create_draft(const protocol::draft_file& file,
                                                          const std::optional<std::string>& slug,
                                                          std::int64_t now) const {
  std::string name = slug ? *slug : file.slug.value_or("");
  if (name.empty()) {
    return make_error(error_kind::invalid,
                      "the draft needs a slug: give --slug or a \"slug\" field in the file");
  }
  if (!storage::is_valid_slug(name)) {
    return make_error(error_kind::invalid,
                      "the slug `" + name +
                          "` is not valid: use 1 to 63 of a-z, 0-9 and -, starting with a letter "
                          "or digit");
  }
  if (auto st = ensure_dirs(root_); !st) return st.err();
  // One creation at a time in this directory, so two of the same slug cannot interleave.
  auto lock = lock_file(root_ / ".create.lock", true);
  if (!lock) return std::move(lock).err();
  if (has_draft(name)) {
    return make_error(error_kind::exists,
                      "a draft named `" + name + "` already exists in " + root_.string());
  }
  if (is_archived(name)) {
    return make_error(error_kind::exists, "a draft named `" + name + "` is archived in " +
                                              root_.string() +
                                              ": restore it (plenary draft unarchive " + name +
                                              ") or choose another name");
  }
  created out{name, {}};
  std::vector<storage::actor> roster;
  for (const auto& d : file.delegations) roster.push_back({d.state, d.name});
  access_list access = access_list::issue(roster, out.codes);
  if (auto st = write_file_durably(access_path(name), access.serialize()); !st) return st.err();
  auto made = storage::draft::create(repo_path(name), to_spec(file), {"CHAIR", "Chair"}, now);
  if (!made) {
    std::error_code ec;
    fs::remove(access_path(name), ec);
    return std::move(made).err();
  }
  return out;
}

storage::result<data_dir::created> data_dir::reissue_codes(
    const std::string& slug, const std::vector<std::string>& roles) const {
  if (!has_draft(slug)) {
    return make_error(error_kind::not_found,
                      "there is no draft named `" + slug + "` in " + root_.string());
  }
  // Serialised with creations and other reissues: each reads, changes and replaces the file.
  auto lock = lock_file(root_ / ".create.lock", true);
  if (!lock) return std::move(lock).err();
  auto access = load_access(slug);
  if (!access) return std::move(access).err();
  created out{slug, {}};
  auto fresh = access->reissue(roles, out.codes);
  if (!fresh) return std::move(fresh).err();
  if (auto st = write_file_durably(access_path(slug), fresh->serialize()); !st) return st.err();
  return out;
}

namespace {

constexpr std::string_view archive_note_header =
    "# plenary archive v1: archived at (seconds since the epoch)<TAB>title";

void sync_dir(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

storage::status rename_path(const fs::path& from, const fs::path& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    return make_error(error_kind::io, "cannot move " + from.string() + " to " + to.string() + ": " +
                                          std::strerror(errno));
  }
  return storage::ok_status();
}

}  // namespace

std::vector<data_dir::archived> data_dir::archived_drafts() const {
  std::vector<archived> out;
  std::error_code ec;
  for (fs::directory_iterator it(root_ / "archive", ec), end; !ec && it != end; it.increment(ec)) {
    const auto name = it->path().filename().string();
    if (name.size() <= 4 || !name.ends_with(".git")) continue;
    archived a;
    a.slug = name.substr(0, name.size() - 4);
    if (!storage::is_valid_slug(a.slug)) continue;
    // The note; without it (a crash between the moves), the folder's time and the slug.
    std::ifstream in(root_ / "archive" / (a.slug + ".archived"), std::ios::binary);
    std::string line;
    while (in && std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      const auto tab = line.find('\t');
      try {
        a.archived_at = std::stoll(line.substr(0, tab));
      } catch (...) {
      }
      if (tab != std::string::npos) a.title = line.substr(tab + 1);
      break;
    }
    if (a.archived_at == 0) {
      struct ::stat st {};
      if (::stat(it->path().c_str(), &st) == 0) a.archived_at = st.st_mtim.tv_sec;
    }
    if (a.title.empty()) a.title = a.slug;
    out.push_back(std::move(a));
  }
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.slug < y.slug; });
  return out;
}

bool data_dir::is_archived(const std::string& slug) const {
  std::error_code ec;
  return storage::is_valid_slug(slug) && fs::is_directory(root_ / "archive" / (slug + ".git"), ec);
}

storage::result<data_dir::archived> data_dir::archive_draft(const std::string& slug,
                                                            const std::string& title,
                                                            std::int64_t now) const {
  if (auto st = ensure_dirs(root_); !st) return st.err();
  auto lock = lock_file(root_ / ".create.lock", true);
  if (!lock) return std::move(lock).err();
  if (!has_draft(slug)) {
    return make_error(error_kind::not_found,
                      "there is no draft named `" + slug + "` in " + root_.string());
  }
  if (is_archived(slug)) {
    return make_error(error_kind::exists, "an archived draft named `" + slug + "` is already in " +
                                              (root_ / "archive").string());
  }
  const fs::path archive = root_ / "archive";
  // The note first (harmless alone), then the repository (the draft leaves the list at
  // once), then the access file. A crash between leaves a state unarchive_draft restores.
  std::string clean_title;
  for (char c : title) clean_title += (c == '\n' || c == '\t' || c == '\r') ? ' ' : c;
  if (auto st = write_file_durably(archive / (slug + ".archived"),
                                   std::string(archive_note_header) + "\n" + std::to_string(now) +
                                       "\t" + clean_title + "\n");
      !st)
    return st.err();
  if (auto st = rename_path(repo_path(slug), archive / (slug + ".git")); !st) return st.err();
  std::error_code ec;
  if (fs::exists(access_path(slug), ec)) {
    if (auto st = rename_path(access_path(slug), archive / (slug + ".tsv")); !st) return st.err();
  }
  sync_dir(root_ / "drafts");
  sync_dir(root_ / "access");
  sync_dir(archive);
  return archived{slug, title, now};
}

storage::status data_dir::unarchive_draft(const std::string& slug) const {
  if (!storage::is_valid_slug(slug)) {
    return make_error(error_kind::invalid,
                      "`" + slug + "` is not a draft name (1 to 63 of a-z, 0-9 and -)");
  }
  if (auto st = ensure_dirs(root_); !st) return st.err();
  auto lock = lock_file(root_ / ".create.lock", true);
  if (!lock) return std::move(lock).err();
  if (!is_archived(slug)) {
    return make_error(error_kind::not_found, "there is no archived draft named `" + slug + "` in " +
                                                 (root_ / "archive").string());
  }
  if (has_draft(slug)) {
    return make_error(error_kind::exists, "a draft named `" + slug + "` exists again in " +
                                              root_.string() +
                                              ": archive or rename it before restoring this one");
  }
  const fs::path archive = root_ / "archive";
  std::error_code ec;
  // The access file first: a repository without one could not be joined.
  if (fs::exists(archive / (slug + ".tsv"), ec)) {
    if (auto st = rename_path(archive / (slug + ".tsv"), access_path(slug)); !st) return st;
  }
  if (auto st = rename_path(archive / (slug + ".git"), repo_path(slug)); !st) return st;
  fs::remove(archive / (slug + ".archived"), ec);
  sync_dir(archive);
  sync_dir(root_ / "access");
  sync_dir(root_ / "drafts");
  return storage::ok_status();
}

storage::result<data_dir::restored> data_dir::restore_draft(
    const std::string& slug, const std::string& url, bool replace,
    const std::vector<storage::actor>& roster) const {
  if (!storage::is_valid_slug(slug)) {
    return make_error(error_kind::invalid,
                      "the slug `" + slug +
                          "` is not valid: use 1 to 63 of a-z, 0-9 and -, starting with a letter "
                          "or digit");
  }
  if (auto st = ensure_dirs(root_); !st) return st.err();
  file_lock serving;
  if (replace) {
    auto held = lock_file(root_ / ".serve.lock", false);
    if (!held) {
      if (held.err().kind != error_kind::exists) return std::move(held).err();
      return make_error(error_kind::exists,
                        "a plenary server is serving " + root_.string() +
                            ": --replace cannot swap a draft it may hold open. Stop the server "
                            "and run the restore again, or restore under another slug (without "
                            "--replace) while it runs");
    }
    serving = std::move(*held);
  }
  // One creation, restore or reissue at a time in this directory.
  auto lock = lock_file(root_ / ".create.lock", true);
  if (!lock) return std::move(lock).err();
  const bool existed = has_draft(slug);
  if (existed && !replace) {
    return make_error(error_kind::exists,
                      "a draft named `" + slug + "` already exists in " + root_.string() +
                          ": give --replace to put the restored one in its place (with the "
                          "server stopped), or restore under another slug");
  }
  auto fetched = storage::fetched_draft::fetch(repo_path(slug), url);
  if (!fetched) return std::move(fetched).err();

  restored out;
  out.made.slug = slug;
  out.roster = roster;
  for (const auto& a : fetched->authors()) {
    const bool known = std::any_of(out.roster.begin(), out.roster.end(),
                                   [&](const storage::actor& r) { return r.state == a.state; });
    if (!known) out.roster.push_back(a);
  }
  out.head = fetched->head();
  out.objects = fetched->objects();
  out.refs = fetched->refs();
  access_list access = access_list::issue(out.roster, out.made.codes);
  if (!existed) {
    // As create_draft: the access file first, so that the draft is never there without it.
    if (auto st = write_file_durably(access_path(slug), access.serialize()); !st) return st.err();
    if (auto st = fetched->place(); !st) {
      std::error_code ec;
      fs::remove(access_path(slug), ec);
      return st.err();
    }
    return out;
  }
  if (auto st = fetched->replace(); !st) return st.err();
  if (auto st = write_file_durably(access_path(slug), access.serialize()); !st) {
    if (auto back = fetched->undo_replace(); !back) {
      return make_error(error_kind::io, st.err().message + "; and " + back.err().message);
    }
    return st.err();
  }
  return out;  // `fetched` removes the old repository now
}

}  // namespace plenary::server
