// `plenary draft codes SLUG --reissue ROLE...`: fresh join codes for some roles, taking effect
// in a running server without a restart.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>

#include "fixtures.hpp"

namespace plenary::test {
namespace {
namespace fs = std::filesystem;

int lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// What `draft codes` printed.
struct reissued {
  run_result run;
  rapidjson::Document doc;
  std::string code(const char* role) const {
    if (!doc.IsObject() || !doc.HasMember("codes")) return "";
    return member(doc["codes"], role);
  }
  std::string delegation(const char* state) const {
    if (!doc.IsObject() || !doc.HasMember("codes") || !doc["codes"].HasMember("delegations")) {
      return "";
    }
    return member(doc["codes"]["delegations"], state);
  }
};

reissued reissue(const fs::path& data, const std::string& slug, std::vector<std::string> roles,
                 std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"draft", "codes", slug, "--data", data.string(), "--reissue"};
  args.insert(args.end(), roles.begin(), roles.end());
  args.insert(args.end(), extra.begin(), extra.end());
  reissued r;
  r.run = run_plenary(args);
  if (r.run.status == 0) r.doc = parse_json(r.run.out);
  return r;
}

// Sends a join with `code` on a fresh connection: the welcome's state, or the error's code
// prefixed with "error:".
std::string try_join(unsigned short port, const std::string& slug, const std::string& code,
                     long id = 7) {
  ws_client c(port, "/d/" + slug + "/ws");
  c.send(msg("join", id, R"("code":")" + code + "\""));
  for (;;) {
    auto m = c.receive(15s);
    if (!m) return "no answer";
    auto doc = parse_json(*m);
    std::string type = member(doc, "type");
    if (type == "welcome") return member(doc["you"], "state");
    if (type == "error") return "error:" + member(doc, "code");
  }
}

class CodesTest : public created_draft_test {};

TEST_F(CodesTest, ReissuingTheChairWhileServingRefusesTheOldCodeAndAdmitsTheNew) {
  server srv(data);
  // The room is open (and the old chair present) before the reissue.
  ws_client present(srv.port(), "/d/test-draft/ws");
  auto w = present.join(codes_.chair);
  EXPECT_EQ(member(w["you"], "state"), "CHAIR");

  auto r = reissue(data, "test-draft", {"chair"});
  ASSERT_EQ(r.run.status, 0) << r.run.err;
  EXPECT_EQ(member(r.doc, "slug"), "test-draft");
  const std::string fresh = r.code("chair");
  EXPECT_TRUE(std::regex_match(fresh, std::regex("[A-Za-z0-9_-]{22,}"))) << fresh;
  EXPECT_NE(fresh, codes_.chair);
  // Only the reissued role is printed.
  EXPECT_FALSE(r.doc["codes"].HasMember("observer"));
  EXPECT_EQ(r.doc["codes"]["delegations"].MemberCount(), 0u);
  EXPECT_FALSE(r.doc.HasMember("links"));

  EXPECT_EQ(try_join(srv.port(), "test-draft", codes_.chair), "error:unauthorized");
  EXPECT_EQ(try_join(srv.port(), "test-draft", fresh), "CHAIR");
  // Over HTTP too.
  EXPECT_EQ(http_get(srv.port(), "/api/drafts/test-draft", codes_.chair).status, 401);
  EXPECT_EQ(http_get(srv.port(), "/api/drafts/test-draft", fresh).status, 200);
  // The other roles keep their codes.
  EXPECT_EQ(try_join(srv.port(), "test-draft", codes_.delegations["RUS"]), "RUS");
  EXPECT_EQ(try_join(srv.port(), "test-draft", codes_.observer), "OBSERVER");
  // Who was present stays connected and can still act.
  EXPECT_TRUE(present.is_open());
  present.send(R"({"type":"amend","id":10,"op":"replace","clause":")" +
               member(w["draft"]["clauses"][2], "id") + R"(","base":")" +
               member(w["draft"]["clauses"][2], "rev") +
               R"(","text":"The chair still amends.","note":"After the reissue."})");
  present.expect("ack", 10);
}

TEST_F(CodesTest, ReissuingOneDelegationLeavesTheOthers) {
  server srv(data);
  // Open the room first, so that it holds the old list when the file changes.
  EXPECT_EQ(try_join(srv.port(), "test-draft", codes_.delegations["USA"]), "USA");
  auto r = reissue(data, "test-draft", {"RUS"}, {"--listen-url", srv.url() + "/"});
  ASSERT_EQ(r.run.status, 0) << r.run.err;
  EXPECT_FALSE(r.doc["codes"].HasMember("chair"));
  EXPECT_FALSE(r.doc["codes"].HasMember("observer"));
  ASSERT_EQ(r.doc["codes"]["delegations"].MemberCount(), 1u);
  const std::string fresh = r.delegation("RUS");
  ASSERT_FALSE(fresh.empty());
  // The link is the room's, the code in its fragment, the base's trailing slash dropped.
  EXPECT_EQ(member(r.doc["links"]["delegations"], "RUS"),
            srv.url() + "/d/test-draft#code=" + fresh);
  EXPECT_FALSE(r.doc["links"].HasMember("chair"));

  EXPECT_EQ(try_join(srv.port(), "test-draft", codes_.delegations["RUS"]), "error:unauthorized");
  EXPECT_EQ(try_join(srv.port(), "test-draft", fresh), "RUS");
  EXPECT_EQ(try_join(srv.port(), "test-draft", codes_.delegations["USA"]), "USA");
  EXPECT_EQ(try_join(srv.port(), "test-draft", codes_.chair), "CHAIR");
  // Two roles at once, and a second reissue of the same role: the first fresh code goes too.
  auto again = reissue(data, "test-draft", {"RUS,observer"});
  ASSERT_EQ(again.run.status, 0) << again.run.err;
  EXPECT_FALSE(again.code("observer").empty());
  EXPECT_EQ(try_join(srv.port(), "test-draft", fresh), "error:unauthorized");
  EXPECT_EQ(try_join(srv.port(), "test-draft", again.delegation("RUS")), "RUS");
  EXPECT_EQ(try_join(srv.port(), "test-draft", again.code("observer")), "OBSERVER");
}

