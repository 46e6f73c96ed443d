// The word tokenizer and diff on the table shared with the browser (tests/shared/
// word-diff-cases.json, also run by tests/web/diff.test.mjs): the server and web/diff.js cut
// the same tokens and give the same minimal and readable diffs. The "diff" cases are real
// amendment pairs; their "minimal" and "readable" diffs are the before and after of the
// clean-up in docs/diffs.md.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "storage/model.hpp"
#include "storage/words.hpp"

namespace plenary::storage::words {
namespace {

const rapidjson::Document& table() {
  static const rapidjson::Document doc = [] {
    std::ifstream in(PLENARY_WORD_CASES, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    rapidjson::Document d;
    d.Parse(ss.str().c_str());
    return d;
  }();
  return doc;
}

std::vector<diff_piece> pieces_of(const rapidjson::Value& list) {
  std::vector<diff_piece> out;
  for (const auto& p : list.GetArray()) {
    out.push_back({p[0].GetString()[0], std::string(p[1].GetString(), p[1].GetStringLength())});
  }
  return out;
}

std::string show(const std::vector<diff_piece>& pieces) {
  std::string out;
  for (const auto& p : pieces) out += std::string(1, p.op) + "[" + p.text + "]";
  return out;
}

std::string str(const rapidjson::Value& v) { return {v.GetString(), v.GetStringLength()}; }

TEST(words_shared_table, is_readable) {
  ASSERT_TRUE(table().IsObject()) << "cannot read " << PLENARY_WORD_CASES;
  ASSERT_TRUE(table()["tokenize"].IsArray());
  ASSERT_GE(table()["diff"].Size(), 20u) << "at least 20 real amendment pairs";
}

TEST(words_shared_table, tokenize_cuts_as_the_browser_does) {
  ASSERT_TRUE(table().IsObject());
  for (const auto& c : table()["tokenize"].GetArray()) {
    SCOPED_TRACE(str(c["name"]));
    const std::string text = str(c["text"]);
    std::vector<std::string> expected;
    for (const auto& t : c["tokens"].GetArray()) expected.push_back(str(t));
    const auto got = tokenize(text);
    EXPECT_EQ(std::vector<std::string>(got.begin(), got.end()), expected);
  }
}

TEST(words_shared_table, minimal_and_readable_diffs_are_the_browsers) {
  ASSERT_TRUE(table().IsObject());
  for (const auto& c : table()["diff"].GetArray()) {
    SCOPED_TRACE(str(c["name"]));
    const std::string before = str(c["before"]);
    const std::string after = str(c["after"]);
    EXPECT_EQ(show(minimal_diff(before, after)), show(pieces_of(c["minimal"])));
    EXPECT_EQ(show(diff(before, after)), show(pieces_of(c["readable"])));
  }
}

}  // namespace
}  // namespace plenary::storage::words
