// parse_draft_file: the sample parses; each malformed variant gives its one-line error
// (protocol.md, "Command line").
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "protocol/messages.hpp"

namespace plenary::protocol {
namespace {

std::string read_sample() {
  const std::filesystem::path path = PLENARY_SAMPLE;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string repeat(std::string_view piece, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += piece;
  return out;
}

TEST(DraftFile, SampleParses) {
  const auto result = parse_draft_file(read_sample());
  ASSERT_TRUE(result.file.has_value()) << result.error;
  EXPECT_EQ(result.error, "");
  const draft_file& f = *result.file;
  EXPECT_EQ(f.slug, "code-of-conduct");
  EXPECT_EQ(f.title, "International Code of Conduct for Information Security");
  ASSERT_EQ(f.clauses.size(), 7u);
  EXPECT_EQ(f.clauses[0].kind, clause_kind::preamble);
  EXPECT_EQ(f.clauses[1].kind, clause_kind::heading);
  EXPECT_EQ(f.clauses[2].kind, clause_kind::operative);
  EXPECT_EQ(f.clauses[1].text, "Each State voluntarily subscribing to this Code pledges:");
  ASSERT_EQ(f.delegations.size(), 12u);
  EXPECT_EQ(f.delegations[1].state, "RUS");
  EXPECT_EQ(f.delegations[1].name, "Russian Federation");
  EXPECT_EQ(f.sponsors, (std::vector<std::string>{"CHN", "RUS", "TJK", "UZB"}));
}

TEST(DraftFile, MinimalFileWithoutSlugOrSponsors) {
  const auto result =
      parse_draft_file(R"({"title":"T","clauses":[{"kind":"operative","text":"Do.\nNow."}],)"
                       R"("delegations":[{"code":"A1","name":"Alpha"}],"slug":null})");
  ASSERT_TRUE(result.file.has_value()) << result.error;
  EXPECT_FALSE(result.file->slug.has_value());
  EXPECT_TRUE(result.file->sponsors.empty());
  EXPECT_EQ(result.file->clauses[0].text, "Do.\nNow.");
}

TEST(DraftFile, HundredThousandLevelsAreRefusedQuickly) {
  for (const std::string& deep : {repeat("[", 100000) + repeat("]", 100000),
                                  repeat(R"({"a":)", 100000) + "1" + repeat("}", 100000)}) {
    const auto started = std::chrono::steady_clock::now();
    const auto result = parse_draft_file(deep);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(500));
    EXPECT_FALSE(result.file.has_value());
    EXPECT_EQ(result.error.rfind("the file is nested deeper than 16 levels (at offset ", 0), 0u)
        << result.error;
  }
}

struct malformed_case {
  const char* name;
  std::string json;
  std::string error;
};

// Test names say which case failed; the bytes would only be noise in the log.
void PrintTo(const malformed_case& c, std::ostream* os) { *os << c.name; }

class Malformed : public ::testing::TestWithParam<malformed_case> {};

TEST_P(Malformed, GivesOneLinePointingAtThePlace) {
  const auto result = parse_draft_file(GetParam().json);
  EXPECT_FALSE(result.file.has_value());
  EXPECT_EQ(result.error, GetParam().error);
  EXPECT_EQ(result.error.find('\n'), std::string::npos);
}

// A valid file with `clauses`, `delegations` and `extra` members spliced in.
std::string file_with(const std::string& clauses, const std::string& delegations,
                      const std::string& extra = "") {
  return R"({"slug":"s","title":"T","clauses":)" + clauses + R"(,"delegations":)" + delegations +
         extra + "}";
}
const std::string ok_clauses =
    R"([{"kind":"preamble","text":"P"},{"kind":"heading","text":"H"},)"
    R"({"kind":"operative","text":"O1"},{"kind":"operative","text":"O2"}])";
const std::string ok_delegations =
    R"([{"code":"RUS","name":"Russian Federation"},{"code":"USA","name":"United States"},)"
    R"({"code":"GBR","name":"United Kingdom"}])";
// `ok_clauses` with clause 3's text replaced by `text_json`.
std::string clause3(const std::string& text_json) {
  return R"([{"kind":"preamble","text":"P"},{"kind":"heading","text":"H"},)"
         R"({"kind":"operative","text":"O1"},{"kind":"operative","text":)" +
         text_json + "}]";
}
// `ok_delegations` with delegation 2 replaced by `entry`.
std::string delegation2(const std::string& entry) {
  return R"([{"code":"RUS","name":"Russian Federation"},{"code":"USA","name":"United States"},)" +
         entry + "]";
}

std::string malformed_name(const ::testing::TestParamInfo<malformed_case>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(
    Files, Malformed,
    ::testing::Values(
        malformed_case{"Empty", "", "the file is empty"},
        malformed_case{
            "NotJson", "{",
            "the file is not valid JSON: missing a name for object member (at offset 1)"},
        malformed_case{
            "NotJsonLater", R"({"title":"T",})",
            "the file is not valid JSON: missing a name for object member (at offset 13)"},
        malformed_case{"InvalidUtf8", "{\"title\":\"\xff\"}",
                       "the file is not valid UTF-8 (at offset 10)"},
        malformed_case{"Array", "[]", "the file must hold a JSON object, not an array"},
        malformed_case{"SlugUpper", R"({"slug":"Bad"})",
                       "slug must be a slug (1 to 63 of a-z, 0-9 and -, not starting with -)"},
        malformed_case{"SlugDash", R"({"slug":"-x"})",
                       "slug must be a slug (1 to 63 of a-z, 0-9 and -, not starting with -)"},
        malformed_case{"SlugNumber", R"({"slug":5})", "slug must be a slug or null, not a number"},
        malformed_case{"TitleMissing", R"({"clauses":[]})", "title is missing"},
        malformed_case{"TitleTwice", R"({"title":"A","title":"B"})",
                       "title appears more than once"},
        malformed_case{"TitleBlank", R"({"title":"   "})", "title is blank (only white space)"},
        malformed_case{"TitleEmpty", R"({"title":""})", "title is empty"},
        malformed_case{"TitleNewline", R"({"title":"Two\nlines"})",
                       "title contains a control character (U+000A) at byte 3; none are allowed"},
        malformed_case{"TitleRightToLeftIsolate", R"({"title":"Code \u2067of\u2069"})",
                       "title contains U+2067 RIGHT-TO-LEFT ISOLATE at byte 5, which is not "
                       "allowed: bidirectional controls make text display in another order than "
                       "the one stored"},
        malformed_case{"TitleTooLong", R"({"title":")" + std::string(513, 't') + "\"}",
                       "title is 513 bytes; the limit is 512"},
        malformed_case{"ClausesMissing", R"({"title":"T"})", "clauses is missing"},
        malformed_case{"ClausesEmpty", file_with("[]", ok_delegations), "clauses is empty"},
        malformed_case{"ClausesObject", file_with("{}", ok_delegations),
                       "clauses must be an array, not an object"},
        malformed_case{"ClauseNotObject", file_with(R"(["text"])", ok_delegations),
                       "clauses[0] must be an object, not a string"},
        malformed_case{"ClauseTextEmpty", file_with(clause3(R"("")"), ok_delegations),
                       "clauses[3].text is empty"},
        malformed_case{"ClauseTextMissing", file_with(R"([{"kind":"preamble"}])", ok_delegations),
                       "clauses[0].text is missing"},
        malformed_case{"ClauseTextTooLong",
                       file_with(clause3("\"" + std::string(16385, 'x') + "\""), ok_delegations),
                       "clauses[3].text is 16,385 bytes; the limit is 16,384"},
        malformed_case{"ClauseTextControl", file_with(clause3(R"("a\rb")"), ok_delegations),
                       "clauses[3].text contains a control character (U+000D) at byte 1; only "
                       "line breaks and tabs are allowed"},
        malformed_case{"ClauseTextRightToLeftOverride",
                       file_with(clause3(R"("x\u202ey")"), ok_delegations),
                       "clauses[3].text contains U+202E RIGHT-TO-LEFT OVERRIDE at byte 1, which "
                       "is not allowed: bidirectional controls make text display in another "
                       "order than the one stored"},
        malformed_case{
            "ClauseKindUnknown", file_with(R"([{"kind":"chapter","text":"x"}])", ok_delegations),
            "clauses[0].kind is `chapter`; expected one of heading, preamble, operative"},
        malformed_case{"ClauseKindMissing", file_with(R"([{"text":"x"}])", ok_delegations),
                       "clauses[0].kind is missing"},
        malformed_case{"DelegationsMissing",
                       R"({"title":"T","clauses":[{"kind":"heading","text":"H"}]})",
                       "delegations is missing"},
        malformed_case{"DelegationsEmpty", file_with(ok_clauses, "[]"), "delegations is empty"},
        malformed_case{"DelegationCodeLower",
                       file_with(ok_clauses, delegation2(R"({"code":"ru","name":"R"})")),
                       "delegations[2].code `ru` must be 2 to 8 of A-Z and 0-9"},
        malformed_case{"DelegationCodeTooLong",
                       file_with(ok_clauses, delegation2(R"({"code":"ABCDEFGHI","name":"R"})")),
                       "delegations[2].code `ABCDEFGHI` must be 2 to 8 of A-Z and 0-9"},
        malformed_case{"DelegationCodeChair",
                       file_with(ok_clauses, delegation2(R"({"code":"CHAIR","name":"Chair"})")),
                       "delegations[2].code `CHAIR` is reserved for the chair"},
        malformed_case{"DelegationCodeTabled",
                       file_with(ok_clauses, delegation2(R"({"code":"TABLED","name":"T"})")),
                       "delegations[2].code `TABLED` is reserved for the text as tabled in "
                       "brackets"},
        malformed_case{"DelegationCodeDuplicate",
                       file_with(ok_clauses, delegation2(R"({"code":"RUS","name":"Russia"})")),
                       "delegations[2].code `RUS` is already used by delegations[0]"},
        malformed_case{"DelegationCodeNumber",
                       file_with(ok_clauses, delegation2(R"({"code":7,"name":"Seven"})")),
                       "delegations[2].code must be a string, not a number"},
        malformed_case{"DelegationNameBlank",
                       file_with(ok_clauses, delegation2(R"({"code":"FRA","name":" "})")),
                       "delegations[2].name is blank (only white space)"},
        malformed_case{"DelegationNameMissing",
                       file_with(ok_clauses, delegation2(R"({"code":"FRA"})")),
                       "delegations[2].name is missing"},
        malformed_case{"DelegationNameTooLong",
                       file_with(ok_clauses, delegation2(R"({"code":"FRA","name":")" +
                                                         std::string(201, 'n') + "\"}")),
                       "delegations[2].name is 201 bytes; the limit is 200"},
        malformed_case{"DelegationNameAngleBrackets",
                       file_with(ok_clauses, delegation2(R"({"code":"FRA","name":"France <x>"})")),
                       "delegations[2].name must not contain < or > (git author names cannot)"},
        malformed_case{"DelegationNotObject", file_with(ok_clauses, delegation2("null")),
                       "delegations[2] must be an object, not null"},
        malformed_case{"SponsorsObject", file_with(ok_clauses, ok_delegations, R"(,"sponsors":{})"),
                       "sponsors must be an array, not an object"},
        malformed_case{"SponsorNotOnRoster",
                       file_with(ok_clauses, ok_delegations, R"(,"sponsors":["RUS","XYZ"])"),
                       "sponsors[1] `XYZ` is not one of the delegations"},
        malformed_case{"SponsorTwice",
                       file_with(ok_clauses, ok_delegations, R"(,"sponsors":["RUS","RUS"])"),
                       "sponsors[1] `RUS` is listed twice"},
        malformed_case{"SponsorNumber", file_with(ok_clauses, ok_delegations, R"(,"sponsors":[1])"),
                       "sponsors[0] must be a string, not a number"}),
    malformed_name);

}  // namespace
}  // namespace plenary::protocol
