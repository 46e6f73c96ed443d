// Behind a reverse proxy (--trusted-proxy): the per-address limits and the log use the client
// the proxy names in X-Forwarded-For, and only a trusted proxy is believed. Here the test
// itself plays nginx: it connects from 127.0.0.1 and sends the header nginx would send.
#include <gtest/gtest.h>

#include <thread>

#include "fixtures.hpp"

namespace plenary::test {
namespace {
namespace fs = std::filesystem;

class ProxyTest : public created_draft_test {};

using clock = std::chrono::steady_clock;

std::string get_request(const std::string& target, const std::string& forwarded_for,
                        const std::string& bearer = "", bool keep_alive = false) {
  std::string r = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (!forwarded_for.empty()) r += "X-Forwarded-For: " + forwarded_for + "\r\n";
  if (!bearer.empty()) r += "Authorization: Bearer " + bearer + "\r\n";
  if (!keep_alive) r += "Connection: close\r\n";
  return r + "\r\n";
}

// One request on a connection of its own, from `from`; the whole answer (the server closes).
std::string raw_get(unsigned short port, const std::string& target,
                    const std::string& forwarded_for, const std::string& bearer = "",
                    const std::string& from = "127.0.0.1") {
  raw_connection c(port, from);
  c.send(get_request(target, forwarded_for, bearer));
  auto all = c.read_until_closed(20s);
  EXPECT_TRUE(all) << "not closed";
  return all.value_or("");
}

std::string status_line(const std::string& raw) { return raw.substr(0, raw.find("\r\n")); }

// A failed join over the read API, as the client `forwarded_for` behind the proxy: how long
// the answer took.
clock::duration failed_join(unsigned short port, const std::string& forwarded_for) {
  auto t0 = clock::now();
  auto r = http_get(port, "/api/drafts/test-draft", "wrong-code-wrong-code-wrong-code",
                    {{"X-Forwarded-For", forwarded_for}});
  EXPECT_EQ(r.status, 401) << r.body;
  return clock::now() - t0;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

// Polls `pred` for up to 5 s.
template <class Pred>
bool eventually(Pred pred) {
  for (int i = 0; i < 50; ++i) {
    if (pred()) return true;
    std::this_thread::sleep_for(100ms);
  }
  return pred();
}

TEST_F(ProxyTest, FailedJoinsFromOneForwardedAddressDoNotDelayAnother) {
  server srv(data, {"--trusted-proxy", "127.0.0.1"});
  const std::string a = "203.0.113.7";
  const std::string b = "198.51.100.9";
  // Five free failures for A, then 250 and 500 ms.
  for (int i = 0; i < 7; ++i) failed_join(srv.port(), a);
  // A's next failure waits a second, even when A's own client claims to be B: nginx appends
  // the address it saw, the right-most entry, and only that one is believed.
  EXPECT_GE(failed_join(srv.port(), b + ", " + a), 900ms);
  // B has failed nothing yet: answered at once, and B's right code works.
  EXPECT_LT(failed_join(srv.port(), b), 200ms);
  auto t0 = clock::now();
  EXPECT_EQ(
      http_get(srv.port(), "/api/drafts/test-draft", codes_.observer, {{"X-Forwarded-For", b}})
          .status,
      200);
  EXPECT_LT(clock::now() - t0, 200ms);
}

TEST_F(ProxyTest, ForgedForwardedForFromADirectClientIsIgnored) {
  {
    SCOPED_TRACE("no --trusted-proxy: nobody is believed");
    server srv(data);
    // Each request names another client, but they all come from 127.0.0.1: the throttle
    // counts them together.
    for (int i = 0; i < 7; ++i) failed_join(srv.port(), "192.0.2." + std::to_string(10 + i));
    EXPECT_GE(failed_join(srv.port(), "192.0.2.99"), 900ms);
  }
  {
    SCOPED_TRACE("--trusted-proxy 127.0.0.1, a client on 127.0.0.2");
    server srv(data, {"--trusted-proxy", "127.0.0.1"});
    const std::string wrong = "wrong-code-wrong-code-wrong-code";
    for (int i = 0; i < 7; ++i) {
      auto r = raw_get(srv.port(), "/api/drafts/test-draft", "192.0.2." + std::to_string(10 + i),
                       wrong, "127.0.0.2");
      EXPECT_NE(status_line(r).find("401"), std::string::npos) << r;
    }
    auto t0 = clock::now();
    auto r = raw_get(srv.port(), "/api/drafts/test-draft", "192.0.2.99", wrong, "127.0.0.2");
    EXPECT_NE(status_line(r).find("401"), std::string::npos) << r;
    EXPECT_GE(clock::now() - t0, 900ms);
  }
}

TEST_F(ProxyTest, PerAddressCapAppliesToEachForwardedAddress) {
  server srv(data, {"--trusted-proxy", "127.0.0.1", "--max-connections-per-address", "2",
                    "--max-connections", "6"});
  const std::string path = "/d/test-draft/ws";
  const std::string a = "203.0.113.7";
  const std::string b = "198.51.100.9";
  // A proxy's connection kept alive after answering A belongs to nobody while it waits.
  raw_connection idle(srv.port());
  idle.send(get_request("/healthz", a, "", true));
  EXPECT_NE(idle.read_until("\"ok\"}", 5s).find("200 OK"), std::string::npos);

  // A's cap of two, all through the one proxy address...
  auto a1 = std::make_unique<ws_client>(srv.port(), path,
                                        std::map<std::string, std::string>{{"X-Forwarded-For", a}});
  ws_client a2(srv.port(), path, {{"X-Forwarded-For", a}});
  a2.join(codes_.observer);
  // ...a third from A is refused, an upgrade or a page, with the per-address 503...
  EXPECT_THROW(ws_client(srv.port(), path, {{"X-Forwarded-For", a}}), boost::system::system_error);
  auto refused = raw_get(srv.port(), "/healthz", a);
  EXPECT_EQ(status_line(refused), "HTTP/1.1 503 Service Unavailable");
  EXPECT_NE(refused.find("rate_limited"), std::string::npos) << refused;
  EXPECT_NE(refused.find("your address"), std::string::npos) << refused;
  // ...while B, through the same proxy, has a cap of its own.
  ws_client b1(srv.port(), path, {{"X-Forwarded-For", b}});
  ws_client b2(srv.port(), path, {{"X-Forwarded-For", b}});
  b2.join(codes_.observer);

  // The total cap is still checked when a connection is accepted: six are open (idle, a1, a2,
  // b1, b2 and this one); a seventh is refused whatever it would say.
  raw_connection sixth(srv.port());
  sixth.send(get_request("/healthz", "192.0.2.1", "", true));
  EXPECT_NE(sixth.read_until("\"ok\"}", 5s).find("200 OK"), std::string::npos);
  auto total = raw_get(srv.port(), "/healthz", "192.0.2.2");
  EXPECT_EQ(status_line(total), "HTTP/1.1 503 Service Unavailable");
  EXPECT_NE(total.find("try again"), std::string::npos) << total;
  EXPECT_EQ(total.find("your address"), std::string::npos) << total;

  // A closed connection frees A's place (and one in the total).
  a1.reset();
  EXPECT_TRUE(eventually(
      [&] { return status_line(raw_get(srv.port(), "/healthz", a)) == "HTTP/1.1 200 OK"; }));
}

TEST_F(ProxyTest, AnInvalidForwardedForCountsAsTheProxy) {
  const fs::path log = tmp.path() / "server.log";
  server srv(data, server_options{.extra = {"--trusted-proxy", "127.0.0.1",
                                            "--max-connections-per-address", "1"},
                                  .log_level = "info",
                                  .stderr_file = log});
  const std::string path = "/d/test-draft/ws";
  // Not an address: the request is the proxy's. Warned about once per connection.
  {
    raw_connection k(srv.port());
    k.send(get_request("/healthz", "not-an-address", "", true));
    EXPECT_NE(k.read_until("\"ok\"}", 5s).find("200 OK"), std::string::npos);
    k.send(get_request("/healthz", "203.0.113.9:443", "", true));
    EXPECT_NE(k.read_until("\"ok\"}", 5s).find("200 OK"), std::string::npos);
  }
  EXPECT_TRUE(eventually([&] {
    return count(srv.stderr_text(), "event=forwarded_for_invalid") == 1;
  })) << srv.stderr_text();

  // The proxy's address is now taken (cap 1) by a WebSocket with a broken header...
  ws_client w(srv.port(), path, {{"X-Forwarded-For", "unknown"}});
  w.join(codes_.observer);
  // ...so other requests counted as the proxy's are refused: another broken header, or none.
  for (const std::string& header :
       {std::string("1.2.3"), std::string("::1::"), std::string("192.0.2.1, garbage, 127.0.0.1"),
        std::string("")}) {
    SCOPED_TRACE("X-Forwarded-For: " + header);
    auto r = raw_get(srv.port(), "/healthz", header);
    EXPECT_EQ(status_line(r), "HTTP/1.1 503 Service Unavailable") << r;
    EXPECT_NE(r.find("your address"), std::string::npos) << r;
  }
  // A client with a valid address still gets in.
  EXPECT_EQ(status_line(raw_get(srv.port(), "/healthz", "192.0.2.5")), "HTTP/1.1 200 OK");

  // Which client the log names, for headers of several shapes (one failed join each).
  const std::vector<std::pair<std::string, std::string>> shapes = {
      {"192.0.2.50, 127.0.0.1", "192.0.2.50"},  // a trusted proxy on the right is skipped
      {"127.0.0.1, 192.0.2.60", "192.0.2.60"},  // a client's claim on the left is not read
      {" 2001:DB8::1 ", "2001:db8::1"},         // IPv6, canonical
      {"::ffff:192.0.2.70", "192.0.2.70"},      // IPv4-mapped: the IPv4 address
  };
  for (const auto& [header, expected] : shapes) {
    SCOPED_TRACE("X-Forwarded-For: " + header);
    ws_client c(srv.port(), path, {{"X-Forwarded-For", header}});
    c.send(R"({"type":"join","id":1,"code":"wrong-code-wrong-code-wrong-code"})");
    EXPECT_EQ(member(c.expect("error", 1, 10s), "code"), "unauthorized");
    EXPECT_TRUE(eventually([&, expected = expected] {
      return srv.stderr_text().find("reason=bad_code") != std::string::npos &&
             srv.stderr_text().find("addr=" + expected + " ") != std::string::npos;
    })) << srv.stderr_text();
  }
  const std::string err = srv.stderr_text();
  EXPECT_NE(
      err.find("event=connection_refused addr=127.0.0.1 proxy=127.0.0.1 reason=per_address_cap"),
      std::string::npos)
      << err;
  // The header's value is never logged.
  EXPECT_EQ(err.find("not-an-address"), std::string::npos) << err;
  EXPECT_EQ(err.find("garbage"), std::string::npos) << err;
}

TEST_F(ProxyTest, TrustedProxyMustBeAnAddress) {
  auto r = run_plenary({"serve", "--data", data.string(), "--listen", "127.0.0.1:0",
                        "--trusted-proxy", "nginx.local"});
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("trusted-proxy"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace plenary::test
