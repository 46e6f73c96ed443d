// parse_client_message against hostile and valid frames (protocol.md, "Client to server").
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "protocol/messages.hpp"
#include "test_json.hpp"

namespace plenary::protocol {
namespace {

using testing::message_of;

using namespace std::string_literals;

const std::string rev(40, 'a');  // a well-formed commit id

std::string repeat(std::string_view piece, std::size_t times) {
  std::string out;
  out.reserve(piece.size() * times);
  for (std::size_t i = 0; i < times; ++i) out += piece;
  return out;
}

// A replace of clause c1 with `text` (already JSON-escaped).
std::string replace_with(const std::string& text_json) {
  return R"({"type":"amend","op":"replace","clause":"c1","base":")" + rev + R"(","text":)" +
         text_json + "}";
}

const parse_failure* failure_of(const parse_result& r) { return std::get_if<parse_failure>(&r); }

// ---- hostile frames ---------------------------------------------------------------------

struct hostile_case {
  const char* name;
  std::string frame;
  std::string message;  // the exact error, or a part of it when `exact` is false
  bool exact = true;
  error_code code = error_code::bad_request;
  message_id id = {};
};

// Test names say which case failed; the bytes would only be noise in the log.
void PrintTo(const hostile_case& c, std::ostream* os) { *os << c.name; }

class Hostile : public ::testing::TestWithParam<hostile_case> {};

TEST_P(Hostile, IsRefusedWithAPreciseError) {
  const hostile_case& c = GetParam();
  const auto started = std::chrono::steady_clock::now();
  const parse_result result = parse_client_message(c.frame);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_LT(elapsed, std::chrono::milliseconds(500)) << "too slow";
  const parse_failure* f = failure_of(result);
  ASSERT_NE(f, nullptr) << "accepted: " << c.frame.substr(0, 200);
  EXPECT_EQ(f->code, c.code);
  if (c.exact) {
    EXPECT_EQ(f->message, c.message);
  } else {
    EXPECT_NE(f->message.find(c.message), std::string::npos) << f->message;
  }
  EXPECT_EQ(f->id, c.id);
}

std::string hostile_name(const ::testing::TestParamInfo<hostile_case>& info) {
  return info.param.name;
}

const std::string text_16385 = std::string(16385, 'x');
const std::string text_17002 = std::string(17002, 'y');
const std::string note_2049 = std::string(2049, 'n');

INSTANTIATE_TEST_SUITE_P(
    Frames, Hostile,
    ::testing::Values(
        // -- not a JSON object --
        hostile_case{"NotJson", "hello", "message is not valid JSON: invalid value (at offset 0)."},
        hostile_case{"Truncated", R"({"type":"join")",
                     "message is not valid JSON: missing a comma or '}' after an object member",
                     false},
        hostile_case{"TrailingGarbage", R"({"type":"focus","clause":null} x)",
                     "message is not valid JSON: the document root must not be followed by other "
                     "values (at offset 31)."},
        hostile_case{"EmptyFrame", "", "message is empty; send a JSON object with a `type`."},
        hostile_case{"OnlySpaces", "   ",
                     "message is not valid JSON: the document is empty (at offset 3)."},
        hostile_case{"ArrayTopLevel", R"([{"type":"join"}])",
                     "message must be a JSON object, not an array."},
        hostile_case{"StringTopLevel", R"("join")", "message must be a JSON object, not a string."},
        hostile_case{"NumberTopLevel", "42", "message must be a JSON object, not a number."},
        hostile_case{"NullTopLevel", "null", "message must be a JSON object, not null."},
        hostile_case{"NaNLiteral", R"({"type":"focus","clause":NaN})", "not valid JSON", false},
        hostile_case{"RawNulByte", "{\"type\":\"focus\",\"clause\":null}\0{\"type\":\"join\"}"s,
                     "message is not valid JSON: it contains a raw NUL byte (at offset 30)."},
        // -- type --
        hostile_case{"UnknownType", R"({"type":"foo"})",
                     "unknown message type `foo`; expected one of join, amend, history, blame, "
                     "focus, stage, sponsors, propose, support, withdraw, open_vote, vote, "
                     "close_vote, restart_vote, tag, bracket, resolve, typing, settings, "
                     "comment, reply, resolve_thread, reopen_thread."},
        hostile_case{"MissingType", R"({"clause":"c1"})",
                     "`type` is missing; expected one of join, amend, history, blame, focus, "
                     "stage, sponsors, propose, support, withdraw, open_vote, vote, close_vote, "
                     "restart_vote, tag, bracket, resolve, typing, settings, comment, reply, "
                     "resolve_thread, reopen_thread."},
        hostile_case{"TypeNotString", R"({"type":3})", "`type` must be a string, not a number."},
        // -- live wording (docs/extensions.md) --
        hostile_case{"TypingWithoutBase", R"({"type":"typing","clause":"c1","text":"x"})",
                     "`base` is missing", false},
        hostile_case{"TypingTextBlank",
                     R"({"type":"typing","clause":"c1","base":")" + rev + R"(","text":"   "})",
                     "`text`", false},
        hostile_case{"TypingTextOverAClause",
                     R"({"type":"typing","clause":"c1","base":")" + rev + R"(","text":")" +
                         std::string(16385, 'x') + R"("})",
                     "`text` is 16,385 bytes", false},
        hostile_case{"TypingWithoutClause", R"({"type":"typing","text":null})",
                     "`clause` is missing", false},
        hostile_case{"SettingsNotABoolean", R"({"type":"settings","live_wording":"off"})",
                     "`live_wording` must be true or false, not a string", false},
        hostile_case{"SettingsMissing", R"({"type":"settings"})", "`live_wording` is missing",
                     false},
        // -- comments (docs/extensions.md) --
        hostile_case{"CommentWithoutText", R"({"type":"comment","clause":"c1"})",
                     "`text` is missing", false},
        hostile_case{"CommentTextBlank", R"({"type":"comment","clause":"c1","text":" \n "})",
                     "`text` is empty: write the comment.", false},
        hostile_case{
            "CommentTextOverANote",
            R"({"type":"comment","clause":"c1","text":")" + std::string(2049, 'x') + R"("})",
            "`text` is 2,049 bytes", false},
        hostile_case{"CommentSpanWithoutBase",
                     R"({"type":"comment","clause":"c1","start":1,"end":4,"text":"x"})",
                     "`base` is missing", false},
        hostile_case{
            "CommentSpanWithoutEnd",
            R"({"type":"comment","clause":"c1","base":")" + rev + R"(","start":1,"text":"x"})",
            "`end` is missing", false},
        hostile_case{"CommentSpanEmpty",
                     R"({"type":"comment","clause":"c1","base":")" + rev +
                         R"(","start":4,"end":4,"text":"x"})",
                     "`end` must be greater than `start`", false},
        hostile_case{"CommentOnClauseAndProposal",
                     R"({"type":"comment","clause":"c1","proposal":2,"text":"x"})",
                     "`clause` cannot be given with `proposal`", false},
        hostile_case{"ReplyWithoutThread", R"({"type":"reply","text":"x"})", "`thread` is missing",
                     false},
        hostile_case{"ResolveThreadZero", R"({"type":"resolve_thread","thread":0})", "`thread`",
                     false},
        hostile_case{"ReopenThreadNotANumber", R"({"type":"reopen_thread","thread":"1"})",
                     "`thread`", false},
        hostile_case{"TypeNull", R"({"type":null})", "`type` must be a string, not null."},
        hostile_case{"TypeTwice", R"({"type":"focus","type":"amend","clause":null})",
                     "`type` appears more than once."},
        hostile_case{"TypeLongEchoCut", R"({"type":")" + std::string(100, 'z') + R"("})",
                     "unknown message type `" + std::string(32, 'z') + "\u2026`; expected", false},
        // -- join --
        hostile_case{"JoinWithoutCode", R"({"type":"join"})", "`code` is missing."},
        hostile_case{"JoinCodeNumber", R"({"type":"join","code":12})",
                     "`code` must be a string, not a number."},
        hostile_case{"JoinCodeEmpty", R"({"type":"join","code":""})", "`code` is empty."},
        hostile_case{"JoinCodeTooLong",
                     R"({"type":"join","code":")" + std::string(129, 'A') + "\"}",
                     "`code` is 129 bytes; the limit is 128."},
        hostile_case{"JoinDraftNotSlug", R"({"type":"join","code":"abc","draft":"../etc"})",
                     "`draft` must be a slug (1 to 63 of a-z, 0-9 and -, not starting with -)."},
        hostile_case{"JoinDraftObject", R"({"type":"join","code":"abc","draft":{}})",
                     "`draft` must be a slug or null, not an object."},
        // -- amend: op and fields per op --
        hostile_case{"AmendWithoutOp", R"({"type":"amend","clause":"c1"})", "`op` is missing."},
        hostile_case{"AmendUnknownOp", R"({"type":"amend","op":"rename"})",
                     "`op` is `rename`; expected one of replace, insert, delete, move."},
        hostile_case{"AmendOpArray", R"({"type":"amend","op":["replace"]})",
                     "`op` must be a string, not an array."},
        hostile_case{"ReplaceWithoutClause",
                     R"({"type":"amend","op":"replace","base":")" + rev + R"(","text":"t"})",
                     "`clause` is missing."},
        hostile_case{"ReplaceWithoutBase",
                     R"({"type":"amend","op":"replace","clause":"c1","text":"t"})",
                     "`base` is missing."},
        hostile_case{"ReplaceWithoutText",
                     R"({"type":"amend","op":"replace","clause":"c1","base":")" + rev + "\"}",
                     "`text` is missing."},
        hostile_case{"ReplaceTextNumber", replace_with("5"),
                     "`text` must be a string, not a number."},
        hostile_case{"ReplaceTextNull", replace_with("null"), "`text` must be a string, not null."},
        hostile_case{"BaseUpperCase",
                     R"({"type":"amend","op":"delete","clause":"c1","base":")" +
                         std::string(40, 'A') + "\"}",
                     "`base` must be a commit id (40 lower-case hex digits)."},
        hostile_case{"BaseTooShort",
                     R"({"type":"amend","op":"delete","clause":"c1","base":")" +
                         std::string(39, 'a') + "\"}",
                     "`base` must be a commit id (40 lower-case hex digits)."},
        hostile_case{"BaseNotHex",
                     R"({"type":"amend","op":"delete","clause":"c1","base":")" +
                         std::string(40, 'g') + "\"}",
                     "`base` must be a commit id (40 lower-case hex digits)."},
        hostile_case{"ClauseDotDot", R"({"type":"history","clause":"../x"})",
                     "`clause` must be a clause id (1 to 32 of a-z, 0-9 and -)."},
        hostile_case{"ClauseUpper", R"({"type":"blame","clause":"A"})",
                     "`clause` must be a clause id (1 to 32 of a-z, 0-9 and -)."},
        hostile_case{"Clause33Chars",
                     R"({"type":"history","clause":")" + std::string(33, 'c') + "\"}",
                     "`clause` must be a clause id (1 to 32 of a-z, 0-9 and -)."},
        hostile_case{"ClauseEmpty", R"({"type":"history","clause":""})",
                     "`clause` must be a clause id (1 to 32 of a-z, 0-9 and -)."},
        hostile_case{"ClauseWithNul", R"({"type":"history","clause":"c1\u0000x"})",
                     "`clause` must be a clause id (1 to 32 of a-z, 0-9 and -)."},
        hostile_case{"TextOneOverLimit", replace_with("\"" + text_16385 + "\""),
                     "`text` is 16,385 bytes; the limit is 16,384."},
        hostile_case{"TextFarOverLimit", replace_with("\"" + text_17002 + "\""),
                     "`text` is 17,002 bytes; the limit is 16,384."},
        // A NUL must count: truncating at it would leave 1 byte and pass.
        hostile_case{"TextNulCountsTowardsLimit",
                     replace_with("\"a\\u0000" + std::string(16384, 'x') + "\""),
                     "`text` is 16,386 bytes; the limit is 16,384."},
        hostile_case{"TextNulIsControl", replace_with(R"("ab\u0000cd")"),
                     "`text` contains a control character (U+0000) at byte 2; only line breaks "
                     "and tabs are allowed."},
        hostile_case{"TextBell", replace_with(R"("Ding\u0007")"),
                     "`text` contains a control character (U+0007) at byte 4; only line breaks "
                     "and tabs are allowed."},
        hostile_case{"TextC1Control", replace_with(R"("x\u0085y")"),
                     "`text` contains a control character (U+0085) at byte 1; only line breaks "
                     "and tabs are allowed."},
        // Bidirectional controls (issue 21 item 6): `bad_request`, the code for bad text.
        hostile_case{"TextRightToLeftOverride", replace_with(R"("pay \u202e0001$")"),
                     "`text` contains U+202E RIGHT-TO-LEFT OVERRIDE at byte 4, which is not "
                     "allowed: bidirectional controls make text display in another order than "
                     "the one stored."},
        hostile_case{"TextLeftToRightEmbedding", replace_with(R"("\u202a")"),
                     "`text` contains U+202A LEFT-TO-RIGHT EMBEDDING at byte 0, which is not "
                     "allowed: bidirectional controls make text display in another order than "
                     "the one stored."},
        hostile_case{"TextPopDirectionalIsolate", replace_with(R"("a\u00e9\u2069")"),
                     "`text` contains U+2069 POP DIRECTIONAL ISOLATE at byte 3, which is not "
                     "allowed: bidirectional controls make text display in another order than "
                     "the one stored."},
        hostile_case{"NoteFirstStrongIsolate",
                     R"({"type":"amend","op":"move","clause":"c1","after":null,"note":"\u2068x"})",
                     "`note` contains U+2068 FIRST STRONG ISOLATE at byte 0, which is not "
                     "allowed: bidirectional controls make text display in another order than "
                     "the one stored."},
        hostile_case{"TextEmpty", replace_with(R"("")"), "`text` is empty."},
        hostile_case{"TextBlank", replace_with(R"(" \n\t\u3000 ")"),
                     "`text` is blank (only white space)."},
        hostile_case{"TextLoneSurrogateEscape", replace_with(R"("a\udc00b")"),
                     "`text` is not valid UTF-8."},
        hostile_case{"TextBrokenSurrogatePair", replace_with(R"("a\ud800b")"),
                     "not valid JSON: the surrogate pair in string is invalid", false},
        hostile_case{"NoteOverLimit",
                     R"({"type":"amend","op":"move","clause":"c1","after":null,"note":")" +
                         note_2049 + "\"}",
                     "`note` is 2,049 bytes; the limit is 2,048."},
        hostile_case{"NoteNumber",
                     R"({"type":"amend","op":"move","clause":"c1","after":null,"note":1})",
                     "`note` must be a string or null, not a number."},
        hostile_case{"InsertWithoutAfter",
                     R"({"type":"amend","op":"insert","kind":"preamble","text":"t"})",
                     "`after` is missing."},
        hostile_case{"InsertAfterNumber",
                     R"({"type":"amend","op":"insert","after":3,"kind":"preamble","text":"t"})",
                     "`after` must be a clause id or null, not a number."},
        hostile_case{"InsertWithoutKind",
                     R"({"type":"amend","op":"insert","after":null,"text":"t"})",
                     "`kind` is missing."},
        hostile_case{"InsertBadKind",
                     R"({"type":"amend","op":"insert","after":null,"kind":"chapter","text":"t"})",
                     "`kind` is `chapter`; expected one of heading, preamble, operative."},
        hostile_case{"InsertWithoutText",
                     R"({"type":"amend","op":"insert","after":null,"kind":"heading"})",
                     "`text` is missing."},
        hostile_case{"DeleteWithoutBase", R"({"type":"amend","op":"delete","clause":"c1"})",
                     "`base` is missing."},
        hostile_case{"MoveAfterItself",
                     R"({"type":"amend","op":"move","clause":"c4","after":"c4"})",
                     "`after` must not be the clause being moved (`clause`)."},
        hostile_case{"MoveWithoutAfter", R"({"type":"amend","op":"move","clause":"c4"})",
                     "`after` is missing."},
        hostile_case{"MoveWithoutClause", R"({"type":"amend","op":"move","after":null})",
                     "`clause` is missing."},
        // -- history, blame, focus --
        hostile_case{"HistoryWithoutClause", R"({"type":"history"})", "`clause` is missing."},
        hostile_case{"BlameClauseNull", R"({"type":"blame","clause":null})",
                     "`clause` must be a clause id, not null."},
        hostile_case{"FocusWithoutClause", R"({"type":"focus"})", "`clause` is missing."},
        hostile_case{"FocusClauseNumber", R"({"type":"focus","clause":7})",
                     "`clause` must be a clause id or null, not a number."},
        // -- id --
        hostile_case{"IdFloat", R"({"id":1.5,"type":"focus","clause":null})",
                     "`id` must be an integer or a string of at most 64 characters, not a "
                     "number with a fraction or exponent."},
        hostile_case{"IdBool", R"({"id":true,"type":"focus","clause":null})",
                     "`id` must be an integer or a string of at most 64 characters, not a "
                     "boolean."},
        hostile_case{"IdObject", R"({"id":{"n":1},"type":"focus","clause":null})",
                     "`id` must be an integer or a string of at most 64 characters, not an "
                     "object."},
        hostile_case{"IdNull", R"({"id":null,"type":"focus","clause":null})",
                     "`id` must be an integer or a string of at most 64 characters, not null."},
        hostile_case{"IdBeyondInt64", R"({"id":18446744073709551615,"type":"focus","clause":null})",
                     "`id` must be an integer or a string of at most 64 characters, not an "
                     "integer outside the 64-bit range."},
        hostile_case{"Id65Chars",
                     R"({"id":")" + std::string(65, 'i') + R"(","type":"focus","clause":null})",
                     "`id` is 65 characters; the limit is 64."},
        hostile_case{"IdTwice", R"({"id":1,"id":2,"type":"focus","clause":null})",
                     "`id` appears more than once."},
        hostile_case{"IdHugeExponent", R"({"id":1e999,"type":"focus","clause":null})",
                     "message is not valid JSON: number too big to be stored in double", false},
        // -- errors echo a valid id --
        hostile_case{"EchoesIntegerId", R"({"id":7,"type":"amend","op":"replace"})",
                     "`clause` is missing.", true, error_code::bad_request, std::int64_t{7}},
        hostile_case{"EchoesStringId", R"({"type":"nope","id":"req-1"})",
                     "unknown message type `nope`", false, error_code::bad_request,
                     std::string("req-1")},
        // -- encoding, nesting and size --
        hostile_case{"InvalidUtf8InString", "{\"type\":\"join\",\"code\":\"ab\xff\"}",
                     "message is not valid UTF-8 (at offset 25)."},
        hostile_case{"OverlongUtf8", "{\"type\":\"join\",\"code\":\"\xc0\xaf\"}",
                     "message is not valid UTF-8 (at offset 23)."},
        hostile_case{"EncodedSurrogate", "{\"type\":\"join\",\"code\":\"\xed\xa0\x80\"}",
                     "message is not valid UTF-8 (at offset 23)."},
        hostile_case{"InvalidUtf8OutsideString", "{\"type\":\"join\"\xfe}",
                     "message is not valid UTF-8 (at offset 14)."},
        hostile_case{"DeepArrays", repeat("[", 100000) + repeat("]", 100000),
                     "message is nested deeper than 16 levels (at offset 16)."},
        // 50,000 levels of objects is as deep as fits in one frame (see draft_file_test for
        // 100,000); deeper still is refused by size before it is parsed.
        hostile_case{"DeepObjects", repeat(R"({"":)", 50000) + "1" + repeat("}", 50000),
                     "message is nested deeper than 16 levels (at offset 64)."},
        hostile_case{
            "DeepObjectsOverFrameSize", repeat(R"({"a":)", 100000) + "1" + repeat("}", 100000),
            "message is 600,001 bytes; the limit is 262,144.", true, error_code::too_large},
        hostile_case{"UnclosedDeepArrays", repeat("[", 100000),
                     "message is nested deeper than 16 levels (at offset 16)."},
        hostile_case{"DeepInsideField",
                     R"({"type":"focus","clause":)" + repeat("[", 16) + repeat("]", 16) + "}",
                     "message is nested deeper than 16 levels", false},
        hostile_case{"AtDepthLimitIsJsonButWrongType",
                     R"({"type":"focus","clause":)" + repeat("[", 15) + repeat("]", 15) + "}",
                     "`clause` must be a clause id or null, not an array."},
        hostile_case{"FrameOver256KiB", std::string(max_frame_bytes + 1, ' '),
                     "message is 262,145 bytes; the limit is 262,144.", true,
                     error_code::too_large}),
    hostile_name);

