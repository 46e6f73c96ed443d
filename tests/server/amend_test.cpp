// The drafting flow over real WebSockets: join, amend, broadcast, merge, conflict, order.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "fixtures.hpp"

namespace plenary::test {
namespace {

std::string id_at(const rapidjson::Value& welcome, std::size_t index) {
  return member(welcome["draft"]["clauses"][static_cast<rapidjson::SizeType>(index)], "id");
}
std::string rev_at(const rapidjson::Value& welcome, std::size_t index) {
  return member(welcome["draft"]["clauses"][static_cast<rapidjson::SizeType>(index)], "rev");
}

std::string replace_msg(long id, const std::string& clause, const std::string& base,
                        const std::string& text, const std::string& note = "") {
  std::string fields = R"("op":"replace","clause":")" + clause + R"(","base":")" + base +
                       R"(","text":")" + text + "\"";
  if (!note.empty()) fields += R"(,"note":")" + note + "\"";
  return msg("amend", id, fields);
}

class AmendTest : public served_draft_test {
 protected:
  void SetUp() override { serve(); }
};

TEST_F(AmendTest, JoinGivesWelcomeWithIdentityDraftAndPresence) {
  ws_client c(srv->port(), ws_path());
  auto w = c.join(codes_.delegations["RUS"]);
  EXPECT_EQ(member(w["you"], "state"), "RUS");
  EXPECT_EQ(member(w["you"], "name"), "Russian Federation");
  EXPECT_EQ(member(w["you"], "role"), "delegation");
  EXPECT_EQ(member(w["draft"], "slug"), "test-draft");
  EXPECT_EQ(member(w["draft"], "title"), "Test Code of Conduct");
  ASSERT_EQ(w["draft"]["clauses"].Size(), 5u);
  EXPECT_TRUE(w["draft"]["clauses"][0]["number"].IsNull());
  EXPECT_EQ(w["draft"]["clauses"][2]["number"].GetInt(), 1);
  EXPECT_EQ(w["draft"]["clauses"][4]["number"].GetInt(), 3);
  EXPECT_EQ(member(w["draft"]["clauses"][2], "by"), "CHAIR");
  EXPECT_EQ(member(w["draft"], "head").size(), 40u);
  ASSERT_TRUE(w["present"].IsArray());
  EXPECT_EQ(w["present"].Size(), 1u);
  auto p = c.expect("presence");
  EXPECT_EQ(p["present"].Size(), 1u);
}

TEST_F(AmendTest, ChairAndObserverRoles) {
  ws_client chair(srv->port(), ws_path());
  auto w = chair.join(codes_.chair);
  EXPECT_EQ(member(w["you"], "state"), "CHAIR");
  EXPECT_EQ(member(w["you"], "role"), "chair");
  ws_client obs(srv->port(), ws_path());
  auto o = obs.join(codes_.observer);
  EXPECT_EQ(member(o["you"], "role"), "observer");
  obs.send(replace_msg(7, id_at(o, 2), rev_at(o, 2), "Observers cannot do this."));
  auto e = obs.expect("error", 7);
  EXPECT_EQ(member(e, "code"), "forbidden");
  // The chair can amend, attributed to the chair.
  chair.send(replace_msg(8, id_at(w, 2), rev_at(w, 2), "The chair rewrote clause one."));
  chair.expect("ack", 8);
  auto ev = obs.expect("amended");
  EXPECT_EQ(member(ev["by"], "state"), "CHAIR");
}

TEST_F(AmendTest, WrongCodeIsUnauthorizedAndConnectionStaysUsable) {
  ws_client c(srv->port(), ws_path());
  c.send(R"({"type":"join","id":3,"code":"not-a-real-code-aaaaaaaaaaaaaaaaaaaa"})");
  auto e = c.expect("error", 3);
  EXPECT_EQ(member(e, "code"), "unauthorized");
  auto w = c.join(codes_.delegations["USA"]);
  EXPECT_EQ(member(w["you"], "state"), "USA");
}

TEST_F(AmendTest, UnknownDraftIsNotFound) {
  ws_client c(srv->port(), "/d/no-such-draft/ws");
  c.send(R"({"type":"join","id":4,"code":")" + codes_.chair + "\"}");
  auto e = c.expect("error", 4);
  EXPECT_EQ(member(e, "code"), "not_found");
}

