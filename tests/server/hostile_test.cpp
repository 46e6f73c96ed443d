// Hostile clients: every malformed or forbidden message gets an `error` naming the problem,
// the connection stays usable, and nothing is committed.
#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace plenary::test {
namespace {

class HostileTest : public created_draft_test {
 protected:
  std::string head(unsigned short port) {
    auto r = http_get(port, "/api/drafts/test-draft", codes_.observer);
    return member(parse_json(r.body), "head");
  }
};

struct hostile_case {
  const char* name;
  std::string frame;
  const char* code;
  const char* mentions;  // a word the message must contain
};

TEST_F(HostileTest, MalformedMessagesAfterJoinGetNamedErrorsAndChangeNothing) {
  server srv(data);
  ws_client c(srv.port(), "/d/test-draft/ws");
  auto w = c.join(codes_.delegations["RUS"]);
  const std::string id = member(w["draft"]["clauses"][2], "id");
  const std::string rev = member(w["draft"]["clauses"][2], "rev");
  const std::string before = head(srv.port());
  const std::string big(16385, 'a');
  const std::string big_note(2049, 'n');
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += '[';
  std::string deep_obj;
  for (int i = 0; i < 50000; ++i) deep_obj += "{\"a\":";  // 250,000 bytes: under the frame limit

  const std::vector<hostile_case> cases = {
      {"not JSON", "hello", "bad_request", "JSON"},
      {"empty", "", "bad_request", "JSON"},
      {"truncated", R"({"type":"amend")", "bad_request", "JSON"},
      {"array", R"([{"type":"amend"}])", "bad_request", "object"},
      {"string", R"("amend")", "bad_request", "object"},
      {"number", "42", "bad_request", "object"},
      {"no type", R"({"id":1})", "bad_request", "type"},
      {"type not string", R"({"type":7})", "bad_request", "type"},
      {"unknown type", R"({"type":"launch"})", "bad_request", "launch"},
      {"deep arrays", deep, "bad_request", "deep"},
      {"deep objects", deep_obj, "bad_request", "deep"},
      {"amend without op", R"({"type":"amend","clause":")" + id + "\"}", "bad_request", "op"},
      {"unknown op", R"({"type":"amend","op":"rewrite"})", "bad_request", "op"},
      {"replace without text",
       R"({"type":"amend","op":"replace","clause":")" + id + R"(","base":")" + rev + "\"}",
       "bad_request", "text"},
      {"replace without base",
       R"({"type":"amend","op":"replace","clause":")" + id + R"(","text":"x"})", "bad_request",
       "base"},
      {"text not string",
       R"({"type":"amend","op":"replace","clause":")" + id + R"(","base":")" + rev +
           R"(","text":5})",
       "bad_request", "text"},
      {"text too long",
       R"({"type":"amend","op":"replace","clause":")" + id + R"(","base":")" + rev +
           R"(","text":")" + big + "\"}",
       "bad_request", "16,384"},
      {"note too long",
       R"({"type":"amend","op":"replace","clause":")" + id + R"(","base":")" + rev +
           R"(","text":"ok","note":")" + big_note + "\"}",
       "bad_request", "2,048"},
      {"empty text",
       R"({"type":"amend","op":"replace","clause":")" + id + R"(","base":")" + rev +
           R"(","text":"   "})",
       "bad_request", "text"},
      {"control character",
       R"({"type":"amend","op":"replace","clause":")" + id + R"(","base":")" + rev +
           R"(","text":"bell\u0007"})",
       "bad_request", "control"},
      {"NUL inside text",
       R"({"type":"amend","op":"replace","clause":")" + id + R"(","base":")" + rev +
           R"(","text":"a\u0000b"})",
       "bad_request", "text"},
      {"dot-dot id",
       R"({"type":"amend","op":"replace","clause":"../x","base":")" + rev + R"(","text":"x"})",
       "bad_request", "clause"},
      {"slash id", R"({"type":"history","clause":"a/b"})", "bad_request", "clause"},
      {"bad base",
       R"({"type":"amend","op":"replace","clause":")" + id + R"(","base":"HEAD","text":"x"})",
       "bad_request", "base"},
      {"insert bad kind",
       R"({"type":"amend","op":"insert","after":null,"kind":"annex","text":"x"})", "bad_request",
       "kind"},
      {"move after itself",
       R"({"type":"amend","op":"move","clause":")" + id + R"(","after":")" + id + "\"}",
       "bad_request", "after"},
      {"unknown clause", R"({"type":"history","clause":"c999"})", "not_found", "c999"},
      {"move unknown after",
       R"({"type":"amend","op":"move","clause":")" + id + R"(","after":"c999"})", "not_found", ""},
      {"second join", R"({"type":"join","code":")" + codes_.delegations["USA"] + "\"}",
       "bad_request", "join"},
      {"float id", R"({"type":"history","id":1.5,"clause":")" + id + "\"}", "bad_request", "id"},
      {"long id",
       R"({"type":"history","id":")" + std::string(65, 'i') + R"(","clause":")" + id + "\"}",
       "bad_request", "id"},
      {"focus without clause", R"({"type":"focus"})", "bad_request", "clause"},
  };
  for (const auto& hc : cases) {
    SCOPED_TRACE(hc.name);
    c.send(hc.frame);
    auto e = c.expect("error");
    EXPECT_EQ(member(e, "code"), hc.code) << member(e, "message");
    EXPECT_NE(member(e, "message").find(hc.mentions), std::string::npos) << member(e, "message");
  }
  // Still usable, and nothing was committed.
  c.send(R"({"type":"history","id":99,"clause":")" + id + "\"}");
  c.expect("history", 99);
  EXPECT_EQ(head(srv.port()), before);
}

