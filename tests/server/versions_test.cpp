// Versions, compare and bracketed text (procedure.md, "Versions", "Bracketed text") over real
// WebSockets and HTTP.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "fixtures.hpp"
#include "git_check.hpp"

namespace plenary::test {
namespace {

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

class VersionsTest : public served_draft_test {
 protected:
  void SetUp() override {
    serve();
    chair = connect(codes_.chair);
    for (const char* s : {"RUS", "USA", "CHN"}) del[s] = connect(codes_.delegations[s]);
    for (unsigned i = 0; i < welcome["draft"]["clauses"].Size(); ++i) {
      ids.push_back(member(welcome["draft"]["clauses"][i], "id"));
      revs.push_back(member(welcome["draft"]["clauses"][i], "rev"));
      texts.push_back(member(welcome["draft"]["clauses"][i], "text"));
    }
  }
  http_response get(const std::string& target) {
    return http_get(srv->port(), "/api/drafts/test-draft" + target, codes_.observer);
  }
  // Sends an amendment-like message and returns its ack (fails the test on an error).
  rapidjson::Document acked(ws_client& who, const std::string& type, long id,
                            const std::string& fields) {
    who.send(msg(type, id, fields));
    return who.expect("ack", id);
  }
  std::string refused(ws_client& who, const std::string& type, long id, const std::string& fields) {
    who.send(msg(type, id, fields));
    auto e = who.expect("error", id);
    return member(e, "code");
  }
  std::string text_of(const std::string& clause) {
    auto d = http("");
    for (const auto& c : d["clauses"].GetArray()) {
      if (member(c, "id") == clause) return member(c, "text");
    }
    return "(gone)";
  }
  std::string rev_of(const std::string& clause) {
    auto d = http("");
    for (const auto& c : d["clauses"].GetArray()) {
      if (member(c, "id") == clause) return member(c, "rev");
    }
    return "";
  }

  std::unique_ptr<ws_client> chair;
  std::map<std::string, std::unique_ptr<ws_client>> del;
  std::vector<std::string> ids, revs, texts;
};

TEST_F(VersionsTest, ChairsTagsAreListedAsVersions) {
  chair->send(msg("tag", 1, R"("name":"rev.1","note":"First reading")"));
  chair->expect("tagged", 1);
  acked(*del["RUS"], "amend", 2,
        R"("op":"replace","clause":")" + ids[2] + R"(","base":")" + revs[2] +
            R"(","text":"Changed after rev.1.")");
  chair->send(msg("tag", 3, R"("name":"L.3")"));
  chair->expect("tagged", 3);
  auto v = http("/versions");
  ASSERT_EQ(v["versions"].Size(), 2u);
  std::set<std::string> names;
  for (const auto& x : v["versions"].GetArray()) names.insert(member(x, "name"));
  EXPECT_EQ(names, (std::set<std::string>{"rev.1", "L.3"}));
  for (const auto& x : v["versions"].GetArray()) {
    EXPECT_EQ(member(x, "commit").size(), 40u);
    EXPECT_NE(member(x, "at").find('T'), std::string::npos);
    if (member(x, "name") == "rev.1") {
      EXPECT_EQ(member(x, "note"), "First reading");
      EXPECT_EQ(member(x, "commit"), member(welcome["draft"], "head"));
    }
  }
}

TEST_F(VersionsTest, CompareNamesInsertDeleteMoveAndChangeBetweenATagAndLaterCommit) {
  chair->send(msg("tag", 1, R"("name":"rev.1")"));
  chair->expect("tagged", 1);
  // ids: 0 heading, 1 preamble, 2..4 operative 1..3.
  acked(*del["RUS"], "amend", 2,
        R"("op":"replace","clause":")" + ids[2] + R"(","base":")" + revs[2] +
            R"(","text":"To comply fully with the Charter of the United Nations.")");
  acked(*del["USA"], "amend", 3,
        R"("op":"delete","clause":")" + ids[3] + R"(","base":")" + revs[3] + "\"");
  auto inserted = acked(*del["CHN"], "amend", 4,
                        R"("op":"insert","after":")" + ids[4] +
                            R"(","kind":"operative","text":"To cooperate in good faith.")");
  const std::string new_id = member(inserted, "clause");
  acked(*chair, "amend", 5,
        R"("op":"move","clause":")" + ids[4] + R"(","after":")" + ids[1] + "\"");

  const std::string head = member(http(""), "head");
  auto c = http("/compare?from=rev.1&to=" + head.substr(0, 12));
  EXPECT_EQ(member(c, "from"), member(welcome["draft"], "head"));
  EXPECT_EQ(member(c, "to"), head);
  std::map<std::string, std::string> change;
  std::vector<std::string> order;
  for (const auto& x : c["clauses"].GetArray()) {
    change[member(x, "id")] = member(x, "change");
    order.push_back(member(x, "id"));
  }
  EXPECT_EQ(change[ids[0]], "same");
  EXPECT_EQ(change[ids[1]], "same");
  EXPECT_EQ(change[ids[2]], "changed");
  EXPECT_EQ(change[ids[3]], "removed");
  EXPECT_EQ(change[ids[4]], "moved");
  EXPECT_EQ(change[new_id], "added");
  EXPECT_EQ(order.size(), 6u);
  for (const auto& x : c["clauses"].GetArray()) {
    const std::string id = member(x, "id");
    if (id == ids[3]) {
      EXPECT_EQ(x["number_from"].GetInt(), 2);
      EXPECT_TRUE(x["number_to"].IsNull());
    } else if (id == new_id) {
      EXPECT_TRUE(x["number_from"].IsNull());
      EXPECT_EQ(x["number_to"].GetInt(), 3);
    } else if (id == ids[4]) {
      EXPECT_EQ(x["number_from"].GetInt(), 3);
      EXPECT_EQ(x["number_to"].GetInt(), 1);
    } else if (id == ids[2]) {
      bool added = false;
      for (const auto& d : x["diff"].GetArray()) added |= member(d, "op") == "+";
      EXPECT_TRUE(added);
    }
  }
}

