// The procedure of procedure.md over real WebSockets and HTTP: stages, sponsors, proposals,
// support, votes, tags, and every refusal, then both branches read with plain git.
#include <gtest/gtest.h>

#include <sstream>

#include "fixtures.hpp"
#include "git_check.hpp"

namespace plenary::test {
namespace {

// The small draft with a sponsors list.
std::string sponsored_draft_json(const std::string& sponsors) {
  std::string json = small_draft_json();
  json.insert(json.rfind('}'), ", \"sponsors\": [" + sponsors + "]");
  return json;
}

class ProcedureTest : public served_draft_test {
 protected:
  void start(const std::string& sponsors) {
    serve(sponsored_draft_json(sponsors));
    chair = connect(codes_.chair);
    for (const char* s : {"RUS", "USA", "CHN", "FRA"}) del[s] = connect(codes_.delegations[s]);
  }

  // `who` tables a replace of clause one (operative 1) against the rev it joined with.
  int table_replace(ws_client& who, long id, const std::string& text,
                    const std::string& base = "") {
    who.send(msg("propose", id,
                 R"("op":"replace","clause":")" + clause_id + R"(","base":")" +
                     (base.empty() ? clause_rev : base) + R"(","text":")" + text +
                     R"(","note":"Clearer.")"));
    auto reply = who.expect("proposed", id);
    return reply["proposal"].GetInt();
  }
  std::string error_code_of(ws_client& who, long id) {
    auto e = who.expect("error", id);
    return member(e, "code");
  }

  std::unique_ptr<ws_client> chair;
  std::map<std::string, std::unique_ptr<ws_client>> del;
};

TEST_F(ProcedureTest, WelcomeAndDraftCarryStageAndSponsors) {
  start(R"("RUS", "CHN")");
  EXPECT_EQ(member(welcome["draft"], "stage"), "working");
  ASSERT_EQ(welcome["draft"]["sponsors"].Size(), 2u);
  EXPECT_STREQ(welcome["draft"]["sponsors"][0].GetString(), "RUS");
  auto d = http("");
  EXPECT_EQ(member(d, "stage"), "working");
  EXPECT_EQ(d["sponsors"].Size(), 2u);
  // Extension: the roster, so that pages can name states that are not present.
  for (const rapidjson::Value* roster : {&welcome["draft"]["delegations"], &d["delegations"]}) {
    ASSERT_TRUE(roster->IsArray());
    ASSERT_EQ(roster->Size(), 4u);
    EXPECT_EQ(member((*roster)[0], "state"), "RUS");
    EXPECT_EQ(member((*roster)[0], "name"), "Russian Federation");
  }
}

TEST_F(ProcedureTest, ChairSetsSponsorsOnlyFromTheRosterAndOnlyWhileWorking) {
  start(R"("RUS")");
  chair->send(msg("sponsors", 1, R"("sponsors":["USA","FRA"])"));
  auto mine = chair->expect("sponsored", 1);
  EXPECT_EQ(mine["sponsors"].Size(), 2u);
  EXPECT_EQ(member(mine, "commit").size(), 40u);
  auto theirs = del["RUS"]->expect("sponsored");
  EXPECT_FALSE(theirs.HasMember("id"));
  EXPECT_EQ(member(theirs, "commit"), member(mine, "commit"));

  chair->send(msg("sponsors", 2, R"("sponsors":["XYZ"])"));
  EXPECT_EQ(error_code_of(*chair, 2), "bad_request");
  del["USA"]->send(msg("sponsors", 3, R"("sponsors":["USA"])"));
  EXPECT_EQ(error_code_of(*del["USA"], 3), "forbidden");
  chair->send(msg("stage", 4, R"("stage":"formal")"));
  chair->expect("staged", 4);
  chair->send(msg("sponsors", 5, R"("sponsors":["CHN"])"));
  EXPECT_EQ(error_code_of(*chair, 5), "forbidden");
  EXPECT_EQ(http("")["sponsors"].Size(), 2u);
}

TEST_F(ProcedureTest, StagesMoveForwardByTheChairAndFormalForbidsDirectAmendments) {
  start("");
  del["RUS"]->send(msg("stage", 1, R"("stage":"formal")"));
  EXPECT_EQ(error_code_of(*del["RUS"], 1), "forbidden");

  chair->send(msg("stage", 2, R"("stage":"formal")"));
  auto staged = chair->expect("staged", 2);
  EXPECT_EQ(member(staged, "stage"), "formal");
  EXPECT_EQ(member(staged["by"], "state"), "CHAIR");
  EXPECT_EQ(member(staged, "parent"), member(welcome["draft"], "head"));
  EXPECT_EQ(member(del["USA"]->expect("staged"), "commit"), member(staged, "commit"));

  const std::string amend = R"("op":"replace","clause":")" + clause_id + R"(","base":")" +
                            clause_rev + R"(","text":"Directly changed.")";
  del["RUS"]->send(msg("amend", 3, amend));
  auto refused = del["RUS"]->expect("error", 3);
  EXPECT_EQ(member(refused, "code"), "forbidden");
  EXPECT_NE(member(refused, "message").find("propos"), std::string::npos)
      << member(refused, "message");
  // The chair's own amendments still go in; their chain follows the stage commit.
  chair->send(msg("amend", 4, amend));
  chair->expect("ack", 4);
  auto ev = del["RUS"]->expect("amended");
  EXPECT_EQ(member(ev, "parent"), member(staged, "commit"));