// ---- valid frames ------------------------------------------------------------------------

TEST(ParseClientMessage, Join) {
  const auto r =
      parse_client_message(R"({"type":"join","code":"s3cr3t-_","draft":"code-of-conduct"})");
  const auto m = message_of<join_msg>(r);
  EXPECT_EQ(m.code, "s3cr3t-_");
  EXPECT_EQ(m.draft, "code-of-conduct");
  EXPECT_EQ(std::get<parsed_message>(r).id, message_id{});
}

TEST(ParseClientMessage, JoinKeepsNulInCode) {
  // The server decides whether a code is valid; the parser must hand it over whole.
  const auto m =
      message_of<join_msg>(parse_client_message(R"({"type":"join","code":"ab\u0000cd"})"));
  EXPECT_EQ(m.code.size(), 5u);
  EXPECT_EQ(m.code, "ab\0cd"s);
  EXPECT_FALSE(m.draft.has_value());
}

TEST(ParseClientMessage, JoinDraftNullIsAbsent) {
  const auto m =
      message_of<join_msg>(parse_client_message(R"({"type":"join","code":"x","draft":null})"));
  EXPECT_FALSE(m.draft.has_value());
}

TEST(ParseClientMessage, ReplaceWithUnicodeText) {
  const std::string text = "Über — 日本語 😀\n\tend";
  const auto r =
      parse_client_message(R"({"id":12,"type":"amend","op":"replace","clause":"c1","base":")" +
                           rev + R"(","text":"Über — 日本語 \ud83d\ude00\n\tend","note":"why"})");
  const auto m = message_of<amend_msg>(r);
  EXPECT_EQ(m.op, amend_op::replace);
  EXPECT_EQ(m.clause, "c1");
  EXPECT_EQ(m.base, rev);
  EXPECT_EQ(m.text, text);
  EXPECT_EQ(m.note, "why");
  EXPECT_EQ(std::get<parsed_message>(r).id, message_id{std::int64_t{12}});
}

