// Hardening against hostile clients and careless operators: connection caps answered with a
// clear 503, security headers on every response (API and errors too), join codes never in
// the log, data files readable by their owner only. (Origin checks, failed-join throttling
// and the amendment rate limit are in hostile_test.cpp.)
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <thread>

#include "fixtures.hpp"

namespace plenary::test {
namespace {
namespace fs = std::filesystem;

class HardeningTest : public created_draft_test {};

// Splits a raw HTTP response into status line, lower-cased headers and body.
struct raw_response {
  std::string status_line;
  std::map<std::string, std::string> headers;
  std::string body;
};

raw_response parse_raw(const std::string& raw) {
  raw_response r;
  auto end = raw.find("\r\n\r\n");
  std::string head = raw.substr(0, end);
  r.body = end == std::string::npos ? "" : raw.substr(end + 4);
  std::size_t pos = head.find("\r\n");
  r.status_line = head.substr(0, pos);
  while (pos != std::string::npos) {
    std::size_t next = head.find("\r\n", pos + 2);
    std::string line =
        head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      r.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
    }
    pos = next;
  }
  return r;
}

// What a connection over a cap gets: a 503 with a JSON error naming the cap, then the close.
raw_response refused(unsigned short port, const std::string& from) {
  raw_connection r(port, from);
  r.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  auto all = r.read_until_closed(5s);
  EXPECT_TRUE(all) << "the refused connection was not closed";
  return parse_raw(all.value_or(""));
}

void expect_security_headers(const std::map<std::string, std::string>& h) {
  EXPECT_NE(h.count("content-security-policy")
                ? h.at("content-security-policy").find("default-src 'none'")
                : std::string::npos,
            std::string::npos);
  EXPECT_NE(h.count("content-security-policy")
                ? h.at("content-security-policy").find("frame-ancestors 'none'")
                : std::string::npos,
            std::string::npos);
  EXPECT_EQ(h.count("x-content-type-options") ? h.at("x-content-type-options") : "", "nosniff");
  EXPECT_EQ(h.count("x-frame-options") ? h.at("x-frame-options") : "", "DENY");
  EXPECT_EQ(h.count("referrer-policy") ? h.at("referrer-policy") : "", "no-referrer");
}

TEST_F(HardeningTest, ConnectionsOverTheCapsGetA503WithAJsonError) {
  server srv(data, {"--max-connections", "3", "--max-connections-per-address", "2"});
  // Two connections from 127.0.0.1: its cap.
  auto a1 = std::make_unique<ws_client>(srv.port(), "/d/test-draft/ws");
  ws_client a2(srv.port(), "/d/test-draft/ws");
  a2.join(codes_.observer);

  auto r = refused(srv.port(), "127.0.0.1");
  EXPECT_EQ(r.status_line, "HTTP/1.1 503 Service Unavailable");
  EXPECT_EQ(r.headers["content-type"], "application/json; charset=utf-8");
  EXPECT_EQ(r.headers["connection"], "close");
  expect_security_headers(r.headers);
  auto doc = parse_json(r.body);
  EXPECT_EQ(member(doc["error"], "code"), "rate_limited");
  EXPECT_NE(member(doc["error"], "message").find("your address"), std::string::npos) << r.body;
  // A WebSocket upgrade over the cap fails the handshake the same way.
  EXPECT_THROW(ws_client(srv.port(), "/d/test-draft/ws"), boost::system::system_error);

  // Another address still gets in, up to the total cap of three...
  raw_connection b1(srv.port(), "127.0.0.2");
  b1.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  EXPECT_NE(b1.read_until("\"ok\"}", 5s).find("200 OK"), std::string::npos);
  // ...past which everyone is refused.
  auto total = refused(srv.port(), "127.0.0.2");
  EXPECT_EQ(total.status_line, "HTTP/1.1 503 Service Unavailable");
  auto tdoc = parse_json(total.body);
  EXPECT_EQ(member(tdoc["error"], "code"), "rate_limited");
  EXPECT_NE(member(tdoc["error"], "message").find("try again"), std::string::npos);

  // A closed connection frees its place.
  a1.reset();
  int status = 0;
  for (int i = 0; i < 50 && status != 200; ++i) {
    std::this_thread::sleep_for(100ms);
    status = http_get(srv.port(), "/healthz").status;
  }
  EXPECT_EQ(status, 200);
}

TEST_F(HardeningTest, EveryResponseCarriesTheSecurityHeaders) {
  server srv(data);
  struct probe {
    std::string target, bearer;
    int status;
  };
  const std::vector<probe> probes = {
      {"/healthz", "", 200},
      {"/api/drafts/test-draft", codes_.observer, 200},
      {"/api/drafts/test-draft/log", codes_.chair, 200},
      {"/api/drafts/test-draft/clauses/c3/history", codes_.chair, 200},
      {"/api/drafts/test-draft/clauses/c3/blame", codes_.chair, 200},
      {"/api/drafts/test-draft", "", 401},
      {"/api/drafts/test-draft", "not-a-code", 401},
      {"/api/drafts/no-such-draft", codes_.chair, 404},
      {"/api/drafts/test-draft/clauses/c99/history", codes_.chair, 404},
      {"/api/drafts/test-draft?at=nonsense", codes_.chair, 400},
      {"/api/drafts/test-draft/nowhere", codes_.chair, 404},
      {"/nowhere", "", 404},
      {"/static/../CMakeLists.txt", "", 404},
      {"/d/test-draft/ws", "", 404},  // not an upgrade
  };
  for (const auto& p : probes) {
    SCOPED_TRACE(p.target + (p.bearer.empty() ? "" : " (with a code)"));
    auto r = http_get(srv.port(), p.target, p.bearer);
    EXPECT_EQ(r.status, p.status) << r.body;
    expect_security_headers(r.headers);
    if (p.target.starts_with("/api") || p.status != 200) {
      EXPECT_EQ(r.headers["content-type"], "application/json; charset=utf-8");
    }
  }
  {
    SCOPED_TRACE("POST: 405");
    raw_connection c(srv.port());
    c.send("POST /d/test-draft HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}");
    auto r = parse_raw(c.read_until("}}", 5s));
    EXPECT_NE(r.status_line.find("405"), std::string::npos) << r.status_line;
    expect_security_headers(r.headers);
  }
  {
    SCOPED_TRACE("headers too large: 413");
    raw_connection c(srv.port());
    c.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Junk: " + std::string(20000, 'j') + "\r\n\r\n");
    auto r = parse_raw(c.read_until("}}", 5s));
    EXPECT_NE(r.status_line.find("413"), std::string::npos) << r.status_line;
    expect_security_headers(r.headers);
  }
}

TEST_F(HardeningTest, JoinCodesNeverReachTheLog) {
  codes other = create_draft(data, small_draft_json("other-draft"));
  const fs::path log = tmp.path() / "server.log";
  auto srv =
      std::make_unique<server>(data, server_options{.log_level = "trace", .stderr_file = log});
  const std::string path = "/d/test-draft/ws";
  std::vector<std::string> secrets{codes_.chair, codes_.observer, other.chair, other.observer};
  for (const auto& [state, code] : codes_.delegations) secrets.push_back(code);
  for (const auto& [state, code] : other.delegations) secrets.push_back(code);
  const std::string garbage = "Zq9-not-a-real-code-but-secret-all-the-same";
  const std::string near_miss = codes_.delegations["RUS"] + "x";
  secrets.push_back(garbage);
  secrets.push_back(near_miss);
  {
    ws_client good(srv->port(), path);
    good.join(codes_.delegations["RUS"]);
    ws_client chair(srv->port(), path);
    chair.join(codes_.chair);
    for (const std::string& wrong :
         {other.chair, garbage, near_miss, codes_.chair + codes_.chair}) {
      ws_client bad(srv->port(), path);
      bad.send(R"({"type":"join","id":2,"code":")" + wrong + R"("})");
      EXPECT_EQ(member(bad.expect("error", 2, 20s), "code"), "unauthorized");
    }
    ws_client elsewhere(srv->port(), "/d/no-such-draft/ws");
    elsewhere.send(R"({"type":"join","id":3,"code":")" + codes_.observer + R"("})");
    elsewhere.expect("error", 3, 20s);
    ws_client mismatch(srv->port(), path);
    mismatch.send(R"({"type":"join","id":4,"code":")" + codes_.observer +
                  R"(","draft":"other-draft"})");
    mismatch.expect("error", 4);
    ws_client too_long(srv->port(), path);
    too_long.send(R"({"type":"join","id":5,"code":")" + codes_.observer + std::string(200, 'A') +
                  R"("})");
    too_long.expect("error", 5);
    ws_client broken(srv->port(), path);
    broken.send(R"({"type":"join","code":")" + codes_.observer + R"(")");  // not JSON
    broken.expect("error");
  }
  EXPECT_EQ(http_get(srv->port(), "/api/drafts/test-draft", codes_.chair).status, 200);
  EXPECT_EQ(http_get(srv->port(), "/api/drafts/test-draft", other.chair).status, 401);
  EXPECT_EQ(http_get(srv->port(), "/api/drafts/test-draft/log", garbage).status, 401);
  EXPECT_EQ(http_get(srv->port(), "/api/drafts/no-such-draft", codes_.chair).status, 404);
  const std::string out = srv->stdout_text();
  EXPECT_EQ(srv->stop(), 0);
  const std::string err = srv->stderr_text();
  ASSERT_NE(err.find("event=join "), std::string::npos) << "nothing was logged: " << err;
  ASSERT_NE(err.find("event=join_refused"), std::string::npos) << err;
  for (const auto& s : secrets) {
    EXPECT_EQ(err.find(s), std::string::npos) << "a join code is in the log:\n" << err;
    EXPECT_EQ(out.find(s), std::string::npos) << "a join code is on standard output:\n" << out;
  }
}

