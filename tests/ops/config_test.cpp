// Configuration: every `serve` option is a flag and an environment variable; a flag wins over
// the environment, which wins over the default. `--help` and `--version` work.
#include <gtest/gtest.h>

#include <regex>

#include "process.hpp"

namespace plenary::test::ops {
namespace {
namespace fs = std::filesystem;

TEST(Config, VersionAndHelp) {
  auto v = run_plenary({"--version"});
  EXPECT_EQ(v.status, 0);
  EXPECT_EQ(v.out, std::string("plenary ") + PLENARY_VERSION + "\n");
  auto h = run_plenary({"--help"});
  EXPECT_EQ(h.status, 0);
  for (const char* word : {"serve", "draft"}) EXPECT_NE(h.out.find(word), std::string::npos);
  auto dh = run_plenary({"draft", "--help"});
  EXPECT_EQ(dh.status, 0);
  for (const char* word : {"create", "export"}) EXPECT_NE(dh.out.find(word), std::string::npos);
}

TEST(Config, EveryServeOptionHasAnEnvironmentVariable) {
  auto h = run_plenary({"serve", "--help"});
  ASSERT_EQ(h.status, 0);
  // "  --listen TEXT=127.0.0.1:8080 (Env:PLENARY_LISTEN)": the option and its variable on one line.
  static const std::regex option(R"(^\s+(?:-\w,)?--([a-z-]+)\b(.*)$)");
  int options = 0;
  std::istringstream lines(h.out);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (!std::regex_match(line, m, option) || m[1] == "help") continue;
    ++options;
    std::string env = "PLENARY_" + std::string(m[1]);
    for (auto& c : env)
      c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_NE(m[2].str().find("(Env:" + env + ")"), std::string::npos)
        << "--" << m[1] << " has no environment variable " << env << ": " << line;
  }
  EXPECT_GE(options, 15);  // data, listen, web, fsync, allow-origin, ..., mirror, trusted-proxy
  // The defaults a newcomer relies on are what --help says.
  EXPECT_NE(h.out.find("--listen TEXT=127.0.0.1:8080"), std::string::npos) << h.out;
  EXPECT_NE(h.out.find("--data TEXT=data"), std::string::npos) << h.out;
}

TEST(Config, DraftCreateTakesItsDataFromTheEnvironmentAndItsFileFromStandardInput) {
  temp_dir tmp;
  auto r = sh("PLENARY_DATA=" + quote((tmp.path() / "d").string()) + " " + quote(plenary_bin()) +
              " draft create --from - --fsync off < " + quote(PLENARY_SAMPLE));
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("{\"slug\":\"code-of-conduct\",\"codes\":"), std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists(tmp.path() / "d" / "drafts" / "code-of-conduct.git"));
}

TEST(Config, ListenFromTheEnvironment) {
  temp_dir tmp;
  process p(
      tmp.path(), {"serve", "--fsync", "off"},
      {{"PLENARY_LISTEN", "127.0.0.1:0"}, {"PLENARY_DATA", (tmp.path() / "env-data").string()}});
  auto port = p.wait_listening();
  ASSERT_TRUE(port) << p.out() << p.err();
  EXPECT_NE(*port, 8080);  // not the default
  EXPECT_EQ(http_get(*port, "/healthz").status, 200);
  // PLENARY_DATA was used too: the demo draft is there.
  EXPECT_TRUE(fs::exists(tmp.path() / "env-data" / "drafts" / "code-of-conduct.git"));
  EXPECT_EQ(p.terminate(), 0) << p.err();
}

TEST(Config, AFlagWinsOverTheEnvironment) {
  temp_dir tmp;
  // The environment says something that cannot work; the flags say what can.
  process p(tmp.path(),
            {"serve", "--listen", "127.0.0.1:0", "--data", (tmp.path() / "flag-data").string(),
             "--fsync", "off"},
            {{"PLENARY_LISTEN", "not-an-address"},
             {"PLENARY_DATA", (tmp.path() / "env-data").string()},
             {"PLENARY_FSYNC", "on"}});
  auto port = p.wait_listening();
  ASSERT_TRUE(port) << p.out() << p.err();
  EXPECT_TRUE(fs::exists(tmp.path() / "flag-data" / "drafts"));
  EXPECT_FALSE(fs::exists(tmp.path() / "env-data"));
  EXPECT_NE(p.err().find("fsync=false"), std::string::npos) << p.err();
  EXPECT_EQ(p.terminate(), 0);
}

TEST(Config, TheEnvironmentIsReadAndCheckedLikeAFlag) {
  temp_dir tmp;
  {
    process p(tmp.path(), {"serve", "--data", (tmp.path() / "d").string()},
              {{"PLENARY_LISTEN", "not-an-address"}});
    auto st = p.wait(10s);
    ASSERT_TRUE(st);
    EXPECT_NE(*st, 0);
    EXPECT_NE(p.err().find("--listen must be HOST:PORT"), std::string::npos) << p.err();
  }
  {
    process p(tmp.path(), {"serve", "--data", (tmp.path() / "d").string()},
              {{"PLENARY_LISTEN", "127.0.0.1:0"}, {"PLENARY_FSYNC", "sometimes"}});
    auto st = p.wait(10s);
    ASSERT_TRUE(st);
    EXPECT_EQ(*st, 2);
    EXPECT_NE(p.err().find("fsync"), std::string::npos) << p.err();
  }
  {
    // Defaults: fsync on, log level info (the listening line is logged at info).
    process p(tmp.path(), {"serve", "--data", (tmp.path() / "d").string()},
              {{"PLENARY_LISTEN", "127.0.0.1:0"}});
    ASSERT_TRUE(p.wait_listening()) << p.err();
    EXPECT_NE(p.err().find("event=listening"), std::string::npos) << p.err();
    EXPECT_NE(p.err().find("fsync=true"), std::string::npos) << p.err();
    EXPECT_EQ(p.terminate(), 0);
  }
  {
    // PLENARY_LOG_LEVEL=warn hides the info lines.
    process p(tmp.path(), {"serve", "--data", (tmp.path() / "d").string()},
              {{"PLENARY_LISTEN", "127.0.0.1:0"}, {"PLENARY_LOG_LEVEL", "warn"}});
    ASSERT_TRUE(p.wait_listening()) << p.err();
    EXPECT_EQ(p.terminate(), 0);
    EXPECT_EQ(p.err().find("event=listening"), std::string::npos) << p.err();
  }
}

}  // namespace
}  // namespace plenary::test::ops
