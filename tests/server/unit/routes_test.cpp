// routes::match (server/routes.hpp), pure: every route and every malformed request, as a
// table of named cases. Each result is written as one line ("api_compare x rev.1 abc1234")
// so that a case states its whole expected route.
#include "server/routes.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <variant>

namespace plenary::server::routes {
namespace {
namespace http = boost::beast::http;

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};

std::string describe(const route& r) {
  return std::visit(
      overloaded{
          [](const not_found& x) { return "not_found: " + x.reason; },
          [](const bad_request& x) { return "bad_request: " + x.reason; },
          [](const method_not_allowed& x) { return "method_not_allowed: " + x.reason; },
          [](const no_such_draft& x) { return "no_such_draft " + x.slug; },
          [](const healthz&) { return std::string("healthz"); },
          [](const metrics_text&) { return std::string("metrics"); },
          [](const ws_upgrade& x) { return "ws " + x.slug; },
          [](const static_file& x) { return "static " + x.path; },
          [](const vendor_chart_js&) { return std::string("vendor chart.js"); },
          [](const index_page&) { return std::string("page index.html"); },
          [](const room_page& x) { return "page room.html " + x.slug; },
          [](const log_page& x) { return "page log.html " + x.slug; },
          [](const compare_page& x) { return "page compare.html " + x.slug; },
          [](const debrief_page& x) { return "page debrief.html " + x.slug; },
          [](const clause_page& x) { return "page clause.html " + x.slug + " " + x.clause; },
          [](const api_draft& x) { return "api_draft " + x.slug + " at=" + x.at; },
          [](const api_log& x) { return "api_log " + x.slug; },
          [](const api_history& x) { return "api_history " + x.slug + " " + x.clause; },
          [](const api_blame& x) { return "api_blame " + x.slug + " " + x.clause; },
          [](const api_proposals& x) { return "api_proposals " + x.slug; },
          [](const api_proposal& x) {
            return "api_proposal " + x.slug + " " + std::to_string(x.n);
          },
          [](const api_versions& x) { return "api_versions " + x.slug; },
          [](const api_compare& x) { return "api_compare " + x.slug + " " + x.from + " " + x.to; },
          [](const organize_page&) { return std::string("page organize.html"); },
          [](const slips_page& x) { return "page slips.html " + x.slug; },
          [](const api_list_drafts&) { return std::string("api_list_drafts"); },
          [](const api_split& x) { return "api_split error=" + x.error; },
          [](const api_create& x) {
            return "api_create " + x.slug + (x.draft ? " draft" : "") + " error=" + x.error;
          },
          [](const api_reissue& x) {
            return "api_reissue " + x.slug + (x.request ? " " + x.request->base : "") +
                   " error=" + x.error;
          },
          [](const api_archive& x) { return "api_archive " + x.slug + " error=" + x.error; },
          [](const api_debrief& x) {
            return "api_debrief " + x.slug + " version=" + x.version + (x.chair ? " chair" : "");
          },
          [](const api_comments& x) { return "api_comments " + x.slug + " clause=" + x.clause; },
      },
      r);
}

struct route_case {
  const char* name;
  http::verb method;
  const char* target;
  bool websocket;
  const char* expected;
};

// Named by its request in test output (and in ctest's names), not by its bytes.
void PrintTo(const route_case& c, std::ostream* os) {
  *os << http::to_string(c.method) << ' ' << c.target << (c.websocket ? " (upgrade)" : "");
}

constexpr auto get = http::verb::get;
constexpr auto head = http::verb::head;
constexpr auto post = http::verb::post;
constexpr auto put = http::verb::put;
constexpr auto del = http::verb::delete_;

const char* const nothing = "not_found: There is nothing at this address.";
const char* const no_endpoint = "not_found: There is no such API endpoint.";
const char* const no_file = "not_found: There is no such file.";
const char* const get_only =
    "method_not_allowed: Only GET and HEAD are served here; POST goes to the organizer's /api/ "
    "calls.";
const char* const ws_only = "not_found: WebSocket connections go to /d/<slug>/ws.";
const char* const numbered = "not_found: Proposals are numbered 1, 2, 3...: /proposals/<n>.";
const char* const at_only = "bad_request: The only query parameter here is `at=<commit>`.";
const char* const two_versions =
    "bad_request: Give two versions to compare: /compare?from=<tag or commit>&to=<tag or "
    "commit> (a tag such as rev.1, or a commit id of at least 7 digits).";

const route_case cases[] = {
    // The session's own.
    {"healthz", get, "/healthz", false, "healthz"},
    {"healthz_with_query", get, "/healthz?probe=1", false, "healthz"},
    {"healthz_head", head, "/healthz", false, "healthz"},
    {"healthz_trailing_slash_is_not_it", get, "/healthz/", false, nothing},
    {"metrics", get, "/metrics", false, "metrics"},
    {"metrics_trailing_slash_is_not_it", get, "/metrics/", false, nothing},

    // WebSocket.
    {"ws", get, "/d/code-of-conduct/ws", true, "ws code-of-conduct"},
    {"ws_bad_slug", get, "/d/Bad_Slug/ws", true, ws_only},
    {"ws_elsewhere", get, "/d/code-of-conduct", true, ws_only},
    {"ws_root", get, "/", true, ws_only},
    {"ws_path_without_upgrade_is_nothing", get, "/d/x/ws", false, nothing},

    // Pages.
    {"index", get, "/", false, "page index.html"},
    {"index_head", head, "/", false, "page index.html"},
    {"room", get, "/d/code-of-conduct", false, "page room.html code-of-conduct"},
    {"room_trailing_slash", get, "/d/x/", false, "page room.html x"},
    {"room_query_ignored", get, "/d/x?code=abc", false, "page room.html x"},
    {"log_page", get, "/d/x/log", false, "page log.html x"},
    {"compare_page", get, "/d/x/compare", false, "page compare.html x"},
    {"debrief_page", get, "/d/x/debrief", false, "page debrief.html x"},
    {"vendor_chart_js", get, "/vendor/chart.js", false, "vendor chart.js"},
    {"clause_page", get, "/d/x/clauses/op-3", false, "page clause.html x op-3"},
    {"clause_page_bad_clause", get, "/d/x/clauses/Op_3", false, nothing},
    {"page_bad_slug", get, "/d/-x", false, nothing},
    {"page_upper_slug", get, "/d/X", false, nothing},
    {"page_percent_slug_not_decoded", get, "/d/%78", false, nothing},
    {"page_unknown", get, "/d/x/unknown", false, nothing},
    {"d_alone", get, "/d", false, nothing},

    // Static files.
    {"static_js", get, "/static/room/app.js", false, "static room/app.js"},
    {"static_css", get, "/static/style.css", false, "static style.css"},
    {"static_dotfile", get, "/static/.hidden.js", false, no_file},
    {"static_dotdot", get, "/static/../secret.js", false, no_file},
    {"static_unknown_type", get, "/static/a.txt", false, no_file},
    {"static_trailing_slash", get, "/static/a.js/", false, no_file},
    {"static_empty_segment", get, "/static//a.js", false, no_file},
    {"static_percent", get, "/static/a%2e.js", false, no_file},
    {"static_alone", get, "/static/", false, nothing},

    // The read API.
    {"draft", get, "/api/drafts/x", false, "api_draft x at="},
    {"draft_at", get, "/api/drafts/x?at=abc1234", false, "api_draft x at=abc1234"},
    {"draft_at_given_as_is", get, "/api/drafts/x?at=a%20b", false, "api_draft x at=a%20b"},
    {"draft_other_query", get, "/api/drafts/x?version=1", false, at_only},
    {"draft_trailing_slash", get, "/api/drafts/x/", false, "api_draft x at="},
    {"log", get, "/api/drafts/x/log", false, "api_log x"},
    {"log_head", head, "/api/drafts/x/log", false, "api_log x"},
    {"versions", get, "/api/drafts/x/versions", false, "api_versions x"},
    {"proposals", get, "/api/drafts/x/proposals", false, "api_proposals x"},
    {"proposal", get, "/api/drafts/x/proposals/12", false, "api_proposal x 12"},
    {"proposal_ten_digits", get, "/api/drafts/x/proposals/9999999999", false,
     "api_proposal x 9999999999"},
    {"proposal_eleven_digits", get, "/api/drafts/x/proposals/10000000000", false, numbered},
    {"proposal_zero", get, "/api/drafts/x/proposals/0", false, numbered},
    {"proposal_leading_zero", get, "/api/drafts/x/proposals/01", false, numbered},
    {"proposal_not_a_number", get, "/api/drafts/x/proposals/one", false, numbered},
    {"proposal_deeper", get, "/api/drafts/x/proposals/1/2", false, numbered},
    {"history", get, "/api/drafts/x/clauses/op-1/history", false, "api_history x op-1"},
    {"blame", get, "/api/drafts/x/clauses/op-1/blame", false, "api_blame x op-1"},
    {"clause_unknown_read", get, "/api/drafts/x/clauses/op-1/diff", false, no_endpoint},
    {"clause_without_read", get, "/api/drafts/x/clauses/op-1", false, no_endpoint},
    {"compare", get, "/api/drafts/x/compare?from=rev.1&to=abc1234", false,
     "api_compare x rev.1 abc1234"},
    {"compare_reversed_order", get, "/api/drafts/x/compare?to=b&from=a", false,
     "api_compare x a b"},
    {"compare_percent_decoded", get, "/api/drafts/x/compare?from=rev%2E1&to=%41", false,
     "api_compare x rev.1 A"},
    {"compare_bad_percent", get, "/api/drafts/x/compare?from=%zz&to=a", false, two_versions},
    {"compare_truncated_percent", get, "/api/drafts/x/compare?from=a%2&to=b", false, two_versions},
    {"compare_decoded_slash", get, "/api/drafts/x/compare?from=a%2Fb&to=c", false, two_versions},
    {"compare_missing_to", get, "/api/drafts/x/compare?from=a", false, two_versions},
    {"compare_empty_from", get, "/api/drafts/x/compare?from=&to=a", false, two_versions},
    {"compare_too_long", get,
     "/api/drafts/x/compare?to=a&from="
     "12345678901234567890123456789012345678901234567890123456789012345",
     false, two_versions},
    {"compare_no_query", get, "/api/drafts/x/compare", false, two_versions},
    {"debrief", get, "/api/drafts/x/debrief", false, "api_debrief x version="},
    {"debrief_version", get, "/api/drafts/x/debrief?version=rev%2E1", false,
     "api_debrief x version=rev.1"},
    {"debrief_bad_version", get, "/api/drafts/x/debrief?version=..%2Fx", false,
     "bad_request: `version` must be a tag such as rev.1 or a commit id: 1 to 64 letters, "
     "digits, `.`, `_` or `-`."},
    {"debrief_other_query", get, "/api/drafts/x/debrief?at=abc", false,
     "bad_request: The only query parameter here is `version=<tag or commit>`."},
    {"debrief_bad_slug", get, "/api/drafts/X/debrief", false, "no_such_draft X"},
    {"comments", get, "/api/drafts/x/comments", false, "api_comments x clause="},
    {"comments_of_a_clause", get, "/api/drafts/x/comments?clause=c3", false,
     "api_comments x clause=c3"},
    {"comments_bad_clause", get, "/api/drafts/x/comments?clause=C3", false,
     "bad_request: The only query parameter here is `clause=<clause id>`: 1 to 32 lower-case "
     "letters, digits or dashes."},
    {"comments_other_query", get, "/api/drafts/x/comments?version=v1", false,
     "bad_request: The only query parameter here is `clause=<clause id>`: 1 to 32 lower-case "
     "letters, digits or dashes."},
    {"comments_bad_slug", get, "/api/drafts/X/comments", false, "no_such_draft X"},
    {"api_unknown", get, "/api/drafts/x/unknown", false, no_endpoint},
    {"api_bad_slug", get, "/api/drafts/Bad!/log", false, "no_such_draft Bad!"},
    {"api_percent_slug", get, "/api/drafts/%78/log", false, "no_such_draft %78"},
    {"api_empty_slug", get, "/api/drafts//log", false, "no_such_draft "},
    {"api_bad_slug_unknown_path", get, "/api/drafts/Bad!/unknown", false, no_endpoint},
    {"api_bad_slug_bad_query", get, "/api/drafts/Bad!?x=1", false, at_only},
    {"api_drafts_alone", get, "/api/drafts", false, "api_list_drafts"},
    {"api_alone", get, "/api", false, nothing},

    // Methods: only GET and HEAD, whatever the path.
    {"post_page", post, "/d/x", false, get_only},
    {"post_api_unknown", post, "/api/drafts/x/unknown", false, no_endpoint},

    // The organizer console (its bodies: route_bodies below).
    {"organize", get, "/organize", false, "page organize.html"},
    {"organize_slash", get, "/organize/", false, nothing},
    {"organize_deeper", get, "/organize/x", false, nothing},
    {"slips", get, "/organize/x-1/slips", false, "page slips.html x-1"},
    {"slips_bad_slug", get, "/organize/X!/slips", false, nothing},
    {"create_no_body", post, "/api/drafts/x", false, "api_create x error=the body is empty"},
    {"create_bad_slug", post, "/api/drafts/Bad!", false,
     "api_create Bad! error=The draft's name in the path must be 1 to 63 of a-z, 0-9 and -, "
     "starting with a letter or digit."},
    {"archive", post, "/api/drafts/x/archive", false, "api_archive x error="},
    {"reissue_no_body", post, "/api/drafts/x/codes", false,
     "api_reissue x error=the body is empty: send a JSON object"},
    {"split_no_body", post, "/api/split", false,
     "api_split error=the body is empty: send a JSON object"},
    {"get_split", get, "/api/split", false, nothing},
    {"put_page", put, "/d/x", false, get_only},
    {"delete_unknown", del, "/nowhere", false, get_only},
    {"post_healthz", post, "/healthz", false, get_only},

    {"unknown", get, "/nowhere", false, nothing},
    {"unknown_deep", get, "/a/b/c", false, nothing},
};

class RoutesTest : public ::testing::TestWithParam<route_case> {};

TEST_P(RoutesTest, Matches) {
  const route_case& c = GetParam();
  EXPECT_EQ(describe(match({c.method, c.target, c.websocket})), c.expected) << c.target;
}

INSTANTIATE_TEST_SUITE_P(Table, RoutesTest, ::testing::ValuesIn(cases),
                         [](const auto& test) { return std::string(test.param.name); });

struct body_case {
  const char* name;
  const char* target;
  std::string body;
  const char* expected;
};
void PrintTo(const body_case& c, std::ostream* os) { *os << "POST " << c.target; }

class RouteBodies : public ::testing::TestWithParam<body_case> {};

TEST_P(RouteBodies, AreParsedIntoTheRoute) {
  const body_case& c = GetParam();
  EXPECT_EQ(describe(match({post, c.target, false, c.body})), c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Organizer, RouteBodies,
    ::testing::Values(
        body_case{"create_text", "/api/drafts/x",
                  R"({"title":"T","text":"1. Do;","roster":[{"code":"FRA","name":"France"}]})",
                  "api_create x draft error="},
        body_case{"create_file_same_slug", "/api/drafts/x",
                  R"({"slug":"x","title":"T","clauses":[{"kind":"operative","text":"a"}],)"
                  R"("delegations":[{"code":"FRA","name":"F"}]})",
                  "api_create x draft error="},
        body_case{"create_file_other_slug", "/api/drafts/x",
                  R"({"slug":"y","title":"T","clauses":[{"kind":"operative","text":"a"}],)"
                  R"("delegations":[{"code":"FRA","name":"F"}]})",
                  "api_create x error=The body's slug `y` differs from the path's `x`: send one "
                  "name."},
        body_case{"reissue", "/api/drafts/x/codes", R"({"base":"http://h:8080/"})",
                  "api_reissue x http://h:8080 error="},
        body_case{"archive_with_body", "/api/drafts/x/archive", R"({"a":1})",
                  "api_archive x error=This call takes no body (or {})."},
        body_case{"archive_empty_object", "/api/drafts/x/archive", "{}", "api_archive x error="},
        body_case{"split", "/api/split", R"({"text":"1. Do;"})", "api_split error="}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(RoutesTypes, PagesAndDraftReadsAreKnownByType) {
  static_assert(is_page_v<room_page> && is_page_v<index_page> && !is_page_v<api_log>);
  static_assert(is_draft_read_v<api_compare> && !is_draft_read_v<room_page>);
  static_assert(is_page_v<organize_page> && is_page_v<slips_page> && !is_page_v<api_create>);
  static_assert(is_organizer_call_v<api_create> && !is_organizer_call_v<api_log> &&
                !is_draft_read_v<api_list_drafts>);
  EXPECT_EQ(clause_page::file, "clause.html");
}

TEST(RoutesTypes, MimeTypes) {
  EXPECT_EQ(mime_type("a/b.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(mime_type("x.html"), "text/html; charset=utf-8");
  EXPECT_EQ(mime_type("x.txt"), "");
  EXPECT_EQ(mime_type("noext"), "");
}

}  // namespace
}  // namespace plenary::server::routes
