// --mirror: every draft's repository is pushed to a git remote after commits, on a thread of
// its own; acknowledgements never wait for it, and a failing mirror is retried.
#include <gtest/gtest.h>

#include <fstream>

#include "git_check.hpp"
#include "process.hpp"

namespace plenary::test::ops {
namespace {
namespace fs = std::filesystem;

std::string rev_parse(const fs::path& repo, const std::string& what) {
  auto r = git(repo, "rev-parse --verify --quiet " + what);
  return r.status == 0 ? r.out.substr(0, r.out.find('\n')) : "";
}

// Waits until the mirror's main is the draft's main.
bool caught_up(const fs::path& draft, const fs::path& mirror,
               std::chrono::milliseconds timeout = 10s) {
  // The draft's own git trails the acknowledgements by up to 50 ms (the write-ahead log,
  // issue 20): what the mirror must reach is main once it has settled.
  wait_until_main_settles(draft);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string want = rev_parse(draft, "main");
    if (!want.empty() && rev_parse(mirror, "main") == want) return true;
    std::this_thread::sleep_for(25ms);
  }
  return false;
}

TEST(Mirror, FollowsEveryCommitAndStaysAPlainCleanRepository) {
  temp_dir tmp;
  auto data = tmp.path() / "data";
  auto codes = create_draft(data, small_draft_json());
  const fs::path repo = data / "drafts" / "test-draft.git";
  const fs::path mirror = tmp.path() / "backups" / "test-draft.git";
  const std::string url_template = (tmp.path() / "backups").string() + "/{slug}.git";
  {
    server srv(data, {"--mirror", url_template});
    // At start every draft is pushed once, before anyone amends.
    ASSERT_TRUE(caught_up(repo, mirror)) << "the mirror was not created at start";
    ws_client c(srv.port(), "/d/test-draft/ws");
    auto w = c.join(codes.delegations["USA"]);
    std::string base = member(w["draft"]["clauses"][2], "rev");
    for (int i = 0; i < 5; ++i) {
      base = replace_clause(c, 10 + i, "c3", base,
                            "To comply with the Charter, round " + std::to_string(i) + ".");
      ASSERT_FALSE(base.empty());
    }
    ASSERT_TRUE(caught_up(repo, mirror));
    auto m = http_get(srv.port(), "/metrics").body;
    EXPECT_EQ(m.find("plenary_mirror_pushes_total{result=\"failed\"} 0") != std::string::npos, true)
        << m;
    // Another burst; then SIGTERM: what was committed before the stop reaches the mirror.
    for (int i = 0; i < 20; ++i) {
      c.send(R"({"type":"amend","id":)" + std::to_string(100 + i) +
             R"(,"op":"insert","after":null,"kind":"preamble","text":"Burst )" + std::to_string(i) +
             R"(."})");
    }
    c.expect("ack", 119);
    EXPECT_EQ(srv.stop(), 0);
  }
  EXPECT_EQ(rev_parse(mirror, "main"), rev_parse(repo, "main"));
  EXPECT_EQ(git(mirror, "rev-list --count main").out, "26\n");  // open + 5 + 20
  EXPECT_EQ(git(mirror, "fsck --strict --no-dangling").out, "");
  EXPECT_EQ(git(mirror, "rev-parse --is-bare-repository").out, "true\n");
  // The mirror reads like the draft with any git tool.
  EXPECT_EQ(git(mirror, "show main:clauses/c3.txt").out, "To comply with the Charter, round 4.\n");
}

TEST(Mirror, AFailingMirrorNeverDelaysAcksAndIsRetriedOnTheNextCommit) {
  temp_dir tmp;
  auto data = tmp.path() / "data";
  auto codes = create_draft(data, small_draft_json());
  const fs::path repo = data / "drafts" / "test-draft.git";
  // A file where the mirror's folder should be: every push fails (even for root).
  const fs::path blocked = tmp.path() / "mirrors";
  std::ofstream(blocked) << "not a folder\n";
  process p(tmp.path(), {"serve", "--data", data.string(), "--listen", "127.0.0.1:0", "--fsync",
                         "off", "--mirror", blocked.string() + "/{slug}.git"});
  auto port = p.wait_listening();
  ASSERT_TRUE(port) << p.err();
  ws_client c(*port, "/d/test-draft/ws");
  auto w = c.join(codes.delegations["FRA"]);
  auto base = replace_clause(c, 1, "c3", member(w["draft"]["clauses"][2], "rev"), "First.");
  ASSERT_FALSE(base.empty());  // acknowledged although the mirror fails
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (p.err().find("event=mirror_failed") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(25ms);
  }
  EXPECT_NE(p.err().find("event=mirror_failed draft=test-draft"), std::string::npos) << p.err();
  EXPECT_NE(
      http_get(*port, "/metrics").body.find("plenary_mirror_pushes_total{result=\"failed\"} "),
      std::string::npos);

  // The folder appears; the next commit brings the mirror up to date with everything.
  fs::remove(blocked);
  fs::create_directories(blocked);
  base = replace_clause(c, 2, "c3", base, "Second.");
  ASSERT_FALSE(base.empty());
  const fs::path mirror = blocked / "test-draft.git";
  ASSERT_TRUE(caught_up(repo, mirror)) << p.err();
  EXPECT_EQ(git(mirror, "rev-list --count main").out, "3\n");
  EXPECT_EQ(git(mirror, "fsck --strict --no-dangling").out, "");
  deadline = std::chrono::steady_clock::now() + 5s;
  while (p.err().find("event=mirror_recovered") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(25ms);
  }
  EXPECT_NE(p.err().find("event=mirror_recovered draft=test-draft"), std::string::npos) << p.err();
  EXPECT_EQ(p.terminate(), 0);
}

TEST(Mirror, ADraftCreatedWhileTheServerRunsIsMirroredWhenFirstOpened) {
  temp_dir tmp;
  auto data = tmp.path() / "data";
  create_draft(data, small_draft_json("first"));
  const std::string url_template = "file://" + (tmp.path() / "m").string() + "/{slug}.git";
  server srv(data, {"--mirror", url_template});
  auto later = create_draft(data, small_draft_json("later"));
  ws_client c(srv.port(), "/d/later/ws");
  c.join(later.observer);
  EXPECT_TRUE(caught_up(data / "drafts" / "later.git", tmp.path() / "m" / "later.git"));
  EXPECT_TRUE(caught_up(data / "drafts" / "first.git", tmp.path() / "m" / "first.git"));
}

}  // namespace
}  // namespace plenary::test::ops
