// Private to storage: `draft.json`, the title, the stage and sponsors (procedure.md,
// "Stages") and the order and kinds of the clauses:
//
//   {
//     "title": "…",
//     "stage": "working",
//     "sponsors": ["CHN", "RUS"],
//     "clauses": [
//       {"id": "c1", "kind": "preamble"},
//       {"id": "c2", "kind": "operative"}
//     ]
//   }
//
// One clause per line so that `git diff` of a move or an insert reads well. A draft.json
// without "stage" reads as working, without "sponsors" as none (drafts made before them).
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "storage/model.hpp"
#include "storage/result.hpp"

namespace plenary::storage::draft_json {

struct entry {
  std::string id;
  clause_kind kind = clause_kind::operative;
};

struct layout {
  std::string title;
  std::vector<entry> clauses;
  draft_stage stage = draft_stage::working;
  std::vector<std::string> sponsors;
};

// Without "stage" and "sponsors" (the layout of drafts made before procedure.md).
std::string write(std::string_view title, const std::vector<clause>& clauses);
// With them: what every commit writes now.
std::string write(std::string_view title, draft_stage stage,
                  const std::vector<std::string>& sponsors, const std::vector<clause>& clauses);

// Checks what it reads: a title, valid and distinct ids, known kinds.
result<layout> parse(std::string_view json);

}  // namespace plenary::storage::draft_json
