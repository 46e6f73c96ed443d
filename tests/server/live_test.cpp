// Live wording (docs/extensions.md, "Live wording") over real WebSockets: the `typing`
// message and event, when a wording stops (null, submit, leave, idle), the throttle, every
// refusal, and the chair's `settings` as a commit on `procedure` read back with plain git.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "fixtures.hpp"

namespace plenary::test {
namespace {

class LiveTest : public served_draft_test {
 protected:
  void start(std::vector<std::string> extra = {}) {
    serve(small_draft_json(), std::move(extra));
    chair = connect(codes_.chair);
    fra = connect(codes_.delegations["FRA"]);
    usa = connect(codes_.delegations["USA"]);
    for (const auto& p : welcome["present"].GetArray()) {
      if (member(p, "state") == "FRA") fra_session = member(p, "session");
    }
  }
  std::string typing(long id, const std::string& text) {
    return msg("typing", id,
               R"("clause":")" + clause_id + R"(","base":")" + clause_rev + R"(","text":)" + text);
  }

  std::unique_ptr<ws_client> chair, fra, usa;
  std::string fra_session;
};

TEST_F(LiveTest, WordingReachesTheOthersNotTheTypist) {
  start();
  EXPECT_FALSE(welcome["draft"].HasMember("live_wording")) << "on by default: not written";
  fra->send(typing(1, R"("The Assembly shall endeavour to")"));
  for (ws_client* other : {usa.get(), chair.get()}) {
    auto ev = next_of_type(*other, "typing", 5s);
    ASSERT_TRUE(ev);
    EXPECT_EQ(member(*ev, "by"), fra_session);
    EXPECT_EQ(member(*ev, "state"), "FRA");
    EXPECT_EQ(member(*ev, "clause"), clause_id);
    EXPECT_EQ(member(*ev, "text"), "The Assembly shall endeavour to");
  }
  EXPECT_FALSE(next_of_type(*fra, "typing", 400ms)) << "the typist gets no copy of its own wording";
  // Never stored: main and procedure do not move.
  EXPECT_EQ(run_git(repo(), "rev-list --count main").out, "1\n");
  EXPECT_NE(run_git(repo(), "rev-parse --verify -q procedure").status, 0);
}

TEST_F(LiveTest, WordingStopsOnNullAndOnSubmit) {
  start();
  fra->send(typing(1, R"("Draft one")"));
  ASSERT_TRUE(next_of_type(*usa, "typing", 5s));
  fra->send(msg("typing", 2, R"("clause":")" + clause_id + R"(","text":null)"));
  auto stop = next_of_type(*usa, "typing", 5s);
  ASSERT_TRUE(stop);
  EXPECT_TRUE((*stop)["text"].IsNull());

  fra->send(typing(3, R"("Draft two")"));
  ASSERT_TRUE(next_of_type(*usa, "typing", 5s));
  fra->send(msg("amend", 4,
                R"("op":"replace","clause":")" + clause_id + R"(","base":")" + clause_rev +
                    R"(","text":"Draft two")"));
  fra->expect("ack", 4);
  usa->expect("amended");
  auto after = next_of_type(*usa, "typing", 5s);
  ASSERT_TRUE(after) << "the amendment replaces the preview";
  EXPECT_EQ(member(*after, "by"), fra_session);
  EXPECT_TRUE((*after)["text"].IsNull());
}

TEST_F(LiveTest, WordingStopsWhenTheTypistLeaves) {
  start();
  fra->send(typing(1, R"("Leaving soon")"));
  ASSERT_TRUE(next_of_type(*usa, "typing", 5s));
  fra.reset();
  auto stop = next_of_type(*usa, "typing", 5s);
  ASSERT_TRUE(stop);
  EXPECT_EQ(member(*stop, "by"), fra_session);
  EXPECT_TRUE((*stop)["text"].IsNull());
}

TEST_F(LiveTest, WordingStopsAfterIdle) {
  start({"--typing-idle", "1"});
  fra->send(typing(1, R"("Then nothing")"));
  ASSERT_TRUE(next_of_type(*usa, "typing", 5s));
  const auto sent = std::chrono::steady_clock::now();
  auto stop = next_of_type(*usa, "typing", 5s);
  ASSERT_TRUE(stop);
  EXPECT_TRUE((*stop)["text"].IsNull());
  EXPECT_GE(std::chrono::steady_clock::now() - sent, 800ms);
}

TEST_F(LiveTest, ThrottleSendsAtMostFiveASecondAndTheLatestWins) {
  start();
  // 1,000 wordings in one go: the others see a handful, ending with the last.
  for (int i = 0; i < 1000; ++i) fra->send(typing(100 + i, "\"w" + std::to_string(i) + "\""));
  int seen = 0;
  std::string last;
  const auto started = std::chrono::steady_clock::now();
  while (auto ev = next_of_type(*usa, "typing", 1500ms)) {
    ++seen;
    last = member(*ev, "text");
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_EQ(last, "w999") << "the latest wording wins";
  EXPECT_GE(seen, 1);
  EXPECT_LE(seen, static_cast<int>(seconds * 5) + 2) << seen << " events in " << seconds << " s";
  // The typist's connection carries on, and got no reply to 1,000 typing messages.
  fra->send(msg("amend", 2000,
                R"("op":"replace","clause":")" + clause_id + R"(","base":")" + clause_rev +
                    R"(","text":"After the burst")"));
  fra->expect("ack", 2000);
  for (const std::string& m : fra->seen) EXPECT_EQ(m.find("\"error\""), std::string::npos) << m;
}

// A wording goes to the others a few connections at a time (limits::typing_fanout_chunk, 4):
// 30 listeners take 8 hand-overs. Every listener gets it, and a wording still on its way when
// the typist submits goes no further: no listener sees a wording after the stop.
TEST_F(LiveTest, APacedWordingReachesEveryoneAndNeverFollowsItsStop) {
  start();
  std::vector<std::unique_ptr<ws_client>> listeners;
  for (int i = 0; i < 30; ++i) listeners.push_back(connect(codes_.observer));
  fra->send(typing(1, R"("Everyone reads this")"));
  for (std::size_t i = 0; i < listeners.size(); ++i) {
    auto ev = next_of_type(*listeners[i], "typing", 5s);
    ASSERT_TRUE(ev) << "listener " << i;
    EXPECT_EQ(member(*ev, "text"), "Everyone reads this") << "listener " << i;
  }
  for (int round = 0; round < 5; ++round) {
    const std::string text = "round " + std::to_string(round);
    fra->send(typing(10 * round + 2, "\"" + text + " a\""));
    fra->send(typing(10 * round + 3, "\"" + text + " b\""));  // held by the throttle
    // The submit sends the held wording, then commits: the stop chases the wordings, which
    // may each have reached only some listeners when it comes.
    fra->send(msg("amend", 10 * round + 4,
                  R"("op":"replace","clause":")" + clause_id + R"(","base":")" + clause_rev +
                      R"(","text":")" + text + R"( done")"));
    clause_rev = member(fra->expect("ack", 10 * round + 4), "commit");
    for (std::size_t i = 0; i < listeners.size(); ++i) {
      // This round's frames up to the amendment and the stop that comes with it. A wording of
      // the round before, arriving after its stop, would be read here first.
      bool amended = false;
      while (auto m = listeners[i]->receive(5s)) {
        rapidjson::Document d;
        d.Parse(m->c_str());
        const std::string type = member(d, "type");
        if (type == "amended") amended = member(d, "commit") == clause_rev;
        if (type != "typing") continue;
        if (d["text"].IsNull()) {
          EXPECT_TRUE(amended) << "listener " << i << ": a stop before the amendment";
          break;
        }
        EXPECT_FALSE(amended) << "listener " << i << ": a wording between amendment and stop";
        EXPECT_EQ(member(d, "text").rfind(text, 0), 0u)
            << "listener " << i << " got `" << member(d, "text") << "` in round " << round;
      }
      ASSERT_TRUE(amended) << "listener " << i << ", round " << round;
    }
  }
  // Nothing stale is left on its way: the next wording is the next typing frame everyone gets.
  std::this_thread::sleep_for(250ms);  // past the throttle
  fra->send(typing(100, R"("The last word")"));
  for (std::size_t i = 0; i < listeners.size(); ++i) {
    auto ev = next_of_type(*listeners[i], "typing", 5s);
    ASSERT_TRUE(ev) << "listener " << i;
    EXPECT_EQ(member(*ev, "text"), "The last word") << "listener " << i;
  }
}

TEST_F(LiveTest, TheRoomsFramesASecondSlowEachTypistDown) {
  // 1 typist and 2 listeners within 2 frames a second: one wording a second, not five.
  start({"--typing-frames", "2"});
  const auto started = std::chrono::steady_clock::now();
  int sent = 0;
  while (std::chrono::steady_clock::now() - started < 3s) {
    fra->send(typing(100 + sent, "\"w" + std::to_string(sent) + "\""));
    ++sent;
    std::this_thread::sleep_for(50ms);
  }
  int seen = 0;
  std::string last;
  while (auto ev = next_of_type(*usa, "typing", 2500ms)) {
    ++seen;
    last = member(*ev, "text");
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_EQ(last, "w" + std::to_string(sent - 1)) << "the latest wording still wins";
  EXPECT_LE(seen, static_cast<int>(seconds) + 1) << seen << " events in " << seconds << " s";
}

struct refusal {
  std::string name;
  std::string who;  // "FRA" or "observer"
  std::string frame;
  std::string code;
};
void PrintTo(const refusal& r, std::ostream* os) { *os << r.name; }

class LiveRefusalTest : public LiveTest, public ::testing::WithParamInterface<refusal> {};

TEST_P(LiveRefusalTest, IsRefusedAndNothingReachesTheOthers) {
  start();
  const refusal& r = GetParam();
  std::string frame = r.frame;
  auto put = [&](const std::string& key, const std::string& value) {
    for (std::size_t at; (at = frame.find(key)) != std::string::npos;)
      frame.replace(at, key.size(), value);
  };
  put("$CLAUSE", clause_id);
  put("$REV", clause_rev);
  put("$BIG", std::string(16385, 'x'));
  std::unique_ptr<ws_client> observer;
  ws_client* sender = fra.get();
  if (r.who == "observer") {
    observer = connect(codes_.observer);
    sender = observer.get();
  }
  sender->send(frame);
  auto e = sender->expect("error", 9);
  EXPECT_EQ(member(e, "code"), r.code) << member(e, "message");
  // Nothing reached the others: the next wording they see is one sent after the refusal.
  auto chn = connect(codes_.delegations["CHN"]);
  chn->send(typing(10, R"("After the refusal")"));
  auto ev = next_of_type(*usa, "typing", 5s);
  ASSERT_TRUE(ev);
  EXPECT_EQ(member(*ev, "state"), "CHN");
}

const std::string fake_commit(40, 'a');
INSTANTIATE_TEST_SUITE_P(
    Typing, LiveRefusalTest,
    ::testing::Values(
        refusal{"unknown_clause", "FRA",
                R"({"type":"typing","id":9,"clause":"c999","base":"$REV","text":"x"})",
                "not_found"},
        refusal{"base_from_another_draft", "FRA",
                R"({"type":"typing","id":9,"clause":"$CLAUSE","base":")" + fake_commit +
                    R"(","text":"x"})",
                "not_found"},
        refusal{"base_missing", "FRA", R"({"type":"typing","id":9,"clause":"$CLAUSE","text":"x"})",
                "bad_request"},
        refusal{"text_over_a_clause", "FRA",
                R"({"type":"typing","id":9,"clause":"$CLAUSE","base":"$REV","text":"$BIG"})",
                "bad_request"},
        refusal{"text_not_a_string", "FRA",
                R"({"type":"typing","id":9,"clause":"$CLAUSE","base":"$REV","text":5})",
                "bad_request"},
        refusal{"observer", "observer",
                R"({"type":"typing","id":9,"clause":"$CLAUSE","base":"$REV","text":"x"})",
                "forbidden"},
        refusal{"settings_by_a_delegation", "FRA",
                R"({"type":"settings","id":9,"live_wording":false})", "forbidden"},
        refusal{"settings_by_an_observer", "observer",
                R"({"type":"settings","id":9,"live_wording":false})", "forbidden"},
        refusal{"settings_not_a_boolean", "FRA",
                R"({"type":"settings","id":9,"live_wording":"off"})", "bad_request"},
        refusal{"settings_missing_the_setting", "FRA", R"({"type":"settings","id":9})",
                "bad_request"},
        refusal{"settings_to_what_it_is", "FRA",
                R"({"type":"settings","id":9,"live_wording":true})", "forbidden"}),
    [](const auto& info) { return info.param.name; });

TEST_F(LiveTest, AMegabyteOfWordingClosesOnlyTheSendersConnection) {
  start();
  // The server refuses the frame from its header and closes; on a loaded machine it can do
  // so before the client has written the whole megabyte, and the write then fails (EPIPE).
  bool written = true;
  try {
    fra->send(R"({"type":"typing","clause":")" + clause_id + R"(","base":")" + clause_rev +
              R"(","text":")" + std::string(1024 * 1024, 'x') + R"("})");
  } catch (const std::exception&) {
    written = false;
  }
  const int closed = fra->wait_closed(10s);
  if (written) {
    EXPECT_EQ(closed, 1009) << "a frame over 256 KiB closes with 1009";
  } else {
    EXPECT_NE(closed, -2) << "the sender's connection is closed";
  }
  // The others carry on: a wording from another delegation still reaches them.
  auto chn = connect(codes_.delegations["CHN"]);
  chn->send(typing(2, R"("Still here")"));
  auto ev = next_of_type(*usa, "typing", 5s);
  ASSERT_TRUE(ev);
  EXPECT_EQ(member(*ev, "state"), "CHN");
}