TEST_F(HostileTest, ForgedIdentityFieldsAreIgnored) {
  server srv(data);
  ws_client c(srv.port(), "/d/test-draft/ws");
  auto w = c.join(codes_.delegations["RUS"]);
  const std::string id = member(w["draft"]["clauses"][2], "id");
  const std::string rev = member(w["draft"]["clauses"][2], "rev");
  c.send(
      R"({"type":"amend","id":5,"op":"replace","clause":")" + id + R"(","base":")" + rev +
      R"(","text":"Forged.","by":{"state":"USA","name":"United States"},"state":"USA","author":"USA"})");
  c.expect("ack", 5);
  auto ev = c.expect("amended");
  EXPECT_EQ(member(ev["by"], "state"), "RUS");
}

TEST_F(HostileTest, MessagesBeforeJoinAreUnauthorized) {
  server srv(data);
  ws_client c(srv.port(), "/d/test-draft/ws");
  c.send(R"({"type":"history","id":2,"clause":"c1"})");
  EXPECT_EQ(member(c.expect("error", 2), "code"), "unauthorized");
  c.send(R"({"type":"amend","id":3,"op":"insert","after":null,"kind":"operative","text":"x"})");
  EXPECT_EQ(member(c.expect("error", 3), "code"), "unauthorized");
  c.send(R"({"type":"join","id":4,"code":")" + codes_.chair + R"(","draft":"other-draft"})");
  EXPECT_EQ(member(c.expect("error", 4), "code"), "bad_request");
  c.join(codes_.chair);
}

TEST_F(HostileTest, BinaryFrameIsRefusedAndConnectionStaysUsable) {
  server srv(data);
  ws_client c(srv.port(), "/d/test-draft/ws");
  c.join(codes_.delegations["RUS"]);
  c.send_binary(std::string("\x00\x01\x02", 3));
  auto e = c.expect("error");
  EXPECT_EQ(member(e, "code"), "bad_request");
  c.send(R"({"type":"history","id":9,"clause":"c1"})");
  c.expect("history", 9);
}

TEST_F(HostileTest, OversizedFrameClosesWith1009) {
  server srv(data);
  ws_client c(srv.port(), "/d/test-draft/ws");
  c.join(codes_.delegations["RUS"]);
  c.send(std::string(300 * 1024, ' '));
  EXPECT_EQ(c.wait_closed(), 1009);
}

TEST_F(HostileTest, InvalidUtf8ClosesWith1007) {
  server srv(data);
  ws_client c(srv.port(), "/d/test-draft/ws");
  c.join(codes_.delegations["RUS"]);
  c.send(std::string("{\"type\":\"focus\",\"clause\":\"\xff\xfe\"}"));
  EXPECT_EQ(c.wait_closed(), 1007);
}