TEST_F(CodesTest, AllReissuesEveryRoleAndKeepsTheRosterAndPermissions) {
  const fs::path access = data / "access" / "test-draft.tsv";
  const std::string before = read_file(access);
  server srv(data);
  EXPECT_EQ(try_join(srv.port(), "test-draft", codes_.observer), "OBSERVER");
  auto r = reissue(data, "test-draft", {"all"});
  ASSERT_EQ(r.run.status, 0) << r.run.err;
  EXPECT_EQ(lines(r.run.out), 1) << r.run.out;
  std::vector<std::string> fresh{r.code("chair"), r.code("observer")};
  for (const char* s : {"RUS", "USA", "CHN", "FRA"}) fresh.push_back(r.delegation(s));
  EXPECT_EQ(r.doc["codes"]["delegations"].MemberCount(), 4u);
  for (const auto& f : fresh) EXPECT_FALSE(f.empty());
  // Every code is new and different.
  auto sorted = fresh;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::unique(sorted.begin(), sorted.end()), sorted.end());
  for (const auto& f : fresh) {
    EXPECT_NE(f, codes_.chair);
    EXPECT_NE(f, codes_.observer);
  }

  // The file: same roles and names in the same order, new hashes, no code in clear,
  // owner-only (0600), no temporary file left behind.
  const std::string after = read_file(access);
  auto strip_hashes = [](const std::string& s) {
    return std::regex_replace(s, std::regex("\t[0-9a-f]{64}\n"), "\t#\n");
  };
  EXPECT_EQ(strip_hashes(after), strip_hashes(before));
  EXPECT_NE(after, before);
  for (const auto& f : fresh) EXPECT_EQ(after.find(f), std::string::npos);
  EXPECT_EQ(fs::status(access).permissions() & fs::perms::mask,
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_FALSE(fs::exists(access.string() + ".tmp"));

  EXPECT_EQ(try_join(srv.port(), "test-draft", codes_.observer), "error:unauthorized");
  EXPECT_EQ(try_join(srv.port(), "test-draft", codes_.delegations["CHN"]), "error:unauthorized");
  EXPECT_EQ(try_join(srv.port(), "test-draft", r.code("observer")), "OBSERVER");
  EXPECT_EQ(try_join(srv.port(), "test-draft", r.delegation("CHN")), "CHN");
  EXPECT_EQ(try_join(srv.port(), "test-draft", r.code("chair")), "CHAIR");
}

TEST_F(CodesTest, WithoutAServerTheNextServerUsesTheNewCodes) {
  auto r = reissue(data, "test-draft", {"chair", "FRA"});
  ASSERT_EQ(r.run.status, 0) << r.run.err;
  server srv(data);
  EXPECT_EQ(try_join(srv.port(), "test-draft", codes_.chair), "error:unauthorized");
  EXPECT_EQ(try_join(srv.port(), "test-draft", r.code("chair")), "CHAIR");
  EXPECT_EQ(try_join(srv.port(), "test-draft", r.delegation("FRA")), "FRA");
}

TEST_F(CodesTest, UnknownRoleOrDraftFailsWithOneLineAndChangesNothing) {
  const fs::path access = data / "access" / "test-draft.tsv";
  const std::string before = read_file(access);
  struct bad {
    const char* name;
    std::string slug;
    std::vector<std::string> roles;
    const char* says;  // in the one line
  };
  const std::vector<bad> cases = {
      {"unknown role", "test-draft", {"GBR"}, "chair, observer, all, RUS, USA, CHN, FRA"},
      {"unknown among known", "test-draft", {"chair", "president"}, "president"},
      {"lower-case state", "test-draft", {"rus"}, "unknown role"},
      {"unknown draft", "no-such-draft", {"chair"}, "no-such-draft"},
      {"bad slug", "../access", {"chair"}, "not a draft name"},
  };
  for (const auto& bc : cases) {
    SCOPED_TRACE(bc.name);
    auto r = reissue(data, bc.slug, bc.roles);
    EXPECT_NE(r.run.status, 0);
    EXPECT_EQ(lines(r.run.err), 1) << r.run.err;
    EXPECT_NE(r.run.err.find(bc.says), std::string::npos) << r.run.err;
    EXPECT_TRUE(r.run.out.empty()) << r.run.out;
  }
  // No --reissue at all, or a base URL that is not one.
  auto none = run_plenary({"draft", "codes", "test-draft", "--data", data.string()});
  EXPECT_NE(none.status, 0);
  EXPECT_EQ(lines(none.err), 1) << none.err;
  auto url = reissue(data, "test-draft", {"chair"}, {"--listen-url", "plenary.example.org"});
  EXPECT_NE(url.run.status, 0);
  EXPECT_EQ(lines(url.run.err), 1) << url.run.err;
  EXPECT_EQ(read_file(access), before);
}

}  // namespace
}  // namespace plenary::test
