// The draft's settings on the branch `procedure` (storage/settings.hpp).
#include "storage/settings.hpp"

#include <rapidjson/document.h>

#include "storage/git/git_handles.hpp"
#include "storage/git/side_branch.hpp"

namespace plenary::storage {
namespace {

constexpr const char* settings_file = "settings.json";

error damaged(const repo& r, const std::string& what) {
  return damaged_side_branch(r, "procedure", "settings.json " + what);
}

std::string write_json(const draft_settings& s) {
  return std::string("{\n  \"live_wording\": ") + (s.live_wording ? "true" : "false") + "\n}\n";
}

}  // namespace

result<draft_settings> load_settings(const repo& r, const proposal_book& book) {
  draft_settings out;
  if (git_oid_is_zero(&book.root_tree)) return out;
  auto entry = r.tree_entry(book.root_tree, settings_file);
  if (!entry) {
    if (entry.err().kind == error_kind::not_found) return out;
    return std::move(entry).err();
  }
  auto text = r.read_blob(*entry);
  if (!text) return std::move(text).err();
  rapidjson::Document doc;
  doc.Parse(text->data(), text->size());
  if (doc.HasParseError() || !doc.IsObject()) return damaged(r, "is not a JSON object");
  if (auto it = doc.FindMember("live_wording"); it != doc.MemberEnd()) {
    if (!it->value.IsBool()) return damaged(r, "has a `live_wording` that is not true or false");
    out.live_wording = it->value.GetBool();
  }
  return out;
}

result<std::string> write_settings(repo& r, proposal_book& book, const draft_settings& next,
                                   const actor& by, std::int64_t at) {
  const side_commit c{.folder = {},  // settings.json is at the root of procedure's tree
                      .name = settings_file,
                      .content = write_json(next),
                      .author = by,
                      .at = at,
                      .message = std::string("Turn live wording ") +
                                 (next.live_wording ? "on" : "off") +
                                 "\n\nAct: settings\nState: " + by.state + "\n",
                      .what = "the settings"};
  auto tip = commit_side_branch(r, procedure_ref, side_tip{book.tip, book.root_tree}, c);
  if (!tip) return std::move(tip).err();
  book.tip = tip->commit;
  book.root_tree = tip->tree;
  return git::to_hex(tip->commit);
}

}  // namespace plenary::storage
