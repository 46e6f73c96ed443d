// The organizer console's bodies (POST /api/split, POST /api/drafts/<slug>/codes) and the
// origin rule of `base`; its answers' shapes.
#include "protocol/organizer.hpp"

#include <gtest/gtest.h>

namespace plenary::protocol {
namespace {

struct origin_case {
  const char* name;
  std::string value;
  bool ok;
};
void PrintTo(const origin_case& c, std::ostream* os) { *os << c.name; }

class Origin : public ::testing::TestWithParam<origin_case> {};
TEST_P(Origin, IsAnHttpOriginOrNot) { EXPECT_EQ(is_http_origin(GetParam().value), GetParam().ok); }

INSTANTIATE_TEST_SUITE_P(
    Bases, Origin,
    ::testing::Values(origin_case{"LocalWithPort", "http://127.0.0.1:8080", true},
                      origin_case{"Https", "https://plenary.example.org", true},
                      origin_case{"Ipv6", "http://[::1]:8080", true},
                      origin_case{"WithPath", "http://h/x", false},
                      origin_case{"Javascript", "javascript:alert(1)", false},
                      origin_case{"NoHost", "http://", false},
                      origin_case{"EmptyPort", "http://h:", false},
                      origin_case{"PortTooBig", "http://h:70000", false},
                      origin_case{"UserInfo", "http://a@b", false},
                      origin_case{"Query", "http://h?x", false},
                      origin_case{"Fragment", "http://h#x", false}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(OrganizerBodies, Reissue) {
  auto r = parse_reissue_request(R"({"base":"http://h:1/","roles":["chair","FRA"]})");
  ASSERT_TRUE(r.request) << r.error;
  EXPECT_EQ(r.request->base, "http://h:1");
  EXPECT_EQ(r.request->roles, (std::vector<std::string>{"chair", "FRA"}));
  r = parse_reissue_request(R"({"base":"http://h"})");
  ASSERT_TRUE(r.request) << r.error;
  EXPECT_EQ(r.request->roles, std::vector<std::string>{"all"});
  EXPECT_EQ(parse_reissue_request(R"({"roles":["chair"]})").error, "base is missing");
  EXPECT_EQ(parse_reissue_request(R"({"base":"ftp://h"})")
                .error.rfind("base must be the server's origin", 0),
            0u);
  EXPECT_EQ(parse_reissue_request(R"({"base":"http://h","roles":[]})").error, "roles is empty");
  EXPECT_EQ(parse_reissue_request(R"({"base":"http://h","roles":[1]})").error,
            "roles[0] must be a string, not a number");
  EXPECT_EQ(parse_reissue_request("[]").error, "the body must be a JSON object, not an array");
  EXPECT_EQ(parse_reissue_request("").error, "the body is empty: send a JSON object");
}

TEST(OrganizerBodies, Split) {
  EXPECT_EQ(parse_split_request(R"({"text":"1. Do;"})").text, "1. Do;");
  EXPECT_EQ(parse_split_request(R"({"txt":"1. Do;"})").error, "text is missing");
  EXPECT_EQ(parse_split_request(R"({"text":5})").error, "text must be a string, not a number");
}

TEST(OrganizerAnswers, Shapes) {
  EXPECT_EQ(split_json({{clause_kind::preamble, "Recalling,"}}),
            R"({"clauses":[{"kind":"preamble","text":"Recalling,"}]})");
  draft_summary d{"a", "T", "working", 3, 2, 1, {{"FRA", "France"}}, 0};
  EXPECT_EQ(drafts_list_json({d}, {{"b", "Old", 0}}),
            R"({"drafts":[{"slug":"a","title":"T","stage":"working","clauses":3,"amendments":2,)"
            R"("connected":1,"present":[{"code":"FRA","name":"France"}],)"
            R"("last_activity":"1970-01-01T00:00:00Z"}],)"
            R"("archived":[{"slug":"b","title":"Old","archived_at":"1970-01-01T00:00:00Z"}]})");
  role_values codes{std::nullopt, "o", {{"FRA", "f"}}};
  EXPECT_EQ(issued_codes_json("a", codes, codes, nullptr),
            R"({"slug":"a","codes":{"observer":"o","delegations":{"FRA":"f"}},)"
            R"("links":{"observer":"o","delegations":{"FRA":"f"}}})");
}

}  // namespace
}  // namespace plenary::protocol
