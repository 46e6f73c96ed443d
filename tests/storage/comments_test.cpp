// Comments on the branch `comments` (storage/comments.hpp, storage/comment_store.hpp): the
// anchor of a span carried across later amendments, the commits `git log comments` shows, and
// every refusal leaving the branch as it was.
#include "storage/comments.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "storage/comment_store.hpp"
#include "storage_fixture.hpp"

namespace plenary::storage::testing {
namespace {

// ---- the pure carry, one change ------------------------------------------------------------

struct carry_case {
  const char* name;
  std::vector<diff_piece> diff;
  std::size_t start, end;  // in the old text
  carried_span want;
};

TEST(carry_span, each_case_keeps_the_words_that_are_still_there) {
  // Old text: "The State shall act." ("shall" is bytes 10-15).
  const carry_case cases[] = {
      {"unchanged", {{'=', "The State shall act."}}, 10, 15, {10, 15, false, false}},
      {"inserted before: shifted",
       {{'=', "The "}, {'+', "Member "}, {'=', "State shall act."}},
       10,
       15,
       {17, 22, false, false}},
      {"deleted before: shifted",
       {{'-', "The "}, {'=', "State shall act."}},
       10,
       15,
       {6, 11, false, false}},
      {"changed after: same place",
       {{'=', "The State shall "}, {'-', "act"}, {'+', "comply"}, {'=', "."}},
       10,
       15,
       {10, 15, false, false}},
      {"inserted at its edge: not in it",
       {{'=', "The State "}, {'+', "really "}, {'=', "shall act."}},
       10,
       15,
       {17, 22, false, false}},
      {"inserted inside: in it, changed",
       {{'=', "The State shall"}, {'+', " always"}, {'=', " act."}},
       10,
       19,
       {10, 26, true, false}},
      {"part deleted: what is left, changed",
       {{'=', "The State "}, {'-', "shall "}, {'=', "act."}},
       10,
       19,
       {10, 13, true, false}},
      {"all deleted: gone",
       {{'=', "The State "}, {'-', "shall"}, {'+', "must"}, {'=', " act."}},
       10,
       15,
       {0, 0, true, true}},
  };
  for (const carry_case& c : cases) {
    SCOPED_TRACE(c.name);
    const carried_span got = carry_span(c.start, c.end, c.diff);
    EXPECT_EQ(got.gone, c.want.gone);
    EXPECT_EQ(got.changed, c.want.changed);
    if (!c.want.gone) {
      EXPECT_EQ(got.start, c.want.start);
      EXPECT_EQ(got.end, c.want.end);
    }
  }
}

// ---- anchors carried across amendments of a real draft ----------------------------------------

class comments_test : public storage_test {
 protected:
  static constexpr const char* c4_text = "Each State shall endeavour to comply with the Charter;";
  static constexpr std::size_t span_start = 11;  // "shall endeavour"
  static constexpr std::size_t span_end = 26;