TEST_F(VersionsTest, CompareRefusesMissingMalformedAndUnknownVersions) {
  EXPECT_EQ(get("/compare").status, 400);
  EXPECT_EQ(get("/compare?from=rev.1").status, 400);
  EXPECT_EQ(get("/compare?from=rev%0A1&to=rev.2").status, 400);
  EXPECT_EQ(get("/compare?from=nope&to=" + member(welcome["draft"], "head")).status, 404);
  auto same = http("/compare?from=" + member(welcome["draft"], "head") +
                   "&to=" + member(welcome["draft"], "head"));
  for (const auto& x : same["clauses"].GetArray()) EXPECT_EQ(member(x, "change"), "same");
  auto page = http_get(srv->port(), "/d/test-draft/compare?from=a&to=b");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<html"), std::string::npos);
}

TEST_F(VersionsTest, BracketAddAlternativeAndResolveByTheChair) {
  const std::string& text =
      texts[2];  // "To comply with the Charter ... universally recognized norms."
  const std::string span = "universally recognized";
  const auto start = text.find(span);
  ASSERT_NE(start, std::string::npos);
  auto ack = acked(*del["USA"], "bracket", 1,
                   R"("clause":")" + ids[2] + R"(","base":")" + revs[2] + R"(","start":)" +
                       std::to_string(start) + R"(,"end":)" + std::to_string(start + span.size()) +
                       R"(,"text":"generally accepted")");
  // The words are still as tabled: the first alternative is the tabled text's, not the chair's
  // who opened the draft (docs/extensions.md, "Bracketed text").
  const std::string first =
      "To comply with the Charter of the United Nations and ⟦TABLED: universally recognized ‖ "
      "USA: generally accepted⟧ norms.";
  EXPECT_EQ(text_of(ids[2]), first);
  auto ev = del["RUS"]->expect("amended");
  EXPECT_EQ(member(ev, "op"), "bracket");

  // A span that covers the bracket exactly adds an alternative.
  const auto bstart = first.find("⟦");
  const auto bend = first.find("⟧") + std::string("⟧").size();
  acked(*del["CHN"], "bracket", 2,
        R"("clause":")" + ids[2] + R"(","base":")" + rev_of(ids[2]) + R"(","start":)" +
            std::to_string(bstart) + R"(,"end":)" + std::to_string(bend) + R"(,"text":"")");
  EXPECT_EQ(text_of(ids[2]),
            "To comply with the Charter of the United Nations and ⟦TABLED: universally recognized "
            "‖ USA: generally accepted ‖ CHN: ⟧ norms.");
  // Git authorship stays honest: the commits are USA's and CHN's, the tabled text's the chair's.
  // The amendments were acknowledged from the write-ahead log: git has them 50 ms later.
  const auto repo = data / "drafts" / "test-draft.git";
  wait_until_main_settles(repo);
  EXPECT_EQ(run_git(repo, "log -2 --format=%an%x09%ae main", false).out,
            "China\tchn@delegations.invalid\nUnited States\tusa@delegations.invalid\n");
  // Blame gives each alternative to its proponent, and marks the words as tabled, in the
  // bracket (state TABLED) and out of it (the first commit's, state CHAIR), with `"tabled": true`.
  auto blame = http("/clauses/" + ids[2] + "/blame");
  const std::string opened = run_git(repo, "rev-list --max-parents=0 main", false).out;
  struct seen {
    std::string state;
    bool tabled = false;
    std::string commit;
  };
  std::map<std::string, seen> by_words;
  for (const auto& s : blame["segments"].GetArray()) {
    by_words[member(s, "text")] = {
        member(s, "state"), s.HasMember("tabled") && s["tabled"].GetBool(), member(s, "commit")};
    if (s.HasMember("tabled")) EXPECT_TRUE(s["tabled"].GetBool()) << "absent unless true";
  }
  auto holding = [&](const std::string& words) {
    for (const auto& [text, who] : by_words) {
      if (text.find(words) != std::string::npos) return who;
    }
    ADD_FAILURE() << "no segment holds " << words;
    return seen{};
  };
  EXPECT_EQ(holding("generally accepted").state, "USA");
  EXPECT_FALSE(holding("generally accepted").tabled);
  EXPECT_EQ(holding("universally recognized").state, "TABLED");
  EXPECT_TRUE(holding("universally recognized").tabled);
  EXPECT_EQ(holding("universally recognized").commit + "\n", opened);
  EXPECT_EQ(holding("To comply with").state, "CHAIR");
  EXPECT_TRUE(holding("To comply with").tabled);
  EXPECT_FALSE(holding("⟦TABLED: ").tabled);  // the notation is USA's bracket

  EXPECT_EQ(
      refused(*del["USA"], "resolve", 3, R"("clause":")" + ids[2] + R"(","bracket":0,"choose":1)"),
      "forbidden");
  acked(*chair, "resolve", 4, R"("clause":")" + ids[2] + R"(","bracket":0,"choose":1)");
  EXPECT_EQ(text_of(ids[2]),
            "To comply with the Charter of the United Nations and generally accepted norms.");
  wait_until_main_settles(data / "drafts" / "test-draft.git");
  auto log = run_git(data / "drafts" / "test-draft.git",
                     "log '--format=%(trailers:key=Op,valueonly,separator=)' -3 main", false);
  EXPECT_EQ(log.out, "resolve\nbracket\nbracket\n");
}

