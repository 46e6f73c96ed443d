// Tests of the word tokenizer, word diff, three-way merge and blame carrying.
#include "storage/words.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "storage/model.hpp"
#include "storage/text.hpp"

namespace plenary::storage::words {
namespace {

using strings = std::vector<std::string>;

strings to_strings(const std::vector<std::string_view>& views) {
  return strings(views.begin(), views.end());
}

std::string join(const std::vector<std::string_view>& tokens) {
  std::string out;
  for (std::string_view t : tokens) out += t;
  return out;
}

// Joins the pieces whose op is one of `ops`.
std::string join(const std::vector<diff_piece>& pieces, std::string_view ops) {
  std::string out;
  for (const diff_piece& p : pieces) {
    if (ops.find(p.op) != std::string_view::npos) out += p.text;
  }
  return out;
}

std::string join(const std::vector<blame_segment>& segments) {
  std::string out;
  for (const blame_segment& s : segments) out += s.text;
  return out;
}

std::string ops_of(const std::vector<diff_piece>& pieces) {
  std::string out;
  for (const diff_piece& p : pieces) out += p.op;
  return out;
}

// The properties every diff has: the two joins, no empty piece, one op per run, and
// within a change the deletion before the insertion.
void expect_valid_diff(std::string_view before, std::string_view after,
                       const std::vector<diff_piece>& pieces) {
  EXPECT_EQ(join(pieces, "=-"), before);
  EXPECT_EQ(join(pieces, "=+"), after);
  for (std::size_t k = 0; k < pieces.size(); ++k) {
    const diff_piece& p = pieces[k];
    EXPECT_TRUE(p.op == '=' || p.op == '+' || p.op == '-') << p.op;
    EXPECT_FALSE(p.text.empty()) << "piece " << k;
    if (k > 0) {
      EXPECT_NE(pieces[k - 1].op, p.op) << "uncoalesced at piece " << k;
      EXPECT_FALSE(pieces[k - 1].op == '+' && p.op == '-') << "'+' before '-' at piece " << k;
    }
  }
}

// ---------------------------------------------------------------------------------------
// tokenize

struct round_trip_case {
  const char* name;
  std::string text;
};

class words_tokenize_round_trip : public ::testing::TestWithParam<round_trip_case> {};

TEST_P(words_tokenize_round_trip, concatenation_gives_the_text_back_and_no_character_is_split) {
  const std::string& text = GetParam().text;
  const auto tokens = tokenize(text);
  EXPECT_EQ(join(tokens), text);
  for (std::string_view t : tokens) {
    EXPECT_FALSE(t.empty());
    // A token is whole characters, or a single byte that is not UTF-8.
    EXPECT_TRUE(is_valid_utf8(t) || t.size() == 1) << "token of " << t.size() << " bytes";
  }
  if (is_valid_utf8(text)) {
    for (std::string_view t : tokens) EXPECT_TRUE(is_valid_utf8(t));
  }
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(
    scripts, words_tokenize_round_trip,
    ::testing::Values(
        round_trip_case{"empty", ""},
        round_trip_case{"english",
                        "Each State should cooperate, in line with national laws, in "
                        "combating criminal and terrorist activities (including those of "
                        "non-State actors)."},
        round_trip_case{"cyrillic",
                        "Государства-участники сотрудничают в борьбе с преступной и "
                        "террористической деятельностью; «информационное пространство»."},
        round_trip_case{"chinese", "各国应当合作打击利用信息和通信技术的犯罪和恐怖活动。"},
        round_trip_case{"japanese_korean", "情報セキュリティ、ひらがな。대한민국 정부는 협력한다."},
        round_trip_case{"arabic", "تتعاون الدول، وفقاً لقوانينها الوطنية، في مكافحة الأنشطة الإجرامية؟"},
        round_trip_case{"emoji",
                        "ok 👍🏽 family 👨‍👩‍👧‍👦 flags 🇫🇷🇩🇪 🏴󠁧󠁢󠁳󠁣󠁴󠁿 keycap 1️⃣ #️⃣ ❤️ "
                        "👩‍❤️‍👨 🏃‍♀️"},
        round_trip_case{"mixed",
                        "Article 5 ⟦bis⟧: the “States’” rights — §3 ‖ 第五条 and статья 5 "
                        "(€1,000.50)\n\t× café vs cafe\u0301"},
        round_trip_case{"whitespace", "  \t\n\r\n  x  \n"},
        round_trip_case{"lone_combining_marks", "\u0301\u0301a \u200d\u200d \ufe0f"},
        round_trip_case{"zwj_at_end", "👨\u200d"},
        round_trip_case{"regional_indicators_odd", "🇫🇷🇩"},
        round_trip_case{"invalid_bytes", std::string("ab\xff\xfe c\x80\xbf d")},
        round_trip_case{"invalid_truncated", std::string("x \xe2\x82")},
        round_trip_case{"invalid_overlong", std::string("\xc0\x80 \xe0\x80\x80 \xf0\x80\x80\x80")},
        round_trip_case{"invalid_surrogate", std::string("a\xed\xa0\x80z")},
        round_trip_case{"invalid_above_max", std::string("\xf4\x90\x80\x80\xf5\x80")},
        round_trip_case{"invalid_mid_word", std::string("caf\xc3 done")}),
    [](const ::testing::TestParamInfo<round_trip_case>& p) { return p.param.name; });
// clang-format on

struct token_case {
  std::string text;
  strings tokens;
};

class words_tokenize_exactly : public ::testing::TestWithParam<token_case> {};

TEST_P(words_tokenize_exactly, cuts_where_the_rule_says) {
  EXPECT_EQ(to_strings(tokenize(GetParam().text)), GetParam().tokens);
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(
    rule, words_tokenize_exactly,
    ::testing::Values(
        token_case{"", {}},
        token_case{"The States shall", {"The", " ", "States", " ", "shall"}},
        token_case{"co-operation, (a)", {"co", "-", "operation", ",", " ", "(", "a", ")"}},
        token_case{"  \t\n x\r\n", {"  \t\n ", "x", "\r\n"}},
        token_case{"1,000.50", {"1", ",", "000", ".", "50"}},
        // Apostrophes: inside a word they stay, at its edge they are tokens.
        token_case{"don't", {"don't"}},
        token_case{"States' rights", {"States", "'", " ", "rights"}},
        token_case{"l’Organisation", {"l’Organisation"}},
        token_case{"'quoted'", {"'", "quoted", "'"}},
        token_case{"it''s", {"it", "'", "'", "s"}},
        token_case{"“quoted”", {"“", "quoted", "”"}},
        // Other scripts.
        token_case{"Государства-участники", {"Государства", "-", "участники"}},
        token_case{"Ελλάδα; ναι", {"Ελλάδα", ";", " ", "ναι"}},
        token_case{"Ελλάδα\u037e", {"Ελλάδα", "\u037e"}},
        token_case{"الدول، الأطراف", {"الدول", "،", " ", "الأطراف"}},
        token_case{"سؤال؟", {"سؤال", "؟"}},
        token_case{"各国应当合作。", {"各", "国", "应", "当", "合", "作", "。"}},
        token_case{"ひらがな", {"ひ", "ら", "が", "な"}},
        token_case{"대한민국", {"대", "한", "민", "국"}},
        token_case{"第5条", {"第", "5", "条"}},
        token_case{"（注）", {"（", "注", "）"}},
        token_case{"ＡＢＣ１", {"ＡＢＣ１"}},
        // Combining marks stay with their letter.
        token_case{"cafe\u0301 résumé", {"cafe\u0301", " ", "résumé"}},
        // Brackets of alternatives are tokens of their own.
        token_case{"⟦option A‖option B⟧",
                   {"⟦", "option", " ", "A", "‖", "option", " ", "B", "⟧"}},
        token_case{"⟦⟦‖‖⟧⟧", {"⟦", "⟦", "‖", "‖", "⟧", "⟧"}},
        // Latin-1 and general punctuation, symbols.
        token_case{"§ 5 — «oui»", {"§", " ", "5", " ", "—", " ", "«", "oui", "»"}},
        token_case{"Article\u00a05", {"Article", "\u00a0", "5"}},
        token_case{"€100 №5", {"€", "100", " ", "№", "5"}},
        token_case{"a×b", {"a", "×", "b"}},
        // Emoji: one token per emoji, with their modifiers and joined sequences.
        token_case{"a😀b", {"a", "😀", "b"}},
        token_case{"👍🏽👍", {"👍🏽", "👍"}},
        token_case{"👨‍👩‍👧", {"👨‍👩‍👧"}},
        token_case{"🇫🇷🇩🇪", {"🇫🇷", "🇩🇪"}},
        token_case{"❤️!", {"❤️", "!"}},
        token_case{"✅ done", {"✅", " ", "done"}},
        // Invalid bytes: one token each; the words around them are untouched.
        token_case{std::string("a\xff") + "b", {"a", "\xff", "b"}},
        token_case{std::string("ab\xc3"), {"ab", "\xc3"}},
        token_case{std::string("\xe2\x82"), {"\xe2", "\x82"}},
        token_case{std::string("\xed\xa0\x80"), {"\xed", "\xa0", "\x80"}},
        token_case{std::string("\xc0\x80"), {"\xc0", "\x80"}},
        token_case{std::string("\xf0\x9f\x98"), {"\xf0", "\x9f", "\x98"}}));
// clang-format on

// Random bytes, each in a buffer of exactly its size, so that AddressSanitizer sees any
// read past the end; biased towards UTF-8 lead and continuation bytes.
TEST(words_tokenize, random_bytes_round_trip_without_reading_past_the_end) {
  std::mt19937 rng(20261127);
  const unsigned char alphabet[] = {'a',  ' ',  '\'', 0x80, 0xbf, 0xc2, 0xc3, 0xe2, 0x80,
                                    0x99, 0xe0, 0xed, 0xf0, 0xf4, 0x9f, 0xff, 0x8d, 0xa0};
  for (int round = 0; round < 2000; ++round) {
    const std::size_t n = rng() % 12;
    std::unique_ptr<char[]> buf(new char[n == 0 ? 1 : n]);
    for (std::size_t k = 0; k < n; ++k) {
      buf[k] = static_cast<char>(alphabet[rng() % sizeof alphabet]);
    }
    const std::string_view text(buf.get(), n);
    const auto tokens = tokenize(text);
    ASSERT_EQ(join(tokens), text);
    for (std::string_view t : tokens) {
      ASSERT_TRUE(!t.empty() && (is_valid_utf8(t) || t.size() == 1));
    }
  }
}

// ---------------------------------------------------------------------------------------
// diff

struct diff_case {
  const char* name;
  std::string before;
  std::string after;
  std::vector<diff_piece> expected;
};

class words_diff_exactly : public ::testing::TestWithParam<diff_case> {};

TEST_P(words_diff_exactly, gives_the_expected_pieces) {
  const diff_case& c = GetParam();
  const auto pieces = diff(c.before, c.after);
  expect_valid_diff(c.before, c.after, pieces);
  ASSERT_EQ(pieces.size(), c.expected.size()) << ops_of(pieces);
  for (std::size_t k = 0; k < pieces.size(); ++k) {
    EXPECT_EQ(pieces[k].op, c.expected[k].op) << "piece " << k;
    EXPECT_EQ(pieces[k].text, c.expected[k].text) << "piece " << k;
  }
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(
    cases, words_diff_exactly,
    ::testing::Values(
        diff_case{"both_empty", "", "", {}},
        diff_case{"new_text", "", "The States", {{'+', "The States"}}},
        diff_case{"all_deleted", "The States", "", {{'-', "The States"}}},
        diff_case{"unchanged", "The States shall", "The States shall",
                  {{'=', "The States shall"}}},
        diff_case{"word_replaced",
                  "The States shall cooperate",
                  "The States must cooperate",
                  {{'=', "The States "}, {'-', "shall"}, {'+', "must"}, {'=', " cooperate"}}},
        diff_case{"word_inserted",
                  "States shall cooperate",
                  "States shall fully cooperate",
                  {{'=', "States shall "}, {'+', "fully "}, {'=', "cooperate"}}},
        diff_case{"word_deleted",
                  "States shall fully cooperate",
                  "States shall cooperate",
                  {{'=', "States shall "}, {'-', "fully "}, {'=', "cooperate"}}},
        diff_case{"punctuation_changed",
                  "measures, including",
                  "measures; including",
                  {{'=', "measures"}, {'-', ","}, {'+', ";"}, {'=', " including"}}},
        diff_case{"first_word",
                  "Each State should",
                  "Every State should",
                  {{'-', "Each"}, {'+', "Every"}, {'=', " State should"}}},
        diff_case{"last_word",
                  "Each State should",
                  "Each State shall",
                  {{'=', "Each State "}, {'-', "should"}, {'+', "shall"}}},
        diff_case{"word_grows_a_letter",  // whole words, not letters
                  "the State cooperates",
                  "the States cooperates",
                  {{'=', "the "}, {'-', "State"}, {'+', "States"}, {'=', " cooperates"}}},
        diff_case{"two_changes",
                  "Each State should cooperate in combating crime.",
                  "Each State shall cooperate in combating terrorism.",
                  {{'=', "Each State "},
                   {'-', "should"},
                   {'+', "shall"},
                   {'=', " cooperate in combating "},
                   {'-', "crime"},
                   {'+', "terrorism"},
                   {'=', "."}}},
        // The kept space between two replaced words folds into them (docs/diffs.md); the
        // minimal diff keeps it (words_minimal_diff below).
        diff_case{"no_word_in_common",
                  "alpha beta",
                  "gamma delta",
                  {{'-', "alpha beta"}, {'+', "gamma delta"}}},
        diff_case{"other_language",
                  "States shall.",
                  "Государства должны.",
                  {{'-', "States shall"}, {'+', "Государства должны"}, {'=', "."}}},
        diff_case{"one_kept_word_between_larger_rewrites",
                  "sovereignty, United territorial",
                  "the purposes United of the Charter",
                  {{'-', "sovereignty, United territorial"},
                   {'+', "the purposes United of the Charter"}}},
        diff_case{"two_kept_long_words_stay",
                  "alpha United Nations beta",
                  "gammagamma United Nations deltadelta",
                  {{'-', "alpha"}, {'+', "gammagamma"}, {'=', " United Nations "},
                   {'-', "beta"}, {'+', "deltadelta"}}},
        diff_case{"kept_word_longer_than_the_edits_stays",
                  "a b c",
                  "x b y",
                  {{'-', "a"}, {'+', "x"}, {'=', " b "}, {'-', "c"}, {'+', "y"}}},
        diff_case{"insertion_aligned_to_start_at_a_word",
                  "to cooperate with the Committee",
                  "to cooperate fully with the Committee",
                  {{'=', "to cooperate "}, {'+', "fully "}, {'=', "with the Committee"}}},
        diff_case{"sentence_appended_keeps_its_full_stop_edge",
                  "Decides to remain seized of the matter.",
                  "Decides to remain seized of the matter. Requests a report.",
                  {{'=', "Decides to remain seized of the matter."},
                   {'+', " Requests a report."}}},
        diff_case{"ideographs",
                  "各国应当合作。",
                  "各国必须合作。",
                  {{'=', "各国"}, {'-', "应当"}, {'+', "必须"}, {'=', "合作。"}}},
        diff_case{"cyrillic_word",
                  "Государства сотрудничают",
                  "Государства-участники сотрудничают",
                  {{'=', "Государства"}, {'+', "-участники"}, {'=', " сотрудничают"}}}),
    [](const ::testing::TestParamInfo<diff_case>& p) { return p.param.name; });
// clang-format on

TEST(words_minimal_diff, keeps_every_common_token) {
  const auto pieces = minimal_diff("alpha beta", "gamma delta");
  expect_valid_diff("alpha beta", "gamma delta", pieces);
  EXPECT_EQ(ops_of(pieces), "-+=-+");
}

// Realistic sentences to edit at random.
const std::vector<std::string>& treaty_sentences() {
  static const std::vector<std::string> sentences = {
      "Each State voluntarily subscribing to the code pledges to comply with the Charter of "
      "the United Nations and universally recognized norms governing international relations.",
      "To cooperate in combating criminal and terrorist activities that use information and "
      "communications technologies, including networks, and in curbing the dissemination of "
      "information that incites terrorism, secessionism or extremism.",
      "Not to use information and communications technologies, including networks, to carry "
      "out hostile activities or acts of aggression, pose threats to international peace and "
      "security or proliferate information weapons or related technologies.",
      "Государства-участники сотрудничают в борьбе с преступной и террористической "
      "деятельностью, использующей информационно-коммуникационные технологии.",
      "各国应当合作打击利用信息和通信技术，包括网络，从事犯罪和恐怖活动。",
      "تتعاون الدول، وفقاً لقوانينها الوطنية، في مكافحة الأنشطة الإجرامية والإرهابية.",
      "To reaffirm the rights and responsibilities of all States, in accordance with the "
      "relevant norms and rules, regarding legal protection of their information space.",
  };
  return sentences;
}

const std::vector<std::string>& replacement_words() {
  static const std::vector<std::string> words = {
      "shall",     "should", "must",        "may",   "all", "States",      "Parties",
      "including", "not",    "information", "peace", "и",   "государства", "合作",
      "网络",      ",",      ";",           ".",     " ",   "\n",          "(a)",
      "⟦",         "⟧",      "non-State",   "don't", "👍",
  };
  return words;
}

// Applies one random token-level edit: replace, insert or delete 1-3 tokens.
std::string random_edit(const std::string& text, std::mt19937& rng) {
  auto toks = to_strings(tokenize(text));
  const auto& words = replacement_words();
  const std::size_t pos = toks.empty() ? 0 : rng() % (toks.size() + 1);
  switch (rng() % 3) {
    case 0:  // replace
      if (pos < toks.size()) toks[pos] = words[rng() % words.size()];
      break;
    case 1:  // insert
      toks.insert(toks.begin() + static_cast<std::ptrdiff_t>(pos), words[rng() % words.size()]);
      break;
    default: {  // delete
      const std::size_t n = std::min<std::size_t>(1 + rng() % 3, toks.size() - pos);
      toks.erase(toks.begin() + static_cast<std::ptrdiff_t>(pos),
                 toks.begin() + static_cast<std::ptrdiff_t>(pos + n));
    }
  }
  std::string out;
  for (const auto& t : toks) out += t;
  return out;
}

TEST(words_diff, invariants_hold_over_random_edits) {
  std::mt19937 rng(42);
  const auto& sentences = treaty_sentences();
  for (int round = 0; round < 400; ++round) {
    std::string before = sentences[rng() % sentences.size()];
    if (rng() % 4 == 0) before += "\n" + sentences[rng() % sentences.size()];
    std::string after = before;
    const int edits = 1 + static_cast<int>(rng() % 5);
    for (int e = 0; e < edits; ++e) after = random_edit(after, rng);
    SCOPED_TRACE("round " + std::to_string(round));
    const auto pieces = diff(before, after);
    expect_valid_diff(before, after, pieces);
    expect_valid_diff(after, before, diff(after, before));
    expect_valid_diff(before, after, minimal_diff(before, after));
    if (HasFailure()) return;
  }
}

TEST(words_diff, invariants_hold_between_unrelated_sentences) {
  const auto& sentences = treaty_sentences();
  for (const auto& before : sentences) {
    for (const auto& after : sentences) {
      expect_valid_diff(before, after, diff(before, after));
      expect_valid_diff(before, after, minimal_diff(before, after));
      expect_valid_diff(before, before + "\n" + after, diff(before, before + "\n" + after));
    }
  }
}

TEST(words_diff, is_minimal_for_one_replaced_word) {
  const std::string before = treaty_sentences()[1];
  std::mt19937 rng(7);
  for (int round = 0; round < 50; ++round) {
    auto toks = to_strings(tokenize(before));
    std::size_t pos = rng() % toks.size();
    while (!std::isalpha(static_cast<unsigned char>(toks[pos][0]))) pos = (pos + 1) % toks.size();
    toks[pos] = "XYZZY";  // a word for a word: the neighbours stay tokens of their own
    std::string after;
    for (const auto& t : toks) after += t;
    const auto pieces = diff(before, after);
    expect_valid_diff(before, after, pieces);
    EXPECT_EQ(join(pieces, "+"), "XYZZY");
    EXPECT_EQ(join(pieces, "-"), to_strings(tokenize(before))[pos]);
  }
}

TEST(words_diff, large_clause_with_small_edit_is_quick_and_small) {
  std::string before;
  while (before.size() + treaty_sentences()[2].size() < max_clause_text_bytes) {
    before += treaty_sentences()[2] + " ";
  }
  std::string after = before;
  after.replace(after.size() / 2, 0, "newly inserted ");
  const auto start = std::chrono::steady_clock::now();
  const auto pieces = diff(before, after);
  // Typically well under a millisecond; the bound only catches accidental quadratic work.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100));
  expect_valid_diff(before, after, pieces);
  EXPECT_LE(pieces.size(), 3u);
  EXPECT_EQ(join(pieces, "+").find("newly inserted"), 0u) << join(pieces, "+");
}

// ---------------------------------------------------------------------------------------
// merge

constexpr const char* kBase = "The States shall cooperate in combating criminal activities.";

struct merge_case {
  const char* name;
  std::string base;
  std::string ours;
  std::string theirs;
  std::optional<std::string> expected;  // nullopt: a conflict
};

class words_merge_cases : public ::testing::TestWithParam<merge_case> {};

TEST_P(words_merge_cases, merges_or_conflicts) {
  const merge_case& c = GetParam();
  EXPECT_EQ(merge(c.base, c.ours, c.theirs), c.expected);
  // Which side is "ours" does not matter.
  EXPECT_EQ(merge(c.base, c.theirs, c.ours), c.expected);
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(
    cases, words_merge_cases,
    ::testing::Values(
        // Edits that do not touch merge.
        merge_case{"first_and_last_word", kBase,
                   "All States shall cooperate in combating criminal activities.",
                   "The States shall cooperate in combating criminal acts.",
                   "All States shall cooperate in combating criminal acts."},
        merge_case{"insert_and_replace_apart", kBase,
                   "The States shall fully cooperate in combating criminal activities.",
                   "The States shall cooperate in combating terrorist activities.",
                   "The States shall fully cooperate in combating terrorist activities."},
        merge_case{"delete_and_replace_apart", kBase,
                   "The States shall cooperate in combating activities.",
                   "All States shall cooperate in combating criminal activities.",
                   "All States shall cooperate in combating activities."},
        merge_case{"several_hunks_interleaved", kBase,
                   "All States shall cooperate on combating criminal activities.",
                   "The States must cooperate in combating criminal activities!",
                   "All States must cooperate on combating criminal activities!"},
        merge_case{"abutting_replacements", "one two three", "one 2 three", "one two\tthree",
                   "one 2\tthree"},
        merge_case{"insert_away_from_replacement", "one two three", "one 2 three",
                   "one two three!", "one 2 three!"},
        merge_case{"ideographs_apart", "各国应当合作打击犯罪。", "各国必须合作打击犯罪。",
                   "各国应当合作打击恐怖。", "各国必须合作打击恐怖。"},
        // One side unchanged, or both the same.
        merge_case{"ours_unchanged", kBase, kBase,
                   "The States must cooperate in combating criminal activities.",
                   "The States must cooperate in combating criminal activities."},
        merge_case{"both_unchanged", kBase, kBase, kBase, kBase},
        merge_case{"identical_edits_apply_once", kBase,
                   "The States must cooperate in combating criminal activities.",
                   "The States must cooperate in combating criminal activities.",
                   "The States must cooperate in combating criminal activities."},
        merge_case{"identical_hunk_plus_another", kBase,
                   "The States must cooperate in combating illegal activities.",
                   "The States must cooperate in combating criminal activities.",
                   "The States must cooperate in combating illegal activities."},
        merge_case{"same_insertion_once", kBase,
                   "The States shall fully cooperate in combating criminal activities.",
                   "The States shall fully cooperate in combating terrorist activities.",
                   "The States shall fully cooperate in combating terrorist activities."},
        merge_case{"both_delete_the_same_word", kBase,
                   "The States shall cooperate in combating activities.",
                   "The States shall cooperate in combating activities.",
                   "The States shall cooperate in combating activities."},
        merge_case{"empty_base_same_text", "", "New text.", "New text.", "New text."},
        merge_case{"to_empty_and_unchanged", kBase, "", kBase, ""},
        // Overlapping edits conflict.
        merge_case{"same_word_differently", kBase,
                   "The States must cooperate in combating criminal activities.",
                   "The States may cooperate in combating criminal activities.",
                   std::nullopt},
        merge_case{"overlapping_ranges", kBase,
                   "The States must work in combating criminal activities.",
                   "The States shall collaborate on combating criminal activities.",
                   std::nullopt},
        merge_case{"same_point_different_insertions", kBase,
                   "The States shall fully cooperate in combating criminal activities.",
                   "The States shall actively cooperate in combating criminal activities.",
                   std::nullopt},
        merge_case{"delete_vs_edit_of_that_word", kBase,
                   "The States shall cooperate in combating activities.",
                   "The States shall cooperate in combating illegal activities.",
                   std::nullopt},
        merge_case{"insert_right_after_replaced_word", "one two three", "one 2 three",
                   "one two, three", std::nullopt},
        merge_case{"insert_right_before_replaced_word", "one two three", "one 2 three",
                   "one (two three", std::nullopt},
        merge_case{"one_side_deletes_all", kBase, "",
                   "The States must cooperate in combating criminal activities.",
                   std::nullopt},
        merge_case{"empty_base_different_texts", "", "One text.", "Another text.",
                   std::nullopt},
        merge_case{"insert_at_edge_of_deletion", "bcXbc ", ",bcXbc c", "bcXbc",
                   std::nullopt},
        merge_case{"both_rewrite_everything", "  aXaX", " b aXX", "  abXaX", std::nullopt}),
    [](const ::testing::TestParamInfo<merge_case>& p) { return p.param.name; });
// clang-format on

TEST(words_merge, disjoint_random_edits_merge_to_both_applied) {
  std::mt19937 rng(1234);
  const std::string base = treaty_sentences()[1] + " " + treaty_sentences()[2];
  const strings toks = to_strings(tokenize(base));
  std::vector<std::size_t> words;  // positions of word tokens
  for (std::size_t k = 0; k < toks.size(); ++k) {
    if (toks[k].size() > 1 || std::isalnum(static_cast<unsigned char>(toks[k][0]))) {
      words.push_back(k);
    }
  }
  const std::size_t third = words.size() / 3;
  for (int round = 0; round < 200; ++round) {
    const std::size_t x = words[rng() % third];                     // first third
    const std::size_t y = words[words.size() - 1 - rng() % third];  // last third
    const std::string ours_word = "OURS" + std::to_string(round);
    const std::string theirs_word = "THEIRS" + std::to_string(round);
    const auto render = [&](bool with_ours, bool with_theirs) {
      std::string out;
      for (std::size_t k = 0; k < toks.size(); ++k) {
        out += k == x && with_ours ? ours_word : k == y && with_theirs ? theirs_word : toks[k];
      }
      return out;
    };
    const auto merged = merge(base, render(true, false), render(false, true));
    ASSERT_TRUE(merged.has_value()) << "round " << round;
    EXPECT_EQ(*merged, render(true, true));
  }
}

TEST(words_merge, random_edits_are_symmetric_and_keep_unchanged_sides) {
  std::mt19937 rng(99);
  const auto& sentences = treaty_sentences();
  int merged_count = 0;
  for (int round = 0; round < 300; ++round) {
    const std::string base = sentences[rng() % sentences.size()];
    const std::string ours = random_edit(base, rng);
    const std::string theirs = random_edit(random_edit(base, rng), rng);
    SCOPED_TRACE("round " + std::to_string(round));
    const auto m1 = merge(base, ours, theirs);
    EXPECT_EQ(m1, merge(base, theirs, ours));
    EXPECT_EQ(merge(base, ours, base), ours);
    EXPECT_EQ(merge(base, base, theirs), theirs);
    EXPECT_EQ(merge(base, ours, ours), ours);
    if (m1) {
      ++merged_count;
      // Whatever ours inserted is in the result, and so is whatever theirs inserted (as the
      // merge sees edits: the minimal diff, not the readable one, which folds kept words in).
      for (const auto& piece : minimal_diff(base, ours)) {
        if (piece.op == '+') {
          EXPECT_NE(m1->find(piece.text), std::string::npos);
        }
      }
      for (const auto& piece : minimal_diff(base, theirs)) {
        if (piece.op == '+') {
          EXPECT_NE(m1->find(piece.text), std::string::npos);
        }
      }
    }
    if (HasFailure()) return;
  }
  EXPECT_GT(merged_count, 150);  // random edits in long sentences mostly do not touch
}

// ---------------------------------------------------------------------------------------
// carry_blame

void expect_valid_blame(const std::vector<blame_segment>& segments, std::string_view text) {
  EXPECT_EQ(join(segments), text);
  for (std::size_t k = 0; k < segments.size(); ++k) {
    EXPECT_FALSE(segments[k].text.empty()) << "segment " << k;
    if (k > 0) {
      EXPECT_NE(segments[k - 1].commit, segments[k].commit) << "uncoalesced at " << k;
    }
  }
}

std::string format(const std::vector<blame_segment>& segments) {
  std::string out;
  for (const auto& s : segments) out += "[" + s.text + "|" + s.state + "|" + s.commit + "]";
  return out;
}

TEST(words_carry_blame, new_clause_is_all_new) {
  const auto segments = carry_blame({}, "The States shall", "c1", "RUS");
  EXPECT_EQ(format(segments), "[The States shall|RUS|c1]");
}

TEST(words_carry_blame, empty_after_has_no_segments) {
  EXPECT_TRUE(carry_blame({{"old text", "RUS", "c1"}}, "", "c2", "CHN").empty());
  EXPECT_TRUE(carry_blame({}, "", "c2", "CHN").empty());
}

TEST(words_carry_blame, unchanged_text_keeps_its_attribution) {
  const std::vector<blame_segment> before = {{"The ", "CHAIR", "c0"}, {"States", "RUS", "c1"}};
  EXPECT_EQ(format(carry_blame(before, "The States", "c2", "CHN")), format(before));
}

TEST(words_carry_blame, three_states_editing_different_words) {
  std::vector<blame_segment> blame = carry_blame(
      {}, "The States shall cooperate in combating criminal activities.", "c0", "CHAIR");
  blame = carry_blame(blame, "The States must cooperate in combating criminal activities.", "c1",
                      "RUS");
  blame =
      carry_blame(blame, "The States must cooperate in combating illegal activities.", "c2", "CHN");
  blame = carry_blame(blame, "The States must fully cooperate in combating illegal activities.",
                      "c3", "USA");
  expect_valid_blame(blame, "The States must fully cooperate in combating illegal activities.");
  EXPECT_EQ(format(blame),
            "[The States |CHAIR|c0][must|RUS|c1][ |CHAIR|c0][fully |USA|c3]"
            "[cooperate in combating |CHAIR|c0][illegal|CHN|c2][ activities.|CHAIR|c0]");

  // RUS changes its word again and removes CHN's: each keeps the rest.
  blame =
      carry_blame(blame, "The States shall fully cooperate in combating activities.", "c4", "RUS");
  expect_valid_blame(blame, "The States shall fully cooperate in combating activities.");
  EXPECT_EQ(format(blame),
            "[The States |CHAIR|c0][shall|RUS|c4][ |CHAIR|c0][fully |USA|c3]"
            "[cooperate in combating activities.|CHAIR|c0]");
}

TEST(words_carry_blame, unchanged_run_across_several_old_segments_is_split) {
  const std::vector<blame_segment> before = {
      {"The ", "CHAIR", "c0"}, {"big ", "RUS", "c1"}, {"cat", "CHN", "c2"}};
  EXPECT_EQ(format(carry_blame(before, "The big cat sat.", "c3", "USA")),
            "[The |CHAIR|c0][big |RUS|c1][cat|CHN|c2][ sat.|USA|c3]");
}

TEST(words_carry_blame, old_segment_boundary_inside_a_token) {
  // Not produced by carry_blame itself, but a blame from elsewhere is carried byte-exactly.
  const std::vector<blame_segment> before = {{"foo", "RUS", "c1"}, {"bar", "CHN", "c2"}};
  EXPECT_EQ(format(carry_blame(before, "foobar baz", "c3", "USA")),
            "[foo|RUS|c1][bar|CHN|c2][ baz|USA|c3]");
}

TEST(words_carry_blame, coalesces_with_equal_commit_and_skips_empty_segments) {
  const std::vector<blame_segment> before = {
      {"a ", "RUS", "c1"}, {"", "CHN", "c2"}, {"b", "RUS", "c1"}};
  EXPECT_EQ(format(carry_blame(before, "a b", "c3", "USA")), "[a b|RUS|c1]");
  EXPECT_EQ(format(carry_blame({{"a ", "RUS", "c1"}}, "a b", "c1", "RUS")), "[a b|RUS|c1]");
  // Two pieces of one commit that a deletion brings together are one segment.
  EXPECT_EQ(format(carry_blame({{"a ", "RUS", "c1"}, {"b ", "CHN", "c2"}, {"c", "RUS", "c1"}},
                               "a c", "c3", "USA")),
            "[a c|RUS|c1]");
  // The same commit under another state is another attribution.
  EXPECT_EQ(format(carry_blame({{"a ", "RUS", "c1"}, {"b", "CHN", "c1"}}, "a b", "c3", "USA")),
            "[a |RUS|c1][b|CHN|c1]");
}

TEST(words_carry_blame, replaced_word_in_middle_of_old_segment) {
  const std::vector<blame_segment> before = {{"one two three", "RUS", "c1"}};
  EXPECT_EQ(format(carry_blame(before, "one 2 three", "c2", "CHN")),
            "[one |RUS|c1][2|CHN|c2][ three|RUS|c1]");
}

// Over many random steps by three states, the join is the text and each step's commit owns
// exactly the bytes that step's diff inserted.
TEST(words_carry_blame, random_steps_join_to_the_text_and_attribute_insertions) {
  std::mt19937 rng(2026);
  const char* states[] = {"RUS", "CHN", "USA"};
  std::string text = treaty_sentences()[0];
  std::vector<blame_segment> blame = carry_blame({}, text, "c0", "CHAIR");
  for (int step = 1; step <= 300; ++step) {
    const std::string next = random_edit(random_edit(text, rng), rng);
    const std::string commit = "c" + std::to_string(step);
    const char* state = states[rng() % 3];
    blame = carry_blame(blame, next, commit, state);
    SCOPED_TRACE("step " + std::to_string(step));
    expect_valid_blame(blame, next);
    std::size_t owned = 0;
    for (const auto& s : blame) {
      if (s.commit == commit) {
        owned += s.text.size();
        EXPECT_EQ(s.state, state);
      }
    }
    EXPECT_EQ(owned, join(diff(text, next), "+").size());
    text = next;
    if (HasFailure()) return;
  }
}

// ---------------------------------------------------------------------------------------
// blame_carrier

// The carrier's attribution for step `who`: commit "c<who>", one of three states.
std::pair<std::string, std::string> step_attribution(std::uint32_t who) {
  static const char* states[] = {"RUS", "CHN", "USA"};
  return {"c" + std::to_string(who), states[who % 3]};
}

TEST(words_blame_carrier, deletion_and_return_and_the_same_text_again) {
  blame_carrier c;
  EXPECT_FALSE(c.has_text());
  c.carry("The States shall", 0);
  c.carry("The States shall", 1);  // the same text: nothing new
  EXPECT_EQ(format(c.segments(step_attribution)), "[The States shall|RUS|c0]");
  c.carry("The States must", 2);
  EXPECT_EQ(format(c.segments(step_attribution)), "[The States |RUS|c0][must|USA|c2]");
  c.clear();  // deleted: no text, no blame
  EXPECT_FALSE(c.has_text());
  EXPECT_TRUE(c.segments(step_attribution).empty());
  c.carry("The States must", 4);  // back again: a new clause, all of it new
  EXPECT_TRUE(c.has_text());
  EXPECT_EQ(c.text(), "The States must");
  EXPECT_EQ(format(c.segments(step_attribution)), "[The States must|CHN|c4]");
  c.carry("", 5);  // an empty text is a text, with no words to blame
  EXPECT_TRUE(c.has_text());
  EXPECT_TRUE(c.runs().empty());
}

// Over random steps (edits, the same text again, deletions, short texts that live inside the
// std::string), the carrier gives exactly what carry_blame gives.
TEST(words_blame_carrier, matches_carry_blame_over_random_steps) {
  std::mt19937 rng(17);
  for (const std::string& sentence : treaty_sentences()) {
    SCOPED_TRACE(sentence);
    blame_carrier carrier;
    std::vector<blame_segment> expected;
    std::string text = sentence;
    for (std::uint32_t step = 0; step < 200; ++step) {
      const unsigned roll = rng() % 20;
      if (roll == 0) {  // deleted, then back short
        carrier.clear();
        expected.clear();
        text = "To act.";
        continue;
      }
      if (roll > 2) text = random_edit(random_edit(text, rng), rng);  // else the same text
      const auto [commit, state] = step_attribution(step);
      carrier.carry(text, step);
      expected = carry_blame(expected, text, commit, state);
      ASSERT_EQ(carrier.text(), text) << "step " << step;
      ASSERT_EQ(format(carrier.segments(step_attribution)), format(expected)) << "step " << step;
    }
  }
}

}  // namespace
}  // namespace plenary::storage::words
