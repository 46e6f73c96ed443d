// storage::draft under hostile input: each bad request gets the right error kind, a message
// naming what is wrong, and leaves the repository exactly as it was.
#include <gtest/gtest.h>

#include "storage/draft.hpp"
#include "storage_fixture.hpp"

namespace plenary::storage::testing {
namespace {

struct hostile_case {
  const char* name;
  request req;
  error_kind kind;
  const char* mentions;  // a word the message must contain
};

class hostile_input_test : public storage_test {};

std::vector<hostile_case> cases(const std::string& base) {
  const std::string long_text(max_clause_text_bytes + 1, 'a');
  const std::string long_note(max_note_bytes + 1, 'n');
  auto with_note = [&](std::string note) {
    request r = replace_req(rus, "c3", base, "To comply with the UN Charter;");
    r.change.note = std::move(note);
    return r;
  };
  auto by = [&](actor a) { return replace_req(a, "c3", base, "To comply with the UN Charter;"); };
  request at_negative = replace_req(rus, "c3", base, "x y");
  at_negative.at = -1;
  request open_op = replace_req(rus, "c3", base, "x y");
  open_op.change.op = op_kind::open;
  request bad_kind = insert_req(rus, std::nullopt, clause_kind::operative, "x");
  bad_kind.change.kind = static_cast<clause_kind>(42);
  request bad_op = replace_req(rus, "c3", base, "x y");
  bad_op.change.op = static_cast<op_kind>(42);
  return {
      {"unknown_id", replace_req(rus, "c42", base, "x"), error_kind::not_found, "c42"},
      {"dot_dot_id", replace_req(rus, "../x", base, "x"), error_kind::invalid, "clause"},
      {"slash_id", replace_req(rus, "a/b", base, "x"), error_kind::invalid, "clause"},
      {"upper_id", replace_req(rus, "C3", base, "x"), error_kind::invalid, "clause"},
      {"long_id", replace_req(rus, std::string(33, 'c'), base, "x"), error_kind::invalid, "clause"},
      {"empty_id", replace_req(rus, "", base, "x"), error_kind::invalid, "clause"},
      {"nul_in_id", replace_req(rus, std::string("c3\0", 3), base, "x"), error_kind::invalid,
       "clause"},
      {"empty_text", replace_req(rus, "c3", base, ""), error_kind::invalid, "text"},
      {"blank_text", replace_req(rus, "c3", base, " \n\t "), error_kind::invalid, "text"},
      {"long_text", replace_req(rus, "c3", base, long_text), error_kind::invalid, "text"},
      {"control_text", replace_req(rus, "c3", base, "bell\x07"), error_kind::invalid, "text"},
      {"nul_text", replace_req(rus, "c3", base, std::string("a\0b", 3)), error_kind::invalid,
       "text"},
      {"cr_text", replace_req(rus, "c3", base, "a\rb"), error_kind::invalid, "text"},
      {"bad_utf8_text", replace_req(rus, "c3", base, "caf\xc3"), error_kind::invalid, "text"},
      {"overlong_utf8", replace_req(rus, "c3", base, "\xc0\xaf"), error_kind::invalid, "text"},
      {"surrogate_utf8", replace_req(rus, "c3", base, "\xed\xa0\x80"), error_kind::invalid, "text"},
      {"long_note", with_note(long_note), error_kind::invalid, "note"},
      {"bad_utf8_note", with_note("\xff"), error_kind::invalid, "note"},
      {"control_note", with_note("esc\x1b[31m"), error_kind::invalid, "note"},
      {"base_not_hex", replace_req(rus, "c3", "HEAD", "x y"), error_kind::invalid, "base"},
      {"base_upper", replace_req(rus, "c3", std::string(40, 'A'), "x y"), error_kind::invalid,
       "base"},
      {"base_short", replace_req(rus, "c3", base.substr(0, 7), "x y"), error_kind::invalid, "base"},
      {"delete_bad_base", remove_req(rus, "c3", "../../etc"), error_kind::invalid, "base"},
      {"insert_bad_after", insert_req(rus, "../c1", clause_kind::operative, "x"),
       error_kind::invalid, "after"},
      {"insert_unknown_after", insert_req(rus, "c77", clause_kind::operative, "x"),
       error_kind::not_found, "c77"},
      {"insert_empty", insert_req(rus, std::nullopt, clause_kind::operative, ""),
       error_kind::invalid, "text"},
      {"insert_bad_kind", bad_kind, error_kind::invalid, "kind"},
      {"move_bad_after", move_req(rus, "c3", "x/y"), error_kind::invalid, "after"},
      {"move_bad_id", move_req(rus, "..", std::nullopt), error_kind::invalid, "clause"},
      {"move_self", move_req(rus, "c3", "c3"), error_kind::invalid, "itself"},
      {"state_lower", by(actor{"rus", "Russian Federation"}), error_kind::invalid, "state"},
      {"state_long", by(actor{"ABCDEFGHI", "X"}), error_kind::invalid, "state"},
      {"name_angle", by(actor{"RUS", "Evil <x@y>"}), error_kind::invalid, "name"},
      {"name_newline", by(actor{"RUS", "Evil\nCommitter: x"}), error_kind::invalid, "name"},
      {"name_empty", by(actor{"RUS", ""}), error_kind::invalid, "name"},
      {"at_negative", at_negative, error_kind::invalid, "at"},
      {"op_open", open_op, error_kind::invalid, "op"},
      {"op_unknown", bad_op, error_kind::invalid, "op"},
  };
}

TEST_F(hostile_input_test, each_bad_request_is_refused_and_changes_nothing) {
  auto d = make();
  ASSERT_TRUE(d);
  const std::string head = d->head().head;
  const auto files_before = tree_listing(repo_path());
  for (const hostile_case& c : cases(head)) {
    SCOPED_TRACE(c.name);
    auto r = d->amend(c.req);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().kind, c.kind) << r.err().message;
    EXPECT_NE(r.err().message.find(c.mentions), std::string::npos) << r.err().message;
    EXPECT_EQ(d->head().head, head);
    EXPECT_EQ(d->log().size(), 1u);
  }
  // Not one file was added: no pack, no loose object, no lock.
  EXPECT_EQ(tree_listing(repo_path()), files_before);
  EXPECT_EQ(git(repo_path(), "rev-parse main").out, head + "\n");
}

TEST_F(hostile_input_test, hostile_requests_in_a_batch_leave_the_good_ones_intact) {
  auto d = make();
  ASSERT_TRUE(d);
  const std::string head = d->head().head;
  std::vector<request> batch;
  for (const hostile_case& c : cases(head)) batch.push_back(c.req);
  batch.push_back(replace_req(fra, "c3", head, "To comply with the UN Charter;"));
  auto results = d->amend_all(batch);
  ASSERT_EQ(results.size(), batch.size());
  for (std::size_t i = 0; i + 1 < results.size(); ++i) EXPECT_FALSE(results[i].ok()) << i;
  ASSERT_OK(results.back());
  EXPECT_EQ(d->log().size(), 2u);
  EXPECT_EQ(git(repo_path(), "fsck --strict --no-dangling 2>&1").status, 0);
}

TEST_F(hostile_input_test, slugs_are_checked_before_they_become_paths) {
  const fs::path data = "/srv/data";
  auto ok = draft_path(data, "code-of-conduct");
  ASSERT_OK(ok);
  EXPECT_EQ(*ok, fs::path("/srv/data/drafts/code-of-conduct.git"));
  for (const char* slug :
       {"", "../x", "a/b", "..", "-lead", "UPPER", "a b", "x.git", "a\\b", "\xc3\xa9t\xc3\xa9"}) {
    auto r = draft_path(data, slug);
    EXPECT_ERROR(r, error_kind::invalid);
    if (!r.ok()) {
      EXPECT_NE(r.err().message.find("slug"), std::string::npos);
    }
  }
  EXPECT_ERROR(draft_path(data, std::string(64, 'a')), error_kind::invalid);
  EXPECT_TRUE(draft_path(data, std::string(63, 'a')).ok());
}

TEST_F(hostile_input_test, messages_do_not_echo_hostile_bytes) {
  auto d = make();
  ASSERT_TRUE(d);
  const std::string evil = std::string("\x1b]0;pwned\x07") + std::string(5000, 'x');
  auto r = d->amend(replace_req(rus, evil, d->head().head, "x"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.err().message.find('\x1b'), std::string::npos);
  EXPECT_LT(r.err().message.size(), 300u);
}

}  // namespace
}  // namespace plenary::storage::testing