  chair->send(msg("stage", 5, R"("stage":"working")"));
  EXPECT_EQ(error_code_of(*chair, 5), "forbidden");
  chair->send(msg("stage", 6, R"("stage":"formal")"));
  EXPECT_EQ(error_code_of(*chair, 6), "conflict");
  EXPECT_EQ(member(http(""), "stage"), "formal");
}

TEST_F(ProcedureTest, AdoptedStageTagsTheTextAndFreezesEverything) {
  start(R"("RUS")");
  const int n = table_replace(*del["USA"], 1, "A proposal left tabled.");
  chair->send(msg("stage", 2, R"("stage":"adopted")"));
  auto staged = chair->expect("staged", 2);
  auto tagged = chair->expect("tagged");
  EXPECT_EQ(member(tagged, "name"), "adopted");
  EXPECT_EQ(member(tagged, "commit"), member(staged, "commit"));
  del["CHN"]->expect("tagged");
  EXPECT_EQ(run_git(repo(), "rev-parse adopted^{commit}", false).out,
            member(staged, "commit") + "\n");
  EXPECT_EQ(run_git(repo(), "cat-file -t adopted", false).out, "tag\n");

  const std::string amend = R"("op":"replace","clause":")" + clause_id + R"(","base":")" +
                            clause_rev + R"(","text":"Too late.")";
  chair->send(msg("amend", 3, amend));
  EXPECT_EQ(error_code_of(*chair, 3), "forbidden");
  del["RUS"]->send(msg("support", 4, on(n)));
  EXPECT_EQ(error_code_of(*del["RUS"], 4), "forbidden");
  del["RUS"]->send(msg("propose", 5, amend));
  EXPECT_EQ(error_code_of(*del["RUS"], 5), "forbidden");
  chair->send(msg("open_vote", 6, on(n) + R"(,"threshold":"simple")"));
  EXPECT_EQ(error_code_of(*chair, 6), "forbidden");
}

TEST_F(ProcedureTest, TablingAnswersProposedAndEveryoneGetsTheRecord) {
  start(R"("RUS", "CHN")");
  const int n = table_replace(*del["USA"], 1, "To comply with the Charter of the United Nations.");
  EXPECT_EQ(n, 1);
  auto rec = del["FRA"]->expect("proposal");
  const auto& p = rec["proposal"];
  EXPECT_EQ(p["n"].GetInt(), 1);
  EXPECT_EQ(member(p["by"], "state"), "USA");
  EXPECT_EQ(member(p, "op"), "replace");
  EXPECT_EQ(member(p, "clause"), clause_id);
  EXPECT_EQ(member(p, "base"), clause_rev);
  EXPECT_EQ(member(p, "status"), "tabled");
  EXPECT_EQ(member(p, "note"), "Clearer.");
  EXPECT_TRUE(p["vote"].IsNull());
  EXPECT_TRUE(p["result"].IsNull());
  EXPECT_EQ(table_replace(*del["FRA"], 2, "Another wording."), 2);

  auto all = http("/proposals");
  ASSERT_EQ(all["proposals"].Size(), 2u);
  EXPECT_EQ(all["proposals"][1]["n"].GetInt(), 2);
  auto one = http("/proposals/1");
  EXPECT_EQ(member(one["by"], "state"), "USA");
  EXPECT_EQ(member(one, "commit"),
            run_git(repo(), "rev-parse refs/proposals/1", false).out.substr(0, 40));
  http("/proposals/3", 404);
  http("/proposals/abc", 404);
  http("/proposals/0", 404);
  // Main did not move: a proposal is not an amendment.
  EXPECT_EQ(member(http(""), "head"), member(welcome["draft"], "head"));
}

