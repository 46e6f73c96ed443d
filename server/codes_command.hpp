// `plenary draft codes SLUG --reissue ROLE...`: join codes are stored only as hashes, so a lost
// code cannot be shown again; it can be replaced.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace plenary::server {

// Issues fresh codes for `roles` ("chair", "observer", a delegation's state code, "all") of
// the draft `slug` (data_dir::reissue_codes) and prints, on one line,
// {"slug", "codes": {["chair"], ["observer"], "delegations": {...}}} with the reissued roles
// only, plus "links" of the same shape when `listen_url` (the server's base URL) is given.
// The old codes of those roles stop working, in a running server too, from its next join on;
// members already present stay. Returns the exit status; a one-line reason on failure.
int codes_command(const std::filesystem::path& data, const std::string& slug,
                  const std::vector<std::string>& roles,
                  const std::optional<std::string>& listen_url);

}  // namespace plenary::server