TEST_F(HostileTest, RepeatedAbuseClosesWith1008) {
  server srv(data);
  ws_client c(srv.port(), "/d/test-draft/ws");
  for (int i = 0; i < 200; ++i) c.send("nope");
  EXPECT_EQ(c.wait_closed(10s), 1008);
}

TEST_F(HostileTest, AmendmentFloodIsRateLimited) {
  server srv(data, {"--amend-rate", "5"});
  ws_client c(srv.port(), "/d/test-draft/ws");
  c.join(codes_.delegations["RUS"]);
  for (int i = 0; i < 60; ++i) {
    c.send(R"({"type":"amend","id":)" + std::to_string(1000 + i) +
           R"(,"op":"insert","after":null,"kind":"operative","text":"Flood )" + std::to_string(i) +
           R"(."})");
  }
  int limited = 0, acked = 0;
  for (int i = 0; i < 200 && limited + acked < 60; ++i) {
    auto m = c.receive(10s);
    if (!m) break;
    auto d = parse_json(*m);
    if (member(d, "type") == "ack") ++acked;
    if (member(d, "type") == "error" && member(d, "code") == "rate_limited") ++limited;
  }
  EXPECT_GT(limited, 0);
  EXPECT_GT(acked, 0);
  EXPECT_EQ(limited + acked, 60);
}

TEST_F(HostileTest, ClientThatNeverReadsIsCutOffAndOthersCarryOn) {
  server srv(data, {"--max-queue-bytes", "262144"});
  // A long clause makes big history replies, which pile up for a client that never reads.
  ws_client writer(srv.port(), "/d/test-draft/ws");
  auto w = writer.join(codes_.delegations["USA"]);
  std::string id = member(w["draft"]["clauses"][2], "id");
  std::string rev = member(w["draft"]["clauses"][2], "rev");
  for (int k = 0; k < 8; ++k) {
    std::string text;
    for (int i = 0; i < 1500; ++i) text += "word" + std::to_string((i * 7 + k) % 97) + " ";
    text += "end.";
    writer.send(R"({"type":"amend","id":)" + std::to_string(50 + k) +
                R"(,"op":"replace","clause":")" + id + R"(","base":")" + rev + R"(","text":")" +
                text + "\"}");
    rev = member(writer.expect("ack", 50 + k, 10s), "commit");
  }
  ws_client lazy(srv.port(), "/d/test-draft/ws");
  lazy.join(codes_.delegations["RUS"]);
  for (int i = 0; i < 400; ++i) {
    lazy.send(R"({"type":"history","clause":")" + id + "\"}");
  }
  // The server drops the lazy client; the writer is unaffected.
  int closed = lazy.wait_closed(20s);
  EXPECT_NE(closed, -2) << "the slow client was never cut off";
  writer.send(R"({"type":"history","id":77,"clause":")" + id + "\"}");
  writer.expect("history", 77, 10s);
}

TEST_F(HostileTest, FailedJoinsFromOneAddressAreSlowedDown) {
  server srv(data);
  ws_client c(srv.port(), "/d/test-draft/ws");
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 8; ++i) {
    c.send(R"({"type":"join","id":)" + std::to_string(i) +
           R"(,"code":"wrong-code-wrong-code-wrong-code"})");
    EXPECT_EQ(member(c.expect("error", i, 20s), "code"), "unauthorized");
  }
  auto took = std::chrono::steady_clock::now() - t0;
  // Five free failures, then 250 + 500 + 1000 ms of delay at least.
  EXPECT_GE(took, 1500ms);
}

TEST_F(HostileTest, ForeignOriginCannotOpenAWebSocket) {
  server srv(data);
  EXPECT_THROW(ws_client(srv.port(), "/d/test-draft/ws", {{"Origin", "http://evil.example"}}),
               boost::system::system_error);
  ws_client same(srv.port(), "/d/test-draft/ws",
                 {{"Origin", "http://127.0.0.1:" + std::to_string(srv.port())}});
  same.join(codes_.observer);
}

}  // namespace
}  // namespace plenary::test
