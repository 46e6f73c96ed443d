// Private to storage: the draft's settings (docs/extensions.md, "Live wording"), kept beside
// the proposals on the branch `procedure`.
//
// Layout: settings.json at the root of procedure's tree, {"live_wording": true|false}; no
// file means the defaults. Each change is one commit on procedure, authored by the chair,
// summary "Turn live wording on|off", trailers `Act: settings`, `State: CHAIR`. The acts on
// proposals build their trees from the tip's tree, so the file is carried along by them.
//
// Thread safety: free functions on a repo and a book, which have one owner (the draft).
#pragma once

#include "storage/draft.hpp"
#include "storage/git/repo.hpp"
#include "storage/procedure.hpp"

namespace plenary::storage {

// The settings of the tip of procedure (`book.root_tree`); the defaults when none.
// `io` when settings.json is there but damaged.
result<draft_settings> load_settings(const repo& r, const proposal_book& book);

// Commits `next` on top of `book.tip` and moves refs/heads/procedure (compare-and-swap), then
// the book's tip and tree. On error nothing moved. Memory is empty afterwards.
result<std::string> write_settings(repo& r, proposal_book& book, const draft_settings& next,
                                   const actor& by, std::int64_t at);

}  // namespace plenary::storage
