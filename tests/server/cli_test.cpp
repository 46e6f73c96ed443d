// The command line as a user runs it: `plenary draft create`, `plenary serve`, --help.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "harness.hpp"

namespace plenary::test {
namespace {
namespace fs = std::filesystem;

std::string git(const fs::path& repo, const std::string& args) {
  std::string cmd = "git --git-dir='" + repo.string() + "' " + args + " 2>&1";
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  char buf[4096];
  while (p && std::fgets(buf, sizeof buf, p)) out += buf;
  if (p) ::pclose(p);
  return out;
}

int lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

TEST(Cli, HelpAndVersion) {
  auto h = run_plenary({"--help"});
  EXPECT_EQ(h.status, 0);
  EXPECT_NE(h.out.find("serve"), std::string::npos);
  EXPECT_NE(h.out.find("draft"), std::string::npos);
  auto v = run_plenary({"--version"});
  EXPECT_EQ(v.status, 0);
  EXPECT_NE(v.out.find("plenary"), std::string::npos);
  auto bad = run_plenary({"serve", "--listen", "nonsense"});
  EXPECT_NE(bad.status, 0);
  // One line saying what is wrong (besides the start-up warning of a low open-file limit).
  std::string err;
  std::istringstream in(bad.err);
  for (std::string line; std::getline(in, line);) {
    if (line.find("event=max_connections_lowered") == std::string::npos) err += line + "\n";
  }
  EXPECT_EQ(lines(err), 1) << bad.err;
}

TEST(Cli, DraftCreatePrintsCodesAndWritesAPlainGitRepository) {
  temp_dir tmp;
  auto data = tmp.path() / "data";
  auto c = create_draft(data, small_draft_json("my-draft"));
  EXPECT_EQ(c.slug, "my-draft");
  EXPECT_GE(c.chair.size(), 22u);  // at least 128 bits in base64url
  EXPECT_TRUE(std::regex_match(c.chair, std::regex("[A-Za-z0-9_-]+")));
  EXPECT_EQ(c.delegations.size(), 4u);
  EXPECT_NE(c.delegations["RUS"], c.delegations["USA"]);

  fs::path repo = data / "drafts" / "my-draft.git";
  EXPECT_EQ(git(repo, "rev-parse --abbrev-ref HEAD"), "main\n");
  EXPECT_EQ(git(repo, "log --format=%an%x09%ae main"), "Chair\tchair@delegations.invalid\n");
  EXPECT_NE(git(repo, "log -1 --format=%B main").find("Op: open"), std::string::npos);
  EXPECT_EQ(git(repo, "show main:clauses/c3.txt"),
            "To comply with the Charter of the United Nations and universally recognized norms.\n");
  EXPECT_NE(git(repo, "show main:draft.json").find("\"operative\""), std::string::npos);
  EXPECT_EQ(git(repo, "fsck --strict"), "");
  // No join code, nor its hash, is anywhere in the repository.
  std::string everything =
      git(repo, "log -p --all") + git(repo, "cat-file --batch-all-objects --batch");
  EXPECT_EQ(everything.find(c.chair), std::string::npos);
  // The access file holds hashes only, owner-only.
  fs::path access = data / "access" / "my-draft.tsv";
  std::ifstream in(access);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.find(c.chair), std::string::npos);
  EXPECT_EQ(fs::status(access).permissions() & (fs::perms::group_all | fs::perms::others_all),
            fs::perms::none);
}

TEST(Cli, AmendmentsShowInPlainGitWithAuthorsAndTrailers) {
  temp_dir tmp;
  auto data = tmp.path() / "data";
  auto c = create_draft(data, small_draft_json());
  {
    server srv(data);
    ws_client a(srv.port(), "/d/test-draft/ws");
    auto w = a.join(c.delegations["RUS"]);
    a.send(R"({"type":"amend","id":1,"op":"replace","clause":"c3","base":")" +
           member(w["draft"]["clauses"][2], "rev") +
           R"(","text":"To comply with the Charter.","note":"Tighter wording."})");
    a.expect("ack", 1);
  }
  fs::path repo = data / "drafts" / "test-draft.git";
  EXPECT_EQ(git(repo, "log --format=%an%x09%ae -- clauses/c3.txt"),
            "Russian Federation\trus@delegations.invalid\nChair\tchair@delegations.invalid\n");
  std::string msg = git(repo, "log -1 --format=%B main");
  EXPECT_NE(msg.find("Tighter wording."), std::string::npos);
  EXPECT_EQ(git(repo,
                "log -1 '--format=%(trailers:key=Op,valueonly)%(trailers:key=Clause,valueonly)"
                "%(trailers:key=State,valueonly)' main"),
            "replace\nc3\nRUS\n\n");
  EXPECT_EQ(git(repo, "fsck --strict"), "");
}

