// procedure.md, "Bracketed text", on the wire: `bracket` and `resolve` (each field validated,
// each malformed variant refused naming the field), `propose` of op `resolve`, and the
// resolve proposal record's extra fields.
#include <gtest/gtest.h>

#include <string>

#include "protocol/messages.hpp"
#include "tests/protocol/test_json.hpp"

namespace plenary::protocol {
namespace {

using testing::message_of;

using testing::member;
using testing::read_json;
using testing::str;

const std::string rev(40, 'a');

TEST(BracketMessages, BracketReadsEveryField) {
  const auto m = message_of<bracket_msg>(
      parse_client_message(R"({"type":"bracket","clause":"c3","base":")" + rev +
                           R"(","start":15,"end":26,"text":"международного права","note":"why"})"));
  EXPECT_EQ(m.clause, "c3");
  EXPECT_EQ(m.base, rev);
  EXPECT_EQ(m.start, 15);
  EXPECT_EQ(m.end, 26);
  EXPECT_EQ(m.text, "международного права");
  EXPECT_EQ(m.note, "why");
  // An empty wording proposes to delete the span; the note is optional.
  const auto del =
      message_of<bracket_msg>(parse_client_message(R"({"type":"bracket","clause":"c3","base":")" +
                                                   rev + R"(","start":0,"end":16384,"text":""})"));
  EXPECT_EQ(del.text, "");
  EXPECT_EQ(del.end, 16384);
  EXPECT_EQ(del.note, "");
}

TEST(BracketMessages, ResolveReadsEveryField) {
  const auto parsed =
      parse_client_message(R"({"type":"resolve","id":"r1","clause":"c3","bracket":2,"choose":0})");
  const auto m = message_of<resolve_msg>(parsed);
  EXPECT_EQ(m.clause, "c3");
  EXPECT_EQ(m.bracket, 2);
  EXPECT_EQ(m.choose, 0);
  EXPECT_EQ(std::get<parsed_message>(parsed).id, message_id{std::string("r1")});
}

TEST(BracketMessages, ProposeResolve) {
  const auto m = message_of<propose_msg>(parse_client_message(
      R"({"type":"propose","op":"resolve","clause":"c1","bracket":0,"choose":1,"note":"n"})"));
  ASSERT_TRUE(m.resolve);
  EXPECT_EQ(m.resolve->clause, "c1");
  EXPECT_EQ(m.resolve->bracket, 0);
  EXPECT_EQ(m.resolve->choose, 1);
  EXPECT_EQ(m.resolve->note, "n");
  // Other ops leave it unset.
  const auto other = message_of<propose_msg>(
      parse_client_message(R"({"type":"propose","op":"move","clause":"c2","after":null})"));
  EXPECT_FALSE(other.resolve);
}

struct malformed {
  const char* name;
  std::string frame;
  std::string message;  // the exact error
};

class BracketMalformed : public ::testing::TestWithParam<malformed> {};

TEST_P(BracketMalformed, IsRefusedNamingTheField) {
  const malformed& c = GetParam();
  const parse_result r = parse_client_message(c.frame);
  const auto* f = std::get_if<parse_failure>(&r);
  ASSERT_NE(f, nullptr) << "accepted: " << c.frame.substr(0, 200);
  EXPECT_EQ(f->code, error_code::bad_request);
  EXPECT_EQ(f->message, c.message);
  EXPECT_EQ(f->id, message_id{std::int64_t{9}});
}

std::string bracket_frame(const std::string& fields) {
  return R"({"id":9,"type":"bracket","clause":"c3","base":")" + rev + "\"," + fields + "}";
}

const std::string an_offset = "must be a byte offset (an integer from 0 to 16,384), not ";

