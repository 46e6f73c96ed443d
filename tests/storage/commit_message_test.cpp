// The private pieces of storage that are pure functions: commit messages and draft.json.
#include "storage/commit_message.hpp"

#include <gtest/gtest.h>

#include "storage/draft_json.hpp"

namespace plenary::storage {
namespace {

TEST(commit_message, compose_has_the_documented_shape) {
  EXPECT_EQ(
      message::compose("Replace operative clause 3", "Because.", op_kind::replace, "c5", "RUS"),
      "Replace operative clause 3\n\nBecause.\n\nOp: replace\nClause: c5\nState: RUS\n");
  EXPECT_EQ(message::compose("Delete heading", "", op_kind::remove, "c2", "FRA"),
            "Delete heading\n\nOp: delete\nClause: c2\nState: FRA\n");
  EXPECT_EQ(message::compose("Open draft: T", "", op_kind::open, "", "CHAIR"),
            "Open draft: T\n\nOp: open\nState: CHAIR\n");
}

TEST(commit_message, notes_round_trip_byte_for_byte) {
  for (const std::string note :
       {"", "x", "a\n\nb", "\n", "\n\n", "\nlead", "trail\n", "trail\n\n\n", "Key: value",
        "p1\n\nOp: move\nClause: c1\nState: XX", "tab\there", "多\n\n语言"}) {
    for (op_kind op : {op_kind::replace, op_kind::insert, op_kind::remove, op_kind::move}) {
      const std::string m = message::compose("Summary line", note, op, "c12", "CHN");
      const message::parts p = message::parse(m);
      EXPECT_EQ(p.summary, "Summary line");
      EXPECT_EQ(p.note, note) << "[" << m << "]";
      EXPECT_EQ(p.op, op);
      EXPECT_EQ(p.clause, "c12");
      EXPECT_EQ(p.state, "CHN");
    }
  }
}

TEST(commit_message, foreign_messages_are_read_leniently) {
  message::parts p = message::parse("Fix typo");
  EXPECT_EQ(p.summary, "Fix typo");
  EXPECT_EQ(p.note, "");
  EXPECT_FALSE(p.op);
  p = message::parse("Fix typo\n\nJust a body.\n");
  EXPECT_EQ(p.note, "Just a body.");
  EXPECT_FALSE(p.op);
  p = message::parse("Fix typo\n\nBody\n\nSigned-off-by: A <a@b>\nOp: frobnicate\n");
  EXPECT_EQ(p.note, "Body");
  EXPECT_FALSE(p.op);  // unknown op value
  p = message::parse("");
  EXPECT_EQ(p.summary, "");
}

TEST(commit_message, emails_and_states) {
  EXPECT_EQ(message::author_email("RUS"), "rus@delegations.invalid");
  EXPECT_EQ(message::author_email("CHAIR"), "chair@delegations.invalid");
  EXPECT_EQ(message::state_from_email("rus@delegations.invalid"), "RUS");
  EXPECT_EQ(message::state_from_email("g77@delegations.invalid"), "G77");
  EXPECT_EQ(message::state_from_email("rus@example.org"), "");
  EXPECT_EQ(message::state_from_email("@delegations.invalid"), "");
  EXPECT_EQ(message::state_from_email("r.u@delegations.invalid"), "");
}

std::vector<clause> doc(std::initializer_list<clause_kind> kinds) {
  std::vector<clause> out;
  int number = 1;
  int id = 1;
  for (clause_kind k : kinds) {
    clause c;
    c.id = "c" + std::to_string(id++);
    c.kind = k;
    if (k == clause_kind::operative) c.number = number++;
    out.push_back(c);
  }
  return out;
}

TEST(commit_message, labels) {
  using enum clause_kind;
  const auto d = doc({heading, preamble, preamble, operative, operative, heading});
  EXPECT_EQ(message::clause_label(d, 0), "heading 1");
  EXPECT_EQ(message::clause_label(d, 2), "preambular paragraph 2");
  EXPECT_EQ(message::clause_label(d, 4), "operative clause 2");
  EXPECT_EQ(message::clause_label(d, 5), "heading 2");
  const auto one = doc({heading, operative});
  EXPECT_EQ(message::clause_label(one, 0), "heading");
  EXPECT_EQ(message::insert_summary(one, 1), "Insert operative clause 1");
  EXPECT_EQ(message::delete_summary(one, 0), "Delete heading");
}

TEST(draft_json, writes_one_clause_per_line_and_reads_it_back) {
  std::vector<clause> clauses = doc({clause_kind::preamble, clause_kind::operative});
  const std::string json = draft_json::write("A \"quoted\" title — ü", clauses);
  EXPECT_EQ(json,
            "{\n  \"title\": \"A \\\"quoted\\\" title — ü\",\n  \"clauses\": [\n"
            "    {\"id\": \"c1\", \"kind\": \"preamble\"},\n"
            "    {\"id\": \"c2\", \"kind\": \"operative\"}\n  ]\n}\n");
  auto parsed = draft_json::parse(json);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->title, "A \"quoted\" title — ü");
  ASSERT_EQ(parsed->clauses.size(), 2u);
  EXPECT_EQ(parsed->clauses[1].id, "c2");
  EXPECT_EQ(parsed->clauses[1].kind, clause_kind::operative);
  auto empty = draft_json::parse(draft_json::write("T", {}));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->clauses.empty());
}

TEST(draft_json, damaged_files_are_io_errors) {
  for (const char* bad :
       {"", "[]", "{", "{\"clauses\": []}", "{\"title\": 1, \"clauses\": []}", "{\"title\": \"t\"}",
        "{\"title\": \"t\", \"clauses\": [1]}",
        "{\"title\": \"t\", \"clauses\": [{\"id\": \"../x\", \"kind\": \"operative\"}]}",
        "{\"title\": \"t\", \"clauses\": [{\"id\": \"c1\", \"kind\": \"other\"}]}",
        "{\"title\": \"t\", \"clauses\": [{\"id\": \"c1\", \"kind\": \"heading\"},"
        " {\"id\": \"c1\", \"kind\": \"heading\"}]}",
        "{\"title\": \"\xff\", \"clauses\": []}"}) {
    auto r = draft_json::parse(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.err().kind, error_kind::io) << bad;
    }
  }
}

}  // namespace
}  // namespace plenary::storage
