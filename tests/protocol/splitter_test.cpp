// split_text on real layouts: the demo code of conduct pasted as plain text, a UN General
// Assembly resolution with sub-paragraphs, plain lists, a word processor's paste, Markdown;
// then every text it must refuse, each with its message. Also the text form of a new draft
// (draft_from_text, parse_draft_request).
#include "protocol/splitter.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "protocol/messages.hpp"

namespace plenary::protocol {
namespace {

using kind = clause_kind;

struct expected_clause {
  kind k;
  std::string text;
};

std::string describe(const std::vector<draft_file::initial_clause>& clauses) {
  std::ostringstream out;
  for (const auto& c : clauses) out << "  " << to_string(c.kind) << ": " << c.text << "\n";
  return out.str();
}

void expect_clauses(const split_result& r, const std::vector<expected_clause>& want) {
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.clauses.size(), want.size()) << describe(r.clauses);
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(to_string(r.clauses[i].kind), std::string(to_string(want[i].k))) << "clause " << i;
    EXPECT_EQ(r.clauses[i].text, want[i].text) << "clause " << i;
  }
}

draft_file read_sample() {
  std::ifstream in(std::filesystem::path(PLENARY_SAMPLE), std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  auto parsed = parse_draft_file(text.str());
  EXPECT_TRUE(parsed.file) << parsed.error;
  return parsed.file.value_or(draft_file{});
}

// The demo draft as someone would paste it: its title, then its paragraphs separated by
// `separator` ("\n\n": a plain text file; "\n": a word processor, one paragraph a line).
std::string sample_as_text(const draft_file& f, const std::string& separator) {
  std::string out = f.title;
  for (const auto& c : f.clauses) out += separator + c.text;
  return out + "\n";
}

TEST(Splitter, CodeOfConductPastedAsPlainText) {
  const draft_file sample = read_sample();
  for (const std::string separator : {"\n\n", "\n", "\r\n\r\n", "\n\n\n"}) {
    SCOPED_TRACE(testing::Message() << "separator of " << separator.size() << " bytes");
    split_result r = split_text(sample_as_text(sample, separator));
    ASSERT_EQ(r.error, "");
    auto title = take_title(r.clauses);
    ASSERT_TRUE(title);
    EXPECT_EQ(*title, sample.title);
    ASSERT_EQ(r.clauses.size(), sample.clauses.size()) << describe(r.clauses);
    for (std::size_t i = 0; i < r.clauses.size(); ++i) {
      EXPECT_EQ(r.clauses[i].kind, sample.clauses[i].kind) << "clause " << i;
      EXPECT_EQ(r.clauses[i].text, sample.clauses[i].text) << "clause " << i;
    }
  }
}

struct layout_case {
  const char* name;
  std::string text;
  std::vector<expected_clause> clauses;
};
void PrintTo(const layout_case& c, std::ostream* os) { *os << c.name; }

class Layout : public ::testing::TestWithParam<layout_case> {};

TEST_P(Layout, SplitsAsADrafterWould) {
  expect_clauses(split_text(GetParam().text), GetParam().clauses);
}

// After A/RES/70/1 and A/RES/78/3 (layout of the General Assembly's resolutions): heading
// lines, "The General Assembly,", preambular paragraphs in italics in the original (plain
// here), hard-wrapped lines, numbered operative paragraphs with (a), (b) sub-paragraphs.
const char* const ga_resolution = R"(Resolution adopted by the General Assembly on 25 September 2015

70/1. Transforming our world: the 2030 Agenda for Sustainable Development

The General Assembly,

Recalling its resolution 69/315 of 1 September 2015, by which it
transmitted the draft outcome document of the United Nations summit,

Also recalling its resolution 68/6 of 9 October 2013,

Deeply concerned by the persistence of poverty in all its forms,

1. Adopts the following outcome document of the United Nations summit
for the adoption of the post-2015 development agenda;
2. Requests the Secretary-General:
(a) To submit a report on the implementation of the present resolution
to the General Assembly at its seventy-first session;
(b) To ensure the coordination of the follow-up;

3. Decides to include in the provisional agenda of its seventy-first session the item
entitled "Follow-up to the outcomes of the United Nations summit".
)";