// Everything under `dir` that its group or others may read, write or enter.
std::vector<std::string> not_owner_only(const fs::path& dir) {
  std::vector<std::string> out;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator();
       ++it) {
    auto perms = it->symlink_status().permissions();
    if ((perms & (fs::perms::group_all | fs::perms::others_all)) != fs::perms::none) {
      out.push_back(fs::relative(it->path(), dir).string());
    }
  }
  return out;
}

TEST_F(HardeningTest, DataFilesAreTheOwnersOnly) {
  // Whatever umask the operator runs with: here the usual 022.
  const mode_t before = ::umask(022);
  {
    server srv(data);
    ws_client c(srv.port(), "/d/test-draft/ws");
    auto w = c.join(codes_.delegations["RUS"]);
    std::string rev = member(w["draft"]["clauses"][2], "rev");
    for (int i = 0; i < 12; ++i) {  // enough packs to be rolled up once
      c.send(R"({"type":"amend","id":)" + std::to_string(10 + i) +
             R"(,"op":"replace","clause":"c3","base":")" + rev + R"(","text":"Version )" +
             std::to_string(i) + R"(."})");
      rev = member(c.expect("ack", 10 + i), "commit");
    }
    EXPECT_EQ(srv.stop(), 0);
  }
  // A server on an empty directory creates the demo draft: owner-only too.
  const fs::path demo = tmp.path() / "demo-data";
  {
    server srv(demo);
    EXPECT_EQ(srv.stop(), 0);
  }
  ::umask(before);
  ASSERT_TRUE(fs::exists(data / "access" / "test-draft.tsv"));
  ASSERT_TRUE(fs::exists(demo / "drafts" / "code-of-conduct.git"));
  EXPECT_EQ(not_owner_only(data), std::vector<std::string>{});
  EXPECT_EQ(not_owner_only(demo), std::vector<std::string>{});
  EXPECT_EQ(fs::status(data).permissions() & (fs::perms::group_all | fs::perms::others_all),
            fs::perms::none);
}

// Found by DataFilesAreTheOwnersOnly: the server caught signals only after printing that it
// listens, so a SIGTERM right then killed it (status 143) instead of stopping it cleanly.
TEST_F(HardeningTest, SigtermAsSoonAsTheServerListensStopsItCleanly) {
  for (int i = 0; i < 10; ++i) {
    server srv(tmp.path() / ("fresh-" + std::to_string(i)));  // also prints the demo's links
    EXPECT_EQ(srv.stop(), 0) << "attempt " << i;
  }
}

}  // namespace
}  // namespace plenary::test