TEST_F(LiveTest, ChairTurnsLiveWordingOffAsACommitOnProcedure) {
  start();
  chair->send(R"({"type":"settings","id":1,"live_wording":false})");
  auto mine = chair->expect("settings", 1);
  EXPECT_FALSE(mine["live_wording"].GetBool());
  EXPECT_EQ(member(mine["by"], "state"), "CHAIR");
  const std::string commit = member(mine, "commit");
  auto theirs = usa->expect("settings");
  EXPECT_EQ(member(theirs, "commit"), commit);
  EXPECT_FALSE(theirs.HasMember("id"));

  // Typing is refused now, and nobody sees it.
  fra->send(typing(2, R"("Privately")"));
  auto e = fra->expect("error", 2);
  EXPECT_EQ(member(e, "code"), "forbidden");
  EXPECT_NE(member(e, "message").find("turned live wording off"), std::string::npos);
  EXPECT_FALSE(next_of_type(*usa, "typing", 400ms));

  // The same value again is a conflict; nothing is committed for it.
  chair->send(R"({"type":"settings","id":3,"live_wording":false})");
  EXPECT_EQ(member(chair->expect("error", 3), "code"), "conflict");

  // Plain git: one commit on procedure, authored by the chair, with the act's trailers.
  EXPECT_EQ(run_git(repo(), "rev-parse procedure").out, commit + "\n");
  EXPECT_EQ(run_git(repo(), "log -1 --format=%s procedure").out, "Turn live wording off\n");
  const std::string body = run_git(repo(), "log -1 --format=%b procedure").out;
  EXPECT_NE(body.find("Act: settings\nState: CHAIR\n"), std::string::npos) << body;
  EXPECT_EQ(run_git(repo(), "log -1 --format=%an procedure").out, "Chair\n");
  EXPECT_EQ(run_git(repo(), "show procedure:settings.json").out,
            "{\n  \"live_wording\": false\n}\n");
  EXPECT_EQ(run_git(repo(), "rev-list --count main").out, "1\n") << "main does not move";

  // Loaded with the draft: a restart keeps it, the welcome and the HTTP draft say it.
  fra.reset();
  usa.reset();
  chair.reset();
  srv.reset();
  srv = std::make_unique<server>(data);
  auto again = connect(codes_.delegations["USA"]);
  ASSERT_TRUE(welcome["draft"].HasMember("live_wording"));
  EXPECT_FALSE(welcome["draft"]["live_wording"].GetBool());
  auto draft = parse_json(http_get(srv->port(), "/api/drafts/test-draft", codes_.observer).body);
  EXPECT_TRUE(draft.HasMember("live_wording") && !draft["live_wording"].GetBool());

  // On again: a second commit, and wording flows.
  auto chair2 = connect(codes_.chair);
  chair2->send(R"({"type":"settings","id":4,"live_wording":true})");
  EXPECT_TRUE(chair2->expect("settings", 4)["live_wording"].GetBool());
  EXPECT_EQ(run_git(repo(), "rev-list --count procedure").out, "2\n");
  auto fra2 = connect(codes_.delegations["FRA"]);
  fra2->send(typing(5, R"("Openly")"));
  auto ev = next_of_type(*again, "typing", 5s);
  ASSERT_TRUE(ev);
  EXPECT_EQ(member(*ev, "text"), "Openly");
}

TEST_F(LiveTest, SettingsTravelWithProposalActs) {
  start();
  chair->send(R"({"type":"settings","id":1,"live_wording":false})");
  chair->expect("settings", 1);
  // A later act on procedure keeps settings.json in its tree.
  fra->send(msg("propose", 2,
                R"("op":"replace","clause":")" + clause_id + R"(","base":")" + clause_rev +
                    R"(","text":"Proposed")"));
  fra->expect("proposed", 2);
  EXPECT_EQ(run_git(repo(), "show procedure:settings.json").out,
            "{\n  \"live_wording\": false\n}\n");
  EXPECT_EQ(run_git(repo(), "ls-tree --name-only procedure").out, "proposals\nsettings.json\n");
}

}  // namespace
}  // namespace plenary::test
