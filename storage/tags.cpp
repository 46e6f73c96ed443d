// Versions as annotated tags (procedure.md, "Versions"): the name rule and the tag itself.
#include <git2/tag.h>

#include <algorithm>
#include <span>

#include "rules/names.hpp"
#include "storage/commit_message.hpp"
#include "storage/git/pack_writer.hpp"
#include "storage/git/side_branch.hpp"
#include "storage/procedure.hpp"

namespace plenary::storage {
namespace {

result<git::signature_ptr> tagger_signature(const actor& by, std::int64_t at) {
  git_signature* raw = nullptr;
  const std::string email = message::author_email(by.state);
  if (git_signature_new(&raw, by.name.c_str(), email.c_str(), static_cast<git_time_t>(at), 0) < 0) {
    return git::git_failure(error_kind::invalid, "The name \"" + by.name + "\" cannot sign a tag");
  }
  return git::signature_ptr(raw);
}

}  // namespace

// ---- tags ---------------------------------------------------------------------------------

bool looks_like_commit_id(std::string_view name) { return rules::looks_like_commit_id(name); }

std::string reserved_tag_name(std::string_view name) {
  switch (rules::check_tag_name(name)) {
    case rules::tag_name_verdict::reserved:
      return "The version name `" + std::string(name) +
             "` is reserved: git would read it as a branch or a part of the repository; choose "
             "another, such as rev.1.";
    case rules::tag_name_verdict::commit_id:
      return "The version name `" + std::string(name) +
             "` looks like a commit id (7 or more hex digits) and would hide the commits it "
             "abbreviates; add a letter, such as v" +
             std::string(name) + ".";
    default:
      return {};
  }
}

// The verdict is rules::check_tag_name, the protocol's too; the sentences are storage's.
std::string check_tag_name(std::string_view name) {
  switch (rules::check_tag_name(name)) {
    case rules::tag_name_verdict::ok:
      return {};
    case rules::tag_name_verdict::bad_syntax:
      return "A version name is 1 to 32 letters, digits, `.`, `_` or `-`, starting with a letter "
             "or a digit.";
    case rules::tag_name_verdict::bad_ref:
      return "A version name must not contain `..` nor end with `.` or `.lock`.";
    case rules::tag_name_verdict::reserved:
    case rules::tag_name_verdict::commit_id:
      return reserved_tag_name(name);
  }
  return {};
}

result<tag_info> create_tag(repo& r, std::string_view name, const git_oid& target, const actor& by,
                            std::int64_t at, const std::string& message) {
  const std::string tag_name(name);
  auto already = [&] {
    return make_error(error_kind::exists,
                      "There is already a version named " + tag_name + "; choose another name.");
  };
  // Checked first so that a refused name writes nothing (the ref update checks again).
  if (auto existing = r.ref_target("refs/tags/" + tag_name)) return already();
  if (status s = check_settled(r, "The tag " + tag_name); !s) return std::move(s).err();
  struct memory_guard {
    repo& r;
    ~memory_guard() { r.discard_memory(); }
  } guard{r};
  git_object* raw = nullptr;
  if (git_object_lookup(&raw, r.get(), &target, GIT_OBJECT_COMMIT) < 0) {
    return git::git_failure(error_kind::io, "Could not read the commit to tag");
  }
  git::object_ptr object(raw);
  auto tagger = tagger_signature(by, at);
  if (!tagger) return std::move(tagger).err();
  git_oid tag_oid;
  if (git_tag_annotation_create(&tag_oid, r.get(), tag_name.c_str(), object.get(), tagger->get(),
                                message.c_str()) < 0) {
    return git::git_failure(error_kind::io, "Could not store the tag " + tag_name);
  }
  if (status s = pack_writer::write(r, std::span<const git_oid>(&tag_oid, 1)); !s) {
    return std::move(s).err();
  }
  if (status s = r.update_ref("refs/tags/" + tag_name, tag_oid, nullptr); !s) {
    if (s.err().kind == error_kind::exists) return already();
    return std::move(s).err();
  }
  return tag_info{tag_name, git::to_hex(target), git::to_hex(tag_oid)};
}

}  // namespace plenary::storage
