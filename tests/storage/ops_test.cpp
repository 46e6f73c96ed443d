// What operations need of storage: a read-only open that repairs nothing (exports beside a
// live server), version names (tags and commits) for exports, and the push to a mirror.
#include <gtest/gtest.h>

#include <fstream>

#include "storage/push_mirror.hpp"
#include "storage_fixture.hpp"

namespace plenary::storage::testing {
namespace {

class ops_test : public storage_test {
 protected:
  // Three commits: open, then two replaces of c3. Returns their ids, oldest first.
  std::vector<std::string> three_commits() {
    auto d = make();
    EXPECT_TRUE(d);
    if (!d) return {};
    std::vector<std::string> ids{d->head().head};
    auto a = d->amend(replace_req(rus, "c3", d->head().head, "To comply with the UN Charter;"));
    EXPECT_TRUE(a.ok());
    ids.push_back(d->head().head);
    auto b = d->amend(replace_req(fra, "c3", d->head().head, "To respect the UN Charter;"));
    EXPECT_TRUE(b.ok());
    ids.push_back(d->head().head);
    return ids;
  }
};

TEST_F(ops_test, open_without_repair_leaves_lock_files_alone) {
  { ASSERT_TRUE(make()); }
  const fs::path lock = repo_path() / "refs" / "heads" / "main.lock";
  const fs::path half_pack = repo_path() / "objects" / "pack" / "pack_git2_abc123";
  std::ofstream(lock) << "held by the server\n";
  std::ofstream(half_pack) << "being written\n";

  auto reader = draft::open(repo_path(), {.repair = false});
  ASSERT_OK(reader);
  EXPECT_EQ((*reader)->head().clauses.size(), 5u);
  EXPECT_TRUE(fs::exists(lock));
  EXPECT_TRUE(fs::exists(half_pack));

  // The writer's open (the default) still repairs.
  auto writer = draft::open(repo_path());
  ASSERT_OK(writer);
  EXPECT_FALSE(fs::exists(lock));
  EXPECT_FALSE(fs::exists(half_pack));
}

TEST_F(ops_test, resolve_takes_commits_prefixes_and_tags) {
  const auto ids = three_commits();
  ASSERT_EQ(ids.size(), 3u);
  auto d = reopen();
  ASSERT_TRUE(d);
  auto full = d->resolve(ids[1]);
  ASSERT_OK(full);
  EXPECT_EQ(*full, ids[1]);
  auto prefix = d->resolve(ids[0].substr(0, 10));
  ASSERT_OK(prefix);
  EXPECT_EQ(*prefix, ids[0]);

  // Tags as procedure.md makes them (annotated) and as anyone might (lightweight).
  ASSERT_EQ(git(repo_path(),
                "-c user.name=Chair -c user.email=chair@delegations.invalid tag -a "
                "-m 'First revision' rev.1 " +
                    ids[1])
                .status,
            0);
  ASSERT_EQ(git(repo_path(), "tag L.3 " + ids[2]).status, 0);
  auto d2 = reopen();  // tags are read from disk each time; a reopen is not even needed
  auto annotated = d2->resolve("rev.1");
  ASSERT_OK(annotated);
  EXPECT_EQ(*annotated, ids[1]);
  auto light = d2->resolve("L.3");
  ASSERT_OK(light);
  EXPECT_EQ(*light, ids[2]);

  EXPECT_ERROR(d2->resolve("rev.9"), error_kind::not_found);
  EXPECT_ERROR(d2->resolve(std::string(40, 'a')), error_kind::not_found);
  EXPECT_ERROR(d2->resolve("../../etc/passwd"), error_kind::invalid);
  EXPECT_ERROR(d2->resolve("main~1"), error_kind::invalid);
  EXPECT_ERROR(d2->resolve(""), error_kind::invalid);
}

TEST_F(ops_test, push_mirror_creates_a_bare_repository_and_follows_main) {
  auto ids = three_commits();
  ASSERT_EQ(ids.size(), 3u);
  const fs::path target = dir_ / "backups" / "nested" / "test.git";
  ASSERT_OK(push_mirror(repo_path(), target.string()));
  EXPECT_EQ(git(target, "rev-parse --is-bare-repository").out, "true\n");
  EXPECT_EQ(git(target, "rev-parse main").out, ids[2] + "\n");
  EXPECT_EQ(git(target, "fsck --strict --no-dangling 2>&1").out, "");

  // Later commits and a tag follow, through a file:// URL this time.
  auto d = reopen();
  ASSERT_TRUE(d);
  ASSERT_OK(d->amend(replace_req(chn, "c4", d->head().head, "Not to use ICTs for hostile acts;")));
  ASSERT_EQ(git(repo_path(), "tag rev.1 main").status, 0);
  ASSERT_OK(push_mirror(repo_path(), "file://" + target.string()));
  EXPECT_EQ(git(target, "rev-parse main").out, d->head().head + "\n");
  EXPECT_EQ(git(target, "rev-parse rev.1").out, d->head().head + "\n");
  EXPECT_EQ(git(target, "fsck --strict --no-dangling 2>&1").out, "");
  // Pushing again with nothing new is fine.
  ASSERT_OK(push_mirror(repo_path(), target.string()));
}

TEST_F(ops_test, push_mirror_refuses_to_rewind_a_mirror_that_moved_on_its_own) {
  auto ids = three_commits();
  ASSERT_EQ(ids.size(), 3u);
  const fs::path target = dir_ / "mirror.git";
  ASSERT_OK(push_mirror(repo_path(), target.string()));
  // Someone points the mirror's main at a commit that is not ours.
  const std::string tree = lines(git(target, "rev-parse main^{tree}").out).at(0);
  const std::string foreign =
      lines(git(target, "-c user.name=X -c user.email=x@example.invalid commit-tree " + tree +
                            " -p main -m foreign")
                .out)
          .at(0);
  ASSERT_EQ(git(target, "update-ref refs/heads/main " + foreign).status, 0);
  auto d = reopen();
  ASSERT_OK(d->amend(replace_req(chn, "c4", d->head().head, "Not to use ICTs for hostile acts;")));
  EXPECT_FALSE(push_mirror(repo_path(), target.string()).ok());
  EXPECT_EQ(git(target, "rev-parse main").out, foreign + "\n");  // not forced
}

TEST_F(ops_test, push_mirror_fails_cleanly_on_a_path_that_is_not_a_repository) {
  ASSERT_TRUE(make());
  const fs::path file = dir_ / "not-a-repo.git";
  std::ofstream(file) << "just a file\n";
  auto s = push_mirror(repo_path(), file.string());
  EXPECT_FALSE(s.ok());
  EXPECT_FALSE(push_mirror(repo_path(), "").ok());
}

TEST(mirror_url, local_or_not) {
  EXPECT_TRUE(is_local_url("/backups/x.git"));
  EXPECT_TRUE(is_local_url("backups/x.git"));
  EXPECT_TRUE(is_local_url("file:///backups/x.git"));
  EXPECT_TRUE(is_local_url("./a:b/x.git"));
  EXPECT_FALSE(is_local_url("ssh://host/x.git"));
  EXPECT_FALSE(is_local_url("https://host/x.git"));
  EXPECT_FALSE(is_local_url("git@host:x.git"));
}

}  // namespace
}  // namespace plenary::storage::testing
