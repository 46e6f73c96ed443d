// Protocol edges below the messages: UTF-8 across fragments, binary frames, fragmented
// messages over the limit, ping/pong, the client's close handshake, and the two timeouts
// (--handshake-timeout for a request that never arrives whole, --idle-timeout for a peer that
// answers nothing, not even pings).
#include <gtest/gtest.h>

#include "harness.hpp"

namespace plenary::test {
namespace {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

using clock = std::chrono::steady_clock;

class EdgesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data = tmp.path() / "data";
    codes_ = create_draft(data, small_draft_json());
  }
  static constexpr const char* path = "/d/test-draft/ws";
  temp_dir tmp;
  std::filesystem::path data;
  codes codes_;
};

// Sends `parts` as the fragments of one text message.
void send_fragments(ws_client& c, const std::vector<std::string>& parts) {
  auto& ws = c.stream();
  ws.text(true);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    ws.write_some(i + 1 == parts.size(), asio::buffer(parts[i]));
  }
}

TEST_F(EdgesTest, InvalidUtf8ClosesWith1007BeforeJoinAndAcrossFragments) {
  server srv(data);
  {
    SCOPED_TRACE("overlong encoding, before join");
    ws_client c(srv.port(), path);
    c.send("{\"type\":\"join\",\"code\":\"\xc0\xaf\"}");
    EXPECT_EQ(c.wait_closed(), 1007);
  }
  {
    SCOPED_TRACE("UTF-16 surrogate");
    ws_client c(srv.port(), path);
    c.join(codes_.delegations["RUS"]);
    c.send("{\"type\":\"focus\",\"clause\":\"\xed\xa0\x80\"}");
    EXPECT_EQ(c.wait_closed(), 1007);
  }
  {
    SCOPED_TRACE("a sequence cut by a fragment boundary and never completed");
    ws_client c(srv.port(), path);
    c.join(codes_.delegations["RUS"]);
    send_fragments(c, {"{\"type\":\"history\",\"id\":\"\xe2\x82", "(\",\"clause\":\"c1\"}"});
    EXPECT_EQ(c.wait_closed(), 1007);
  }
  {
    SCOPED_TRACE("a valid character split over two fragments is fine");
    ws_client c(srv.port(), path);
    c.join(codes_.delegations["RUS"]);
    send_fragments(c, {"{\"type\":\"history\",\"id\":\"\xe2\x82", "\xac\",\"clause\":\"c1\"}"});
    auto h = c.expect("history");
    EXPECT_EQ(member(h, "id"), "\xe2\x82\xac");
  }
}

TEST_F(EdgesTest, BinaryFramesAreRefusedBeforeAndAfterJoin) {
  server srv(data);
  ws_client c(srv.port(), path);
  c.send_binary("{\"type\":\"join\",\"code\":\"" + codes_.chair + "\"}");
  auto e = c.expect("error");
  EXPECT_EQ(member(e, "code"), "bad_request");
  EXPECT_NE(member(e, "message").find("text frame"), std::string::npos);
  c.join(codes_.chair);  // still usable, and the binary join did not count
  c.send_binary(std::string(300 * 1024, '\0'));
  EXPECT_EQ(c.wait_closed(), 1009);
}

TEST_F(EdgesTest, FragmentedMessageOverTheLimitClosesWith1009) {
  server srv(data);
  ws_client c(srv.port(), path);
  c.join(codes_.delegations["RUS"]);
  // Five fragments of 64 KiB, none over the limit alone, 320 KiB together; never finished.
  auto& ws = c.stream();
  ws.text(true);
  const std::string chunk(64 * 1024, ' ');
  try {
    for (int i = 0; i < 5; ++i) ws.write_some(false, asio::buffer(chunk));
  } catch (const boost::system::system_error&) {
    // The server may close before the last fragments are written.
  }
  EXPECT_EQ(c.wait_closed(), 1009);
  // The server carries on.
  ws_client other(srv.port(), path);
  other.join(codes_.delegations["USA"]);
}

