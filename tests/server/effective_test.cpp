// The effective change of a proposal (docs/extensions.md, "Effective change") over real
// WebSockets and HTTP: `effective` follows the clause before and during a vote, arrives live in
// `proposal` events, a conflicting change marks it `conflict` before the vote, the chair
// restarts a vote whose text changed, and adoption applies exactly the effective text shown at
// closing.
#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace plenary::test {
namespace {

// Clause one of the small draft, operative 1.
constexpr const char* original =
    "To comply with the Charter of the United Nations and universally recognized norms.";

class EffectiveTest : public served_draft_test {
 protected:
  void SetUp() override {
    serve();
    chair = connect(codes_.chair);
    for (const char* s : {"RUS", "USA", "CHN", "FRA"}) del[s] = connect(codes_.delegations[s]);
  }
  int table_replace(ws_client& who, long id, const std::string& text) {
    who.send(msg("propose", id,
                 R"("op":"replace","clause":")" + clause_id + R"(","base":")" + clause_rev +
                     R"(","text":")" + text + R"(")"));
    return who.expect("proposed", id)["proposal"].GetInt();
  }
  // The chair replaces clause one (the chair may amend in every stage but adopted).
  std::string chair_replaces(long id, const std::string& text) {
    chair->send(msg("amend", id,
                    R"("op":"replace","clause":")" + clause_id + R"(","base":")" + current_rev() +
                        R"(","text":")" + text + R"(")"));
    return member(chair->expect("ack", id), "commit");
  }
  std::string current_rev() {
    auto d = http("");
    return member(d["clauses"][2], "rev");
  }
  // The next `proposal` event about `n` that `who` receives whose effective change was
  // computed at `commit` (empty: whose vote has no votes cast), skipping the others.
  rapidjson::Document next_record(ws_client& who, int n, const std::string& commit) {
    for (int i = 0; i < 20; ++i) {
      auto ev = who.expect("proposal");
      if (!ev.HasMember("proposal")) break;
      const auto& rec = ev["proposal"];
      if (rec["n"].GetInt() != n) continue;
      if (!commit.empty() && rec["effective"].IsObject() &&
          member(rec["effective"], "computed_at") == commit) {
        return ev;
      }
      if (commit.empty() && rec["vote"].IsObject() && rec["vote"]["yes"].Empty() &&
          rec["vote"]["no"].Empty() && rec["vote"]["abstain"].Empty()) {
        return ev;
      }
    }
    ADD_FAILURE() << "no proposal event about " << n << " at " << commit;
    rapidjson::Document empty;
    empty.Parse(R"({"proposal":{"effective":null,"vote":null}})");
    return empty;
  }