TEST(ParseClientMessage, TextAndNoteExactlyAtLimitAreAccepted) {
  const std::string text(max_text_bytes, 't');
  const std::string note(max_note_bytes, 'n');
  const auto m = message_of<amend_msg>(
      parse_client_message(R"({"type":"amend","op":"replace","clause":"c1","base":")" + rev +
                           R"(","text":")" + text + R"(","note":")" + note + "\"}"));
  EXPECT_EQ(m.text.size(), max_text_bytes);
  EXPECT_EQ(m.note.size(), max_note_bytes);
}

TEST(ParseClientMessage, MultiByteTextAtLimitCountsBytes) {
  // 4,096 four-byte characters are exactly 16,384 bytes; one more byte is over.
  const std::string text = repeat("😀", 4096);
  EXPECT_TRUE(std::holds_alternative<parsed_message>(
      parse_client_message(replace_with("\"" + text + "\""))));
  const auto r = parse_client_message(replace_with("\"" + text + "x\""));
  ASSERT_NE(failure_of(r), nullptr);
  EXPECT_EQ(failure_of(r)->message, "`text` is 16,385 bytes; the limit is 16,384.");
}

TEST(ParseClientMessage, InsertAfterNullAndAfterId) {
  const auto top = message_of<amend_msg>(parse_client_message(
      R"({"type":"amend","op":"insert","after":null,"kind":"preamble","text":"Recalling","note":null})"));
  EXPECT_EQ(top.op, amend_op::insert);
  EXPECT_FALSE(top.after.has_value());
  EXPECT_EQ(top.kind, clause_kind::preamble);
  EXPECT_EQ(top.text, "Recalling");
  EXPECT_EQ(top.note, "");
  const auto after = message_of<amend_msg>(parse_client_message(
      R"({"type":"amend","op":"insert","after":"c3","kind":"heading","text":"Pledges:"})"));
  EXPECT_EQ(after.after, "c3");
  EXPECT_EQ(after.kind, clause_kind::heading);
}