INSTANTIATE_TEST_SUITE_P(
    Texts, Layout,
    ::testing::Values(
        layout_case{
            "GaResolutionWithSubParagraphs",
            ga_resolution,
            {{kind::heading, "Resolution adopted by the General Assembly on 25 September 2015"},
             {kind::heading,
              "70/1. Transforming our world: the 2030 Agenda for Sustainable Development"},
             {kind::heading, "The General Assembly,"},
             {kind::preamble,
              "Recalling its resolution 69/315 of 1 September 2015, by which it transmitted the "
              "draft outcome document of the United Nations summit,"},
             {kind::preamble, "Also recalling its resolution 68/6 of 9 October 2013,"},
             {kind::preamble, "Deeply concerned by the persistence of poverty in all its forms,"},
             {kind::operative,
              "Adopts the following outcome document of the United Nations summit for the "
              "adoption of the post-2015 development agenda;"},
             {kind::operative,
              "Requests the Secretary-General:\n(a) To submit a report on the implementation of "
              "the present resolution to the General Assembly at its seventy-first session;\n"
              "(b) To ensure the coordination of the follow-up;"},
             {kind::operative,
              "Decides to include in the provisional agenda of its seventy-first session the "
              "item entitled \"Follow-up to the outcomes of the United Nations summit\"."}}},
        layout_case{
            "PreambularLinesWithoutBlankLines",
            "Noting with concern the rise of incidents,\nFurther noting the report,\n"
            "Reaffirming its commitment,\nWelcoming the initiative,\n1) Calls upon States to act;",
            {{kind::preamble, "Noting with concern the rise of incidents,"},
             {kind::preamble, "Further noting the report,"},
             {kind::preamble, "Reaffirming its commitment,"},
             {kind::preamble, "Welcoming the initiative,"},
             {kind::operative, "Calls upon States to act;"}}},
        layout_case{"PlainBulletedList",
                    "- Respect the speaker\n- No phones during sessions\n* Be on time\n"
                    "+ Vote once\n\xE2\x80\xA2 Yield the floor",
                    {{kind::operative, "Respect the speaker"},
                     {kind::operative, "No phones during sessions"},
                     {kind::operative, "Be on time"},
                     {kind::operative, "Vote once"},
                     {kind::operative, "Yield the floor"}}},
        layout_case{"PlainListOfLinesUnderATitle",
                    "Class rules\n\nRespect the speaker\nNo phones during sessions\nBe on time\n",
                    {{kind::heading, "Class rules"},
                     {kind::operative, "Respect the speaker"},
                     {kind::operative, "No phones during sessions"},
                     {kind::operative, "Be on time"}}},
        layout_case{"NumberedListWithBulletsUnderAColon",
                    "1. Decides:\n   - to meet weekly;\n   - to report monthly;\n2. Closes.",
                    {{kind::operative, "Decides:\nto meet weekly;\nto report monthly;"},
                     {kind::operative, "Closes."}}},
        layout_case{// Word: \r\n, NBSP after numbers and in "Article 2", tabs after the number,
                    // curly quotes (kept), a soft hyphen and a zero-width space (dropped), and \v,
                    // Word's manual line break, inside a paragraph.
                    "WordProcessorPaste",
                    "Draft resolution\r\n\r\nRecognizing\xC2\xA0the \xE2\x80\x9C"
                    "digital divide\xE2\x80\x9D"
                    " between States,\r\n1.\tUrges States to re\xC2\xAD"
                    "spect Article\xC2\xA0"
                    "2;\r\n"
                    "2.\xC2\xA0Invites\xE2\x80\x8B the Secretary-General\vto report;\r\n",
                    {{kind::heading, "Draft resolution"},
                     {kind::preamble,
                      "Recognizing the \xE2\x80\x9C"
                      "digital divide\xE2\x80\x9D between States,"},
                     {kind::operative, "Urges States to respect Article 2;"},
                     {kind::operative, "Invites the Secretary-General to report;"}}},
        layout_case{"MarkdownWithHeadingsAndEmphasis",
                    "# Code of conduct\n\n*Recalling* the Charter,\n\n## Pledges\n\n"
                    "1. **Cooperate** in good faith;\n2. Settle disputes peacefully.\n\n---\n",
                    {{kind::heading, "Code of conduct"},
                     {kind::preamble, "Recalling the Charter,"},
                     {kind::heading, "Pledges"},
                     {kind::operative, "Cooperate in good faith;"},
                     {kind::operative, "Settle disputes peacefully."}}},
        layout_case{"SectionsAndHyphenatedWraps",
                    "I. General provisions\n\n1. States shall respect self-\ndetermination;\n\n"
                    "II. Final provisions\n\n2. This Code enters into force at once.",
                    {{kind::heading, "General provisions"},
                     {kind::operative, "States shall respect self-determination;"},
                     {kind::heading, "Final provisions"},
                     {kind::operative, "This Code enters into force at once."}}},
        layout_case{"UnnumberedHeadingThenOperatives",
                    "Each State pledges:\nTo comply with the Charter;\nNot to use force.",
                    {{kind::heading, "Each State pledges:"},
                     {kind::operative, "To comply with the Charter;"},
                     {kind::operative, "Not to use force."}}}),
    [](const auto& test) { return std::string(test.param.name); });

