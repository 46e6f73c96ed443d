// Join codes: who may act as which role and delegation of one draft.
// A code is 192 random bits in base64url; only its BLAKE2b-256 hash is stored, in
// DATA/access/<slug>.tsv, outside the draft's git repository (which stays safe to publish).
// Codes can be reissued (`plenary draft codes`): a new access_list with fresh hashes for
// some roles, written over the file; a running room notices the new file (access_file).
// Thread safety: an access_list is immutable after construction; share it freely. An
// access_file may be used from any thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/result.hpp"

namespace plenary::server {

enum class role { delegation, chair, observer };
const char* to_string(role r) noexcept;

struct identity {
  std::string state;  // "RUS"; "CHAIR" for the chair; "OBSERVER" for observers
  std::string name;   // "Russian Federation"
  server::role role = role::delegation;
};

class access_list {
 public:
  struct entry {
    identity who;
    std::string hash_hex;  // BLAKE2b-256 of the join code, hex
  };

  // The codes of a new draft, in clear: printed once by `draft create`, never stored.
  // After a reissue, only the reissued roles are set (an empty chair or observer: kept).
  struct issued_codes {
    std::string chair;
    std::string observer;
    std::map<std::string, std::string> delegations;  // state code -> join code
  };

  // Issues fresh codes for the chair, the observers and each delegation of the roster.
  static access_list issue(const std::vector<storage::actor>& roster, issued_codes& codes);

  // A copy of this list with fresh codes for `roles`: each is "chair", "observer", a
  // delegation's state code, or "all". The other entries keep their hashes. An unknown role
  // is `invalid`, with a one-line message naming the valid ones.
  storage::result<access_list> reissue(const std::vector<std::string>& roles,
                                       issued_codes& codes) const;

  static storage::result<access_list> parse(std::string_view tsv);
  std::string serialize() const;

  // The identity a join code stands for, comparing its hash with every entry in constant
  // time (no early exit); nullopt for an unknown code.
  std::optional<identity> verify(std::string_view code) const;

  // The delegations of the roster (not chair or observer), in file order.
  std::vector<storage::actor> roster() const;

  const std::vector<entry>& entries() const noexcept { return entries_; }

 private:
  std::vector<entry> entries_;
};

// The access list of one draft as its file says now. When the file was replaced since the
// last call (`plenary draft codes --reissue`: another inode, size, mtime or ctime; one stat
// per call), it is read again first, so reissued codes work and the old ones are refused
// from the next call on. A file that cannot be read or parsed keeps the list in force (and
// is reported once in the log, with `slug`).
class access_file {
 public:
  // `initial`: the list read from `path` (empty: no file; `initial` stays in force).
  access_file(std::string slug, access_list initial, std::filesystem::path path);

  // The list in force, read again first when the file changed. Never null.
  std::shared_ptr<const access_list> current() const;
  // The list in force, without looking at the file. Never null.
  std::shared_ptr<const access_list> in_force() const;

 private:
  // What identifies one version of the file.
  struct stamp {
    std::uint64_t dev = 0, ino = 0;
    std::int64_t size = -1, mtime_ns = 0, ctime_ns = 0;
    bool operator==(const stamp&) const = default;
  };
  // The identity of the file at `path` now (nullopt when it cannot be stat'ed).
  static std::optional<stamp> stamp_of(const std::filesystem::path& path);

  const std::string slug_;
  const std::filesystem::path path_;
  mutable std::mutex mu_;                            // guards the two below
  mutable std::shared_ptr<const access_list> list_;  // never null
  mutable std::optional<stamp> stamp_;               // of the file last read; none yet
};

// 192 random bits in the base64url alphabet (32 characters).
std::string new_join_code();

}  // namespace plenary::server