TEST_F(ProcedureTest, FriendlyAmendmentWithFourSponsorsIsAdoptedAtOnce) {
  start(R"("RUS", "USA", "CHN", "FRA")");
  const int n = table_replace(*del["RUS"], 1, "To comply with the Charter, friendly version.");
  for (const char* s : {"USA", "CHN"}) {
    del[s]->send(msg("support", 10, on(n)));
    auto r = del[s]->expect("proposal", 10);
    EXPECT_EQ(member(r["proposal"], "status"), "tabled");
  }
  del["FRA"]->send(msg("support", 11, on(n)));
  auto adopted = del["FRA"]->expect("amended");
  EXPECT_EQ(member(adopted["by"], "state"), "RUS");  // authored by the proposer
  EXPECT_EQ(adopted["proposal"].GetInt(), n);
  EXPECT_EQ(member(adopted, "adopted"), "friendly");
  EXPECT_EQ(member(adopted["clause"], "text"), "To comply with the Charter, friendly version.");
  auto r = del["FRA"]->expect("proposal", 11);
  EXPECT_EQ(member(r["proposal"], "status"), "adopted");
  EXPECT_EQ(member(r["proposal"]["result"], "outcome"), "adopted");
  EXPECT_EQ(member(r["proposal"]["result"], "commit"), member(adopted, "commit"));
  // Everyone else sees the text change live too.
  EXPECT_EQ(member(chair->expect("amended"), "commit"), member(adopted, "commit"));

  auto body = run_git(repo(), "log -1 --format=%an%n%B main", false).out;
  EXPECT_NE(body.find("Russian Federation"), std::string::npos) << body;
  EXPECT_NE(body.find("Proposal: 1"), std::string::npos) << body;
  EXPECT_NE(body.find("Adopted: friendly"), std::string::npos) << body;
}

TEST_F(ProcedureTest, VoteOpenedClosedByTheChairAdoptsWithTheTally) {
  start(R"("RUS")");
  const int n = table_replace(*del["USA"], 1, "Adopted by a vote.");
  chair->send(msg("open_vote", 2, on(n) + R"(,"threshold":"two-thirds")"));
  auto opened = chair->expect("proposal", 2);
  EXPECT_EQ(member(opened["proposal"], "status"), "voting");
  EXPECT_EQ(member(opened["proposal"]["vote"], "threshold"), "two-thirds");
  std::map<std::string, std::string> choices{
      {"RUS", "yes"}, {"USA", "yes"}, {"CHN", "no"}, {"FRA", "abstain"}};
  for (auto& [state, choice] : choices) {
    del[state]->send(msg("vote", 3, on(n) + R"(,"choice":")" + choice + "\""));
    del[state]->expect("proposal", 3);
  }
  chair->send(msg("close_vote", 4, on(n)));
  auto adopted = chair->expect("amended");
  EXPECT_EQ(member(adopted, "adopted"), "vote");
  EXPECT_EQ(adopted["vote"]["yes"].GetInt(), 2);
  EXPECT_EQ(adopted["vote"]["no"].GetInt(), 1);
  EXPECT_EQ(adopted["vote"]["abstain"].GetInt(), 1);
  auto closed = chair->expect("proposal", 4);
  EXPECT_EQ(member(closed["proposal"], "status"), "adopted");
  const auto& v = closed["proposal"]["vote"];
  EXPECT_EQ(v["yes"].Size(), 2u);
  EXPECT_EQ(v["abstain"].Size(), 1u);
  auto log = http("/log");
  EXPECT_EQ(log["entries"][0]["proposal"].GetInt(), n);
  EXPECT_NE(run_git(repo(), "log -1 --format=%B main", false).out.find("Vote: 2-1-1"),
            std::string::npos);
}

TEST_F(ProcedureTest, VoteThatFailsRejectsAndMainDoesNotMove) {
  start("");
  const int n = table_replace(*del["USA"], 1, "Rejected by a vote.");
  chair->send(msg("open_vote", 2, on(n) + R"(,"threshold":"simple")"));
  chair->expect("proposal", 2);
  del["RUS"]->send(msg("vote", 3, on(n) + R"(,"choice":"no")"));
  del["RUS"]->expect("proposal", 3);
  chair->send(msg("close_vote", 4, on(n)));
  auto closed = chair->expect("proposal", 4);
  EXPECT_EQ(member(closed["proposal"], "status"), "rejected");
  EXPECT_EQ(member(closed["proposal"]["result"], "outcome"), "rejected");
  EXPECT_TRUE(closed["proposal"]["result"]["commit"].IsNull());
  EXPECT_EQ(member(http(""), "head"), member(welcome["draft"], "head"));
}

