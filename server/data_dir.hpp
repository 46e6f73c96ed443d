// The data directory of a server:
//   DATA/drafts/<slug>.git   each draft's bare repository (storage::draft)
//   DATA/access/<slug>.tsv   the hashes of its join codes (access_list), owner-only
//   DATA/access/organizer.hash  the hash of the organizer code (server/organizer.hpp)
//   DATA/archive/<slug>.git, <slug>.tsv, <slug>.archived  an archived draft: its repository,
//                            its access file, and when it was archived and its title
//   DATA/.serve.lock         held by the one server that uses this directory
//   DATA/.create.lock        held while a draft is being created, restored or its codes
//                            reissued
// Thread safety: a data_dir is a path and stateless otherwise; its functions may be called
// from any thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "protocol/messages.hpp"
#include "server/access.hpp"
#include "storage/result.hpp"

namespace plenary::server {

// An exclusive advisory lock on a file, released when destroyed.
class file_lock {
 public:
  file_lock() = default;
  explicit file_lock(int fd) : fd_(fd) {}
  file_lock(file_lock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  file_lock& operator=(file_lock&& o) noexcept;
  ~file_lock();

 private:
  int fd_ = -1;
};

class data_dir {
 public:
  explicit data_dir(std::filesystem::path root);

  const std::filesystem::path& root() const noexcept { return root_; }
  std::filesystem::path repo_path(const std::string& slug) const;
  std::filesystem::path access_path(const std::string& slug) const;
  std::filesystem::path organizer_path() const;

  // A fresh organizer code: its hash written over DATA/access/organizer.hash atomically and
  // durably (owner-only); the code in clear is returned, never stored.
  storage::result<std::string> issue_organizer_code() const;

  // Creates the folders if needed and takes DATA/.serve.lock; `exists` when another server
  // already serves this directory.
  storage::result<file_lock> lock_for_serving() const;

  // The slugs of the drafts present, sorted.
  std::vector<std::string> slugs() const;

  bool has_draft(const std::string& slug) const;
  storage::result<access_list> load_access(const std::string& slug) const;

  struct created {
    std::string slug;
    access_list::issued_codes codes;
  };

  // Creates a draft from a parsed draft file: its access file, then its repository (atomic).
  // `slug` overrides the file's slug. Either everything is created or nothing is.
  storage::result<created> create_draft(const protocol::draft_file& file,
                                        const std::optional<std::string>& slug,
                                        std::int64_t now) const;

  // `plenary draft codes --reissue`: fresh codes for `roles` (access_list::reissue) of the
  // draft `slug`, its access file replaced atomically and durably (owner-only). Returns the
  // new codes, in clear, of the reissued roles only. `not_found` for an unknown draft,
  // `invalid` for an unknown role. Safe while a server runs on this directory: its rooms
  // read the new file at their next join (room::verify).
  storage::result<created> reissue_codes(const std::string& slug,
                                         const std::vector<std::string>& roles) const;

  // ---- archive: DATA/archive/ (nothing is ever deleted) --------------------------------
  struct archived {
    std::string slug;
    std::string title;
    std::int64_t archived_at = 0;  // seconds since the epoch
  };
  // The archived drafts, by slug.
  std::vector<archived> archived_drafts() const;
  bool is_archived(const std::string& slug) const;
  // Moves the draft's repository and access file under DATA/archive/, beside a note of
  // `title` and `now`. The caller has closed its room: a running server must stop serving
  // it first (registry::archive). `not_found` for an unknown draft.
  storage::result<archived> archive_draft(const std::string& slug, const std::string& title,
                                          std::int64_t now) const;
  // `plenary draft unarchive`: moves them back; the draft is served again at once (the
  // registry opens drafts lazily). `not_found` when not archived, `exists` when a draft of
  // that name was created since.
  storage::status unarchive_draft(const std::string& slug) const;
  struct restored {
    created made;                        // the slug and the fresh codes of every role
    std::vector<storage::actor> roster;  // the delegations the history names (see below)
    std::string head;                    // main's head
    std::size_t objects = 0, refs = 0;   // what was fetched and checked
  };

  // `plenary draft restore SLUG --from URL [--replace]`: the draft `slug` fetched from `url`
  // and checked (storage::fetched_draft), with fresh codes for the chair, the observers and
  // each delegation. The roster is not in the repository (it is the access file's): it is
  // `roster` (from `--roster FILE`, the draft file the draft was created from), then every
  // other delegation that authored a commit or tag, named as in its latest one, then sponsors
  // that never acted, named by their code. The access file is written first, then the
  // repository renamed into place, as create_draft does, so a running server serves it at
  // its next join. `exists` when the draft is there and `replace` is false.
  //
  // With `replace` the new repository is swapped with the old in one rename and the old one
  // removed once the new access file is in place (both put back on failure). That needs
  // DATA/.serve.lock: a running server may hold the old draft open, and would go on writing
  // its own idea of it into the new repository. So `replace` is refused (`exists`) while a
  // server serves this directory: stop it, or restore under another slug.
  storage::result<restored> restore_draft(const std::string& slug, const std::string& url,
                                          bool replace,
                                          const std::vector<storage::actor>& roster = {}) const;

 private:
  std::filesystem::path root_;
};

}  // namespace plenary::server