TEST_F(AmendTest, EveryOpIsAckedThenBroadcastToEveryone) {
  ws_client a(srv->port(), ws_path());
  ws_client b(srv->port(), ws_path());
  auto w = a.join(codes_.delegations["RUS"]);
  b.join(codes_.delegations["USA"]);
  std::string head = member(w["draft"], "head");
  const std::string c1 = id_at(w, 2);

  // replace: on the author's connection the ack comes before its own amended event.
  a.send(replace_msg(10, c1, rev_at(w, 2), "To comply with the Charter.", "shorter"));
  auto ack = a.expect("ack", 10);
  EXPECT_FALSE(ack["merged"].GetBool());
  EXPECT_EQ(member(ack, "clause"), c1);
  auto ev_a = a.expect("amended");
  auto ev_b = b.expect("amended");
  for (auto* ev : {&ev_a, &ev_b}) {
    EXPECT_EQ(member(*ev, "commit"), member(ack, "commit"));
    EXPECT_EQ(member(*ev, "parent"), head);
    EXPECT_EQ(member((*ev)["by"], "state"), "RUS");
    EXPECT_EQ(member(*ev, "op"), "replace");
    EXPECT_EQ(member(*ev, "note"), "shorter");
    EXPECT_EQ(member((*ev)["clause"], "text"), "To comply with the Charter.");
    EXPECT_EQ(member((*ev)["clause"], "rev"), member(ack, "commit"));
    EXPECT_EQ((*ev)["order"].Size(), 5u);
  }
  head = member(ack, "commit");

  // insert at the top.
  b.send(
      R"({"type":"amend","id":11,"op":"insert","after":null,"kind":"preamble","text":"Mindful of history,"})");
  auto ack2 = b.expect("ack", 11);
  std::string inserted = member(ack2, "clause");
  EXPECT_FALSE(inserted.empty());
  for (auto* c : {&a, &b}) {
    auto ev = c->expect("amended");
    EXPECT_EQ(member(ev, "parent"), head);
    EXPECT_EQ(member(ev, "op"), "insert");
    EXPECT_EQ(std::string(ev["order"][0].GetString()), inserted);
    EXPECT_EQ(member(ev["clause"], "kind"), "preamble");
  }
  head = member(ack2, "commit");

  // move the inserted clause after clause c1: its id stays.
  b.send(R"({"type":"amend","id":12,"op":"move","clause":")" + inserted + R"(","after":")" + c1 +
         R"("})");
  auto ack3 = b.expect("ack", 12);
  for (auto* c : {&a, &b}) {
    auto ev = c->expect("amended");
    EXPECT_EQ(member(ev, "op"), "move");
    EXPECT_EQ(member(ev, "parent"), head);
    EXPECT_EQ(member(ev["clause"], "id"), inserted);
  }
  head = member(ack3, "commit");

  // delete it, with the rev it has (moves do not change a clause's rev).
  std::string rev = member(ack2, "commit");
  a.send(R"({"type":"amend","id":13,"op":"delete","clause":")" + inserted + R"(","base":")" + rev +
         R"("})");
  a.expect("ack", 13);
  for (auto* c : {&a, &b}) {
    auto ev = c->expect("amended");
    EXPECT_EQ(member(ev, "op"), "delete");
    EXPECT_EQ(member(ev["clause"], "id"), inserted);
    EXPECT_FALSE(ev["clause"].HasMember("text"));
    EXPECT_EQ(member(ev, "parent"), head);
    EXPECT_EQ(ev["order"].Size(), 5u);
  }
}