  std::unique_ptr<ws_client> chair;
  std::map<std::string, std::unique_ptr<ws_client>> del;
};

TEST_F(EffectiveTest, FollowsTheClauseBeforeAndDuringTheVoteAndAdoptionAppliesExactlyIt) {
  const int n = table_replace(
      *del["USA"], 1,
      "To respect the Charter of the United Nations and universally recognized norms.");
  // Tabled: the effective text is the proposal's own, computed on main's head.
  auto rec = http("/proposals/" + std::to_string(n));
  ASSERT_TRUE(rec["effective"].IsObject()) << member(rec, "status");
  EXPECT_EQ(member(rec["effective"], "text"),
            "To respect the Charter of the United Nations and universally recognized norms.");
  EXPECT_FALSE(rec["effective"]["conflict"].GetBool());
  EXPECT_EQ(member(rec["effective"], "computed_at"), member(http(""), "head"));

  // The clause changes elsewhere before the vote: everyone gets the record again, merged.
  const std::string c1 = chair_replaces(
      2,
      "To comply with the Charter of the United Nations and universally recognized norms of "
      "law.");
  auto live = next_record(*del["RUS"], n, c1);
  const std::string before_vote =
      "To respect the Charter of the United Nations and universally recognized norms of law.";
  EXPECT_EQ(member(live["proposal"]["effective"], "text"), before_vote);
  EXPECT_EQ(member(live["proposal"]["effective"], "computed_at"), c1);
  EXPECT_EQ(member(http("/proposals/" + std::to_string(n))["effective"], "text"), before_vote);
  // The list carries it too.
  EXPECT_EQ(member(http("/proposals")["proposals"][0]["effective"], "text"), before_vote);

  // Opened: the vote records what it was opened on.
  chair->send(msg("open_vote", 3, on(n) + R"(,"threshold":"simple")"));
  auto opened = chair->expect("proposal", 3);
  EXPECT_EQ(member(opened["proposal"]["vote"]["effective"], "text"), before_vote);
  EXPECT_EQ(member(opened["proposal"]["effective"], "text"), before_vote);
  del["CHN"]->send(msg("vote", 4, on(n) + R"(,"choice":"yes")"));
  del["CHN"]->expect("proposal", 4);

  // During the vote the clause changes again: the effective change follows, the vote's stays.
  const std::string c2 = chair_replaces(
      5,
      "To comply with the Charter of the United Nations and generally recognized norms of "
      "law.");
  auto during = next_record(*del["RUS"], n, c2);
  const std::string at_close =
      "To respect the Charter of the United Nations and generally recognized norms of law.";
  EXPECT_EQ(member(during["proposal"]["effective"], "text"), at_close);
  EXPECT_EQ(member(during["proposal"]["effective"], "computed_at"), c2);
  EXPECT_EQ(member(during["proposal"]["vote"]["effective"], "text"), before_vote);
  EXPECT_EQ(member(during["proposal"], "status"), "voting");

  // Closed: the text adopted is exactly the effective text shown at closing.
  chair->send(msg("close_vote", 6, on(n)));
  auto closed = chair->expect("proposal", 6);
  EXPECT_EQ(member(closed["proposal"], "status"), "adopted");
  EXPECT_TRUE(closed["proposal"]["effective"].IsNull());
  EXPECT_EQ(member(http("")["clauses"][2], "text"), at_close);
  EXPECT_TRUE(http("/proposals/" + std::to_string(n))["effective"].IsNull());
}

TEST_F(EffectiveTest, AConflictingChangeMarksItConflictBeforeTheVote) {
  const int n = table_replace(
      *del["FRA"], 1,
      "To comply with the Charter of the United Nations and universally recognized rules.");
  // The same words change meanwhile: the proposal cannot apply as it stands.
  const std::string c1 =
      chair_replaces(2, "To comply with the Charter of the United Nations and international law.");
  auto live = next_record(*del["USA"], n, c1);
  ASSERT_TRUE(live["proposal"]["effective"].IsObject());
  EXPECT_TRUE(live["proposal"]["effective"]["conflict"].GetBool());
  EXPECT_TRUE(live["proposal"]["effective"]["text"].IsNull());
  EXPECT_FALSE(member(live["proposal"]["effective"], "problem").empty());
  auto rec = http("/proposals/" + std::to_string(n));
  EXPECT_TRUE(rec["effective"]["conflict"].GetBool());
  EXPECT_EQ(member(rec, "status"), "tabled");
  // An unrelated clause changing sends nothing more about it; a vote through is a conflict.
  chair->send(msg("open_vote", 3, on(n) + R"(,"threshold":"simple")"));
  EXPECT_TRUE(chair->expect("proposal", 3)["proposal"]["vote"]["effective"]["conflict"].GetBool());
  del["RUS"]->send(msg("vote", 4, on(n) + R"(,"choice":"yes")"));
  del["RUS"]->expect("proposal", 4);
  chair->send(msg("close_vote", 5, on(n)));
  EXPECT_EQ(member(chair->expect("proposal", 5)["proposal"], "status"), "conflict");
  EXPECT_EQ(member(http("")["clauses"][2], "text"),
            "To comply with the Charter of the United Nations and international law.");
}

TEST_F(EffectiveTest, TheChairRestartsAVoteWhoseTextChanged) {
  const int n = table_replace(
      *del["USA"], 1,
      "To respect the Charter of the United Nations and universally recognized norms.");
  chair->send(msg("open_vote", 2, on(n) + R"(,"threshold":"simple")"));
  chair->expect("proposal", 2);
  del["CHN"]->send(msg("vote", 3, on(n) + R"(,"choice":"no")"));
  del["CHN"]->expect("proposal", 3);
  chair_replaces(
      4, std::string(original).replace(std::string(original).find("norms"), 5, "norms of law"));
  // Only the chair restarts, only an open vote.
  del["USA"]->send(msg("restart_vote", 5, on(n)));
  EXPECT_EQ(member(del["USA"]->expect("error", 5), "code"), "forbidden");
  chair->send(msg("restart_vote", 6, on(n + 1)));
  EXPECT_EQ(member(chair->expect("error", 6), "code"), "not_found");
  chair->send(msg("restart_vote", 7, R"("proposal":"one")"));
  EXPECT_EQ(member(chair->expect("error", 7), "code"), "bad_request");
  chair->send(msg("restart_vote", 8, on(n)));
  auto restarted = chair->expect("proposal", 8);
  const auto& rec = restarted["proposal"];
  EXPECT_EQ(member(rec, "status"), "voting");
  EXPECT_EQ(rec["vote"]["no"].Size(), 0u);
  EXPECT_EQ(member(rec["vote"]["effective"], "text"), member(rec["effective"], "text"));
  EXPECT_EQ(member(rec["effective"], "text"),
            "To respect the Charter of the United Nations and universally recognized norms of "
            "law.");
  // Everyone sees it; CHN votes again.
  auto theirs = next_record(*del["CHN"], n, "");
  EXPECT_EQ(theirs["proposal"]["vote"]["no"].Size(), 0u);
  del["CHN"]->send(msg("vote", 9, on(n) + R"(,"choice":"yes")"));
  del["CHN"]->expect("proposal", 9);
  auto log = run_git(data / "drafts" / "test-draft.git", "log -1 --format=%s%n%b procedure");
  EXPECT_NE(log.out.find("Vote yes on proposal 1"), std::string::npos) << log.out;
  auto minutes = run_git(data / "drafts" / "test-draft.git", "log --format=%s procedure");
  EXPECT_NE(minutes.out.find("Restart the vote on proposal 1: the text changed during the vote"),
            std::string::npos)
      << minutes.out;
  chair->send(msg("restart_vote", 10, on(n)));
  chair->expect("proposal", 10);
  chair->send(msg("close_vote", 11, on(n)));
  chair->expect("proposal", 11);
  chair->send(msg("restart_vote", 12, on(n)));
  EXPECT_EQ(member(chair->expect("error", 12), "code"), "conflict");
  // Observers take no part.
  auto observer = connect(codes_.observer);
  observer->send(msg("restart_vote", 13, on(n)));
  EXPECT_EQ(member(observer->expect("error", 13), "code"), "forbidden");
}

TEST_F(EffectiveTest, ADelegationTablesABracketInTheFormalStage) {
  chair->send(msg("stage", 1, R"("stage":"formal")"));
  chair->expect("staged", 1);
  const std::string rev = current_rev();
  // "To comply with the Charter…": bytes 3 to 14 are "comply with".
  const std::string span = R"(","clause":")" + clause_id + R"(","base":")" + rev +
                           R"(","start":3,"end":14,"text":"conform to")";
  del["FRA"]->send(msg("bracket", 2, span.substr(2)));
  EXPECT_EQ(member(del["FRA"]->expect("error", 2), "code"), "forbidden");
  del["FRA"]->send(msg("propose", 3, R"("op":"bracket)" + span));
  const int n = del["FRA"]->expect("proposed", 3)["proposal"].GetInt();
  auto rec = http("/proposals/" + std::to_string(n));
  EXPECT_EQ(member(rec, "op"), "bracket");
  EXPECT_EQ(rec["start"].GetInt(), 3);
  EXPECT_EQ(rec["end"].GetInt(), 14);
  EXPECT_EQ(member(rec, "text"), "conform to");
  const std::string bracketed =
      "To \u27E6TABLED: comply with \u2016 FRA: conform to\u27E7 the Charter of the United "
      "Nations and universally recognized norms.";
  EXPECT_EQ(member(rec["effective"], "text"), bracketed);
  EXPECT_EQ(member(http("")["clauses"][2], "text"), original);  // nothing changed yet
  chair->send(msg("open_vote", 4, on(n) + R"(,"threshold":"simple")"));
  chair->expect("proposal", 4);
  del["USA"]->send(msg("vote", 5, on(n) + R"(,"choice":"yes")"));
  del["USA"]->expect("proposal", 5);
  chair->send(msg("close_vote", 6, on(n)));
  EXPECT_EQ(member(chair->expect("proposal", 6)["proposal"], "status"), "adopted");
  EXPECT_EQ(member(http("")["clauses"][2], "text"), bracketed);
}

}  // namespace
}  // namespace plenary::test
