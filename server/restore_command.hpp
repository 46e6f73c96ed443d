// `plenary draft restore SLUG --from URL --data DIR [--replace]`: a draft brought back from a
// copy of its repository (its mirror), with fresh join codes, since codes never leave the
// machine that issued them.
#pragma once

#include <filesystem>
#include <string>

namespace plenary::server {

// Fetches and checks the draft (data_dir::restore_draft, storage::fetched_draft), then prints
// on standard output exactly what `draft create` prints, {"slug", "codes": {"chair",
// "observer", "delegations": {...}}}, and on standard error one line saying what was restored
// (objects, refs, head, the delegations of the roster). Returns the exit status:
// 0, or 1 with a one-line reason (nothing is left behind: no repository, no access file).
// `roster_file`: a draft file (as `draft create` takes) whose delegations make the roster,
// with their names, before those found in the history; empty: the history alone.
int restore_command(const std::filesystem::path& data, const std::string& slug,
                    const std::string& url, bool replace, bool fsync,
                    const std::filesystem::path& roster_file);

}  // namespace plenary::server
