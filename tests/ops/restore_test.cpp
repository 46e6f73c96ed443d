// `plenary draft restore SLUG --from URL --data DIR [--replace]`: a draft brought back from its
// mirror is the same repository commit by commit (main, procedure, proposals, tags), gets fresh
// codes for every role that work at once beside a running server, and bad input is refused
// with a precise message, a non-zero exit and nothing left behind.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <functional>

#include "fixtures.hpp"
#include "process.hpp"

namespace plenary::test::ops {
namespace {
namespace fs = std::filesystem;

// Every ref with what it points at: equal for two repositories that hold the same history.
std::string refs_of(const fs::path& repo) {
  return git(repo, "for-each-ref --format='%(objectname) %(refname)'").out;
}

// What is left in DATA that a failed restore must not leave: hidden temporary folders,
// repositories, access files.
std::string leftovers(const fs::path& data) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const char* sub : {"drafts", "access"}) {
    for (fs::directory_iterator it(data / sub, ec), end; !ec && it != end; it.increment(ec)) {
      names.push_back(std::string(sub) + "/" + it->path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& n : names) out += n + " ";
  return out;
}

// A draft with history, a proposal adopted as friendly, one left tabled and a tag, made
// through a real server with a --mirror; returns the mirror once it has caught up.
struct negotiated {
  fs::path data, mirror;
  codes made;
};

negotiated negotiate(const fs::path& root) {
  negotiated n;
  n.data = root / "origin";
  n.made = create_draft(n.data, small_draft_json());
  n.mirror = root / "mirrors" / "test-draft.git";
  server srv(n.data, {"--mirror", (root / "mirrors").string() + "/{slug}.git"});
  ws_client usa(srv.port(), "/d/test-draft/ws");
  auto w = usa.join(n.made.delegations["USA"]);
  ws_client chair(srv.port(), "/d/test-draft/ws");
  chair.join(n.made.chair);
  const std::string c3 = member(w["draft"]["clauses"][2], "id");
  std::string base = member(w["draft"]["clauses"][2], "rev");
  base = replace_clause(usa, 1, c3, base, "To comply with the Charter.");
  EXPECT_FALSE(base.empty());
  usa.send(msg("propose", 2,
               R"("op":"replace","clause":")" + c3 + R"(","base":")" + base +
                   R"(","text":"Left on the table.","note":"Later.")"));
  EXPECT_EQ(usa.expect("proposed", 2)["proposal"].GetInt(), 1);
  chair.send(msg("tag", 3, R"("name":"rev.1","note":"First revision")"));
  chair.expect("tagged", 3);
  EXPECT_EQ(srv.stop(), 0);  // SIGTERM: the mirror has every commit before the exit
  EXPECT_EQ(refs_of(n.mirror), refs_of(n.data / "drafts" / "test-draft.git"));
  return n;
}

TEST(Restore, BringsBackEveryRefCommitByCommitWithFreshCodesForEveryRole) {
  temp_dir tmp;
  auto n = negotiate(tmp.path());
  const fs::path data = tmp.path() / "other";
  auto r = run_plenary({"draft", "restore", "test-draft", "--from", n.mirror.string(), "--data",
                        data.string(), "--fsync", "off"});
  ASSERT_EQ(r.status, 0) << r.err;
  const fs::path restored = data / "drafts" / "test-draft.git";
  EXPECT_EQ(refs_of(restored), refs_of(n.data / "drafts" / "test-draft.git"));
  EXPECT_NE(refs_of(restored).find("refs/proposals/1"), std::string::npos);
  EXPECT_NE(refs_of(restored).find("refs/tags/rev.1"), std::string::npos);
  EXPECT_EQ(git(restored, "fsck --strict --no-dangling").out, "");
  EXPECT_EQ(git(restored, "log --format='%an|%s' main").out,
            git(n.data / "drafts" / "test-draft.git", "log --format='%an|%s' main").out);
  // Printed as `draft create` prints: every role has a fresh code; USA, who acted, by name.
  auto out = parse_json(r.out);
  ASSERT_TRUE(out.IsObject()) << r.out;
  EXPECT_EQ(member(out, "slug"), "test-draft");
  EXPECT_EQ(member(out["codes"], "chair").size(), 32u);
  EXPECT_EQ(member(out["codes"], "observer").size(), 32u);
  EXPECT_EQ(member(out["codes"]["delegations"], "USA").size(), 32u);
  EXPECT_NE(member(out["codes"], "chair"), n.made.chair);
  EXPECT_NE(r.err.find("delegations: USA\n"), std::string::npos) << r.err;
  EXPECT_EQ(leftovers(data), "access/test-draft.tsv drafts/test-draft.git ") << "no temporary left";

  // The restored draft serves its history and proposals to the new codes.
  server srv(data);
  ws_client c(srv.port(), "/d/test-draft/ws");
  auto w = c.join(member(out["codes"]["delegations"], "USA"));
  EXPECT_EQ(member(w["draft"]["clauses"][2], "text"), "To comply with the Charter.");
  auto proposals =
      http_get(srv.port(), "/api/drafts/test-draft/proposals", member(out["codes"], "observer"));
  EXPECT_NE(proposals.body.find("Left on the table."), std::string::npos) << proposals.body;
}

TEST(Restore, ADraftRestoredBesideARunningServerIsServedAtOnce) {
  temp_dir tmp;
  auto n = negotiate(tmp.path());
  const fs::path data = tmp.path() / "live";
  create_draft(data, small_draft_json("already-here"));
  server srv(data);
  auto r = run_plenary({"draft", "restore", "back", "--from", "file://" + n.mirror.string(),
                        "--data", data.string(), "--fsync", "off"});
  ASSERT_EQ(r.status, 0) << r.err;
  auto out = parse_json(r.out);
  ws_client c(srv.port(), "/d/back/ws");
  auto w = c.join(member(out["codes"], "chair"));
  EXPECT_EQ(member(w["draft"]["clauses"][2], "text"), "To comply with the Charter.");

  // --replace needs the directory to itself: refused while this server serves it.
  auto again = run_plenary({"draft", "restore", "back", "--from", n.mirror.string(), "--data",
                            data.string(), "--replace"});
  EXPECT_EQ(again.status, 1);
  EXPECT_NE(again.err.find("a plenary server is serving"), std::string::npos) << again.err;
  EXPECT_NE(again.err.find("Stop the server"), std::string::npos) << again.err;
  EXPECT_EQ(srv.stop(), 0);

  // Stopped: --replace swaps the repository and issues new codes; the old codes stop working.
  // --roster: the draft file names every delegation, those that never acted too.
  const fs::path roster = tmp.path() / "roster.json";
  std::ofstream(roster) << small_draft_json();
  auto replaced =
      run_plenary({"draft", "restore", "back", "--from", n.mirror.string(), "--data", data.string(),
                   "--replace", "--fsync", "off", "--roster", roster.string()});
  ASSERT_EQ(replaced.status, 0) << replaced.err;
  EXPECT_NE(replaced.err.find("delegations: RUS, USA, CHN, FRA\n"), std::string::npos)
      << replaced.err;
  EXPECT_EQ(refs_of(data / "drafts" / "back.git"), refs_of(n.mirror));
  EXPECT_EQ(leftovers(data),
            "access/already-here.tsv access/back.tsv access/organizer.hash drafts/already-here.git "
            "drafts/back.git ");
  server again_srv(data);
  auto fresh = parse_json(replaced.out);
  ws_client ok(again_srv.port(), "/d/back/ws");
  ok.join(member(fresh["codes"], "chair"));
  ws_client old(again_srv.port(), "/d/back/ws");
  old.send(R"({"type":"join","code":")" + member(out["codes"], "chair") + R"("})");
  EXPECT_EQ(member(old.expect("error"), "code"), "unauthorized");
}

// Each bad input: how to make it, the words the message must hold.
struct bad_case {
  const char* name;
  std::function<std::string(const fs::path& root, const fs::path& mirror)> url;
  const char* expected;
  bool existing_slug = false;
};

TEST(Restore, BadInputIsRefusedPreciselyAndLeavesNothingBehind) {
  temp_dir tmp;
  auto n = negotiate(tmp.path());
  const bad_case cases[] = {
      {"a path with nothing there",
       [](const fs::path& root, const fs::path&) { return (root / "nowhere.git").string(); },
       "there is nothing at that path"},
      {"a server that does not answer",
       [](const fs::path&, const fs::path&) { return std::string("http://127.0.0.1:1/x.git"); },
       "Could not fetch from http://127.0.0.1:1/x.git"},
      {"an empty repository",
       [](const fs::path& root, const fs::path&) {
         git(root / "empty.git", "init -q --bare");
         return (root / "empty.git").string();
       },
       "is not a plenary draft: it has no branch `main` (it has no branch, tag or proposal"},
      {"a repository whose main is not a draft",
       [](const fs::path& root, const fs::path&) {
         const fs::path src = root / "src";
         fs::create_directories(src);
         std::ofstream(src / "README") << "hello\n";
         sh("cd " + quote(src.string()) +
            " && git init -q -b main && git add README && git -c user.name=a "
            "-c user.email=a@b commit -qm x && git clone -q --bare . ../notadraft.git");
         return (root / "notadraft.git").string();
       },
       "is not a plenary draft: the branch `main` has no draft.json (it holds README)"},
      {"a mirror with a blob missing",
       [](const fs::path& root, const fs::path& mirror) {
         const fs::path bad = root / "truncated.git";
         git(bad, "init -q --bare");
         // Every object loose, every ref as in the mirror; then one blob gone.
         sh("git --git-dir=" + quote(mirror.string()) +
            " pack-objects -q --revs --all --stdout </dev/null | GIT_DIR=" + quote(bad.string()) +
            " git unpack-objects -q");
         sh("git --git-dir=" + quote(mirror.string()) +
            " for-each-ref --format='update %(refname) %(objectname)' | git --git-dir=" +
            quote(bad.string()) + " update-ref --stdin");
         const std::string blob = git(mirror, "rev-parse main:clauses/c3.txt").out.substr(0, 40);
         fs::remove(bad / "objects" / blob.substr(0, 2) / blob.substr(2));
         return bad.string();
       },
       "is incomplete or damaged (objects are missing); nothing was restored"},
      {"a mirror whose pack is cut short",
       [](const fs::path& root, const fs::path& mirror) {
         const fs::path bad = root / "cut.git";
         sh("cp -r " + quote(mirror.string()) + " " + quote(bad.string()) +
            " && git --git-dir=" + quote(bad.string()) + " repack -adq");
         sh("for p in " + quote(bad.string()) +
            "/objects/pack/*.pack; do "
            "truncate -s $(( $(stat -c %s \"$p\") / 2 )) \"$p\"; done");
         return bad.string();
       },
       "Could not fetch from"},
      {"a slug that exists",
       [](const fs::path&, const fs::path& mirror) { return mirror.string(); },
       "a draft named `test-draft` already exists", true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const fs::path root = tmp.path() / "case";
    fs::remove_all(root);
    fs::create_directories(root);
    const fs::path data = root / "data";
    std::string before;
    if (c.existing_slug) {
      create_draft(data, small_draft_json());
      before = refs_of(data / "drafts" / "test-draft.git");
    }
    const std::string expected_left =
        c.existing_slug ? "access/test-draft.tsv drafts/test-draft.git " : "";
    auto r = run_plenary({"draft", "restore", "test-draft", "--from", c.url(root, n.mirror),
                          "--data", data.string()});
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
    EXPECT_EQ(r.out, "") << "no codes printed";
    EXPECT_EQ(leftovers(data), expected_left);
    if (c.existing_slug) {
      EXPECT_EQ(refs_of(data / "drafts" / "test-draft.git"), before);
    }
  }
}

}  // namespace
}  // namespace plenary::test::ops
