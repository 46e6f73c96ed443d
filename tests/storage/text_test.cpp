// Tests of the contract's rules for names and texts (protocol.md, "Words").
#include "storage/text.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <string_view>

#include "storage/model.hpp"

namespace plenary::storage {
namespace {

// ---------------------------------------------------------------------------------------
// is_valid_utf8

struct utf8_case {
  const char* name;
  std::string bytes;
  bool valid;
};

// Test names say which case failed; the bytes would only be noise in the log.
void PrintTo(const utf8_case& c, std::ostream* os) { *os << c.name; }

class text_utf8 : public ::testing::TestWithParam<utf8_case> {};

TEST_P(text_utf8, accepts_only_well_formed_sequences) {
  EXPECT_EQ(is_valid_utf8(GetParam().bytes), GetParam().valid);
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(
    cases, text_utf8,
    ::testing::Values(
        utf8_case{"empty", "", true},
        utf8_case{"ascii", "The States shall", true},
        utf8_case{"nul_is_a_character", std::string("a\0b", 3), true},
        utf8_case{"u0080", "\xc2\x80", true},
        utf8_case{"u00e9", "\xc3\xa9", true},
        utf8_case{"u07ff", "\xdf\xbf", true},
        utf8_case{"u0800", "\xe0\xa0\x80", true},
        utf8_case{"u20ac", "\xe2\x82\xac", true},
        utf8_case{"ud7ff", "\xed\x9f\xbf", true},
        utf8_case{"ue000", "\xee\x80\x80", true},
        utf8_case{"uffff", "\xef\xbf\xbf", true},
        utf8_case{"u10000", "\xf0\x90\x80\x80", true},
        utf8_case{"u1d11e", "\xf0\x9d\x84\x9e", true},
        utf8_case{"u10ffff", "\xf4\x8f\xbf\xbf", true},
        utf8_case{"mixed_scripts", "Государства 各国 الدول 👨‍👩‍👧", true},
        // Overlong encodings.
        utf8_case{"overlong_nul", "\xc0\x80", false},
        utf8_case{"overlong_c1", "\xc1\xbf", false},
        utf8_case{"overlong_3_bytes", "\xe0\x80\x80", false},
        utf8_case{"overlong_3_bytes_max", "\xe0\x9f\xbf", false},
        utf8_case{"overlong_4_bytes", "\xf0\x80\x80\x80", false},
        utf8_case{"overlong_4_bytes_max", "\xf0\x8f\xbf\xbf", false},
        // Surrogates.
        utf8_case{"surrogate_d800", "\xed\xa0\x80", false},
        utf8_case{"surrogate_dfff", "\xed\xbf\xbf", false},
        utf8_case{"surrogate_pair", "\xed\xa0\xbd\xed\xb8\x80", false},
        // Above U+10FFFF.
        utf8_case{"u110000", "\xf4\x90\x80\x80", false},
        utf8_case{"lead_f5", "\xf5\x80\x80\x80", false},
        utf8_case{"lead_ff", "\xff", false},
        utf8_case{"lead_fe", "\xfe", false},
        // Stray and missing continuation bytes.
        utf8_case{"lone_continuation", "\x80", false},
        utf8_case{"lone_continuation_bf", "a\xbf", false},
        utf8_case{"truncated_2", "\xc3", false},
        utf8_case{"truncated_3", "\xe2\x82", false},
        utf8_case{"truncated_4", "\xf0\x9f\x98", false},
        utf8_case{"truncated_then_ascii", std::string("\xe2\x82") + "a", false},
        utf8_case{"truncated_at_end", "States\xc3", false},
        utf8_case{"two_leads", "\xc3\xc3\xa9", false}),
    [](const ::testing::TestParamInfo<utf8_case>& p) { return p.param.name; });
// clang-format on

// ---------------------------------------------------------------------------------------
// Names

struct name_case {
  std::string value;
  bool valid;
};

class text_slug : public ::testing::TestWithParam<name_case> {};
TEST_P(text_slug, matches_the_pattern) {
  EXPECT_EQ(is_valid_slug(GetParam().value), GetParam().valid) << GetParam().value;
}
// clang-format off
INSTANTIATE_TEST_SUITE_P(
    cases, text_slug,
    ::testing::Values(name_case{"a", true}, name_case{"0", true},
                      name_case{"code-of-conduct", true}, name_case{"a-", true},
                      name_case{"a--b", true}, name_case{"2026-treaty", true},
                      name_case{std::string(63, 'a'), true},
                      name_case{"a" + std::string(62, '-'), true},
                      name_case{std::string(64, 'a'), false}, name_case{"", false},
                      name_case{"-a", false}, name_case{"A", false},
                      name_case{"code-Of-conduct", false}, name_case{"a_b", false},
                      name_case{"a b", false}, name_case{"a.b", false},
                      name_case{"a/b", false}, name_case{"caf\xc3\xa9", false},
                      name_case{std::string("a\0b", 3), false}));
// clang-format on

class text_clause_id : public ::testing::TestWithParam<name_case> {};
TEST_P(text_clause_id, matches_the_pattern) {
  EXPECT_EQ(is_valid_clause_id(GetParam().value), GetParam().valid) << GetParam().value;
}
// clang-format off
INSTANTIATE_TEST_SUITE_P(
    cases, text_clause_id,
    ::testing::Values(name_case{"c1", true}, name_case{"-", true}, name_case{"-c", true},
                      name_case{"a-b-9", true}, name_case{std::string(32, 'z'), true},
                      name_case{std::string(33, 'z'), false}, name_case{"", false},
                      name_case{"C1", false}, name_case{"c_1", false}, name_case{"c.1", false},
                      name_case{"c 1", false}, name_case{"../c1", false}));
// clang-format on

class text_state_code : public ::testing::TestWithParam<name_case> {};
TEST_P(text_state_code, matches_the_pattern) {
  EXPECT_EQ(is_valid_state_code(GetParam().value), GetParam().valid) << GetParam().value;
}
// clang-format off
INSTANTIATE_TEST_SUITE_P(
    cases, text_state_code,
    ::testing::Values(name_case{"RU", true}, name_case{"RUS", true}, name_case{"CHAIR", true},
                      name_case{"G77", true}, name_case{"12", true},
                      name_case{"ABCDEFGH", true}, name_case{"ABCDEFGHI", false},
                      name_case{"R", false}, name_case{"", false}, name_case{"rus", false},
                      name_case{"Rus", false}, name_case{"RU-S", false},
                      name_case{"RU S", false}, name_case{"\xc3\x89U", false}));
// clang-format on

class text_commit_id : public ::testing::TestWithParam<name_case> {};
TEST_P(text_commit_id, is_forty_lower_case_hex_digits) {
  EXPECT_EQ(is_valid_commit_id(GetParam().value), GetParam().valid) << GetParam().value;
}
// clang-format off
INSTANTIATE_TEST_SUITE_P(
    cases, text_commit_id,
    ::testing::Values(name_case{"0123456789abcdef0123456789abcdef01234567", true},
                      name_case{std::string(40, 'f'), true},
                      name_case{std::string(40, '0'), true},
                      name_case{std::string(39, 'a'), false},
                      name_case{std::string(41, 'a'), false}, name_case{"", false},
                      name_case{"0123456789ABCDEF0123456789abcdef01234567", false},
                      name_case{"0123456789abcdeg0123456789abcdef01234567", false},
                      name_case{"0123456789abcdef0123456789abcdef0123456 ", false}));
// clang-format on

// ---------------------------------------------------------------------------------------
// Texts

using checker = std::function<std::string(std::string_view, std::string_view)>;

struct check_case {
  const char* name;
  checker check;
  std::string field;
  std::string value;
  std::string expected;  // "" when the value is fine
};

const checker clause_text = [](std::string_view v, std::string_view f) {
  return check_clause_text(v, f);
};
const checker note = [](std::string_view v, std::string_view f) { return check_note(v, f); };
const checker title = [](std::string_view v, std::string_view f) { return check_title(v, f); };

class text_check : public ::testing::TestWithParam<check_case> {};

TEST_P(text_check, gives_the_expected_message) {
  const check_case& c = GetParam();
  const std::string message = c.check(c.value, c.field);
  EXPECT_EQ(message, c.expected);
  if (!message.empty()) {
    // One sentence that starts by naming the field.
    EXPECT_EQ(message.rfind("`" + c.field + "` ", 0), 0u) << message;
    EXPECT_EQ(message.back(), '.') << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

std::string repeat(std::string_view unit, std::size_t times) {
  std::string out;
  for (std::size_t k = 0; k < times; ++k) out += unit;
  return out;
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(
    clause_texts, text_check,
    ::testing::Values(
        check_case{"plain", clause_text, "text", "The States shall cooperate.", ""},
        check_case{"newlines_and_tabs", clause_text, "text", "(a)\tfirst;\n(b)\tsecond.", ""},
        check_case{"other_scripts", clause_text, "text", "各国应当合作。 Государства 👍", ""},
        check_case{"leading_and_trailing_space", clause_text, "text", "  x  \n", ""},
        check_case{"at_limit", clause_text, "text", std::string(16384, 'a'), ""},
        check_case{"at_limit_multibyte", clause_text, "text", repeat("\xd0\x96", 8192), ""},
        check_case{"one_over_limit", clause_text, "text", std::string(16385, 'a'),
                   "`text` is 16,385 bytes; the limit is 16,384."},
        check_case{"over_limit_example", clause_text, "text", std::string(17002, 'a'),
                   "`text` is 17,002 bytes; the limit is 16,384."},
        check_case{"far_over_limit", clause_text, "text", std::string(1000000, ' '),
                   "`text` is 1,000,000 bytes; the limit is 16,384."},
        check_case{"bell", clause_text, "text", "The States \x07shall",
                   "`text` contains a control character (U+0007) at byte 11; only newlines "
                   "and tabs are allowed."},
        check_case{"bell_at_12", clause_text, "text", "Each States \x07",
                   "`text` contains a control character (U+0007) at byte 12; only newlines "
                   "and tabs are allowed."},
        check_case{"nul", clause_text, "text", std::string("a\0b", 3),
                   "`text` contains a control character (U+0000) at byte 1; only newlines "
                   "and tabs are allowed."},
        check_case{"carriage_return", clause_text, "text", "line\r\nline",
                   "`text` contains a control character (U+000D) at byte 4; only newlines "
                   "and tabs are allowed."},
        check_case{"escape", clause_text, "text", "\x1b[31m",
                   "`text` contains a control character (U+001B) at byte 0; only newlines "
                   "and tabs are allowed."},
        check_case{"delete", clause_text, "text", "ab\x7f",
                   "`text` contains a control character (U+007F) at byte 2; only newlines "
                   "and tabs are allowed."},
        check_case{"c1_next_line", clause_text, "text", "\xc3\xa9\xc2\x85",
                   "`text` contains a control character (U+0085) at byte 2; only newlines "
                   "and tabs are allowed."},
        check_case{"c1_first", clause_text, "text", "x\xc2\x80",
                   "`text` contains a control character (U+0080) at byte 1; only newlines "
                   "and tabs are allowed."},
        check_case{"c1_last", clause_text, "text", "x\xc2\x9f",
                   "`text` contains a control character (U+009F) at byte 1; only newlines "
                   "and tabs are allowed."},
        // Bidirectional controls (issue 21 item 6), each named; neighbours stay allowed.
        check_case{"bidi_rlo", clause_text, "text", "pay \xe2\x80\xae" "0001$",
                   "`text` contains U+202E RIGHT-TO-LEFT OVERRIDE at byte 4, which is not "
                   "allowed: bidirectional controls make text display in another order than "
                   "the one stored."},
        check_case{"bidi_lre_first", clause_text, "text", "\xe2\x80\xaa" "x",
                   "`text` contains U+202A LEFT-TO-RIGHT EMBEDDING at byte 0, which is not "
                   "allowed: bidirectional controls make text display in another order than "
                   "the one stored."},
        check_case{"bidi_pdf", clause_text, "text", "x\xe2\x80\xac",
                   "`text` contains U+202C POP DIRECTIONAL FORMATTING at byte 1, which is not "
                   "allowed: bidirectional controls make text display in another order than "
                   "the one stored."},
        check_case{"bidi_lri", clause_text, "text", "x\xe2\x81\xa6",
                   "`text` contains U+2066 LEFT-TO-RIGHT ISOLATE at byte 1, which is not "
                   "allowed: bidirectional controls make text display in another order than "
                   "the one stored."},
        check_case{"bidi_pdi_after_blank", clause_text, "text", " \xe2\x81\xa9",
                   "`text` contains U+2069 POP DIRECTIONAL ISOLATE at byte 1, which is not "
                   "allowed: bidirectional controls make text display in another order than "
                   "the one stored."},
        check_case{"narrow_nbsp_202f_is_allowed", clause_text, "text", "10\xe2\x80\xaf" "000", ""},
        check_case{"word_joiner_2060_is_allowed", clause_text, "text", "a\xe2\x81\xa0" "b", ""},
        check_case{"rlm_200f_is_allowed", clause_text, "text", "a\xe2\x80\x8f" "b", ""},
        check_case{"nbsp_is_not_control", clause_text, "text", "x\xc2\xa0y", ""},
        check_case{"invalid_utf8", clause_text, "text", "Each \xff State",
                   "`text` is not valid UTF-8 (at byte 5)."},
        check_case{"truncated_utf8", clause_text, "text", "caf\xc3",
                   "`text` is not valid UTF-8 (at byte 3)."},
        check_case{"surrogate", clause_text, "text", "a\xed\xa0\x80",
                   "`text` is not valid UTF-8 (at byte 1)."},
        check_case{"overlong", clause_text, "text", "\xc0\xaf",
                   "`text` is not valid UTF-8 (at byte 0)."},
        check_case{"invalid_offset_with_separator", clause_text, "text",
                   std::string(1234, 'a') + "\xff", "`text` is not valid UTF-8 (at byte 1,234)."},
        check_case{"empty", clause_text, "text", "", "`text` is empty."},
        check_case{"blank", clause_text, "text", " \n\t  ",
                   "`text` contains only white space; it needs some visible text."},
        check_case{"blank_unicode", clause_text, "text", "\xc2\xa0\xe3\x80\x80\xe2\x80\x83",
                   "`text` contains only white space; it needs some visible text."},
        check_case{"field_named", clause_text, "clauses[2].text", "",
                   "`clauses[2].text` is empty."},
        check_case{"field_named_limit", clause_text, "clauses[2].text", std::string(20000, 'a'),
                   "`clauses[2].text` is 20,000 bytes; the limit is 16,384."}),
    [](const ::testing::TestParamInfo<check_case>& p) { return p.param.name; });
// clang-format on

// clang-format off
INSTANTIATE_TEST_SUITE_P(
    notes, text_check,
    ::testing::Values(
        check_case{"empty_is_fine", note, "note", "", ""},
        check_case{"blank_is_fine", note, "note", "  \n", ""},
        check_case{"plain", note, "note", "Aligns with the G77 position.\n\tSee annex.", ""},
        check_case{"at_limit", note, "note", std::string(2048, 'n'), ""},
        check_case{"at_limit_multibyte", note, "note", repeat("\xe5\x90\x88", 682) + "ab", ""},
        check_case{"one_over_limit", note, "note", std::string(2049, 'n'),
                   "`note` is 2,049 bytes; the limit is 2,048."},
        check_case{"control", note, "note", "ok\x01",
                   "`note` contains a control character (U+0001) at byte 2; only newlines and "
                   "tabs are allowed."},
        check_case{"c1", note, "note", "\xc2\x9b",
                   "`note` contains a control character (U+009B) at byte 0; only newlines and "
                   "tabs are allowed."},
        check_case{"invalid_utf8", note, "note", "abc\x80",
                   "`note` is not valid UTF-8 (at byte 3)."},
        check_case{"bidi_rli", note, "note", "ok \xe2\x81\xa7",
                   "`note` contains U+2067 RIGHT-TO-LEFT ISOLATE at byte 3, which is not "
                   "allowed: bidirectional controls make text display in another order than "
                   "the one stored."},
        check_case{"field_named", note, "reason", std::string(3000, 'n'),
                   "`reason` is 3,000 bytes; the limit is 2,048."}),
    [](const ::testing::TestParamInfo<check_case>& p) { return p.param.name; });
// clang-format on

// clang-format off
INSTANTIATE_TEST_SUITE_P(
    titles, text_check,
    ::testing::Values(
        check_case{"plain", title, "title",
                   "International Code of Conduct for Information Security", ""},
        check_case{"one_byte", title, "title", "T", ""},
        check_case{"at_limit", title, "title", std::string(512, 't'), ""},
        check_case{"at_limit_multibyte", title, "title", repeat("\xf0\x9f\x93\x9c", 128), ""},
        check_case{"one_over_limit", title, "title", std::string(513, 't'),
                   "`title` is 513 bytes; the limit is 512."},
        check_case{"empty", title, "title", "", "`title` is empty."},
        check_case{"blank", title, "title", "   ",
                   "`title` contains only white space; it needs some visible text."},
        check_case{"newline", title, "title", "Code\nof Conduct",
                   "`title` contains a control character (U+000A) at byte 4; control "
                   "characters are not allowed."},
        check_case{"tab", title, "title", "\tCode",
                   "`title` contains a control character (U+0009) at byte 0; control "
                   "characters are not allowed."},
        check_case{"delete", title, "title", "Code\x7f",
                   "`title` contains a control character (U+007F) at byte 4; control "
                   "characters are not allowed."},
        check_case{"c1", title, "title", "Code\xc2\x90",
                   "`title` contains a control character (U+0090) at byte 4; control "
                   "characters are not allowed."},
        check_case{"invalid_utf8", title, "title", "Code\xe2\x82",
                   "`title` is not valid UTF-8 (at byte 4)."},
        check_case{"bidi_lro", title, "title", "Code \xe2\x80\xad",
                   "`title` contains U+202D LEFT-TO-RIGHT OVERRIDE at byte 5, which is not "
                   "allowed: bidirectional controls make text display in another order than "
                   "the one stored."},
        check_case{"bidi_fsi", title, "title", "\xe2\x81\xa8" "Code",
                   "`title` contains U+2068 FIRST STRONG ISOLATE at byte 0, which is not "
                   "allowed: bidirectional controls make text display in another order than "
                   "the one stored."},
        check_case{"bidi_rle", title, "title", "C\xe2\x80\xab",
                   "`title` contains U+202B RIGHT-TO-LEFT EMBEDDING at byte 1, which is not "
                   "allowed: bidirectional controls make text display in another order than "
                   "the one stored."},
        check_case{"field_named", title, "draft.title", "",
                   "`draft.title` is empty."}),
    [](const ::testing::TestParamInfo<check_case>& p) { return p.param.name; });
// clang-format on

TEST(text_check_defaults, default_field_names_are_the_contracts_own) {
  EXPECT_EQ(check_clause_text(""), "`text` is empty.");
  EXPECT_EQ(check_note(std::string(max_note_bytes + 1, 'x')),
            "`note` is 2,049 bytes; the limit is 2,048.");
  EXPECT_EQ(check_title(""), "`title` is empty.");
}

TEST(text_check_defaults, limits_are_the_contracts_own) {
  EXPECT_EQ(max_clause_text_bytes, 16384u);
  EXPECT_EQ(max_note_bytes, 2048u);
  EXPECT_EQ(max_title_bytes, 512u);
}

}  // namespace
}  // namespace plenary::storage
