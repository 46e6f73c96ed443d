// procedure.md, "Versions", on the wire: GET .../versions and GET .../compare bodies, read back.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocol/messages.hpp"
#include "tests/protocol/test_json.hpp"

namespace plenary::protocol {
namespace {

using testing::member;
using testing::read_json;
using testing::str;

const std::string commit_a(40, 'a');
const std::string commit_b(40, 'b');

TEST(versions_json, lists_each_version_with_rfc3339_time_null_note_and_the_tagger) {
  std::vector<version_view> versions(2);
  versions[0].name = "rev.1";
  versions[0].commit = commit_a;
  versions[0].at = 1795774500;
  versions[0].note = "After the first reading.";
  versions[0].by = actor{"CHAIR", "Chair"};
  versions[1].name = "adopted";
  versions[1].commit = commit_b;
  versions[1].at = 1795774560;
  const auto doc = read_json(versions_json(versions));
  ASSERT_TRUE(doc.IsObject());
  EXPECT_EQ(doc.MemberCount(), 1u);
  const auto& list = member(doc, "versions");
  ASSERT_TRUE(list.IsArray());
  ASSERT_EQ(list.Size(), 2u);
  EXPECT_EQ(str(list[0], "name"), "rev.1");
  EXPECT_EQ(str(list[0], "commit"), commit_a);
  EXPECT_EQ(str(list[0], "at"), "2026-11-27T10:15:00Z");
  EXPECT_EQ(str(list[0], "note"), "After the first reading.");
  const auto& by = member(list[0], "by");
  EXPECT_EQ(str(by, "state"), "CHAIR");
  EXPECT_EQ(str(by, "name"), "Chair");
  EXPECT_EQ(list[0].MemberCount(), 5u);
  EXPECT_EQ(str(list[1], "name"), "adopted");
  EXPECT_EQ(str(list[1], "at"), "2026-11-27T10:16:00Z");
  EXPECT_TRUE(member(list[1], "note").IsNull());
  EXPECT_TRUE(member(list[1], "by").IsNull());

  EXPECT_EQ(versions_json({}), R"({"versions":[]})");
}

TEST(compare_json, writes_from_to_and_every_clause_as_the_contract_says) {
  std::vector<compared_clause_view> clauses(4);
  clauses[0] = {
      "c1", "same", std::nullopt, std::nullopt, clause_kind::preamble, {{'=', "Recognizing,"}}};
  clauses[1] = {"c5", "moved", 3, 1, clause_kind::operative, {{'=', "To share."}}};
  clauses[2] = {"c3",
                "changed",
                1,
                2,
                clause_kind::operative,
                {{'=', "To comply with the "}, {'-', "Charter"}, {'+', "UN Charter"}, {'=', ";"}}};
  clauses[3] = {"c4", "removed", 2, std::nullopt, clause_kind::operative, {{'-', "Not to."}}};
  const std::string json = compare_json(commit_a, commit_b, clauses);
  const auto doc = read_json(json);
  ASSERT_TRUE(doc.IsObject());
  EXPECT_EQ(doc.MemberCount(), 3u);
  EXPECT_EQ(str(doc, "from"), commit_a);
  EXPECT_EQ(str(doc, "to"), commit_b);
  const auto& list = member(doc, "clauses");
  ASSERT_TRUE(list.IsArray());
  ASSERT_EQ(list.Size(), 4u);
  for (const auto& c : list.GetArray()) EXPECT_EQ(c.MemberCount(), 6u);

  EXPECT_EQ(str(list[0], "id"), "c1");
  EXPECT_EQ(str(list[0], "change"), "same");
  EXPECT_TRUE(member(list[0], "number_from").IsNull());
  EXPECT_TRUE(member(list[0], "number_to").IsNull());
  EXPECT_EQ(str(list[0], "kind"), "preamble");

  EXPECT_EQ(str(list[1], "change"), "moved");
  EXPECT_EQ(member(list[1], "number_from").GetInt(), 3);
  EXPECT_EQ(member(list[1], "number_to").GetInt(), 1);
  EXPECT_EQ(str(list[1], "kind"), "operative");

  const auto& diff = member(list[2], "diff");
  ASSERT_TRUE(diff.IsArray());
  ASSERT_EQ(diff.Size(), 4u);
  EXPECT_EQ(str(diff[1], "op"), "-");
  EXPECT_EQ(str(diff[1], "text"), "Charter");
  EXPECT_EQ(str(diff[2], "op"), "+");
  EXPECT_EQ(str(diff[2], "text"), "UN Charter");
  EXPECT_EQ(diff[0].MemberCount(), 2u);

  EXPECT_EQ(str(list[3], "change"), "removed");
  EXPECT_EQ(member(list[3], "number_from").GetInt(), 2);
  EXPECT_TRUE(member(list[3], "number_to").IsNull());

  // The exact bytes of one entry.
  EXPECT_NE(json.find(R"({"id":"c4","change":"removed","number_from":2,"number_to":null,)"
                      R"("kind":"operative","diff":[{"op":"-","text":"Not to."}]})"),
            std::string::npos)
      << json;
}

TEST(compare_json, a_number_is_null_for_a_clause_that_is_not_operative) {
  // Whatever the caller passes, a heading or preamble has no number (protocol.md, "Words").
  const std::vector<compared_clause_view> clauses = {
      {"h1", "same", 1, 1, clause_kind::heading, {{'=', "Each State pledges:"}}}};
  const auto doc = read_json(compare_json(commit_a, commit_a, clauses));
  const auto& c = member(doc, "clauses")[0];
  EXPECT_TRUE(member(c, "number_from").IsNull());
  EXPECT_TRUE(member(c, "number_to").IsNull());
  EXPECT_EQ(compare_json(commit_a, commit_b, {}),
            R"({"from":")" + commit_a + R"(","to":")" + commit_b + R"(","clauses":[]})");
}

}  // namespace
}  // namespace plenary::protocol