TEST_F(AmendTest, ConcurrentEditsMergeWhenApartAndConflictWhenOverlapping) {
  ws_client a(srv->port(), ws_path());
  ws_client b(srv->port(), ws_path());
  auto w = a.join(codes_.delegations["RUS"]);
  b.join(codes_.delegations["USA"]);
  const std::string id = id_at(w, 4);  // "To settle any dispute through peaceful means."
  const std::string base = rev_at(w, 4);

  a.send(replace_msg(20, id, base, "To promptly settle any dispute through peaceful means."));
  a.expect("ack", 20);
  // b edits the last word on the same base: apart from a's change, so merged.
  b.send(replace_msg(21, id, base, "To settle any dispute through diplomatic means."));
  auto ack = b.expect("ack", 21);
  EXPECT_TRUE(ack["merged"].GetBool());
  auto ev = a.expect("amended");
  ev = a.expect("amended");
  EXPECT_EQ(member(ev["clause"], "text"),
            "To promptly settle any dispute through diplomatic means.");

  // Overlapping: "peaceful" was already changed to "diplomatic" since this base.
  b.send(replace_msg(22, id, base, "To settle any dispute through friendly means."));
  auto err = b.expect("error", 22);
  EXPECT_EQ(member(err, "code"), "conflict");
  ASSERT_TRUE(err.HasMember("current"));
  EXPECT_EQ(member(err["current"], "text"),
            "To promptly settle any dispute through diplomatic means.");
  EXPECT_FALSE(member(err, "message").empty());

  // A stale delete is a conflict.
  b.send(R"({"type":"amend","id":23,"op":"delete","clause":")" + id + R"(","base":")" + base +
         R"("})");
  auto err2 = b.expect("error", 23);
  EXPECT_EQ(member(err2, "code"), "conflict");
}

TEST_F(AmendTest, DeletedClauseConflictsWithNullCurrent) {
  ws_client a(srv->port(), ws_path());
  auto w = a.join(codes_.delegations["FRA"]);
  const std::string id = id_at(w, 3);
  const std::string base = rev_at(w, 3);
  a.send(R"({"type":"amend","id":30,"op":"delete","clause":")" + id + R"(","base":")" + base +
         R"("})");
  a.expect("ack", 30);
  a.send(replace_msg(31, id, base, "Too late."));
  auto err = a.expect("error", 31);
  EXPECT_EQ(member(err, "code"), "conflict");
  ASSERT_TRUE(err.HasMember("current"));
  EXPECT_TRUE(err["current"].IsNull());
}

TEST_F(AmendTest, TenConcurrentWritersGiveOneGaplessChainInCommitOrder) {
  ws_client listener(srv->port(), ws_path());
  auto w = listener.join(codes_.observer);
  std::string head = member(w["draft"], "head");
  const std::vector<std::string> states{"RUS", "USA", "CHN", "FRA"};
  constexpr int writers = 10, per_writer = 8;
  std::vector<std::thread> threads;
  std::atomic<int> acked{0};
  for (int i = 0; i < writers; ++i) {
    threads.emplace_back([&, i] {
      ws_client c(srv->port(), ws_path());
      c.join(codes_.delegations[states[static_cast<std::size_t>(i) % states.size()]]);
      for (int k = 0; k < per_writer; ++k) {
        long id = 100 + k;
        c.send(R"({"type":"amend","id":)" + std::to_string(id) +
               R"(,"op":"insert","after":null,"kind":"operative","text":"Writer )" +
               std::to_string(i) + " clause " + std::to_string(k) + R"(."})");
      }
      for (int k = 0; k < per_writer; ++k) {
        auto ack = c.expect("ack", 100 + k, 20s);
        if (!member(ack, "commit").empty()) ++acked;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(acked.load(), writers * per_writer);
  std::set<std::string> commits;
  for (int n = 0; n < writers * per_writer; ++n) {
    auto ev = listener.expect("amended", std::nullopt, 20s);
    ASSERT_EQ(member(ev, "parent"), head) << "gap or reorder at event " << n;
    head = member(ev, "commit");
    EXPECT_TRUE(commits.insert(head).second);
  }
  auto log = http_get(srv->port(), "/api/drafts/test-draft/log", codes_.observer);
  auto doc = parse_json(log.body);
  EXPECT_EQ(doc["entries"].Size(), static_cast<rapidjson::SizeType>(writers * per_writer + 1));
  EXPECT_EQ(member(doc["entries"][0], "commit"), head);
}

TEST_F(AmendTest, HistoryAndBlameOverWebSocketMatchHttp) {
  ws_client a(srv->port(), ws_path());
  ws_client b(srv->port(), ws_path());
  auto w = a.join(codes_.delegations["RUS"]);
  b.join(codes_.delegations["CHN"]);
  const std::string id = id_at(w, 2);
  a.send(replace_msg(40, id, rev_at(w, 2),
                     "To comply with the Charter of the United Nations and recognized norms."));
  auto ack = a.expect("ack", 40);
  b.send(
      replace_msg(41, id, member(ack, "commit"),
                  "To fully comply with the Charter of the United Nations and recognized norms."));
  b.expect("ack", 41);

  a.send(R"({"type":"history","id":42,"clause":")" + id + "\"}");
  auto h = a.expect("history", 42);
  EXPECT_EQ(member(h, "clause"), id);
  ASSERT_EQ(h["entries"].Size(), 3u);
  EXPECT_EQ(member(h["entries"][0], "op"), "open");
  EXPECT_EQ(member(h["entries"][2]["by"], "state"), "CHN");

  auto http_h = http_get(srv->port(), "/api/drafts/test-draft/clauses/" + id + "/history",
                         codes_.delegations["RUS"]);
  ASSERT_EQ(http_h.status, 200);
  auto hd = parse_json(http_h.body);
  ASSERT_EQ(hd["entries"].Size(), 3u);
  for (rapidjson::SizeType i = 0; i < 3; ++i) {
    EXPECT_EQ(member(hd["entries"][i], "commit"), member(h["entries"][i], "commit"));
    EXPECT_EQ(member(hd["entries"][i], "text"), member(h["entries"][i], "text"));
    EXPECT_EQ(hd["entries"][i]["diff"].Size(), h["entries"][i]["diff"].Size());
  }

  a.send(R"({"type":"blame","id":43,"clause":")" + id + "\"}");
  auto bl = a.expect("blame", 43);
  auto http_b = http_get(srv->port(), "/api/drafts/test-draft/clauses/" + id + "/blame",
                         codes_.delegations["RUS"]);
  auto bd = parse_json(http_b.body);
  std::string joined;
  std::set<std::string> states;
  ASSERT_EQ(bd["segments"].Size(), bl["segments"].Size());
  for (auto& s : bd["segments"].GetArray()) {
    joined += member(s, "text");
    states.insert(member(s, "state"));
  }
  EXPECT_EQ(joined, "To fully comply with the Charter of the United Nations and recognized norms.");
  EXPECT_TRUE(states.count("CHN"));
  EXPECT_TRUE(states.count("CHAIR"));
}