TEST(ParseClientMessage, DeleteAndMove) {
  const auto del = message_of<amend_msg>(parse_client_message(
      R"({"type":"amend","op":"delete","clause":"c-9","base":")" + rev + R"(","text":"ignored"})"));
  EXPECT_EQ(del.op, amend_op::remove);
  EXPECT_EQ(del.clause, "c-9");
  EXPECT_EQ(del.base, rev);
  EXPECT_EQ(del.text, "");
  const auto move = message_of<amend_msg>(parse_client_message(
      R"({"type":"amend","op":"move","clause":"c2","after":null,"note":"to the top"})"));
  EXPECT_EQ(move.op, amend_op::move);
  EXPECT_EQ(move.clause, "c2");
  EXPECT_FALSE(move.after.has_value());
  EXPECT_EQ(move.note, "to the top");
}

TEST(ParseClientMessage, HistoryBlameFocus) {
  EXPECT_EQ(
      message_of<history_msg>(parse_client_message(R"({"type":"history","clause":"c1"})")).clause,
      "c1");
  EXPECT_EQ(message_of<blame_msg>(parse_client_message(R"({"type":"blame","clause":"c2"})")).clause,
            "c2");
  EXPECT_EQ(message_of<focus_msg>(parse_client_message(R"({"type":"focus","clause":"c3"})")).clause,
            "c3");
  EXPECT_FALSE(
      message_of<focus_msg>(parse_client_message(R"({"type":"focus","clause":null})")).clause);
}

