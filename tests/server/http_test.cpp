// The HTTP side: the read API with Bearer codes, pages, static files, security headers.
#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace plenary::test {
namespace {

class HttpTest : public served_draft_test {
 protected:
  void SetUp() override { serve(); }
};

TEST_F(HttpTest, HealthzAnswers200) { EXPECT_EQ(http_get(srv->port(), "/healthz").status, 200); }

TEST_F(HttpTest, ReadApiNeedsAJoinCodeOfThatDraft) {
  auto none = http_get(srv->port(), "/api/drafts/test-draft");
  EXPECT_EQ(none.status, 401);
  auto doc = parse_json(none.body);
  EXPECT_EQ(member(doc["error"], "code"), "unauthorized");
  EXPECT_FALSE(member(doc["error"], "message").empty());
  EXPECT_EQ(http_get(srv->port(), "/api/drafts/test-draft", "bogus").status, 401);
  EXPECT_EQ(http_get(srv->port(), "/api/drafts/no-such", codes_.observer).status, 404);
  EXPECT_EQ(http_get(srv->port(), "/api/drafts/test-draft", codes_.observer).status, 200);
}

TEST_F(HttpTest, DraftLogHistoryBlameAndAt) {
  auto d = http_get(srv->port(), "/api/drafts/test-draft", codes_.delegations["CHN"]);
  ASSERT_EQ(d.status, 200);
  EXPECT_EQ(d.headers["content-type"], "application/json; charset=utf-8");
  auto doc = parse_json(d.body);
  EXPECT_EQ(member(doc, "slug"), "test-draft");
  std::string head = member(doc, "head");
  std::string id = member(doc["clauses"][2], "id");

  ws_client c(srv->port(), "/d/test-draft/ws");
  c.join(codes_.delegations["CHN"]);
  c.send(R"({"type":"amend","id":1,"op":"replace","clause":")" + id + R"(","base":")" +
         member(doc["clauses"][2], "rev") +
         R"(","text":"To comply with the Charter.","note":"Shorter is better."})");
  c.expect("ack", 1);

  auto log = parse_json(http_get(srv->port(), "/api/drafts/test-draft/log", codes_.chair).body);
  ASSERT_EQ(log["entries"].Size(), 2u);
  const auto& e0 = log["entries"][0];
  EXPECT_EQ(member(e0, "op"), "replace");
  EXPECT_EQ(member(e0, "clause"), id);
  EXPECT_EQ(member(e0, "note"), "Shorter is better.");
  EXPECT_EQ(member(e0["by"], "state"), "CHN");
  EXPECT_EQ(member(e0["by"], "name"), "China");
  EXPECT_EQ(member(e0, "at").size(), 20u);  // 2026-11-27T10:15:00Z
  EXPECT_EQ(member(log["entries"][1], "op"), "open");
  EXPECT_TRUE(log["entries"][1]["clause"].IsNull());

  auto old =
      parse_json(http_get(srv->port(), "/api/drafts/test-draft?at=" + head, codes_.chair).body);
  EXPECT_EQ(member(old, "head"), head);
  EXPECT_EQ(member(old["clauses"][2], "text"),
            "To comply with the Charter of the United Nations and universally recognized norms.");
  EXPECT_EQ(http_get(srv->port(), "/api/drafts/test-draft?at=" + std::string(40, 'a'), codes_.chair)
                .status,
            404);
  EXPECT_EQ(http_get(srv->port(), "/api/drafts/test-draft?at=nonsense", codes_.chair).status, 400);

  auto hist = parse_json(
      http_get(srv->port(), "/api/drafts/test-draft/clauses/" + id + "/history", codes_.chair)
          .body);
  ASSERT_EQ(hist["entries"].Size(), 2u);
  std::string before, after;
  for (auto& p : hist["entries"][1]["diff"].GetArray()) {
    std::string op = member(p, "op"), text = member(p, "text");
    if (op != "+") before += text;
    if (op != "-") after += text;
  }
  EXPECT_EQ(before, member(hist["entries"][0], "text"));
  EXPECT_EQ(after, "To comply with the Charter.");

  EXPECT_EQ(
      http_get(srv->port(), "/api/drafts/test-draft/clauses/c999/history", codes_.chair).status,
      404);
  EXPECT_EQ(http_get(srv->port(), "/api/drafts/test-draft/clauses/nope/blame", codes_.chair).status,
            404);
}

TEST_F(HttpTest, PagesAreServedWithSecurityHeaders) {
  for (std::string page : {"/", "/d/test-draft", "/d/test-draft/clauses/c1", "/d/test-draft/log"}) {
    SCOPED_TRACE(page);
    auto r = http_get(srv->port(), page);
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.headers["content-type"].find("text/html"), std::string::npos);
    EXPECT_NE(r.headers["content-security-policy"].find("script-src 'self'"), std::string::npos);
    EXPECT_EQ(r.headers["content-security-policy"].find("unsafe-inline"), std::string::npos);
    EXPECT_NE(r.headers["content-security-policy"].find("frame-ancestors 'none'"),
              std::string::npos);
    EXPECT_EQ(r.headers["x-content-type-options"], "nosniff");
    EXPECT_EQ(r.headers["referrer-policy"], "no-referrer");
  }
}

TEST_F(HttpTest, StaticFilesCannotEscapeTheWebFolder) {
  for (std::string bad :
       {"/static/../CMakeLists.txt", "/static/..%2fCMakeLists.txt", "/static/.hidden.js",
        "/static//etc/passwd", "/static/x.exe", "/d/../../etc/passwd"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(http_get(srv->port(), bad).status, 404);
  }
}

TEST_F(HttpTest, OnlyGetAndHead) {
  // A POST is refused with 405 (but for the organizer's API calls: organizer_test.cpp).
  boost::asio::io_context ioc;
  boost::beast::tcp_stream s(ioc);
  s.connect({boost::asio::ip::make_address("127.0.0.1"), srv->port()});
  namespace http = boost::beast::http;
  http::request<http::string_body> req{http::verb::post, "/d/test-draft", 11};
  req.set(http::field::host, "127.0.0.1");
  req.body() = "{}";
  req.prepare_payload();
  http::write(s, req);
  boost::beast::flat_buffer buf;
  http::response<http::string_body> res;
  http::read(s, buf, res);
  EXPECT_EQ(res.result_int(), 405u);
}

}  // namespace
}  // namespace plenary::test