TEST_F(EdgesTest, PingIsAnsweredWithPong) {
  server srv(data);
  ws_client c(srv.port(), path);
  c.join(codes_.delegations["RUS"]);
  std::string pong;
  c.stream().control_callback([&](websocket::frame_type kind, beast::string_view payload) {
    if (kind == websocket::frame_type::pong) pong = std::string(payload);
  });
  c.stream().ping("are you there?");
  // The pong arrives while the client reads its next message.
  c.send(R"({"type":"history","id":7,"clause":"c1"})");
  c.expect("history", 7);
  EXPECT_EQ(pong, "are you there?");
}

TEST_F(EdgesTest, CloseHandshakeStartedByTheClientIsAnswered) {
  server srv(data);
  ws_client watcher(srv.port(), path);
  watcher.join(codes_.delegations["USA"]);
  watcher.expect("presence");
  ws_client leaving(srv.port(), path);
  leaving.join(codes_.delegations["RUS"]);
  auto both = watcher.expect("presence");
  EXPECT_EQ(both["present"].Size(), 2u);
  // Beast's close() sends the close frame and returns once the server's close frame came back.
  leaving.stream().close(websocket::close_reason(websocket::close_code::normal, "bye"));
  EXPECT_EQ(leaving.stream().reason().code, websocket::close_code::normal);
  auto after = watcher.expect("presence");
  EXPECT_EQ(after["present"].Size(), 1u);
}

TEST_F(EdgesTest, HalfSentUpgradeIsDroppedAfterTheHandshakeTimeout) {
  server srv(data, {"--handshake-timeout", "1"});
  {
    SCOPED_TRACE("half an upgrade request");
    raw_connection r(srv.port());
    r.send("GET /d/test-draft/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n");
    const auto t0 = clock::now();
    auto rest = r.read_until_closed(10s);
    ASSERT_TRUE(rest) << "still open after 10 s";
    EXPECT_GE(clock::now() - t0, 900ms);
    EXPECT_LE(clock::now() - t0, 4s);
    EXPECT_EQ(*rest, "");  // no answer to half a request
  }
  {
    SCOPED_TRACE("nothing at all");
    raw_connection r(srv.port());
    const auto t0 = clock::now();
    ASSERT_TRUE(r.read_until_closed(10s));
    EXPECT_LE(clock::now() - t0, 4s);
  }
  // A whole upgrade still goes through.
  ws_client c(srv.port(), path);
  c.join(codes_.observer);
}

TEST_F(EdgesTest, PeerThatAnswersNothingIsDroppedAfterTheIdleTimeoutButALiveOneIsNot) {
  server srv(data, {"--idle-timeout", "2"});
  // A peer that upgrades, then never reads a frame nor answers the server's pings.
  raw_connection silent(srv.port());
  silent.send(upgrade_request(srv.port(), path));
  ASSERT_NE(silent.read_until("\r\n\r\n", 5s).find(" 101 "), std::string::npos);
  const auto t0 = clock::now();
  auto rest = silent.read_until_closed(10s);
  ASSERT_TRUE(rest) << "a peer that answers nothing is still connected after 10 s";
  const auto took = clock::now() - t0;
  EXPECT_GE(took, 1500ms);
  EXPECT_LE(took, 4500ms);
  // Before dropping it, the server pinged it (an unmasked ping frame: 0x89).
  ASSERT_FALSE(rest->empty());
  EXPECT_EQ(static_cast<unsigned char>((*rest)[0]), 0x89);

  // A live client, silent for 2.5 times the idle timeout but answering pings (Beast does
  // while a read is pending), is still there afterwards: it gets the presence of someone
  // joining then.
  ws_client live(srv.port(), path);
  live.join(codes_.delegations["USA"]);
  live.expect("presence");
  beast::flat_buffer buf;
  std::optional<beast::error_code> got;
  live.stream().async_read(buf, [&](beast::error_code ec, std::size_t) { got = ec; });
  live.context().restart();
  live.context().run_for(5s);
  EXPECT_FALSE(got) << "the live client was dropped: " << (got ? got->message() : "");
  ws_client other(srv.port(), path);
  other.join(codes_.delegations["RUS"]);
  live.context().run_for(5s);
  ASSERT_TRUE(got);
  EXPECT_FALSE(*got) << got->message();
  EXPECT_NE(beast::buffers_to_string(buf.data()).find("\"presence\""), std::string::npos);
}

}  // namespace
}  // namespace plenary::test