struct refused_case {
  const char* name;
  std::string text;
  std::string error_start;
};
void PrintTo(const refused_case& c, std::ostream* os) { *os << c.name; }

std::string paragraphs(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += std::to_string(i + 1) + ". Decides;\n";
  return out;
}

class Refused : public ::testing::TestWithParam<refused_case> {};

TEST_P(Refused, WithAPreciseMessage) {
  const split_result r = split_text(GetParam().text);
  EXPECT_TRUE(r.clauses.empty());
  EXPECT_EQ(r.error.substr(0, GetParam().error_start.size()), GetParam().error_start) << r.error;
}

INSTANTIATE_TEST_SUITE_P(
    Texts, Refused,
    ::testing::Values(
        refused_case{"Empty", "", "the text is empty: paste the draft's text"},
        refused_case{"OnlyWhiteSpace", " \n\t\r\n\xC2\xA0\n", "the text has no paragraph"},
        refused_case{"ControlCharacter", "Recalling,\n\n1. Decides\x07 now;",
                     "line 3 contains a control character (U+0007), which a draft cannot hold"},
        refused_case{"EscapeCharacter", "1. Decides \x1B[31m;",
                     "line 1 contains a control character (U+001B)"},
        refused_case{"C1Control", "1. Decides \xC2\x9B;",
                     "line 1 contains a control character (U+009B)"},
        refused_case{"InvalidUtf8", "1. D\xC3\x28", "the text is not valid UTF-8 (at byte 4)"},
        refused_case{"OnlyHeadings", "# One\n\n## Two\n\nThree:\n",
                     "the text has only headings (3)"},
        refused_case{
            "FiveThousandParagraphs", paragraphs(5000),
            "the text has more than 1,000 paragraphs (line 1,001); a draft holds at most 1,000"},
        refused_case{"TwoMegabytes", std::string(2'000'000, 'a'),
                     "the text is 2,000,000 bytes; the limit is 1,048,576"},
        refused_case{"ParagraphOverTheClauseLimit", "1. " + std::string(20000, 'a') + ";",
                     "paragraph 1 (line 1) is 20,001 bytes; a clause holds at most 16,384"}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(Splitter, PhrasesComeFromTheDataFile) {
  const auto& phrases = preambular_phrases();
  EXPECT_GT(phrases.size(), 50u);
  EXPECT_NE(std::find(phrases.begin(), phrases.end(), "Bearing in mind"), phrases.end());
  for (const auto& p : phrases) EXPECT_NE(p[0], '#') << "comments are not phrases";
}

TEST(Splitter, ThousandParagraphsAreAccepted) {
  const split_result r = split_text(paragraphs(1000));
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.clauses.size(), 1000u);
}

// ---- the text form of a new draft -----------------------------------------------------------

TEST(TextDraft, TitleFromTheTextOrGiven) {
  text_draft in{std::nullopt, "# Rules\n\n1. Be kind.", {{"FRA", "France"}}, {"FRA"}};
  auto made = draft_from_text(in);
  ASSERT_TRUE(made.file) << made.error;
  EXPECT_EQ(made.file->title, "Rules");
  ASSERT_EQ(made.file->clauses.size(), 1u);
  EXPECT_EQ(made.file->sponsors, std::vector<std::string>{"FRA"});

  in.title = "Given";
  made = draft_from_text(in);
  ASSERT_TRUE(made.file) << made.error;
  EXPECT_EQ(made.file->title, "Given");
  EXPECT_EQ(made.file->clauses.size(), 2u);  // the heading stays a clause

  in.title.reset();
  in.text = "1. Be kind.";
  EXPECT_EQ(draft_from_text(in).error.rfind("the text does not start with a title line", 0), 0u);
}

struct request_case {
  const char* name;
  std::string json;
  std::string error;  // "" when it parses
};
void PrintTo(const request_case& c, std::ostream* os) { *os << c.name; }

std::string roster_of(std::size_t n) {
  std::string out = "[";
  for (std::size_t i = 0; i < n; ++i) {
    out += (i ? "," : "") + std::string(R"({"code":"S)") + std::to_string(i) +
           R"(","name":"State )" + std::to_string(i) + "\"}";
  }
  return out + "]";
}

class Request : public ::testing::TestWithParam<request_case> {};

TEST_P(Request, ParsesOrSaysWhy) {
  const auto r = parse_draft_request(GetParam().json);
  EXPECT_EQ(r.error, GetParam().error);
  EXPECT_EQ(r.file.has_value(), GetParam().error.empty());
}

const std::string roster = R"([{"code":"FRA","name":"France"},{"code":"DEU","name":"Germany"}])";

INSTANTIATE_TEST_SUITE_P(
    Bodies, Request,
    ::testing::Values(
        request_case{"TextForm", R"({"title":"T","text":"1. Do;","roster":)" + roster + "}", ""},
        request_case{"TextFormWithSponsors",
                     R"({"title":"T","text":"1. Do;","sponsors":["DEU"],"roster":)" + roster + "}",
                     ""},
        request_case{"DraftFileForm",
                     R"({"title":"T","clauses":[{"kind":"operative","text":"Do"}],"delegations":)"
                     R"([{"code":"FRA","name":"France"}]})",
                     ""},
        request_case{"EmptyRoster", R"({"title":"T","text":"1. Do;","roster":[]})",
                     "roster is empty: a draft needs at least one delegation"},
        request_case{"ThousandStates",
                     R"({"title":"T","text":"1. Do;","roster":)" + roster_of(1000) + "}",
                     "roster has 1,000 entries; a roster holds at most 256"},
        request_case{"ThousandDelegationsInADraftFile",
                     R"({"title":"T","clauses":[{"kind":"operative","text":"Do"}],"delegations":)" +
                         roster_of(1000) + "}",
                     "delegations has 1,000 entries; a roster holds at most 256"},
        request_case{"DuplicateCode",
                     R"({"title":"T","text":"1. Do;","roster":[{"code":"FRA","name":"France"},)"
                     R"({"code":"FRA","name":"Francia"}]})",
                     "roster[1].code `FRA` is already used by roster[0]"},
        request_case{"SponsorNotOnRoster",
                     R"({"title":"T","text":"1. Do;","sponsors":["USA"],"roster":)" + roster + "}",
                     "sponsors[0] `USA` is not on the roster"},
        request_case{"BadCode",
                     R"({"title":"T","text":"1. Do;","roster":[{"code":"fr","name":"F"}]})",
                     "roster[0].code `fr` must be 2 to 8 of A-Z and 0-9"},
        request_case{"LongTitle",
                     R"({"title":")" + std::string(10000, 'x') + R"(","text":"1. Do;","roster":)" +
                         roster + "}",
                     "title is 10,000 bytes; the limit is 512"},
        request_case{"EmptyText", R"({"title":"T","text":"","roster":)" + roster + "}",
                     "the text is empty: paste the draft's text or choose a .txt or .md file"},
        request_case{"NotAnObject", "[1]", "the file must hold a JSON object, not an array"},
        request_case{"NotJson", "{",
                     "the body is not valid JSON: missing a name for object member (at offset 1)"}),
    [](const auto& test) { return std::string(test.param.name); });

}  // namespace
}  // namespace plenary::protocol
