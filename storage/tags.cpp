// Versions as annotated tags (procedure.md, "Versions"): the name rule and the tag itself.
#include <git2/tag.h>

#include <algorithm>
#include <span>

#include "storage/commit_message.hpp"
#include "storage/git/pack_writer.hpp"
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

namespace {

// Names git would read as something else before (or instead of) refs/tags/<name>: git looks
// a short name up as <name> in the repository, refs/<name>, refs/tags/<name>,
// refs/heads/<name>... so a tag `main` shadows the text in `git log main` for whoever types
// it, and `procedure` the minutes. Compared without case (case-insensitive file systems).
constexpr std::string_view reserved_names[] = {
    "main", "procedure", "head",        "proposals",   "comments", "refs", "heads",
    "tags", "remotes",   "notes",       "stash",       "objects",  "logs", "hooks",
    "info", "config",    "packed-refs", "description", "index"};

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

bool looks_like_commit_id(std::string_view name) {
  return name.size() >= 7 && std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

std::string reserved_tag_name(std::string_view name) {
  const bool reserved =
      std::any_of(std::begin(reserved_names), std::end(reserved_names),
                  [&](std::string_view r) { return equal_ignoring_case(name, r); }) ||
      (name.size() >= 5 && equal_ignoring_case(name.substr(name.size() - 5), "_head"));
  if (reserved) {
    return "The version name `" + std::string(name) +
           "` is reserved: git would read it as a branch or a part of the repository; choose "
           "another, such as rev.1.";
  }
  if (looks_like_commit_id(name)) {
    return "The version name `" + std::string(name) +
           "` looks like a commit id (7 or more hex digits) and would hide the commits it "
           "abbreviates; add a letter, such as v" +
           std::string(name) + ".";
  }
  return {};
}

std::string check_tag_name(std::string_view name) {
  const auto alnum = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  };
  const bool syntax = !name.empty() && name.size() <= 32 && alnum(name.front()) &&
                      std::all_of(name.begin(), name.end(), [&](char c) {
                        return alnum(c) || c == '.' || c == '_' || c == '-';
                      });
  if (!syntax) {
    return "A version name is 1 to 32 letters, digits, `.`, `_` or `-`, starting with a letter "
           "or a digit.";
  }
  if (name.find("..") != std::string_view::npos || name.back() == '.' ||
      (name.size() >= 5 && name.substr(name.size() - 5) == ".lock")) {
    return "A version name must not contain `..` nor end with `.` or `.lock`.";
  }
  return reserved_tag_name(name);
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
