// Protocol and storage judge every string the same way (issue 13): one table of inputs,
// each run through the protocol's check and storage's check, with identical verdicts.
// Protocol checks what a client sends; storage checks again what it writes. If the two
// disagreed, a text could pass the server's parser and then fail in storage (an `internal`
// error instead of `bad_request`), or storage could hold a text a client cannot send back.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <variant>

#include "protocol/messages.hpp"
#include "protocol/text_rules.hpp"
#include "storage/model.hpp"
#include "storage/procedure.hpp"
#include "storage/text.hpp"

namespace plenary {
namespace {

using namespace std::string_literals;

// ---- free text ---------------------------------------------------------------------------

enum class field { clause_text, note, title };

// The text as a JSON string: control bytes, quote and backslash escaped, every other byte
// as is (so invalid UTF-8 reaches the parser raw, as a hostile client would send it).
std::string json_string(std::string_view bytes) {
  std::string out = "\"";
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || c == '"' || c == '\\') {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\u%04x", b);
      out += esc;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// The protocol's verdict through its public parser: a client message carrying the text
// (an amend's text or note; a draft file's title), accepted or refused.
bool protocol_accepts(field f, std::string_view text) {
  const std::string rev(40, 'a');
  switch (f) {
    case field::clause_text: {
      const auto r = protocol::parse_client_message(
          R"({"type":"amend","op":"replace","clause":"c1","base":")" + rev + R"(","text":)" +
          json_string(text) + "}");
      return std::holds_alternative<protocol::parsed_message>(r);
    }
    case field::note: {
      const auto r = protocol::parse_client_message(
          R"({"type":"amend","op":"move","clause":"c1","after":null,"note":)" + json_string(text) +
          "}");
      return std::holds_alternative<protocol::parsed_message>(r);
    }
    case field::title:
      // The title rule is read through the draft file; its check is the shared check_text.
      return protocol::detail::check_text(text, {.max_bytes = 512}).empty();
  }
  return false;
}

// The protocol's check called directly (the parser above also vets the whole frame first).
std::string protocol_check(field f, std::string_view text) {
  switch (f) {
    case field::clause_text:
      return protocol::detail::check_text(
          text, {.max_bytes = protocol::max_text_bytes, .line_breaks = true});
    case field::note:
      return protocol::detail::check_text(
          text, {.max_bytes = protocol::max_note_bytes, .line_breaks = true, .may_be_blank = true});
    case field::title:
      return protocol::detail::check_text(text, {.max_bytes = 512});
  }
  return "?";
}

std::string storage_check(field f, std::string_view text) {
  switch (f) {
    case field::clause_text:
      return storage::check_clause_text(text);
    case field::note:
      return storage::check_note(text);
    case field::title:
      return storage::check_title(text);
  }
  return "?";
}

struct text_case {
  const char* name;
  field where;
  std::string bytes;
  bool valid;  // what the contract says; both layers must agree with it
};

void PrintTo(const text_case& c, std::ostream* os) { *os << c.name; }

class same_text_verdict : public ::testing::TestWithParam<text_case> {};

TEST_P(same_text_verdict, protocol_and_storage_agree) {
  const text_case& c = GetParam();
  const std::string from_protocol = protocol_check(c.where, c.bytes);
  const std::string from_storage = storage_check(c.where, c.bytes);
  EXPECT_EQ(from_protocol.empty(), c.valid) << "protocol: " << from_protocol;
  EXPECT_EQ(from_storage.empty(), c.valid) << "storage: " << from_storage;
  EXPECT_EQ(protocol_accepts(c.where, c.bytes), c.valid) << "through parse_client_message";
}

std::string repeat(std::string_view unit, std::size_t times) {
  std::string out;
  for (std::size_t k = 0; k < times; ++k) out += unit;
  return out;
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(
    texts, same_text_verdict,
    ::testing::Values(
        // UTF-8: well-formed, then each way of being ill-formed.
        text_case{"ascii", field::clause_text, "The States shall cooperate.", true},
        text_case{"two_three_four_byte", field::clause_text, "\xc3\xa9\xe5\x90\x88\xf0\x9f\x91\x8d", true},
        text_case{"highest_code_point", field::clause_text, "x\xf4\x8f\xbf\xbf", true},
        text_case{"lone_continuation", field::clause_text, "a\x80", false},
        text_case{"byte_ff", field::clause_text, "Each \xff State", false},
        text_case{"lead_f5", field::clause_text, "\xf5\x80\x80\x80", false},
        text_case{"truncated_two", field::clause_text, "caf\xc3", false},
        text_case{"truncated_four", field::clause_text, "\xf0\x9f\x91", false},
        text_case{"overlong_c0", field::clause_text, "\xc0\xaf", false},
        text_case{"overlong_c1", field::clause_text, "\xc1\xbf", false},
        text_case{"overlong_e0", field::clause_text, "\xe0\x80\xaf", false},
        text_case{"overlong_f0", field::clause_text, "\xf0\x80\x80\xaf", false},
        text_case{"surrogate_high", field::clause_text, "a\xed\xa0\x80", false},
        text_case{"surrogate_low", field::clause_text, "a\xed\xbf\xbf", false},
        text_case{"last_before_surrogates", field::clause_text, "\xed\x9f\xbf", true},
        text_case{"above_10ffff", field::clause_text, "\xf4\x90\x80\x80", false},
        // Blank: white space of every kind, alone or with something visible.
        text_case{"empty_text", field::clause_text, "", false},
        text_case{"ascii_blank", field::clause_text, " \n\t ", false},
        text_case{"nbsp_only", field::clause_text, "\xc2\xa0", false},
        text_case{"ideographic_space_only", field::clause_text, "\xe3\x80\x80", false},
        text_case{"em_space_zwsp_bom", field::clause_text, "\xe2\x80\x83\xe2\x80\x8b\xef\xbb\xbf", false},
        text_case{"narrow_nbsp_and_mmsp", field::clause_text, "\xe2\x80\xaf\xe2\x81\x9f", false},
        text_case{"nbsp_between_words", field::clause_text, "10\xc2\xa0" "000", true},
        text_case{"ideographic_space_between", field::clause_text, "\xe5\x90\x88\xe3\x80\x80\xe5\x90\x88", true},
        text_case{"empty_note", field::note, "", true},
        text_case{"blank_note", field::note, "\xe3\x80\x80\n", true},
        text_case{"empty_title", field::title, "", false},
        text_case{"nbsp_title", field::title, "\xc2\xa0", false},
        // Control characters: C0, DEL, C1; line breaks only where allowed.
        text_case{"newline_tab_in_text", field::clause_text, "(a)\tx;\n(b)\ty.", true},
        text_case{"newline_in_title", field::title, "Code\nof Conduct", false},
        text_case{"tab_in_title", field::title, "\tCode", false},
        text_case{"nul", field::clause_text, "a\0b"s, false},
        text_case{"carriage_return", field::clause_text, "line\r\nline", false},
        text_case{"escape", field::note, "\x1b[31m", false},
        text_case{"delete", field::clause_text, "ab\x7f", false},
        text_case{"c1_next_line", field::clause_text, "x\xc2\x85", false},
        text_case{"c1_last", field::title, "Code\xc2\x9f", false},
        // Bidirectional controls (issue 21 item 6), and their harmless neighbours.
        text_case{"rlo_in_text", field::clause_text, "pay \xe2\x80\xae" "0001$", false},
        text_case{"lre_in_note", field::note, "\xe2\x80\xaa", false},
        text_case{"pdi_in_title", field::title, "T\xe2\x81\xa9", false},
        text_case{"lri_in_text", field::clause_text, "\xe2\x81\xa6x", false},
        text_case{"rlm_in_text", field::clause_text, "a\xe2\x80\x8f" "b", true},
        text_case{"word_joiner_in_text", field::clause_text, "a\xe2\x81\xa0" "b", true},
        // Sizes, counted in bytes.
        text_case{"text_at_limit", field::clause_text, repeat("\xd0\x96", 8192), true},
        text_case{"text_over_limit", field::clause_text, std::string(16385, 'a'), false},
        text_case{"note_at_limit", field::note, std::string(2048, 'n'), true},
        text_case{"note_over_limit", field::note, std::string(2049, 'n'), false},
        text_case{"title_at_limit", field::title, std::string(512, 't'), true},
        text_case{"title_over_limit", field::title, std::string(513, 't'), false}),
    [](const ::testing::TestParamInfo<text_case>& p) { return p.param.name; });
// clang-format on

// The limits the two layers state separately are the same numbers.
TEST(same_limits, protocol_and_storage_state_the_same_limits) {
  EXPECT_EQ(protocol::max_text_bytes, storage::max_clause_text_bytes);
  EXPECT_EQ(protocol::max_note_bytes, storage::max_note_bytes);
}

// Where the two layers word a problem, the numbers and the character they name are the same:
// storage's sentence is "`field` " + the protocol's predicate + "." for these.
struct wording_case {
  const char* name;
  field where;
  std::string bytes;
};

void PrintTo(const wording_case& c, std::ostream* os) { *os << c.name; }

class same_wording : public ::testing::TestWithParam<wording_case> {};

TEST_P(same_wording, storage_says_what_protocol_says) {
  const wording_case& c = GetParam();
  const std::string predicate = protocol_check(c.where, c.bytes);
  ASSERT_FALSE(predicate.empty());
  const std::string name = c.where == field::clause_text ? "text"
                           : c.where == field::note      ? "note"
                                                         : "title";
  EXPECT_EQ(storage_check(c.where, c.bytes), "`" + name + "` " + predicate + ".");
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(
    numbers_and_characters, same_wording,
    ::testing::Values(
        wording_case{"thousands", field::clause_text, std::string(17002, 'a')},
        wording_case{"millions", field::clause_text, std::string(1234567, ' ')},
        wording_case{"hundreds", field::title, std::string(513, 't')},
        wording_case{"rlo_at_byte_1234", field::clause_text, std::string(1234, 'a') + "\xe2\x80\xae"},
        wording_case{"fsi_in_note", field::note, "\xe2\x81\xa8"},
        wording_case{"pdf_in_title", field::title, "x\xe2\x80\xac"}),
    [](const ::testing::TestParamInfo<wording_case>& p) { return p.param.name; });
// clang-format on

// ---- names ---------------------------------------------------------------------------------

enum class name_kind { slug, clause_id, state_code, commit_id };

struct name_case {
  const char* name;
  name_kind kind;
  std::string value;
  bool valid;
};

void PrintTo(const name_case& c, std::ostream* os) { *os << c.name; }

class same_name_verdict : public ::testing::TestWithParam<name_case> {};

TEST_P(same_name_verdict, protocol_and_storage_agree) {
  const name_case& c = GetParam();
  bool from_protocol = false;
  bool from_storage = false;
  switch (c.kind) {
    case name_kind::slug:
      from_protocol = protocol::detail::is_slug(c.value);
      from_storage = storage::is_valid_slug(c.value);
      break;
    case name_kind::clause_id:
      from_protocol = protocol::detail::is_clause_id(c.value);
      from_storage = storage::is_valid_clause_id(c.value);
      break;
    case name_kind::state_code:
      from_protocol = protocol::detail::is_state_code(c.value);
      from_storage = storage::is_valid_state_code(c.value);
      break;
    case name_kind::commit_id:
      from_protocol = protocol::detail::is_commit_id(c.value);
      from_storage = storage::is_valid_commit_id(c.value);
      break;
  }
  EXPECT_EQ(from_protocol, c.valid) << "protocol";
  EXPECT_EQ(from_storage, c.valid) << "storage";
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(
    names, same_name_verdict,
    ::testing::Values(
        name_case{"slug_plain", name_kind::slug, "code-of-conduct", true},
        name_case{"slug_digit_first", name_kind::slug, "2026-wg", true},
        name_case{"slug_63", name_kind::slug, std::string(63, 's'), true},
        name_case{"slug_64", name_kind::slug, std::string(64, 's'), false},
        name_case{"slug_dash_first", name_kind::slug, "-x", false},
        name_case{"slug_upper", name_kind::slug, "Code", false},
        name_case{"slug_dot_dot", name_kind::slug, "..", false},
        name_case{"slug_slash", name_kind::slug, "a/b", false},
        name_case{"slug_empty", name_kind::slug, "", false},
        name_case{"slug_nul", name_kind::slug, "a\0b"s, false},
        name_case{"slug_non_ascii", name_kind::slug, "caf\xc3\xa9", false},
        name_case{"clause_id_plain", name_kind::clause_id, "c1", true},
        name_case{"clause_id_dash_first", name_kind::clause_id, "-c", true},
        name_case{"clause_id_32", name_kind::clause_id, std::string(32, 'c'), true},
        name_case{"clause_id_33", name_kind::clause_id, std::string(33, 'c'), false},
        name_case{"clause_id_empty", name_kind::clause_id, "", false},
        name_case{"clause_id_upper", name_kind::clause_id, "C1", false},
        name_case{"clause_id_nul", name_kind::clause_id, "c\0"s, false},
        name_case{"state_code_plain", name_kind::state_code, "RUS", true},
        name_case{"state_code_chair", name_kind::state_code, "CHAIR", true},
        name_case{"state_code_one", name_kind::state_code, "R", false},
        name_case{"state_code_nine", name_kind::state_code, "ABCDEFGHI", false},
        name_case{"state_code_lower", name_kind::state_code, "rus", false},
        name_case{"state_code_dash", name_kind::state_code, "R-S", false},
        name_case{"commit_id_plain", name_kind::commit_id, "0123456789abcdef0123456789abcdef01234567", true},
        name_case{"commit_id_upper", name_kind::commit_id, "0123456789ABCDEF0123456789abcdef01234567", false},
        name_case{"commit_id_39", name_kind::commit_id, std::string(39, 'a'), false},
        name_case{"commit_id_41", name_kind::commit_id, std::string(41, 'a'), false},
        name_case{"commit_id_g", name_kind::commit_id, std::string(40, 'g'), false}),
    [](const ::testing::TestParamInfo<name_case>& p) { return p.param.name; });
// clang-format on

// ---- version names --------------------------------------------------------------------

struct tag_case {
  const char* name;
  std::string tag;
  bool valid;
};

void PrintTo(const tag_case& c, std::ostream* os) { *os << c.name; }

class same_tag_verdict : public ::testing::TestWithParam<tag_case> {};

// A `tag` message through the protocol's parser, and storage's check before it writes a tag.
TEST_P(same_tag_verdict, protocol_and_storage_agree) {
  const tag_case& c = GetParam();
  const auto parsed =
      protocol::parse_client_message(R"({"type":"tag","name":)" + json_string(c.tag) + "}");
  const std::string from_storage = storage::check_tag_name(c.tag);
  EXPECT_EQ(std::holds_alternative<protocol::parsed_message>(parsed), c.valid);
  EXPECT_EQ(from_storage.empty(), c.valid) << "storage: " << from_storage;
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(
    tags, same_tag_verdict,
    ::testing::Values(
        tag_case{"rev_1", "rev.1", true},
        tag_case{"adopted", "adopted", true},
        tag_case{"longest_32", std::string(32, 'v'), true},
        tag_case{"too_long_33", std::string(33, 'v'), false},
        tag_case{"empty", "", false},
        tag_case{"starts_with_dot", ".rev", false},
        tag_case{"slash", "a/b", false},
        tag_case{"double_dot", "rev..1", false},
        tag_case{"ends_with_dot", "rev.", false},
        tag_case{"ends_with_lock", "rev.lock", false},
        tag_case{"branch_main", "main", false},
        tag_case{"branch_main_any_case", "Main", false},
        tag_case{"branch_procedure", "procedure", false},
        tag_case{"branch_comments", "comments", false},
        tag_case{"head", "HEAD", false},
        tag_case{"fetch_head", "FETCH_HEAD", false},
        tag_case{"hex_7", "deadbee", false},
        tag_case{"hex_7_upper", "DEADBEE", false},
        tag_case{"hex_6_is_a_name", "decade", true},
        tag_case{"hex_with_a_letter", "vdeadbee", true}),
    [](const ::testing::TestParamInfo<tag_case>& p) { return p.param.name; });
// clang-format on

// is_valid_utf8 itself, over the text table's bytes.
TEST(same_utf8_verdict, on_every_text_case) {
  for (const std::string& bytes :
       {"a"s, "\xc0\xaf"s, "\xed\xa0\x80"s, "\xf4\x90\x80\x80"s, "\xf0\x9f\x91"s, "\xef\xbb\xbf"s,
        "\xe2\x80\xae"s, std::string("\0", 1)}) {
    EXPECT_EQ(protocol::detail::is_valid_utf8(bytes), storage::is_valid_utf8(bytes));
  }
}

}  // namespace
}  // namespace plenary
