// Private to storage/amend*.cpp: what one request becomes before anything is written, planned
// op by op on top of a batch's tip (storage/amend_plan.cpp). Planning writes nothing: it reads
// the texts of earlier commits (a stale base, a merge), the clause's blame (a bracket) and
// whether the tag `adopted` exists. Who may plan what (stages, roles) and the draft's size
// limits are checked before and after, in storage/amend.cpp.
// Thread safety: free functions on a batch and a repo, which have one owner.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/amend.hpp"
#include "storage/git/commit_writer.hpp"

namespace plenary::storage {

// What one request becomes before anything is written.
struct planned {
  commit_plan plan;
  std::string id;  // the clause the request is about (the new one for insert)
  bool merged = false;
  bool created = false;  // insert: `id` is new
};

// Plans `req` by its op (replace, insert, delete, move, stage, sponsors, bracket, resolve) on
// top of `b.t`: checks its fields and the text it makes, merges a stale replace or resolve word
// by word, or refuses (`invalid`, `not_found`, `conflict` carrying the clause, `forbidden`).
result<planned> plan_op(const repo& r, const draft_index& index, const batch& b,
                        const request& req);

// Where clause `id` stands in `clauses`.
std::optional<std::size_t> position_of(const std::vector<clause>& clauses, std::string_view id);

}  // namespace plenary::storage
