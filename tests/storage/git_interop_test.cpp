// A draft's repository read with the real `git` command line: authors, trailers, per-clause
// history, file contents, and `git fsck --strict`.
#include <gtest/gtest.h>

#include "storage/draft.hpp"
#include "storage_fixture.hpp"

namespace plenary::storage::testing {
namespace {

class git_interop_test : public storage_test {
 protected:
  void SetUp() override {
    storage_test::SetUp();
    d_ = make();
    ASSERT_TRUE(d_);
  }

  std::string rev(std::string_view id) { return find(d_->head(), id)->rev; }

  std::unique_ptr<draft> d_;
};

TEST_F(git_interop_test, log_shows_authors_and_trailers) {
  ASSERT_OK(d_->amend(
      replace_req(rus, "c3", rev("c3"), "To comply with the UN Charter;", "Why.", t0 + 60)));
  ASSERT_OK(
      d_->amend(insert_req(fra, "c3", clause_kind::operative, "To respect rights;", t0 + 120)));
  ASSERT_OK(d_->amend(move_req(chn, "c5", std::nullopt, t0 + 180)));
  ASSERT_OK(d_->amend(remove_req(rus, "c2", rev("c2"), t0 + 240)));
  auto out = git(repo_path(),
                 "log --format='%an%x09%ae%x09%(trailers:key=Op,valueonly,separator=)"
                 "%x09%(trailers:key=Clause,valueonly,separator=)"
                 "%x09%(trailers:key=State,valueonly,separator=)' main");
  ASSERT_EQ(out.status, 0);
  EXPECT_EQ(out.out,
            "Russian Federation\trus@delegations.invalid\tdelete\tc2\tRUS\n"
            "China\tchn@delegations.invalid\tmove\tc5\tCHN\n"
            "France\tfra@delegations.invalid\tinsert\tc6\tFRA\n"
            "Russian Federation\trus@delegations.invalid\treplace\tc3\tRUS\n"
            "Chair\tchair@delegations.invalid\topen\t\tCHAIR\n");
  EXPECT_EQ(git(repo_path(), "log --format='%cn <%ce> %ct %at' -1 main").out,
            "plenary <server@plenary.invalid> " + std::to_string(t0 + 240) + " " +
                std::to_string(t0 + 240) + "\n");
  EXPECT_EQ(git(repo_path(), "log --format=%aI -1 main").out, "2026-11-27T10:19:00+00:00\n");
}

TEST_F(git_interop_test, per_clause_log_equals_history) {
  ASSERT_OK(d_->amend(replace_req(rus, "c3", rev("c3"), "To comply with the UN Charter;")));
  ASSERT_OK(
      d_->amend(replace_req(fra, "c4", rev("c4"), "Never to use networks for hostile acts;")));
  ASSERT_OK(d_->amend(move_req(chn, "c3", "c5")));
  ASSERT_OK(d_->amend(replace_req(chn, "c3", rev("c3"), "To comply fully with the UN Charter;")));
  ASSERT_OK(d_->amend(insert_req(fra, std::nullopt, clause_kind::preamble, "Noting,")));
  ASSERT_OK(d_->amend(remove_req(rus, "c3", rev("c3"))));
  for (const char* id : {"c1", "c3", "c4", "c6"}) {
    auto h = d_->history(id);
    ASSERT_OK(h);
    std::string expected;
    for (auto it = h->rbegin(); it != h->rend(); ++it) expected += it->entry.commit + "\n";
    EXPECT_EQ(git(repo_path(), std::string("log --format=%H main -- clauses/") + id + ".txt").out,
              expected)
        << id;
  }
  EXPECT_EQ(git(repo_path(), "show main:clauses/c4.txt").out,
            "Never to use networks for hostile acts;\n");
  EXPECT_EQ(git(repo_path(), "show main:clauses/c6.txt").out, "Noting,\n");
  expect_fsck_clean();
}

TEST_F(git_interop_test, notes_survive_byte_for_byte) {
  const std::vector<std::string> notes = {
      "One line.",
      "First paragraph.\n\nSecond paragraph\nwith two lines.",
      "\nLeading newline, trailing newlines\n\n",
      "Op: delete\nClause: c1\nState: FRA",  // looks like trailers; must stay the note
      "--- not a patch\n\tindented\n",
      "Примечание: 中文 ✓ عربي",
      std::string(max_note_bytes, 'n'),
  };
  for (const std::string& note : notes) {
    ASSERT_OK(d_->amend(replace_req(rus, "c5", rev("c5"),
                                    "Text for note " + std::to_string(note.size()) + ".", note)));
  }
  ASSERT_OK(d_->amend(replace_req(rus, "c5", rev("c5"), "No note.", "")));
  auto check = [&](const std::vector<log_entry>& log) {
    ASSERT_EQ(log.size(), notes.size() + 2);
    EXPECT_EQ(log[0].note, "");
    for (std::size_t i = 0; i < notes.size(); ++i) {
      const log_entry& e = log[notes.size() - i];
      EXPECT_EQ(e.note, notes[i]) << i;
      EXPECT_EQ(e.op, op_kind::replace);
      EXPECT_EQ(e.clause, "c5");
      EXPECT_EQ(e.by.state, "RUS");
    }
  };
  check(d_->log());
  auto fresh = reopen();
  ASSERT_TRUE(fresh);
  check(fresh->log());
  // git sees our trailers, not the ones in the note.
  auto ops = git(repo_path(), "log --format='%(trailers:key=Op,valueonly,separator=)|' main");
  EXPECT_EQ(ops.out.substr(0, 9), "replace|\n");
  EXPECT_EQ(
      git(repo_path(), "log '--format=%(trailers:key=Clause,valueonly)' -5 main | sort -u").out,
      "\nc5\n");
  EXPECT_EQ(git(repo_path(), "log -1 --format=%B main").out,
            "Replace operative clause 3\n\nOp: replace\nClause: c5\nState: RUS\n\n");
  expect_fsck_clean();
}

TEST_F(git_interop_test, fsck_is_clean_after_every_kind_of_write) {
  expect_fsck_clean();
  std::vector<request> batch;
  for (int i = 0; i < 10; ++i) {
    batch.push_back(insert_req(i % 2 ? rus : fra, std::nullopt, clause_kind::operative,
                               "Inserted " + std::to_string(i) + "."));
  }
  for (auto& r : d_->amend_all(batch)) ASSERT_OK(r);
  expect_fsck_clean();
  // Enough single commits to force consolidation of the packs.
  for (int i = 0; i < 40; ++i) {
    ASSERT_OK(
        d_->amend(replace_req(chn, "c1", rev("c1"), "Recognizing, " + std::to_string(i) + ",")));
  }
  expect_fsck_clean();
  EXPECT_EQ(git(repo_path(), "count-objects -v | grep ^count:").out, "count: 0\n");
  EXPECT_EQ(git(repo_path(), "show main:clauses/c1.txt").out, "Recognizing, 39,\n");
}

TEST_F(git_interop_test, a_commit_made_with_plain_git_is_read) {
  // An administrator fixes a typo with plain git; the draft reads it on the next open.
  const std::string head = d_->head().head;
  d_.reset();
  ASSERT_EQ(commit_with_plain_git(
                repo_path(),
                "blob=$(printf 'To comply with the Charter of the UN;\\n' | git hash-object -w "
                "--stdin); git update-index --cacheinfo 100644,$blob,clauses/c3.txt",
                "-m 'Fix a typo' -m 'State: CHAIR'"),
            0);
  auto d = reopen();
  ASSERT_TRUE(d);
  EXPECT_EQ(find(d->head(), "c3")->text, "To comply with the Charter of the UN;");
  auto log = d->log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].parent, head);
  EXPECT_EQ(log[0].by.name, "Admin");
  EXPECT_EQ(log[0].by.state, "CHAIR");  // from the State: trailer
  EXPECT_EQ(log[0].op, op_kind::replace);
  EXPECT_EQ(find(d->head(), "c3")->by, "CHAIR");
  ASSERT_OK(d->amend(
      replace_req(rus, "c3", find(d->head(), "c3")->rev, "To comply with the UN Charter;")));
  expect_fsck_clean();
}

}  // namespace
}  // namespace plenary::storage::testing