TEST(ParseClientMessage, CommentsOnAClauseASpanAndAProposal) {
  const auto on_clause = message_of<comment_msg>(
      parse_client_message(R"({"type":"comment","clause":"c1","text":"Hm"})"));
  EXPECT_EQ(on_clause.clause, "c1");
  EXPECT_FALSE(on_clause.start);
  EXPECT_FALSE(on_clause.proposal);
  const auto on_span = message_of<comment_msg>(parse_client_message(
      R"({"type":"comment","clause":"c1","base":")" + rev + R"(","start":3,"end":9,"text":"Hm"})"));
  EXPECT_EQ(on_span.base, rev);
  EXPECT_EQ(on_span.start, 3);
  EXPECT_EQ(on_span.end, 9);
  const auto on_proposal = message_of<comment_msg>(
      parse_client_message(R"({"type":"comment","proposal":2,"text":"Hm"})"));
  EXPECT_EQ(on_proposal.proposal, 2);
  EXPECT_EQ(on_proposal.clause, "");
  const auto reply =
      message_of<reply_msg>(parse_client_message(R"({"type":"reply","thread":4,"text":"Yes"})"));
  EXPECT_EQ(reply.thread, 4);
  EXPECT_EQ(reply.text, "Yes");
  EXPECT_EQ(message_of<resolve_thread_msg>(
                parse_client_message(R"({"type":"resolve_thread","thread":4})"))
                .thread,
            4);
  EXPECT_EQ(
      message_of<reopen_thread_msg>(parse_client_message(R"({"type":"reopen_thread","thread":5})"))
          .thread,
      5);
}

