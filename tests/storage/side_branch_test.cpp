// storage/git/side_branch.hpp on its own, read back with plain git: the commits of a side
// branch (one file into the tip's tree, author and committer, a root first), the compare-and-
// swap of its ref, the write-ahead rule's refusal (and create_tag's), and the folders of
// numbered records.
#include "storage/git/side_branch.hpp"

#include <gtest/gtest.h>

#include "storage/procedure.hpp"
#include "storage_fixture.hpp"

namespace plenary::storage::testing {
namespace {

constexpr const char* ref = "refs/heads/side";

class side_branch_test : public storage_test {
 protected:
  void SetUp() override {
    storage_test::SetUp();
    auto made = repo::init(repo_path());
    ASSERT_OK(made);
    repo_.emplace(std::move(*made));
  }

  // A record of `folder` (empty: at the root) by `by` (nullopt: the server) at t0 + n.
  static side_commit record(const std::string& folder, int n, std::optional<actor> by = fra) {
    return side_commit{.folder = folder,
                       .name = std::to_string(n) + ".json",
                       .content = "{\"n\": " + std::to_string(n) + "}\n",
                       .author = std::move(by),
                       .at = t0 + n,
                       .message = "Record " + std::to_string(n) + "\n",
                       .what = "the record"};
  }
  std::string side_git(const std::string& args) { return git(repo_path(), args + " side").out; }

  std::optional<repo> repo_;
};

TEST_F(side_branch_test, commits_one_file_each_on_top_of_the_tip_and_plain_git_reads_them) {
  auto first = commit_side_branch(*repo_, ref, side_tip{}, record("records", 1));
  ASSERT_OK(first);
  auto second = commit_side_branch(*repo_, ref, *first, record("records", 2, std::nullopt));
  ASSERT_OK(second);
  auto at_root = commit_side_branch(*repo_, ref, *second, record({}, 3, chair));
  ASSERT_OK(at_root);
  EXPECT_FALSE(repo_->holds_written_objects()) << "memory is empty afterwards";

  EXPECT_EQ(side_git("log '--format=%an|%ae|%cn|%ce|%at|%s'"),
            "Chair|chair@delegations.invalid|plenary|server@plenary.invalid|1795774503|Record 3\n"
            "plenary|server@plenary.invalid|plenary|server@plenary.invalid|1795774502|Record 2\n"
            "France|fra@delegations.invalid|plenary|server@plenary.invalid|1795774501|Record 1\n");
  EXPECT_EQ(side_git("rev-list --max-parents=0"), git::to_hex(first->commit) + "\n")
      << "the first commit is a root";
  EXPECT_EQ(side_git("ls-tree -r --name-only"), "3.json\nrecords/1.json\nrecords/2.json\n");
  EXPECT_EQ(git(repo_path(), "show side:records/2.json").out, "{\"n\": 2}\n");
  EXPECT_EQ(git(repo_path(), "rev-parse side^{tree}").out, git::to_hex(at_root->tree) + "\n");
  auto fsck = git(repo_path(), "fsck --strict --no-dangling 2>&1");
  EXPECT_EQ(fsck.status, 0) << fsck.out;  // (main is unborn: git says so, and nothing else)

  struct numbered {
    int n = 0;
  };
  auto read = read_side_records<numbered>(
      *repo_, ref, "side", "records",
      [](std::string_view text) { return result<numbered>(numbered{text[6] - '0'}); });
  ASSERT_OK(read);
  EXPECT_TRUE(git_oid_equal(&read->tip.commit, &at_root->commit));
  ASSERT_EQ(read->records.size(), 2u);
  EXPECT_EQ(read->records[1].n, 2);
}

TEST_F(side_branch_test, refuses_a_stale_parent_and_moves_nothing) {
  auto first = commit_side_branch(*repo_, ref, side_tip{}, record("records", 1));
  ASSERT_OK(first);
  auto second = commit_side_branch(*repo_, ref, *first, record("records", 2));
  ASSERT_OK(second);
  EXPECT_FALSE(commit_side_branch(*repo_, ref, *first, record("records", 3)).ok());
  EXPECT_FALSE(commit_side_branch(*repo_, ref, side_tip{}, record("records", 3)).ok())
      << "a zero parent creates the branch, which is there";
  EXPECT_EQ(git(repo_path(), "rev-parse side").out, git::to_hex(second->commit) + "\n");
}

// The write-ahead rule: objects of main still only in memory (a draft that did not settle)
// make the write refuse before it empties memory.
TEST_F(side_branch_test, refuses_while_memory_holds_objects_not_yet_in_git) {
  auto waiting = repo_->write_blob("a clause acknowledged but not yet checkpointed\n");
  ASSERT_OK(waiting);
  auto refused = commit_side_branch(*repo_, ref, side_tip{}, record("records", 1));
  EXPECT_ERROR(refused, error_kind::internal);
  EXPECT_TRUE(repo_->in_memory(*waiting)) << "memory kept";
  EXPECT_NE(git(repo_path(), "rev-parse --verify -q side").status, 0) << "no branch";
  repo_->discard_memory();
  auto after = commit_side_branch(*repo_, ref, side_tip{}, record("records", 1));
  ASSERT_OK(after);
  // Tags (storage/tags.cpp) are held to the same rule.
  auto again = repo_->write_blob("another clause waiting for its checkpoint\n");
  ASSERT_OK(again);
  EXPECT_ERROR(create_tag(*repo_, "v1", after->commit, chair, t0, "Version v1\n"),
               error_kind::internal);
  EXPECT_NE(git(repo_path(), "rev-parse --verify -q v1").status, 0) << "no tag";
  repo_->discard_memory();
  auto tagged = create_tag(*repo_, "v1", after->commit, chair, t0, "Version v1\n");
  EXPECT_TRUE(tagged.ok()) << "once memory holds nothing of main";
}

struct damaged_case {
  const char* name;
  std::vector<std::string> files;  // in records/
};

TEST_F(side_branch_test, a_folder_of_records_not_numbered_one_to_n_is_damaged) {
  const std::vector<damaged_case> cases = {
      {"a gap", {"1.json", "3.json"}},
      {"a leading zero", {"01.json"}},
      {"not json", {"1.txt"}},
      {"no number", {".json"}},
  };
  for (const damaged_case& c : cases) {
    SCOPED_TRACE(c.name);
    repo_->discard_memory();
    side_tip tip;
    for (const std::string& file : c.files) {
      side_commit one = record("records", 1);
      one.name = file;
      auto made = write_side_commit(*repo_, tip, one);
      ASSERT_OK(made);
      tip = made->tip;
    }
    auto files = read_numbered_files(*repo_, tip.tree, "side", "records");
    EXPECT_ERROR(files, error_kind::io);
    if (!files.ok()) {
      EXPECT_NE(files.err().message.find("damaged"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace plenary::storage::testing
