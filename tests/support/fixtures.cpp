// The shared fixtures and client messages of the integration tests (fixtures.hpp).
#include "fixtures.hpp"

namespace plenary::test {

std::string msg(const std::string& type, long id, const std::string& fields) {
  std::string m = R"({"type":")" + type + R"(","id":)" + std::to_string(id);
  if (!fields.empty()) m += "," + fields;
  return m + "}";
}

std::string on(int proposal) { return R"("proposal":)" + std::to_string(proposal); }

std::optional<rapidjson::Document> next_of_type(ws_client& c, const std::string& type,
                                                std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    auto m = c.receive(std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now()));
    if (!m) return std::nullopt;
    auto doc = parse_json(*m);
    if (member(doc, "type") == type) return doc;
  }
  return std::nullopt;
}

void created_draft_test::create(const std::string& json) {
  data = tmp.path() / "data";
  codes_ = create_draft(data, json);
}

void served_draft_test::serve(const std::string& json, std::vector<std::string> extra) {
  create(json);
  srv = std::make_unique<server>(data, std::move(extra));
}

std::unique_ptr<ws_client> served_draft_test::connect(const std::string& code) {
  auto c = std::make_unique<ws_client>(srv->port(), ws_path());
  welcome = c->join(code);
  if (clause_id.empty()) {
    const rapidjson::Value& clause = welcome["draft"]["clauses"][2];
    clause_id = member(clause, "id");
    clause_rev = member(clause, "rev");
  }
  return c;
}

rapidjson::Document served_draft_test::http(const std::string& target, int expected_status) {
  auto r = http_get(srv->port(), "/api/drafts/test-draft" + target, codes_.observer);
  EXPECT_EQ(r.status, expected_status) << target << ": " << r.body;
  return parse_json(r.body);
}

}  // namespace plenary::test