TEST(ParseClientMessage, TypingAndSettings) {
  const auto typing = message_of<typing_msg>(parse_client_message(
      R"({"type":"typing","clause":"c1","base":")" + rev + R"(","text":"shall endeavour"})"));
  EXPECT_EQ(typing.clause, "c1");
  EXPECT_EQ(typing.base, rev);
  EXPECT_EQ(typing.text, "shall endeavour");
  const auto stop = message_of<typing_msg>(
      parse_client_message(R"({"type":"typing","clause":"c1","text":null})"));
  EXPECT_FALSE(stop.text);
  EXPECT_EQ(stop.base, "");
  EXPECT_FALSE(
      message_of<settings_msg>(parse_client_message(R"({"type":"settings","live_wording":false})"))
          .live_wording);
  EXPECT_TRUE(
      message_of<settings_msg>(parse_client_message(R"({"type":"settings","live_wording":true})"))
          .live_wording);
}

TEST(ParseClientMessage, ClauseIdAt32CharsIsAccepted) {
  const std::string id(32, '-');
  EXPECT_EQ(
      message_of<history_msg>(parse_client_message(R"({"type":"history","clause":")" + id + "\"}"))
          .clause,
      id);
}

TEST(ParseClientMessage, ForgedIdentityFieldsAreIgnored) {
  const std::string plain =
      R"({"type":"amend","op":"replace","clause":"c1","base":")" + rev + R"(","text":"t"})";
  const std::string forged =
      R"({"type":"amend","by":{"state":"USA","name":"United States"},"state":"USA",)"
      R"("author":"USA","role":"chair","op":"replace","clause":"c1","base":")" +
      rev + R"(","text":"t"})";
  const auto a = message_of<amend_msg>(parse_client_message(plain));
  const auto b = message_of<amend_msg>(parse_client_message(forged));
  EXPECT_EQ(a.op, b.op);
  EXPECT_EQ(a.clause, b.clause);
  EXPECT_EQ(a.base, b.base);
  EXPECT_EQ(a.text, b.text);
  EXPECT_EQ(a.note, b.note);
}