TEST_F(AmendTest, DraftCreatedWhileServingIsServedAtOnce) {
  auto more = create_draft(data, small_draft_json("second-draft"));
  EXPECT_EQ(more.slug, "second-draft");
  ws_client c(srv->port(), "/d/second-draft/ws");
  auto w = c.join(more.delegations["USA"]);
  EXPECT_EQ(member(w["draft"], "slug"), "second-draft");
  // The first draft's codes do not open the second.
  ws_client d(srv->port(), "/d/second-draft/ws");
  d.send(R"({"type":"join","id":5,"code":")" + codes_.delegations["USA"] + "\"}");
  EXPECT_EQ(member(d.expect("error", 5), "code"), "unauthorized");
}

TEST_F(AmendTest, FocusIsSharedAsPresence) {
  ws_client a(srv->port(), ws_path());
  ws_client b(srv->port(), ws_path());
  auto w = a.join(codes_.delegations["RUS"]);
  b.join(codes_.delegations["USA"]);
  const std::string id = id_at(w, 2);
  a.send(R"({"type":"focus","clause":")" + id + "\"}");
  for (int i = 0; i < 5; ++i) {
    auto p = b.expect("presence");
    for (auto& e : p["present"].GetArray()) {
      if (member(e, "state") == "RUS" && member(e, "clause") == id) {
        EXPECT_FALSE(member(e, "session").empty());
        EXPECT_EQ(member(e, "role"), "delegation");
        return;
      }
    }
  }
  FAIL() << "no presence showed RUS on " << id;
}

TEST_F(AmendTest, LeavingUpdatesPresence) {
  ws_client a(srv->port(), ws_path());
  a.join(codes_.delegations["RUS"]);
  {
    ws_client b(srv->port(), ws_path());
    b.join(codes_.delegations["USA"]);
  }
  for (int i = 0; i < 5; ++i) {
    auto p = a.expect("presence");
    if (p["present"].Size() == 1 && member(p["present"][0], "state") == "RUS") return;
  }
  FAIL() << "presence never dropped the leaver";
}

TEST_F(AmendTest, SigtermClosesSocketsWithGoingAway) {
  ws_client a(srv->port(), ws_path());
  a.join(codes_.delegations["RUS"]);
  int status = -1;
  std::thread stopper([&] { status = srv->stop(); });
  int code = a.wait_closed(10s);
  stopper.join();
  EXPECT_EQ(code, 1001);
  EXPECT_EQ(status, 0);
}

}  // namespace
}  // namespace plenary::test