INSTANTIATE_TEST_SUITE_P(
    Frames, BracketMalformed,
    ::testing::Values(
        malformed{
            "BracketWithoutClause",
            R"({"id":9,"type":"bracket","base":")" + rev + R"(","start":0,"end":1,"text":"x"})",
            "`clause` is missing."},
        malformed{"BracketBadBase",
                  R"({"id":9,"type":"bracket","clause":"c3","base":"HEAD","start":0,"end":1,)"
                  R"("text":"x"})",
                  "`base` must be a commit id (40 lower-case hex digits)."},
        malformed{"BracketWithoutStart", bracket_frame(R"("end":1,"text":"x")"),
                  "`start` is missing."},
        malformed{"BracketStartString", bracket_frame(R"("start":"0","end":1,"text":"x")"),
                  "`start` " + an_offset + "a string."},
        malformed{"BracketStartFraction", bracket_frame(R"("start":1.5,"end":3,"text":"x")"),
                  "`start` " + an_offset + "a number with a fraction or exponent."},
        malformed{"BracketStartNegative", bracket_frame(R"("start":-1,"end":3,"text":"x")"),
                  "`start` is -1; it must be an integer from 0 to 16,384."},
        malformed{"BracketEndTooFar", bracket_frame(R"("start":0,"end":16385,"text":"x")"),
                  "`end` is 16385; it must be an integer from 0 to 16,384."},
        malformed{"BracketEmptySpan", bracket_frame(R"("start":4,"end":4,"text":"x")"),
                  "`end` must be greater than `start` (an empty span)."},
        malformed{"BracketReversed", bracket_frame(R"("start":5,"end":4,"text":"x")"),
                  "`end` must be greater than `start` (an empty span)."},
        malformed{"BracketWithoutText", bracket_frame(R"("start":0,"end":1)"),
                  "`text` is missing."},
        malformed{"BracketTextNull", bracket_frame(R"("start":0,"end":1,"text":null)"),
                  "`text` must be a string, not null."},
        malformed{"BracketTextBlank", bracket_frame(R"("start":0,"end":1,"text":"  ")"),
                  "`text` is blank (only white space)."},
        malformed{"BracketTextTooLong",
                  bracket_frame(R"("start":0,"end":1,"text":")" + std::string(16385, 'w') + "\""),
                  "`text` is 16,385 bytes; the limit is 16,384."},
        malformed{
            "BracketTextControl", bracket_frame(R"("start":0,"end":1,"text":"a\u0007b")"),
            "`text` contains a control character (U+0007) at byte 1; only line breaks and tabs "
            "are allowed."},
        malformed{"BracketNoteTooLong",
                  bracket_frame(R"("start":0,"end":1,"text":"x","note":")" +
                                std::string(2049, 'n') + "\""),
                  "`note` is 2,049 bytes; the limit is 2,048."},
        malformed{"ResolveWithoutBracket", R"({"id":9,"type":"resolve","clause":"c3","choose":0})",
                  "`bracket` is missing."},
        malformed{"ResolveNegativeChoose",
                  R"({"id":9,"type":"resolve","clause":"c3","bracket":0,"choose":-2})",
                  "`choose` is -2; it must be an integer from 0 to 16,384."},
        malformed{"ResolveBracketString",
                  R"({"id":9,"type":"resolve","clause":"c3","bracket":"0","choose":0})",
                  "`bracket` must be a bracket index (from 0) (an integer from 0 to 16,384), not "
                  "a string."},
        malformed{"ResolveBadClause",
                  R"({"id":9,"type":"resolve","clause":"C3","bracket":0,"choose":0})",
                  "`clause` must be a clause id (1 to 32 of a-z, 0-9 and -)."},
        malformed{"ProposeResolveBadChoose",
                  R"({"id":9,"type":"propose","op":"resolve","clause":"c3","bracket":0,)"
                  R"("choose":true})",
                  "`choose` must be an alternative index (from 0) (an integer from 0 to 16,384), "
                  "not a boolean."}),
    [](const ::testing::TestParamInfo<malformed>& param) { return std::string(param.param.name); });

TEST(BracketServerMessages, AResolveRecordCarriesBracketAndChoose) {
  proposal_view p;
  p.n = 4;
  p.by = {"FRA", "France"};
  p.op = "resolve";
  p.clause = "c3";
  p.base = rev;
  p.bracket = 1;
  p.choose = 0;
  p.commit = rev;
  p.status = "tabled";
  const auto doc = read_json(proposal_json(p));
  EXPECT_EQ(str(doc, "op"), "resolve");
  EXPECT_EQ(member(doc, "bracket").GetInt64(), 1);
  EXPECT_EQ(member(doc, "choose").GetInt64(), 0);
  EXPECT_TRUE(member(doc, "text").IsNull());
  // Other records do not have them.
  p.op = "delete";
  p.bracket.reset();
  p.choose.reset();
  const auto plain = read_json(proposal_json(p));
  EXPECT_FALSE(plain.HasMember("bracket"));
  EXPECT_FALSE(plain.HasMember("choose"));
}

}  // namespace
}  // namespace plenary::protocol
