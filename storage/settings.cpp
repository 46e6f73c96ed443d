// The draft's settings on the branch `procedure` (storage/settings.hpp).
#include "storage/settings.hpp"

#include <git2/sys/commit.h>
#include <rapidjson/document.h>

#include "storage/commit_message.hpp"
#include "storage/git/git_handles.hpp"
#include "storage/git/pack_writer.hpp"

namespace plenary::storage {
namespace {

constexpr const char* settings_file = "settings.json";
constexpr const char* committer_name = "plenary";
constexpr const char* committer_email = "server@plenary.invalid";

error damaged(const repo& r, const std::string& what) {
  return make_error(error_kind::io, "The branch procedure of " + r.git_dir().string() +
                                        " is damaged: settings.json " + what + ".");
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
  struct memory_guard {
    repo& r;
    ~memory_guard() { r.discard_memory(); }
  } guard{r};
  std::vector<git_oid> objects;
  auto blob = r.write_blob(write_json(next));
  if (!blob) return std::move(blob).err();
  objects.push_back(*blob);

  git_tree* base_tree = nullptr;
  if (!git_oid_is_zero(&book.root_tree) &&
      git_tree_lookup(&base_tree, r.get(), &book.root_tree) < 0) {
    return git::git_failure(error_kind::io, "Could not read the procedure tree");
  }
  git::tree_ptr base(base_tree);
  git_treebuilder* raw = nullptr;
  if (git_treebuilder_new(&raw, r.get(), base.get()) < 0) {
    return git::git_failure(error_kind::io, "Could not start a tree");
  }
  git::treebuilder_ptr builder(raw);
  if (git_treebuilder_insert(nullptr, builder.get(), settings_file, &*blob, GIT_FILEMODE_BLOB) <
      0) {
    return git::git_failure(error_kind::io, "Could not add settings.json");
  }
  git_oid root;
  if (git_treebuilder_write(&root, builder.get()) < 0) {
    return git::git_failure(error_kind::io, "Could not store the procedure tree");
  }
  objects.push_back(root);

  git_signature* author_raw = nullptr;
  git_signature* committer_raw = nullptr;
  if (git_signature_new(&author_raw, by.name.c_str(), message::author_email(by.state).c_str(),
                        static_cast<git_time_t>(at), 0) < 0) {
    return git::git_failure(error_kind::invalid,
                            "The name \"" + by.name + "\" cannot sign a commit");
  }
  git::signature_ptr author(author_raw);
  if (git_signature_new(&committer_raw, committer_name, committer_email,
                        static_cast<git_time_t>(at), 0) < 0) {
    return git::git_failure(error_kind::internal, "Could not sign as the server");
  }
  git::signature_ptr committer(committer_raw);
  const std::string text = std::string("Turn live wording ") + (next.live_wording ? "on" : "off") +
                           "\n\nAct: settings\nState: " + by.state + "\n";
  const bool has_parent = !git_oid_is_zero(&book.tip);
  const git_oid* parents[] = {&book.tip};
  git_oid commit;
  if (git_commit_create_from_ids(&commit, r.get(), nullptr, author.get(), committer.get(), nullptr,
                                 text.c_str(), &root, has_parent ? 1 : 0, parents) < 0) {
    return git::git_failure(error_kind::io, "Could not store the commit of the settings");
  }
  objects.push_back(commit);
  if (status s = pack_writer::write(r, objects); !s) return std::move(s).err();
  if (status s = r.update_ref(procedure_ref, commit, has_parent ? &book.tip : nullptr); !s) {
    return std::move(s).err();
  }
  book.tip = commit;
  book.root_tree = root;
  return git::to_hex(commit);
}

}  // namespace plenary::storage
