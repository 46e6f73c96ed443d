// storage::draft: stale bases (merge or conflict), history, blame and at().
#include <gtest/gtest.h>

#include "storage/draft.hpp"
#include "storage_fixture.hpp"

namespace plenary::storage::testing {
namespace {

class merge_history_test : public storage_test {
 protected:
  void SetUp() override {
    storage_test::SetUp();
    d_ = make();
    ASSERT_TRUE(d_);
    open_ = d_->head().head;
  }

  std::string rev(std::string_view id) { return find(d_->head(), id)->rev; }

  std::unique_ptr<draft> d_;
  std::string open_;
};

std::string join(const std::vector<diff_piece>& diff, char skip) {
  std::string out;
  for (const auto& p : diff) {
    if (p.op != skip) out += p.text;
  }
  return out;
}

TEST_F(merge_history_test, non_overlapping_edits_merge) {
  // FRA edits the start, then RUS, still on the open text, edits the end.
  ASSERT_OK(d_->amend(replace_req(fra, "c4", open_, "Never to use networks for hostile acts;")));
  auto a = d_->amend(replace_req(rus, "c4", open_, "Not to use networks for any hostile acts;"));
  ASSERT_OK(a);
  EXPECT_TRUE(a->merged);
  EXPECT_EQ(a->after->text, "Never to use networks for any hostile acts;");
  EXPECT_EQ(a->after->by, "RUS");
  EXPECT_EQ(git(repo_path(), "show main:clauses/c4.txt").out,
            "Never to use networks for any hostile acts;\n");
}

TEST_F(merge_history_test, overlapping_edits_conflict_with_the_current_clause) {
  auto first = d_->amend(replace_req(fra, "c4", open_, "Never to use networks for hostile acts;"));
  ASSERT_OK(first);
  const std::string head = d_->head().head;
  auto a = d_->amend(replace_req(rus, "c4", open_, "Nor to use networks for hostile acts;"));
  EXPECT_ERROR(a, error_kind::conflict);
  ASSERT_TRUE(a.err().current);
  EXPECT_EQ(a.err().current->id, "c4");
  EXPECT_EQ(a.err().current->text, "Never to use networks for hostile acts;");
  EXPECT_EQ(a.err().current->rev, first->entry.commit);
  EXPECT_EQ(a.err().current->by, "FRA");
  EXPECT_EQ(a.err().current->number, 2);
  EXPECT_EQ(d_->head().head, head);
  EXPECT_EQ(d_->log().size(), 2u);
}

TEST_F(merge_history_test, the_same_edit_twice_is_refused_as_already_there) {
  ASSERT_OK(d_->amend(replace_req(fra, "c4", open_, "Never to use networks for hostile acts;")));
  auto a = d_->amend(replace_req(rus, "c4", open_, "Never to use networks for hostile acts;"));
  EXPECT_ERROR(a, error_kind::invalid);
}

TEST_F(merge_history_test, a_base_where_the_text_did_not_change_needs_no_merge) {
  ASSERT_OK(d_->amend(replace_req(fra, "c3", open_, "To comply with the UN Charter;")));
  // c5 did not change since the open commit, so the head is as good a base as its rev.
  auto a = d_->amend(replace_req(rus, "c5", d_->head().head, "To cooperate."));
  ASSERT_OK(a);
  EXPECT_FALSE(a->merged);
}

TEST_F(merge_history_test, a_deleted_clause_conflicts_without_current) {
  ASSERT_OK(d_->amend(remove_req(fra, "c4", open_)));
  auto a = d_->amend(replace_req(rus, "c4", open_, "Something else;"));
  EXPECT_ERROR(a, error_kind::conflict);
  EXPECT_FALSE(a.err().current);
  auto m = d_->amend(move_req(rus, "c4", std::nullopt));
  EXPECT_ERROR(m, error_kind::conflict);
  EXPECT_FALSE(m.err().current);
}

TEST_F(merge_history_test, a_base_outside_main_or_before_the_clause_conflicts_with_current) {
  const std::string foreign(40, 'a');
  auto a = d_->amend(replace_req(rus, "c4", foreign, "Something else;"));
  EXPECT_ERROR(a, error_kind::conflict);
  ASSERT_TRUE(a.err().current);
  EXPECT_EQ(a.err().current->text, "Not to use networks for hostile acts;");
  auto ins = d_->amend(insert_req(fra, "c5", clause_kind::operative, "A new clause."));
  ASSERT_OK(ins);
  // c6 did not exist at the open commit.
  auto b = d_->amend(replace_req(rus, "c6", open_, "A newer clause."));
  EXPECT_ERROR(b, error_kind::conflict);
  ASSERT_TRUE(b.err().current);
  EXPECT_EQ(b.err().current->text, "A new clause.");
}

TEST_F(merge_history_test, unknown_clause_is_not_found) {
  EXPECT_ERROR(d_->amend(replace_req(rus, "c99", open_, "Text.")), error_kind::not_found);
  EXPECT_ERROR(d_->amend(remove_req(rus, "c99", open_)), error_kind::not_found);
  EXPECT_ERROR(d_->history("c99"), error_kind::not_found);
  EXPECT_ERROR(d_->blame("c99"), error_kind::not_found);
  EXPECT_ERROR(d_->history("../c1"), error_kind::invalid);
  EXPECT_ERROR(d_->blame("C1"), error_kind::invalid);
}

TEST_F(merge_history_test, history_lists_the_commits_of_the_clause_with_diffs) {
  auto a1 = d_->amend(replace_req(fra, "c3", open_, "To comply with the UN Charter;"));
  ASSERT_OK(a1);
  ASSERT_OK(
      d_->amend(replace_req(rus, "c5", open_, "To cooperate against crime.")));  // other clause
  ASSERT_OK(d_->amend(move_req(chn, "c3", "c4")));                               // a move
  auto a2 = d_->amend(replace_req(chn, "c3", rev("c3"), "To comply fully with the UN Charter;"));
  ASSERT_OK(a2);
  auto a3 = d_->amend(remove_req(rus, "c3", rev("c3")));
  ASSERT_OK(a3);
  auto h = d_->history("c3");
  ASSERT_OK(h);
  ASSERT_EQ(h->size(), 4u);
  EXPECT_EQ((*h)[0].entry.commit, open_);
  EXPECT_EQ((*h)[0].entry.op, op_kind::open);
  EXPECT_EQ((*h)[1].entry.commit, a1->entry.commit);
  EXPECT_EQ((*h)[1].entry.by.state, "FRA");
  EXPECT_EQ((*h)[2].entry.commit, a2->entry.commit);
  EXPECT_EQ((*h)[3].entry.commit, a3->entry.commit);
  EXPECT_EQ((*h)[3].entry.op, op_kind::remove);
  EXPECT_EQ((*h)[0].text, "To comply with the Charter;");
  EXPECT_EQ((*h)[2].text, "To comply fully with the UN Charter;");
  EXPECT_FALSE((*h)[3].text);
  std::string previous;
  for (const auto& e : *h) {
    EXPECT_EQ(join(e.diff, '+'), previous) << e.entry.commit;             // '=' and '-'
    EXPECT_EQ(join(e.diff, '-'), e.text.value_or("")) << e.entry.commit;  // '=' and '+'
    for (const auto& p : e.diff) EXPECT_TRUE(p.op == '=' || p.op == '+' || p.op == '-');
    previous = e.text.value_or("");
  }
  // The first entry is all '+'.
  ASSERT_EQ((*h)[0].diff.size(), 1u);
  EXPECT_EQ((*h)[0].diff[0].op, '+');
  // A deleted clause has a history but no blame.
  EXPECT_ERROR(d_->blame("c3"), error_kind::not_found);
}

TEST_F(merge_history_test, blame_attributes_each_piece_to_its_state) {
  ASSERT_OK(
      d_->amend(replace_req(fra, "c4", rev("c4"), "Never to use networks for hostile acts;")));
  ASSERT_OK(
      d_->amend(replace_req(rus, "c4", rev("c4"), "Never to use networks for any hostile acts;")));
  auto before = d_->blame("c4");  // computed now, cached, then carried forward
  ASSERT_OK(before);
  ASSERT_OK(d_->amend(
      replace_req(chn, "c4", rev("c4"), "Never to use networks for any hostile acts whatsoever;")));
  auto b = d_->blame("c4");
  ASSERT_OK(b);
  std::string joined;
  std::map<std::string, std::string> by_state;
  for (const auto& seg : *b) {
    joined += seg.text;
    by_state[seg.state] += seg.text;
    EXPECT_EQ(seg.commit.size(), 40u);
  }
  EXPECT_EQ(joined, "Never to use networks for any hostile acts whatsoever;");
  EXPECT_NE(by_state["FRA"].find("Never"), std::string::npos);
  EXPECT_NE(by_state["RUS"].find("any"), std::string::npos);
  EXPECT_NE(by_state["CHN"].find("whatsoever"), std::string::npos);
  EXPECT_NE(by_state["CHAIR"].find("networks"), std::string::npos);
  // The carried-forward blame equals one computed from scratch.
  auto fresh = reopen();
  ASSERT_TRUE(fresh);
  auto c = fresh->blame("c4");
  ASSERT_OK(c);
  ASSERT_EQ(c->size(), b->size());
  for (std::size_t i = 0; i < c->size(); ++i) {
    EXPECT_EQ((*c)[i].text, (*b)[i].text);
    EXPECT_EQ((*c)[i].state, (*b)[i].state);
    EXPECT_EQ((*c)[i].commit, (*b)[i].commit);
  }
}

TEST_F(merge_history_test, at_gives_the_draft_as_it_stood) {
  auto a1 = d_->amend(replace_req(fra, "c3", open_, "To comply with the UN Charter;"));
  ASSERT_OK(a1);
  auto a2 = d_->amend(insert_req(rus, std::nullopt, clause_kind::heading, "Preamble"));
  ASSERT_OK(a2);
  auto a3 = d_->amend(remove_req(chn, "c4", open_));
  ASSERT_OK(a3);
  auto at0 = d_->at(open_);
  ASSERT_OK(at0);
  EXPECT_EQ(at0->head, open_);
  EXPECT_EQ(ids(*at0), (std::vector<std::string>{"c1", "c2", "c3", "c4", "c5"}));
  EXPECT_EQ(find(*at0, "c3")->text, "To comply with the Charter;");
  EXPECT_EQ(find(*at0, "c3")->by, "CHAIR");
  auto at1 = d_->at(a1->entry.commit);
  ASSERT_OK(at1);
  EXPECT_EQ(find(*at1, "c3")->text, "To comply with the UN Charter;");
  EXPECT_EQ(find(*at1, "c3")->rev, a1->entry.commit);
  EXPECT_EQ(find(*at1, "c3")->by, "FRA");
  EXPECT_EQ(find(*at1, "c4")->rev, open_);
  auto at2 = d_->at(a2->entry.commit);
  ASSERT_OK(at2);
  EXPECT_EQ(ids(*at2), (std::vector<std::string>{"c6", "c1", "c2", "c3", "c4", "c5"}));
  EXPECT_EQ(find(*at2, "c4")->number, 2);
  auto now = d_->at(a3->entry.commit);
  ASSERT_OK(now);
  EXPECT_EQ(ids(*now), ids(d_->head()));
  EXPECT_ERROR(d_->at("not-a-commit"), error_kind::invalid);
  EXPECT_ERROR(d_->at(std::string(40, 'A')), error_kind::invalid);
  EXPECT_ERROR(d_->at(std::string(40, '0')), error_kind::not_found);
  // Reopened, the old state reads the same.
  auto fresh = reopen();
  ASSERT_TRUE(fresh);
  auto again = fresh->at(a1->entry.commit);
  ASSERT_OK(again);
  EXPECT_EQ(ids(*again), ids(*at1));
  EXPECT_EQ(find(*again, "c3")->by, "FRA");
}

TEST_F(merge_history_test, history_stays_local_to_the_clause) {
  // Many amendments of other clauses do not appear in c1's history.
  for (int i = 0; i < 50; ++i) {
    ASSERT_OK(d_->amend(replace_req(rus, "c5", rev("c5"), "Version " + std::to_string(i) + ".")));
  }
  auto h = d_->history("c1");
  ASSERT_OK(h);
  EXPECT_EQ(h->size(), 1u);
  auto h5 = d_->history("c5");
  ASSERT_OK(h5);
  EXPECT_EQ(h5->size(), 51u);
  EXPECT_EQ(h5->back().text, "Version 49.");
}

}  // namespace
}  // namespace plenary::storage::testing