TEST_F(VersionsTest, MalformedBracketsAndSpansAreRefusedAndNothingIsCommitted) {
  const std::string head = member(welcome["draft"], "head");
  const std::string base = R"("clause":")" + ids[2] + R"(","base":")" + revs[2] + "\"";
  // Notation inside an amendment's text.
  for (const std::string& bad :
       {std::string("An ⟦USA: open bracket"), std::string("A ⟦XYZ: stranger⟧ code"),
        std::string("Nested ⟦USA: a ⟦CHN: b⟧⟧"), std::string("A stray ‖ bar"),
        std::string("No ⟦code here⟧")}) {
    EXPECT_EQ(refused(*del["RUS"], "amend", 10,
                      R"("op":"replace",)" + base + R"(,"text":)" + quoted(bad)),
              "bad_request")
        << bad;
  }
  // Spans: empty, out of range, cutting a character.
  EXPECT_EQ(refused(*del["RUS"], "bracket", 11, base + R"(,"start":3,"end":3,"text":"x")"),
            "bad_request");
  EXPECT_EQ(refused(*del["RUS"], "bracket", 12, base + R"(,"start":3,"end":100000,"text":"x")"),
            "bad_request");
  EXPECT_EQ(refused(*del["RUS"], "bracket", 13, base + R"(,"start":-1,"end":2,"text":"x")"),
            "bad_request");
  auto obs = connect(codes_.observer);
  EXPECT_EQ(refused(*obs, "bracket", 14, base + R"(,"start":0,"end":2,"text":"x")"), "forbidden");
  EXPECT_EQ(member(http(""), "head"), head);
}