TEST(ParseClientMessage, IdForms) {
  const auto id_of = [](const std::string& id_json) {
    const auto r = parse_client_message(R"({"type":"focus","clause":null,"id":)" + id_json + "}");
    const auto* parsed = std::get_if<parsed_message>(&r);
    return parsed ? parsed->id : message_id{std::string("<refused>")};
  };
  EXPECT_EQ(id_of("0"), message_id{std::int64_t{0}});
  EXPECT_EQ(id_of("-5"), message_id{std::int64_t{-5}});
  EXPECT_EQ(id_of("9223372036854775807"), message_id{INT64_MAX});
  EXPECT_EQ(id_of("-9223372036854775808"), message_id{INT64_MIN});
  EXPECT_EQ(id_of(R"("abc")"), message_id{std::string("abc")});
  EXPECT_EQ(id_of(R"("")"), message_id{std::string()});
  EXPECT_EQ(id_of(R"("a\u0000b")"), message_id{"a\0b"s});
  EXPECT_EQ(id_of("\"" + std::string(64, 'i') + "\""), message_id{std::string(64, 'i')});
  // The limit is in characters: 64 two-byte characters are 128 bytes and still fine.
  EXPECT_EQ(id_of("\"" + repeat("é", 64) + "\""), message_id{repeat("é", 64)});
}

TEST(ParseClientMessage, NestingUpToTheLimitInUnknownFieldsIsFine) {
  // The root object is level 1; 15 more levels in an ignored field make 16.
  const std::string frame =
      R"({"type":"focus","clause":null,"extra":)" + repeat("[", 15) + repeat("]", 15) + "}";
  EXPECT_TRUE(std::holds_alternative<parsed_message>(parse_client_message(frame)));
}

TEST(ParseClientMessage, FrameOfExactly256KiBIsParsed) {
  std::string frame = R"({"type":"focus","clause":null})";
  frame.resize(max_frame_bytes, ' ');
  EXPECT_TRUE(std::holds_alternative<parsed_message>(parse_client_message(frame)));
}

TEST(ParseClientMessage, WideFrameJustUnderTheLimitIsQuick) {
  // Many members: duplicate detection must not be quadratic.
  std::string frame = R"({"type":"focus","clause":null)";
  for (int i = 0; frame.size() < max_frame_bytes - 32; ++i)
    frame += ",\"k" + std::to_string(i) + "\":0";
  frame += "}";
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(std::holds_alternative<parsed_message>(parse_client_message(frame)));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(500));
}

}  // namespace
}  // namespace plenary::protocol