  std::unique_ptr<draft> make_draft() {
    draft_spec spec = small_spec();
    spec.clauses[3].text = c4_text;  // c4
    return make(spec);
  }
  static comment_request open_span(const draft& d, const actor& by, std::string clause,
                                   std::size_t start, std::size_t end, std::string text = "Why?") {
    comment_request r{comment_act::open, by, t0 + 60, 0, {}, std::move(text)};
    r.anchor.kind = anchor_kind::span;
    r.anchor.clause = std::move(clause);
    r.anchor.rev = find(d.head(), r.anchor.clause)->rev;
    r.anchor.start = start;
    r.anchor.end = end;
    return r;
  }
  static comment_request on_thread(comment_act act, const actor& by, int n, std::string text = {}) {
    return comment_request{act, by, t0 + 120, n, {}, std::move(text)};
  }
  std::string comments_tip() { return git(repo_path(), "rev-parse -q --verify comments").out; }
};

struct amend_case {
  const char* name;
  // The amendments made after the comment (on draft `d`), in order.
  std::function<void(draft&)> amend;
  anchor_state want;
  std::string words;  // the words the span covers afterwards ("" when none)
};

TEST_F(comments_test, a_span_is_carried_across_each_kind_of_amendment) {
  auto replace = [](draft& d, const actor& by, std::string text, std::string base = {}) {
    if (base.empty()) base = find(d.head(), "c4")->rev;
    ASSERT_OK(d.amend(replace_req(by, "c4", base, std::move(text))));
  };
  const amend_case cases[] = {
      {"replace elsewhere, before the span",
       [&](draft& d) {
         replace(d, fra, "Each Member State shall endeavour to comply with the Charter;");
       },
       anchor_state::exact, "shall endeavour"},
      {"replace elsewhere, after the span",
       [&](draft& d) { replace(d, fra, "Each State shall endeavour to respect the Charter;"); },
       anchor_state::exact, "shall endeavour"},
      {"replace inside the span",
       [&](draft& d) { replace(d, fra, "Each State shall strive to comply with the Charter;"); },
       anchor_state::changed, "shall"},
      {"replace the span's words",
       [&](draft& d) { replace(d, fra, "Each State must try to comply with the Charter;"); },
       anchor_state::words_gone, ""},
      {"two replaces in a row",
       [&](draft& d) {
         replace(d, fra, "Every State shall endeavour to comply with the Charter;");
         replace(d, rus, "Every single State shall endeavour to comply with the UN Charter;");
       },
       anchor_state::exact, "shall endeavour"},
      {"insert a clause before it",
       [&](draft& d) {
         ASSERT_OK(d.amend(insert_req(rus, std::nullopt, clause_kind::operative, "New.")));
       },
       anchor_state::exact, "shall endeavour"},
      {"move the clause", [&](draft& d) { ASSERT_OK(d.amend(move_req(rus, "c4", std::nullopt))); },
       anchor_state::exact, "shall endeavour"},
      {"merge of two edits from one base",
       [&](draft& d) {
         const std::string base = find(d.head(), "c4")->rev;
         replace(d, fra, "Each State shall endeavour to comply with the UN Charter;", base);
         auto merged = d.amend(replace_req(
             rus, "c4", base, "All States shall endeavour to comply with the Charter;"));
         ASSERT_OK(merged);
         EXPECT_TRUE(merged->merged);
       },
       anchor_state::exact, "shall endeavour"},
      {"delete the clause",
       [&](draft& d) { ASSERT_OK(d.amend(remove_req(fra, "c4", find(d.head(), "c4")->rev))); },
       anchor_state::clause_deleted, ""},
  };
  for (const amend_case& c : cases) {
    SCOPED_TRACE(c.name);
    TearDown();
    SetUp();
    auto d = make_draft();
    ASSERT_TRUE(d);
    auto opened = d->comment(open_span(*d, rus, "c4", span_start, span_end));
    ASSERT_OK(opened);
    EXPECT_EQ(opened->thread.anchor.quote, "shall endeavour");
    c.amend(*d);
    // Computed once, then from memory; the same after reopening the draft.
    for (int round = 0; round < 2; ++round) {
      auto placed = d->placed(1);
      ASSERT_OK(placed);
      EXPECT_EQ(placed->state, c.want) << to_string(placed->state);
      const clause* now = find(d->head(), "c4");
      if (c.words.empty()) {
        EXPECT_FALSE(placed->start.has_value());
      } else {
        ASSERT_TRUE(now && placed->start && placed->end);
        EXPECT_EQ(now->text.substr(*placed->start, *placed->end - *placed->start), c.words);
        EXPECT_EQ(placed->rev, now->rev);
      }
      if (round == 0) d = reopen();
      ASSERT_TRUE(d);
    }
  }
}

// ---- the branch -------------------------------------------------------------------------------

TEST_F(comments_test, each_write_is_a_commit_that_plain_git_reads) {
  auto d = make_draft();
  ASSERT_TRUE(d);
  ASSERT_OK(d->comment(open_span(*d, rus, "c4", span_start, span_end, "Too weak.\n\nSay shall.")));
  ASSERT_OK(d->comment(on_thread(comment_act::reply, fra, 1, "We could live with it.")));
  ASSERT_OK(d->comment(on_thread(comment_act::resolve, rus, 1)));
  ASSERT_OK(d->comment(on_thread(comment_act::reopen, chair, 1)));
  comment_request on_clause{comment_act::open, chn, t0 + 200, 0, {}, "A heading?"};
  on_clause.anchor.clause = "c2";
  ASSERT_OK(d->comment(on_clause));

  auto log = git(repo_path(), "log --reverse --format='%an <%ae>|%s' comments");
  EXPECT_EQ(log.status, 0);
  EXPECT_EQ(
      lines(log.out),
      (std::vector<std::string>{
          "Russian Federation <rus@delegations.invalid>|Comment on operative clause 2: \"shall "
          "endeavour\"",
          "France <fra@delegations.invalid>|Reply in thread 1",
          "Russian Federation <rus@delegations.invalid>|Resolve thread 1",
          "Chair <chair@delegations.invalid>|Reopen thread 1",
          "China <chn@delegations.invalid>|Comment on heading"}));
  auto first = git(repo_path(), "log -1 --format=%B comments~4");
  EXPECT_NE(first.out.find("Too weak.\n\nSay shall.\n\nAct: comment\nThread: 1\nClause: c4\n"
                           "State: RUS\n"),
            std::string::npos)
      << first.out;
  auto fsck = git(repo_path(), "fsck --strict --no-dangling 2>&1");
  EXPECT_EQ(fsck.status, 0) << fsck.out;
  EXPECT_EQ(git(repo_path(), "show comments:threads/1.json").status, 0);

  auto again = reopen();
  ASSERT_TRUE(again);
  ASSERT_EQ(again->threads().size(), 2u);
  EXPECT_EQ(again->threads(), d->threads());
  const comment_thread& t = again->threads()[0];
  EXPECT_FALSE(t.resolved);
  ASSERT_EQ(t.comments.size(), 2u);
  EXPECT_EQ(t.comments[1].by.state, "FRA");
  EXPECT_EQ(t.comments[1].text, "We could live with it.");
}

// ---- refusals: a precise error and nothing committed ---------------------------------------

struct refusal_case {
  const char* name;
  std::function<comment_request(const draft&)> request;
  error_kind want;
  const char* says;  // a part of the message
};

TEST_F(comments_test, refusals_commit_nothing) {
  auto d = make_draft();
  ASSERT_TRUE(d);
  {
    const std::string base = find(d->head(), "c3")->rev;
    ASSERT_OK(d->amend(
        replace_req(chair, "c3", base, "To comply ⟦RUS: with ‖ FRA: within⟧ the Charter;")));
  }
  ASSERT_OK(d->comment(open_span(*d, rus, "c4", span_start, span_end)));
  const std::size_t bracket_at = std::string("To comply ").size();
  const refusal_case cases[] = {
      {"span past the end of the text",
       [](const draft& x) { return open_span(x, rus, "c4", 40, 400); }, error_kind::invalid,
       "past the end of the text"},
      {"empty span", [](const draft& x) { return open_span(x, rus, "c4", 5, 5); },
       error_kind::invalid, "empty"},
      {"span across a bracket's edge",
       [&](const draft& x) { return open_span(x, rus, "c3", 3, bracket_at + 5); },
       error_kind::invalid, "crosses the edge of the bracket"},
      {"span cutting a character",
       [&](const draft& x) { return open_span(x, rus, "c3", bracket_at + 1, bracket_at + 8); },
       error_kind::invalid, "cuts a character"},
      {"span on a rev that is not a text of the clause",
       [](const draft& x) {
         auto r = open_span(x, rus, "c4", 0, 4);
         r.anchor.rev = find(x.head(), "c3")->rev;
         return r;
       },
       error_kind::not_found, "is not a text of clause c4"},
      {"clause that is not in the draft",
       [](const draft&) {
         comment_request r{comment_act::open, rus, t0, 0, {}, "Hm."};
         r.anchor.clause = "c99";
         return r;
       },
       error_kind::not_found, "no clause c99"},
      {"proposal that does not exist",
       [](const draft&) {
         comment_request r{comment_act::open, rus, t0, 0, {}, "Hm."};
         r.anchor.kind = anchor_kind::proposal;
         r.anchor.proposal = 3;
         return r;
       },
       error_kind::not_found, "no proposal 3"},
      {"blank text", [](const draft& x) { return open_span(x, rus, "c4", 0, 4, " \n "); },
       error_kind::invalid, "empty"},
      {"reply to a thread that does not exist",
       [](const draft&) { return on_thread(comment_act::reply, fra, 7, "Yes."); },
       error_kind::not_found, "no thread 7"},
      {"resolving someone else's thread",
       [](const draft&) { return on_thread(comment_act::resolve, fra, 1); }, error_kind::forbidden,
       "Only RUS, who opened thread 1, or the chair"},
      {"reopening an open thread",
       [](const draft&) { return on_thread(comment_act::reopen, rus, 1); }, error_kind::conflict,
       "already open"},
  };
  const std::string tip = comments_tip();
  const auto threads = d->threads();
  for (const refusal_case& c : cases) {
    SCOPED_TRACE(c.name);
    auto got = d->comment(c.request(*d));
    EXPECT_ERROR(got, c.want);
    if (!got.ok()) {
      EXPECT_NE(got.err().message.find(c.says), std::string::npos) << got.err().message;
    }
    EXPECT_EQ(comments_tip(), tip);
    EXPECT_EQ(d->threads(), threads);
  }
}

TEST_F(comments_test, the_chair_resolves_any_thread_and_a_resolved_one_takes_no_reply) {
  auto d = make_draft();
  ASSERT_TRUE(d);
  ASSERT_OK(d->comment(open_span(*d, rus, "c4", span_start, span_end)));
  auto resolved = d->comment(on_thread(comment_act::resolve, chair, 1));
  ASSERT_OK(resolved);
  EXPECT_TRUE(resolved->thread.resolved);
  EXPECT_EQ(resolved->thread.resolved_by->state, "CHAIR");
  EXPECT_ERROR(d->comment(on_thread(comment_act::reply, fra, 1, "But...")), error_kind::conflict);
  EXPECT_ERROR(d->comment(on_thread(comment_act::resolve, rus, 1)), error_kind::conflict);
  ASSERT_OK(d->comment(on_thread(comment_act::reopen, rus, 1)));
  ASSERT_OK(d->comment(on_thread(comment_act::reply, fra, 1, "But...")));
}

TEST_F(comments_test, the_debrief_counts_each_states_comments) {
  auto d = make_draft();
  ASSERT_TRUE(d);
  ASSERT_OK(d->debrief_of());  // computed before the comments: they are counted at each read
  ASSERT_OK(d->comment(open_span(*d, rus, "c4", span_start, span_end)));
  ASSERT_OK(d->comment(on_thread(comment_act::reply, fra, 1, "One.")));
  ASSERT_OK(d->comment(on_thread(comment_act::reply, rus, 1, "Two.")));
  auto got = d->debrief_of();
  ASSERT_OK(got);
  std::map<std::string, int> counts;
  for (const debrief_state& s : got->states) counts[s.state] = s.comments;
  EXPECT_EQ(counts["RUS"], 2);
  EXPECT_EQ(counts["FRA"], 1);
}

TEST_F(comments_test, the_discussion_closes_with_adoption) {
  auto d = make_draft();
  ASSERT_TRUE(d);
  ASSERT_OK(d->comment(open_span(*d, rus, "c4", span_start, span_end)));
  request adopt{chair, {}, t0 + 100};
  adopt.change.op = op_kind::stage;
  adopt.change.stage = draft_stage::adopted;
  ASSERT_OK(d->amend(adopt));
  const std::string tip = comments_tip();
  EXPECT_ERROR(d->comment(on_thread(comment_act::reply, fra, 1, "Late.")), error_kind::forbidden);
  EXPECT_ERROR(d->comment(on_thread(comment_act::resolve, chair, 1)), error_kind::forbidden);
  EXPECT_EQ(comments_tip(), tip);
  EXPECT_EQ(d->threads().size(), 1u);
}

TEST_F(comments_test, limits_cap_threads_and_comments) {
  auto d = make_draft();
  ASSERT_TRUE(d);
  d->set_limits({SIZE_MAX, SIZE_MAX, 1, 2});
  ASSERT_OK(d->comment(open_span(*d, rus, "c4", span_start, span_end)));
  EXPECT_ERROR(d->comment(open_span(*d, fra, "c4", 0, 4)), error_kind::invalid);
  ASSERT_OK(d->comment(on_thread(comment_act::reply, fra, 1, "One.")));
  EXPECT_ERROR(d->comment(on_thread(comment_act::reply, fra, 1, "Two.")), error_kind::invalid);
}

}  // namespace
}  // namespace plenary::storage::testing
