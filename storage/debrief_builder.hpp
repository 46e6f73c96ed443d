// Private to storage: the debrief (storage/debrief.hpp) computed from what a draft holds: its
// index (main's log and each clause's changes), its repository (the clause blobs, the act
// commits of `procedure`), its proposal records and its versions. Reads only.
// Thread safety: free functions on a repo and an index, which have one owner (the draft).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "storage/debrief.hpp"
#include "storage/git/repo.hpp"
#include "storage/index.hpp"
#include "storage/procedure.hpp"
#include "storage/versions.hpp"

namespace plenary::storage {

struct debrief_source {
  const repo& r;
  const draft_index& index;
  const proposal_book& book;
  const std::vector<version>& versions;
  const snapshot& text;        // the chosen version's text
  const snapshot& tabled;      // the first commit's text
  std::uint32_t position = 0;  // its commit's position in index
  std::string version_name;    // as asked ("" = the head)
  draft_stage head_stage = draft_stage::working;
};

result<debrief> build_debrief(const debrief_source& source);

}  // namespace plenary::storage