TEST_F(ProcedureTest, EveryRefusalIsNamedAndRecordsNothing) {
  start(R"("RUS")");
  auto obs = connect(codes_.observer);
  const int n = table_replace(*del["USA"], 1, "Refusals leave this alone.");
  const std::string procedure_before = run_git(repo(), "rev-parse procedure", false).out;

  obs->send(msg("support", 1, on(n)));
  EXPECT_EQ(error_code_of(*obs, 1), "forbidden");
  obs->send(msg("propose", 2,
                R"("op":"delete","clause":")" + clause_id + R"(","base":")" + clause_rev + "\""));
  EXPECT_EQ(error_code_of(*obs, 2), "forbidden");
  chair->send(msg("support", 3, on(n)));  // the chair neither supports nor votes
  EXPECT_EQ(error_code_of(*chair, 3), "forbidden");
  del["RUS"]->send(msg("withdraw", 4, on(n)));  // only the proposer withdraws
  EXPECT_EQ(error_code_of(*del["RUS"], 4), "forbidden");
  del["RUS"]->send(msg("open_vote", 5, on(n) + R"(,"threshold":"simple")"));
  EXPECT_EQ(error_code_of(*del["RUS"], 5), "forbidden");
  del["RUS"]->send(msg("vote", 6, on(n) + R"(,"choice":"yes")"));  // no vote open
  EXPECT_EQ(error_code_of(*del["RUS"], 6), "conflict");
  chair->send(msg("close_vote", 7, on(n)));
  EXPECT_EQ(error_code_of(*chair, 7), "conflict");
  del["CHN"]->send(msg("support", 8, on(99)));
  EXPECT_EQ(error_code_of(*del["CHN"], 8), "not_found");
  del["CHN"]->send(msg("vote", 9, on(n) + R"(,"choice":"maybe")"));
  EXPECT_EQ(error_code_of(*del["CHN"], 9), "bad_request");
  chair->send(msg("open_vote", 10, on(n) + R"(,"threshold":"most")"));
  EXPECT_EQ(error_code_of(*chair, 10), "bad_request");
  EXPECT_EQ(run_git(repo(), "rev-parse procedure", false).out, procedure_before);

  // Acts done once cannot be done twice.
  del["CHN"]->send(msg("support", 11, on(n)));
  del["CHN"]->expect("proposal", 11);
  del["CHN"]->send(msg("support", 12, on(n)));
  EXPECT_EQ(error_code_of(*del["CHN"], 12), "conflict");
  const int m = table_replace(*del["FRA"], 13, "Second proposal.");
  chair->send(msg("open_vote", 14, on(n) + R"(,"threshold":"simple")"));
  chair->expect("proposal", 14);
  chair->send(msg("open_vote", 15, on(m) + R"(,"threshold":"simple")"));  // one vote at a time
  EXPECT_EQ(error_code_of(*chair, 15), "conflict");
  del["CHN"]->send(msg("vote", 16, on(n) + R"(,"choice":"yes")"));
  del["CHN"]->expect("proposal", 16);
  del["CHN"]->send(msg("vote", 17, on(n) + R"(,"choice":"no")"));
  EXPECT_EQ(error_code_of(*del["CHN"], 17), "conflict");
  del["USA"]->send(msg("withdraw", 18, on(n)));  // no longer tabled
  EXPECT_EQ(error_code_of(*del["USA"], 18), "conflict");
  del["FRA"]->send(msg("withdraw", 19, on(m)));
  auto withdrawn = del["FRA"]->expect("proposal", 19);
  EXPECT_EQ(member(withdrawn["proposal"], "status"), "withdrawn");
}

