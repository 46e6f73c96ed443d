// The organizer console's server side against the real binary (docs/extensions.md,
// "Organizer console"): the organizer link, the API's whole flow (split, create from a text
// and from a draft file, list, reissue with QR codes, archive, unarchive), `draft create`
// from a text, and every bad input of issue 14, each answered precisely with nothing created
// and the server unaffected.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "harness.hpp"

namespace plenary::test {
namespace {
namespace fs = std::filesystem;

// The organizer code of the link `serve` printed.
std::string organizer_code(const server& srv) {
  std::smatch m;
  const std::string& out = srv.stdout_text();
  if (!std::regex_search(out, m, std::regex(R"(/organize#code=([A-Za-z0-9_-]+))"))) {
    ADD_FAILURE() << "no organizer link in: " << out;
    return "";
  }
  return m[1];
}

struct post_options {
  std::string bearer;
  std::string content_type = "application/json";
  std::string origin;  // empty: none
  // Only the headers: the server must answer from them (413 for a Content-Length over the
  // limit), and a body it will not read could turn its close into a reset.
  bool headers_only = false;
};

// A POST over a fresh connection; the whole answer.
http_response post(unsigned short port, const std::string& target, const std::string& body,
                   const post_options& o) {
  raw_connection c(port);
  std::string req = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                    "\r\nConnection: close\r\nContent-Length: " + std::to_string(body.size()) +
                    "\r\n";
  if (!o.content_type.empty()) req += "Content-Type: " + o.content_type + "\r\n";
  if (!o.bearer.empty()) req += "Authorization: Bearer " + o.bearer + "\r\n";
  if (!o.origin.empty()) req += "Origin: " + o.origin + "\r\n";
  c.send(req + "\r\n");
  if (!o.headers_only) c.send(body);
  auto all = c.read_until_closed(20s);
  http_response r;
  if (!all) {
    ADD_FAILURE() << "no answer to POST " << target;
    return r;
  }
  const auto head_end = all->find("\r\n\r\n");
  if (all->size() < 12 || head_end == std::string::npos) return r;
  r.status = std::stoi(all->substr(9, 3));
  r.body = all->substr(head_end + 4);
  return r;
}

std::string error_code_of(const http_response& r) {
  auto doc = parse_json(r.body);
  if (!doc.IsObject() || !doc.HasMember("error")) return "";
  return member(doc["error"], "code");
}
std::string error_message_of(const http_response& r) {
  auto doc = parse_json(r.body);
  if (!doc.IsObject() || !doc.HasMember("error")) return "";
  return member(doc["error"], "message");
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

const std::string twelve =
    R"([{"code":"FRA","name":"France"},{"code":"DEU","name":"Germany"},)"
    R"({"code":"KEN","name":"Kenya"},{"code":"BRA","name":"Brazil"},)"
    R"({"code":"IND","name":"India"},{"code":"JPN","name":"Japan"},)"
    R"({"code":"CAN","name":"Canada"},{"code":"EGY","name":"Egypt"},)"
    R"({"code":"MEX","name":"Mexico"},{"code":"NOR","name":"Norway"},)"
    R"({"code":"VAT","name":"Holy See"},{"code":"PSE","name":"State of Palestine"}])";

const std::string resolution_text =
    "The General Assembly,\n\nRecalling its resolution 70/1,\n\nDeeply concerned by the "
    "persistence of poverty,\n\n1. Decides to act;\n2. Requests the Secretary-General:\n(a) To "
    "report;\n(b) To follow up;\n";

std::string text_body(const std::string& title, const std::string& text,
                      const std::string& roster = twelve, const std::string& sponsors = "[]") {
  return R"({"title":)" + json_string(title) + R"(,"text":)" + json_string(text) + R"(,"roster":)" +
         roster + R"(,"sponsors":)" + sponsors + "}";
}

std::size_t count_entries(const fs::path& dir, const std::string& ext) {
  std::size_t n = 0;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    n += it->path().extension() == ext;
  return n;
}

// A delegation joining a room with `code`: the welcome's state, or the error's code.
std::string join_as(unsigned short port, const std::string& slug, const std::string& code) {
  ws_client c(port, "/d/" + slug + "/ws");
  c.send(R"({"type":"join","id":1,"code":)" + json_string(code) + "}");
  for (int i = 0; i < 10; ++i) {
    auto m = c.receive(10s);
    if (!m) return "closed";
    auto doc = parse_json(*m);
    if (member(doc, "type") == "welcome") return member(doc["you"], "state");
    if (member(doc, "type") == "error") return member(doc, "code");
  }
  return "nothing";
}

TEST(Organizer, LinkPrintedAtFirstStartStoredAsHashOnly) {
  temp_dir tmp;
  const auto data = tmp.path() / "data";
  std::string code;
  {
    server srv(data);
    code = organizer_code(srv);
    ASSERT_EQ(code.size(), 32u);
    const auto& out = srv.stdout_text();
    EXPECT_LT(out.find("/organize#code="), out.find("/d/code-of-conduct#code="))
        << "the organizer link comes first";
    EXPECT_EQ(http_get(srv.port(), "/api/drafts", code).status, 200);
  }
  std::ifstream in(data / "access" / "organizer.hash");
  const std::string stored((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(stored.find(code), std::string::npos);
  EXPECT_NE(stored.find("BLAKE2b-256"), std::string::npos);
  EXPECT_EQ(fs::status(data / "access" / "organizer.hash").permissions() & fs::perms::group_all,
            fs::perms::none);
  for (const auto& repo : fs::directory_iterator(data / "drafts")) {
    EXPECT_EQ(run_git(repo.path(), "grep -q " + code + " main", false).status, 1) << repo.path();
  }
  server again(data);
  EXPECT_EQ(again.stdout_text().find("/organize#code="), std::string::npos) << "printed once only";
  EXPECT_EQ(http_get(again.port(), "/api/drafts", code).status, 200);
}

TEST(Organizer, ReissueRefusesTheOldCodeInARunningServer) {
  temp_dir tmp;
  const auto data = tmp.path() / "data";
  server srv(data);
  const std::string old_code = organizer_code(srv);
  auto r =
      run_plenary({"organizer", "--data", data.string(), "--reissue", "--listen-url", srv.url()});
  ASSERT_EQ(r.status, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(r.out, m, std::regex(srv.url() + R"(/organize#code=([A-Za-z0-9_-]{32}))")))
      << r.out;
  const std::string fresh = m[1];
  EXPECT_EQ(http_get(srv.port(), "/api/drafts", old_code).status, 401);
  EXPECT_EQ(http_get(srv.port(), "/api/drafts", fresh).status, 200);
}

TEST(Organizer, WholeFlow) {
  temp_dir tmp;
  const auto data = tmp.path() / "data";
  server srv(data);
  const std::string code = organizer_code(srv);
  const post_options auth{code};

  // The list: the demo draft.
  auto list = http_get(srv.port(), "/api/drafts", code);
  ASSERT_EQ(list.status, 200) << list.body;
  auto doc = parse_json(list.body);
  ASSERT_EQ(doc["drafts"].Size(), 1u);
  EXPECT_EQ(member(doc["drafts"][0], "slug"), "code-of-conduct");
  EXPECT_EQ(doc["drafts"][0]["clauses"].GetInt(), 7);
  EXPECT_EQ(doc["drafts"][0]["amendments"].GetInt(), 0);
  EXPECT_TRUE(doc["drafts"][0]["last_activity"].IsString());
  EXPECT_EQ(doc["archived"].Size(), 0u);

  // The preview.
  auto split =
      post(srv.port(), "/api/split", R"({"text":)" + json_string(resolution_text) + "}", auth);
  ASSERT_EQ(split.status, 200) << split.body;
  doc = parse_json(split.body);
  ASSERT_EQ(doc["clauses"].Size(), 5u) << split.body;
  EXPECT_EQ(member(doc["clauses"][0], "kind"), "heading");
  EXPECT_EQ(member(doc["clauses"][1], "kind"), "preamble");
  EXPECT_EQ(member(doc["clauses"][4], "text"),
            "Requests the Secretary-General:\n(a) To report;\n(b) To follow up;");

  // Created from a text, served at once.
  auto made =
      post(srv.port(), "/api/drafts/poverty",
           text_body("Eradicating poverty", resolution_text, twelve, R"(["FRA","KEN"])"), auth);
  ASSERT_EQ(made.status, 201) << made.body;
  doc = parse_json(made.body);
  EXPECT_EQ(member(doc, "slug"), "poverty");
  ASSERT_EQ(doc["codes"]["delegations"].MemberCount(), 12u);
  const std::string kenya = member(doc["codes"]["delegations"], "KEN");
  EXPECT_EQ(member(doc["links"]["delegations"], "KEN"), "/d/poverty#code=" + kenya);
  EXPECT_EQ(member(doc["links"], "chair"), "/d/poverty#code=" + member(doc["codes"], "chair"));
  EXPECT_EQ(join_as(srv.port(), "poverty", kenya), "KEN");

  // Created from a draft file (the previewed, corrected clauses), slug in the body too.
  auto from_file = post(
      srv.port(), "/api/drafts/rules",
      R"({"slug":"rules","title":"Class rules","sponsors":["FRA"],"clauses":[)"
      R"({"kind":"preamble","text":"Recalling the Charter,"},{"kind":"operative","text":"Be kind;"}],)"
      R"("delegations":[{"code":"FRA","name":"France"},{"code":"DEU","name":"Germany"}]})",
      auth);
  ASSERT_EQ(from_file.status, 201) << from_file.body;
  doc = parse_json(from_file.body);
  const std::string old_fra = member(doc["codes"]["delegations"], "FRA");
  const std::string deu = member(doc["codes"]["delegations"], "DEU");

  list = http_get(srv.port(), "/api/drafts", code);
  doc = parse_json(list.body);
  ASSERT_EQ(doc["drafts"].Size(), 3u);
  EXPECT_EQ(member(doc["drafts"][1], "slug"), "poverty");
  EXPECT_EQ(member(doc["drafts"][1], "title"), "Eradicating poverty");
  EXPECT_EQ(member(doc["drafts"][2], "stage"), "working");

  // Reissue one delegation's code: its QR code, the old code refused, the new one joins.
  ws_client present(srv.port(), "/d/rules/ws");
  present.join(deu);
  auto reissued = post(srv.port(), "/api/drafts/rules/codes",
                       R"({"roles":["FRA"],"base":")" + srv.url() + R"("})", auth);
  ASSERT_EQ(reissued.status, 200) << reissued.body;
  doc = parse_json(reissued.body);
  EXPECT_FALSE(doc["codes"].HasMember("chair"));
  const std::string new_fra = member(doc["codes"]["delegations"], "FRA");
  ASSERT_EQ(new_fra.size(), 32u);
  const std::string svg = member(doc["qr"]["delegations"], "FRA");
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ", 0), 0u) << svg;
  EXPECT_NE(svg.find("<path fill=\"#000\" d=\"M4 4h7v1h-7z"), std::string::npos)
      << "a finder pattern's top row inside the quiet zone";
  EXPECT_EQ(join_as(srv.port(), "rules", old_fra), "unauthorized");
  EXPECT_EQ(join_as(srv.port(), "rules", new_fra), "FRA");

  // The list shows who is connected.
  doc = parse_json(http_get(srv.port(), "/api/drafts", code).body);
  EXPECT_EQ(doc["drafts"][2]["connected"].GetInt(), 1);
  EXPECT_EQ(member(doc["drafts"][2]["present"][0], "code"), "DEU");

  // Archive: the member is disconnected (1001), the files move, nothing is deleted.
  auto archived = post(srv.port(), "/api/drafts/rules/archive", "", auth);
  ASSERT_EQ(archived.status, 200) << archived.body;
  EXPECT_EQ(member(parse_json(archived.body), "slug"), "rules");
  EXPECT_EQ(present.wait_closed(10s), 1001);
  EXPECT_TRUE(fs::is_directory(data / "archive" / "rules.git"));
  EXPECT_TRUE(fs::exists(data / "archive" / "rules.tsv"));
  EXPECT_FALSE(fs::exists(data / "drafts" / "rules.git"));
  EXPECT_FALSE(fs::exists(data / "access" / "rules.tsv"));
  doc = parse_json(http_get(srv.port(), "/api/drafts", code).body);
  EXPECT_EQ(doc["drafts"].Size(), 2u);
  ASSERT_EQ(doc["archived"].Size(), 1u);
  EXPECT_EQ(member(doc["archived"][0], "slug"), "rules");
  EXPECT_EQ(member(doc["archived"][0], "title"), "Class rules");
  EXPECT_EQ(join_as(srv.port(), "rules", deu), "not_found");
  // Its slug stays taken.
  auto again = post(srv.port(), "/api/drafts/rules", text_body("Again", "1. Do;"), auth);
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_NE(error_message_of(again).find("archived"), std::string::npos) << again.body;

  // Restored by the command line beside the running server, with its codes.
  auto restored = run_plenary({"draft", "unarchive", "rules", "--data", data.string()});
  ASSERT_EQ(restored.status, 0) << restored.err;
  EXPECT_EQ(join_as(srv.port(), "rules", deu), "DEU");
  doc = parse_json(http_get(srv.port(), "/api/drafts", code).body);
  EXPECT_EQ(doc["drafts"].Size(), 3u);
  EXPECT_EQ(doc["archived"].Size(), 0u);
  EXPECT_NE(run_plenary({"draft", "unarchive", "rules", "--data", data.string()}).status, 0);

  // The pages: routed to their files of web/ (made by the web half: a 404 "no such file" until
  // they are there, never "nothing at this address").
  for (const auto& [target, file] : {std::pair{"/organize", "organize.html"},
                                     std::pair{"/organize/rules/slips", "slips.html"}}) {
    auto page = http_get(srv.port(), target);
    if (fs::exists(fs::path(PLENARY_WEB_DIR) / file)) {
      EXPECT_EQ(page.status, 200) << target;
      EXPECT_EQ(page.headers["content-type"], "text/html; charset=utf-8") << target;
    } else {
      EXPECT_EQ(error_message_of(page), "There is no such file.") << target;
    }
  }
}

std::string paragraphs(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += std::to_string(i + 1) + ". Decides;\n";
  return out;
}

std::string roster_of(std::size_t n) {
  std::string out = "[";
  for (std::size_t i = 0; i < n; ++i) {
    out += (i ? "," : "") + std::string(R"({"code":"S)") + std::to_string(i) +
           R"(","name":"State )" + std::to_string(i) + "\"}";
  }
  return out + "]";
}

struct bad_case {
  const char* name;
  std::string target;
  std::string body;
  post_options options;  // bearer "!" means the right code
  int status;
  std::string code;
  std::string message;  // a part of the message
};
void PrintTo(const bad_case& c, std::ostream* os) { *os << c.name; }

class BadInput : public ::testing::TestWithParam<bad_case> {};

// One server for every case: each must leave it as it was.
class OrganizerServer {
 public:
  static OrganizerServer& get() {
    static OrganizerServer s;
    return s;
  }
  temp_dir tmp;
  std::unique_ptr<server> srv;
  std::string code;

 private:
  OrganizerServer() {
    srv = std::make_unique<server>(tmp.path() / "data");
    code = organizer_code(*srv);
  }
};

TEST_P(BadInput, PreciseAnswerNothingCreatedServerUnaffected) {
  auto& env = OrganizerServer::get();
  const auto data = env.tmp.path() / "data";
  const auto drafts_before = count_entries(data / "drafts", ".git");
  const auto access_before = count_entries(data / "access", ".tsv");
  post_options o = GetParam().options;
  if (o.bearer == "!") o.bearer = env.code;
  auto r = post(env.srv->port(), GetParam().target, GetParam().body, o);
  EXPECT_EQ(r.status, GetParam().status) << r.body;
  EXPECT_EQ(error_code_of(r), GetParam().code) << r.body;
  EXPECT_NE(error_message_of(r).find(GetParam().message), std::string::npos) << r.body;
  EXPECT_EQ(count_entries(data / "drafts", ".git"), drafts_before);
  EXPECT_EQ(count_entries(data / "access", ".tsv"), access_before);
  EXPECT_EQ(count_entries(data / "archive", ".git"), 0u);
  EXPECT_EQ(http_get(env.srv->port(), "/healthz").status, 200);
  EXPECT_EQ(http_get(env.srv->port(), "/api/drafts", env.code).status, 200);
}

const post_options ok{"!"};

INSTANTIATE_TEST_SUITE_P(
    Issue14, BadInput,
    ::testing::Values(
        bad_case{"PasteOfTwoMegabytes", "/api/drafts/big", text_body("T", std::string(2'000'000, 'a')), ok,
                 400, "bad_request", "the text is 2,000,000 bytes; the limit is 1,048,576"},
        bad_case{"BodyOverTheLimit", "/api/split", R"({"text":")" + std::string(3'000'000, 'a') + "\"}",
                 {"!", "application/json", "", true},
                 413, "too_large", "KiB"},
        bad_case{"FiveThousandParagraphs", "/api/drafts/many", text_body("T", paragraphs(5000)), ok,
                 400, "bad_request", "more than 1,000 paragraphs"},
        bad_case{"FiveThousandParagraphsPreview", "/api/split", R"({"text":)" + json_string(paragraphs(5000)) + "}",
                 ok, 400, "bad_request", "more than 1,000 paragraphs"},
        bad_case{"EmptyText", "/api/drafts/empty", text_body("T", ""), ok, 400, "bad_request",
                 "the text is empty"},
        bad_case{"OnlyHeadings", "/api/drafts/heads", text_body("T", "# One\n\n## Two\n"), ok, 400,
                 "bad_request", "only headings"},
        bad_case{"ControlCharacters", "/api/drafts/ctl", text_body("T", "1. Decides\x07;\n"), ok, 400,
                 "bad_request", "line 1 contains a control character (U+0007)"},
        bad_case{"TitleOfTenThousand", "/api/drafts/long", text_body(std::string(10000, 'T'), "1. Do;"), ok,
                 400, "bad_request", "title is 10,000 bytes; the limit is 512"},
        bad_case{"SlugThatExists", "/api/drafts/code-of-conduct", text_body("T", "1. Do;"), ok, 409,
                 "conflict", "already exists"},
        bad_case{"EmptyRoster", "/api/drafts/nobody", text_body("T", "1. Do;", "[]"), ok, 400,
                 "bad_request", "roster is empty"},
        bad_case{"ThousandStates", "/api/drafts/crowd", text_body("T", "1. Do;", roster_of(1000)), ok, 400,
                 "bad_request", "roster has 1,000 entries; a roster holds at most 256"},
        bad_case{"DuplicateStateCode", "/api/drafts/dup",
                 text_body("T", "1. Do;", R"([{"code":"FRA","name":"France"},{"code":"FRA","name":"Francia"}])"),
                 ok, 400, "bad_request", "roster[1].code `FRA` is already used by roster[0]"},
        bad_case{"SponsorNotOnRoster", "/api/drafts/spons", text_body("T", "1. Do;", twelve, R"(["USA"])"), ok,
                 400, "bad_request", "sponsors[0] `USA` is not on the roster"},
        bad_case{"DraftFileWithOtherSlug", "/api/drafts/one",
                 R"({"slug":"two","title":"T","clauses":[{"kind":"operative","text":"a"}],"delegations":[{"code":"FRA","name":"F"}]})",
                 ok, 400, "bad_request", "differs from the path"},
        bad_case{"BadSlugInPath", "/api/drafts/Bad_Slug", text_body("T", "1. Do;"), ok, 400, "bad_request",
                 "1 to 63 of a-z"},
        bad_case{"NotJson", "/api/drafts/x", "{", ok, 400, "bad_request", "not valid JSON"},
        bad_case{"MissingCode", "/api/drafts/x", text_body("T", "1. Do;"), {""}, 401, "unauthorized",
                 "Authorization: Bearer"},
        bad_case{"WrongCode", "/api/drafts/x", text_body("T", "1. Do;"), {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
                 401, "unauthorized", "not valid"},
        bad_case{"CrossOriginPost", "/api/drafts/x", text_body("T", "1. Do;"),
                 {"!", "application/json", "http://evil.example"}, 403, "forbidden", "another site"},
        bad_case{"FormContentType", "/api/drafts/x", "title=T", {"!", "application/x-www-form-urlencoded"},
                 415, "bad_request", "Content-Type: application/json"},
        bad_case{"NoContentType", "/api/drafts/x", text_body("T", "1. Do;"), {"!", ""}, 415, "bad_request",
                 "Content-Type: application/json"},
        bad_case{"ReissueWithABaseThatIsNotAnOrigin", "/api/drafts/code-of-conduct/codes",
                 R"({"base":"javascript:alert(1)"})", ok, 400, "bad_request", "base must be the server's origin"},
        bad_case{"ReissueUnknownRole", "/api/drafts/code-of-conduct/codes",
                 R"({"base":"http://h","roles":["XYZ"]})", ok, 400, "bad_request", "unknown role `XYZ`"},
        bad_case{"ReissueUnknownDraft", "/api/drafts/nothing-here/codes", R"({"base":"http://h"})", ok, 404,
                 "not_found", "no draft named"},
        bad_case{"ArchiveUnknownDraft", "/api/drafts/nothing-here/archive", "", ok, 404, "not_found",
                 "no draft named"}),
    [](const auto& test) {
  return std::string(test.param.name); });

TEST(Organizer, WrongCodesBackOffLikeFailedJoins) {
  temp_dir tmp;
  server srv(tmp.path() / "data");
  int last = 0;
  for (int i = 0; i < 7; ++i) last = http_get(srv.port(), "/api/drafts", "wrong-code").status;
  EXPECT_EQ(last, 429);
}

TEST(Organizer, DraftCreateFromAMarkdownText) {
  temp_dir tmp;
  const auto data = tmp.path() / "data";
  std::ofstream(tmp.path() / "r.md")
      << "# Code of the class\n\nRecalling the Charter,\n\n1. Be kind;\n";
  std::ofstream(tmp.path() / "roster.txt") << "# code name\nFRA France\nDEU\tGermany\n";
  auto r = run_plenary(
      {"draft", "create", "--data", data.string(), "--from", (tmp.path() / "r.md").string(),
       "--roster", (tmp.path() / "roster.txt").string(), "--sponsors", "FRA", "--slug", "class"});
  ASSERT_EQ(r.status, 0) << r.err;
  auto doc = parse_json(r.out);
  EXPECT_EQ(member(doc, "slug"), "class");
  EXPECT_EQ(doc["codes"]["delegations"].MemberCount(), 2u);
  EXPECT_EQ(run_git(data / "drafts" / "class.git", "show main:draft.json", false)
                    .out.find("Code of the class") != std::string::npos,
            true);
  // A text without a roster, or a roster with a bad line: one line saying what to do.
  r = run_plenary({"draft", "create", "--data", data.string(), "--from",
                   (tmp.path() / "r.md").string(), "--slug", "other"});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("--roster"), std::string::npos) << r.err;
  std::ofstream(tmp.path() / "bad.txt") << "FRA\n";
  r = run_plenary({"draft", "create", "--data", data.string(), "--from",
                   (tmp.path() / "r.md").string(), "--roster", (tmp.path() / "bad.txt").string(),
                   "--slug", "other"});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("line 1"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(data / "drafts" / "other.git"));
}

}  // namespace
}  // namespace plenary::test