TEST_F(VersionsTest, BracketOffsetsInsideMultiByteText) {
  // Cyrillic and Chinese: two and three bytes a character.
  const std::string cyr = "Соблюдать Устав Организации 联合国 и нормы.";
  auto a = acked(*del["RUS"], "amend", 1,
                 R"("op":"replace","clause":")" + ids[2] + R"(","base":")" + revs[2] +
                     R"(","text":")" + cyr + "\"");
  const std::string rev = member(a, "commit");
  const auto start = cyr.find("联合国");
  // Cutting the first character of 联 (3 bytes) is refused.
  EXPECT_EQ(refused(*del["CHN"], "bracket", 2,
                    R"("clause":")" + ids[2] + R"(","base":")" + rev + R"(","start":)" +
                        std::to_string(start + 1) + R"(,"end":)" + std::to_string(start + 9) +
                        R"(,"text":"ООН")"),
            "bad_request");
  acked(*del["CHN"], "bracket", 3,
        R"("clause":")" + ids[2] + R"(","base":")" + rev + R"(","start":)" + std::to_string(start) +
            R"(,"end":)" + std::to_string(start + 9) + R"(,"text":"ООН")");
  EXPECT_EQ(text_of(ids[2]), "Соблюдать Устав Организации ⟦RUS: 联合国 ‖ CHN: ООН⟧ и нормы.");
}

TEST_F(VersionsTest, InTheFormalStageADelegationProposesAResolve) {
  const std::string& text = texts[2];
  const auto start = text.find("norms");
  acked(*del["USA"], "bracket", 1,
        R"("clause":")" + ids[2] + R"(","base":")" + revs[2] + R"(","start":)" +
            std::to_string(start) + R"(,"end":)" + std::to_string(start + 5) +
            R"(,"text":"rules")");
  chair->send(msg("stage", 2, R"("stage":"formal")"));
  chair->expect("staged", 2);
  EXPECT_EQ(
      refused(*del["USA"], "resolve", 3, R"("clause":")" + ids[2] + R"(","bracket":0,"choose":1)"),
      "forbidden");
  del["USA"]->send(
      msg("propose", 4, R"("op":"resolve","clause":")" + ids[2] + R"(","bracket":0,"choose":1)"));
  const int n = del["USA"]->expect("proposed", 4)["proposal"].GetInt();
  auto record = http("/proposals/" + std::to_string(n));
  EXPECT_EQ(member(record, "op"), "resolve");
  EXPECT_EQ(record["bracket"].GetInt(), 0);
  EXPECT_EQ(record["choose"].GetInt(), 1);
  chair->send(
      msg("open_vote", 5, R"("proposal":)" + std::to_string(n) + R"(,"threshold":"simple")"));
  chair->expect("proposal", 5);
  del["RUS"]->send(msg("vote", 6, R"("proposal":)" + std::to_string(n) + R"(,"choice":"yes")"));
  del["RUS"]->expect("proposal", 6);
  chair->send(msg("close_vote", 7, R"("proposal":)" + std::to_string(n)));
  auto adopted = chair->expect("amended");
  EXPECT_EQ(member(adopted, "op"), "resolve");
  EXPECT_EQ(member(adopted["by"], "state"), "USA");
  EXPECT_EQ(text_of(ids[2]),
            "To comply with the Charter of the United Nations and universally recognized rules.");
}

}  // namespace
}  // namespace plenary::test