TEST_F(ProcedureTest, AdoptionMergesAroundLaterChangesAndConflictsOnOverlap) {
  start("");
  // Clause one: "To comply with the Charter of the United Nations and universally recognized
  // norms." Proposal 1 changes its start, proposal 2 its last word, both against that text.
  const int first = table_replace(*del["USA"], 1,
                                  "To respect the Charter of the United Nations and universally "
                                  "recognized norms.");
  const int second = table_replace(*del["FRA"], 2,
                                   "To comply with the Charter of the United Nations and "
                                   "universally recognized rules.");
  // Meanwhile the clause moves on at its end: proposal 1 still merges, proposal 2 overlaps.
  del["RUS"]->send(msg("amend", 3,
                       R"("op":"replace","clause":")" + clause_id + R"(","base":")" + clause_rev +
                           R"(","text":"To comply with the Charter of the United )"
                           R"(Nations and universally recognized norms of law.")"));
  del["RUS"]->expect("ack", 3);
  auto vote_through = [&](int n, long id) {
    chair->send(msg("open_vote", id, on(n) + R"(,"threshold":"simple")"));
    chair->expect("proposal", id);
    del["CHN"]->send(msg("vote", id, on(n) + R"(,"choice":"yes")"));
    del["CHN"]->expect("proposal", id);
    chair->send(msg("close_vote", id + 1, on(n)));
    return chair->expect("proposal", id + 1);
  };
  auto merged = vote_through(first, 10);
  EXPECT_EQ(member(merged["proposal"], "status"), "adopted");
  auto clause = http("");
  EXPECT_EQ(member(clause["clauses"][2], "text"),
            "To respect the Charter of the United Nations and universally recognized norms of "
            "law.");
  auto overlapped = vote_through(second, 20);
  EXPECT_EQ(member(overlapped["proposal"], "status"), "conflict");
  EXPECT_EQ(member(overlapped["proposal"]["result"], "outcome"), "conflict");
  EXPECT_TRUE(overlapped["proposal"]["result"]["commit"].IsNull());
  EXPECT_EQ(member(http("")["clauses"][2], "text"), member(clause["clauses"][2], "text"));
}

TEST_F(ProcedureTest, TagsNameVersionsByTheChairOnly) {
  start("");
  chair->send(msg("tag", 1, R"("name":"rev.1","note":"First revision")"));
  auto t = chair->expect("tagged", 1);
  EXPECT_EQ(member(t, "name"), "rev.1");
  EXPECT_EQ(member(t, "commit"), member(welcome["draft"], "head"));
  EXPECT_EQ(member(del["RUS"]->expect("tagged"), "name"), "rev.1");
  chair->send(msg("tag", 2, R"("name":"rev.1")"));
  EXPECT_EQ(error_code_of(*chair, 2), "conflict");
  chair->send(msg("tag", 3, R"("name":"../evil")"));
  EXPECT_EQ(error_code_of(*chair, 3), "bad_request");
  del["RUS"]->send(msg("tag", 4, R"("name":"rev.2")"));
  EXPECT_EQ(error_code_of(*del["RUS"], 4), "forbidden");
  EXPECT_EQ(run_git(repo(), "for-each-ref '--format=%(refname)' refs/tags", false).out,
            "refs/tags/rev.1\n");
  EXPECT_NE(run_git(repo(), "cat-file -p rev.1", false).out.find("tagger Chair"),
            std::string::npos);
}

TEST_F(ProcedureTest, ProcedureBranchIsTheMinutesOneCommitPerActByTheActor) {
  start(R"("RUS")");
  const int n = table_replace(*del["USA"], 1, "For the minutes.");
  del["CHN"]->send(msg("support", 2, on(n)));
  del["CHN"]->expect("proposal", 2);
  chair->send(msg("open_vote", 3, on(n) + R"(,"threshold":"two-thirds-present")"));
  chair->expect("proposal", 3);
  del["FRA"]->send(msg("vote", 4, on(n) + R"(,"choice":"abstain")"));
  del["FRA"]->expect("proposal", 4);
  chair->send(msg("close_vote", 5, on(n)));
  chair->expect("proposal", 5);

  auto minutes =
      run_git(repo(),
              "log --reverse '--format=%an|%(trailers:key=Act,valueonly,separator=)' procedure",
              false)
          .out;
  EXPECT_EQ(minutes, "United States|table\nChina|support\nChair|open\nFrance|vote\nChair|close\n");
  auto record = run_git(repo(), "show procedure:proposals/1.json", false).out;
  EXPECT_NE(record.find("\"status\": \"rejected\""), std::string::npos) << record;
  for (const auto& c : rev_list_main(repo())) {
    auto contents = read_commits(repo(), {c});
    EXPECT_EQ(whole_commit_problems(contents[c]), "") << c;
  }
  EXPECT_EQ(fsck_problems(repo()), "");
}

}  // namespace
}  // namespace plenary::test