TEST(Cli, BadDraftFilesFailWithOneLineAndCreateNothing) {
  temp_dir tmp;
  auto data = tmp.path() / "data";
  create_draft(data, small_draft_json("taken"));
  struct bad {
    const char* name;
    std::string content;  // empty: the file is missing
    std::vector<std::string> extra;
  };
  const std::vector<bad> cases = {
      {"missing file", "", {}},
      {"not JSON", "this is not json", {}},
      {"array", "[1,2]", {}},
      {"no clauses",
       R"({"slug":"x1","title":"T","clauses":[],"delegations":[{"code":"RUS","name":"R"}]})",
       {}},
      {"bad kind",
       R"({"slug":"x2","title":"T","clauses":[{"kind":"annex","text":"a"}],"delegations":[{"code":"RUS","name":"R"}]})",
       {}},
      {"bad code",
       R"({"slug":"x3","title":"T","clauses":[{"kind":"operative","text":"a"}],"delegations":[{"code":"ru","name":"R"}]})",
       {}},
      {"slug taken", small_draft_json("taken"), {}},
      {"bad slug", small_draft_json("Bad_Slug"), {}},
      {"dot-dot slug", small_draft_json("x"), {"--slug", "../escape"}},
      {"slash slug", small_draft_json("x"), {"--slug", "a/b"}},
  };
  for (const auto& bc : cases) {
    SCOPED_TRACE(bc.name);
    fs::path file = tmp.path() / "in.json";
    fs::remove(file);
    if (!bc.content.empty()) std::ofstream(file) << bc.content;
    std::vector<std::string> args{"draft",       "create", "--data",
                                  data.string(), "--from", file.string()};
    args.insert(args.end(), bc.extra.begin(), bc.extra.end());
    auto r = run_plenary(args);
    EXPECT_NE(r.status, 0);
    EXPECT_EQ(lines(r.err), 1) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
  // Only the one good draft exists.
  int drafts = 0;
  for (auto& e : fs::directory_iterator(data / "drafts")) drafts += e.path().extension() == ".git";
  EXPECT_EQ(drafts, 1);
  int accesses = 0;
  for ([[maybe_unused]] auto& e : fs::directory_iterator(data / "access")) ++accesses;
  EXPECT_EQ(accesses, 1);
  EXPECT_FALSE(fs::exists(tmp.path() / "escape.git"));
}

TEST(Cli, ServeOnAnEmptyDirectoryCreatesTheDemoAndPrintsJoinLinks) {
  temp_dir tmp;
  auto data = tmp.path() / "data";
  server srv(data);
  // Wait until the links are printed (they follow the listening line).
  const std::string& out = srv.stdout_text();
  EXPECT_NE(out.find("listening on http://127.0.0.1:"), std::string::npos);
  EXPECT_TRUE(fs::exists(data / "drafts" / "code-of-conduct.git"));
  auto r = http_get(srv.port(), "/healthz");
  EXPECT_EQ(r.status, 200);
}

TEST(Cli, SecondServerOnTheSameDataIsRefused) {
  temp_dir tmp;
  auto data = tmp.path() / "data";
  server first(data);
  auto r = run_plenary({"serve", "--data", data.string(), "--listen", "127.0.0.1:0"});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("already"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace plenary::test
