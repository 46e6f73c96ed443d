// storage::draft::amend_all (group commit), pack writing and consolidation, stale locks,
// and another process moving `main` under us.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "storage/draft.hpp"
#include "storage_fixture.hpp"

namespace plenary::storage::testing {
namespace {

class group_commit_test : public storage_test {
 protected:
  std::size_t packs() const {
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(repo_path() / "objects" / "pack")) {
      if (e.path().extension() == ".pack") ++n;
    }
    return n;
  }
  std::size_t loose_objects() const {
    std::size_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(repo_path() / "objects")) {
      const std::string dir = e.path().parent_path().filename().string();
      if (e.is_regular_file() && dir.size() == 2) ++n;
    }
    return n;
  }
};

TEST_F(group_commit_test, a_batch_is_a_chain_with_the_refused_one_absent) {
  auto d = make();
  ASSERT_TRUE(d);
  const std::string open = d->head().head;
  const std::size_t packs_before = packs();
  std::vector<request> batch = {
      replace_req(rus, "c3", open, "To comply with the UN Charter;", "first"),
      insert_req(fra, "c3", clause_kind::operative, "To respect sovereignty;"),
      replace_req(chn, "c3", open, "Respect for the rules of 1945;"),  // overlaps the first
      replace_req(chn, "c99", open, "Nothing here."),                  // unknown
      move_req(rus, "c5", std::nullopt),
      remove_req(fra, "c4", open, t0 + 5),
  };
  auto results = d->amend_all(batch);
  ASSERT_EQ(results.size(), batch.size());
  ASSERT_OK(results[0]);
  ASSERT_OK(results[1]);
  EXPECT_ERROR(results[2], error_kind::conflict);
  ASSERT_TRUE(results[2].err().current);
  EXPECT_EQ(results[2].err().current->text, "To comply with the UN Charter;");  // as of the batch
  EXPECT_ERROR(results[3], error_kind::not_found);
  ASSERT_OK(results[4]);
  ASSERT_OK(results[5]);
  // Each accepted request is one commit, chained on the previous one.
  EXPECT_EQ(results[0]->entry.parent, open);
  EXPECT_EQ(results[1]->entry.parent, results[0]->entry.commit);
  EXPECT_EQ(results[4]->entry.parent, results[1]->entry.commit);
  EXPECT_EQ(results[5]->entry.parent, results[4]->entry.commit);
  EXPECT_EQ(results[1]->after->id, "c6");
  EXPECT_EQ(results[5]->entry.at, t0 + 5);
  EXPECT_EQ(d->head().head, results[5]->entry.commit);
  EXPECT_EQ(results[5]->order, (std::vector<std::string>{"c5", "c1", "c2", "c3", "c6"}));
  auto log = d->log();
  ASSERT_EQ(log.size(), 5u);
  EXPECT_EQ(log[0].commit, results[5]->entry.commit);
  EXPECT_EQ(log[3].commit, results[0]->entry.commit);
  EXPECT_EQ(log[3].note, "first");
  EXPECT_EQ(git(repo_path(), "rev-list --count main").out, "5\n");
  EXPECT_EQ(git(repo_path(), "log --format=%an main").out,
            "France\nRussian Federation\nFrance\nRussian Federation\nChair\n");
  // One pack for the whole batch, no loose objects.
  EXPECT_EQ(packs(), packs_before + 1);
  EXPECT_EQ(loose_objects(), 0u);
  expect_fsck_clean();
  // What was committed in one go reads back the same after a restart.
  auto fresh = reopen();
  ASSERT_TRUE(fresh);
  EXPECT_EQ(ids(fresh->head()), ids(d->head()));
  EXPECT_EQ(find(fresh->head(), "c3")->text, "To comply with the UN Charter;");
}

TEST_F(group_commit_test, one_clause_changed_several_times_in_one_batch) {
  auto d = make();
  ASSERT_TRUE(d);
  std::vector<request> batch;
  std::string base = d->head().head;
  // Each request is based on the open commit; non-overlapping word edits merge one by one.
  batch.push_back(replace_req(rus, "c4", base, "Never to use networks for hostile acts;"));
  batch.push_back(replace_req(fra, "c4", base, "Not to use networks for any hostile acts;"));
  batch.push_back(replace_req(chn, "c4", base, "Not to use networks for hostile acts at all;"));
  auto results = d->amend_all(batch);
  for (auto& r : results) ASSERT_OK(r);
  EXPECT_FALSE(results[0]->merged);
  EXPECT_TRUE(results[1]->merged);
  EXPECT_TRUE(results[2]->merged);
  EXPECT_EQ(find(d->head(), "c4")->text, "Never to use networks for any hostile acts at all;");
  auto h = d->history("c4");
  ASSERT_OK(h);
  EXPECT_EQ(h->size(), 4u);
  auto b = d->blame("c4");
  ASSERT_OK(b);
  std::string joined;
  for (const auto& s : *b) joined += s.text;
  EXPECT_EQ(joined, "Never to use networks for any hostile acts at all;");
}

TEST_F(group_commit_test, an_all_refused_batch_writes_nothing) {
  auto d = make();
  ASSERT_TRUE(d);
  const auto before = tree_listing(repo_path());
  std::vector<request> batch = {replace_req(rus, "c42", d->head().head, "x"),
                                move_req(rus, "c1", std::nullopt)};
  auto results = d->amend_all(batch);
  EXPECT_FALSE(results[0].ok());
  EXPECT_FALSE(results[1].ok());
  EXPECT_EQ(tree_listing(repo_path()), before);
  EXPECT_TRUE(d->amend_all({}).empty());
}

TEST_F(group_commit_test, many_packs_are_consolidated_and_stay_readable) {
  auto d = make();
  ASSERT_TRUE(d);
  std::vector<std::string> commits;
  for (int i = 0; i < 40; ++i) {
    auto a = d->amend(replace_req(i % 2 ? rus : fra, "c5", find(d->head(), "c5")->rev,
                                  "To cooperate, round " + std::to_string(i) + "."));
    ASSERT_OK(a);
    commits.push_back(a->entry.commit);
    // Packs are rolled up on another thread while commits go on; a batch waits for it only
    // past twice the limit (pack_writer::max_packs, 32).
    EXPECT_LE(packs(), 65u);
  }
  expect_fsck_clean();
  EXPECT_EQ(git(repo_path(), "rev-list --count main").out, "41\n");
  // Still readable through the same object, and after reopening.
  auto h = d->history("c5");
  ASSERT_OK(h);
  EXPECT_EQ(h->size(), 41u);
  auto old = d->at(commits[3]);
  ASSERT_OK(old);
  EXPECT_EQ(find(*old, "c5")->text, "To cooperate, round 3.");
  ASSERT_OK(d->amend(replace_req(chn, "c1", find(d->head(), "c1")->rev, "Recognizing it,")));
  d.reset();  // closing finishes a rollup under way
  EXPECT_LT(packs(), 33u);
  auto fresh = reopen();
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->log().size(), 42u);
  EXPECT_EQ(find(fresh->head(), "c5")->text, "To cooperate, round 39.");
  expect_fsck_clean();
}

TEST_F(group_commit_test, stale_lock_files_are_removed_on_open) {
  {
    auto d = make();
    ASSERT_TRUE(d);
  }
  const fs::path git_dir = repo_path();
  const std::vector<fs::path> locks = {
      git_dir / "refs" / "heads" / "main.lock",
      git_dir / "packed-refs.lock",
      git_dir / "HEAD.lock",
      git_dir / "config.lock",
      git_dir / "index.lock",
      git_dir / "objects" / "pack" / "pack_git2_abc123",
      git_dir / "objects" / "pack" / "pack_git2_abc123idx.lock",
      git_dir / "objects" / "pack" / ("pack-" + std::string(40, 'e') + ".idx")};
  for (const auto& p : locks) std::ofstream(p) << "crash\n";
  auto d = reopen();
  ASSERT_TRUE(d);
  for (const auto& p : locks) EXPECT_FALSE(fs::exists(p)) << p;
  ASSERT_OK(d->amend(replace_req(rus, "c3", d->head().head, "To comply with the UN Charter;")));
  expect_fsck_clean();
}

TEST_F(group_commit_test, a_lock_held_now_fails_the_amendment_cleanly) {
  auto d = make();
  ASSERT_TRUE(d);
  const std::string head = d->head().head;
  std::ofstream(repo_path() / "refs" / "heads" / "main.lock") << "busy\n";
  auto a = d->amend(replace_req(rus, "c3", head, "To comply with the UN Charter;"));
  EXPECT_ERROR(a, error_kind::io);
  EXPECT_EQ(d->head().head, head);
  EXPECT_EQ(git(repo_path(), "rev-parse main").out, head + "\n");
  fs::remove(repo_path() / "refs" / "heads" / "main.lock");
  ASSERT_OK(d->amend(replace_req(rus, "c3", head, "To comply with the UN Charter;")));
}

TEST_F(group_commit_test, another_writer_moving_main_is_detected_and_reloaded) {
  auto mine = make();
  ASSERT_TRUE(mine);
  auto theirs = reopen();
  ASSERT_TRUE(theirs);
  const std::string open = mine->head().head;
  auto t = theirs->amend(replace_req(fra, "c3", open, "To comply with the UN Charter;"));
  ASSERT_OK(t);
  auto m = mine->amend(replace_req(rus, "c4", open, "Not to use ICTs for hostile acts;"));
  EXPECT_ERROR(m, error_kind::io);
  EXPECT_NE(m.err().message.find("Another process"), std::string::npos);
  EXPECT_EQ(git(repo_path(), "rev-parse main").out, t->entry.commit + "\n");
  // Reloaded: it now sees their commit, and the next amendment goes on top of it.
  EXPECT_EQ(mine->head().head, t->entry.commit);
  auto again = mine->amend(replace_req(rus, "c4", open, "Not to use ICTs for hostile acts;"));
  ASSERT_OK(again);
  EXPECT_EQ(again->entry.parent, t->entry.commit);
  expect_fsck_clean();
}

TEST_F(group_commit_test, thousands_of_amendments_in_batches) {
  draft_spec spec = small_spec();
  for (int i = 0; i < 45; ++i) {
    spec.clauses.push_back({clause_kind::operative, "States shall cooperate on matter " +
                                                        std::to_string(i) + " in good faith."});
  }
  auto d = make(spec);
  ASSERT_TRUE(d);
  const int batches = 40;
  const int per_batch = 50;
  std::size_t accepted = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int b = 0; b < batches; ++b) {
    std::vector<request> batch;
    for (int i = 0; i < per_batch; ++i) {
      const clause& c = d->head().clauses[static_cast<std::size_t>(i)];
      batch.push_back(replace_req(i % 2 ? rus : chn, c.id, c.rev,
                                  "Version " + std::to_string(b) + " of clause " + c.id + "."));
    }
    auto results = d->amend_all(batch);
    for (auto& r : results) {
      ASSERT_OK(r);
      ++accepted;
    }
    // Each result is the next link of the chain.
    for (std::size_t i = 1; i < results.size(); ++i) {
      EXPECT_EQ(results[i]->entry.parent, results[i - 1]->entry.commit);
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  RecordProperty("amendments_per_second", std::to_string(static_cast<int>(accepted / seconds)));
  EXPECT_EQ(d->log().size(), 1u + accepted);
  EXPECT_LE(packs(), 65u);  // rollups run beside the commits (see above)
  expect_fsck_clean();
  auto fresh = reopen();
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->head().head, d->head().head);
  EXPECT_EQ(find(fresh->head(), "c7")->text, "Version 39 of clause c7.");
  auto h = fresh->history("c7");
  ASSERT_OK(h);
  EXPECT_EQ(h->size(), 1u + batches);
}

TEST_F(group_commit_test, a_draft_that_grows_by_a_thousand_inserts) {
  auto d = make();
  ASSERT_TRUE(d);
  const int batches = 5;
  const int per_batch = 200;
  const auto start = std::chrono::steady_clock::now();
  for (int b = 0; b < batches; ++b) {
    std::vector<request> batch;
    for (int i = 0; i < per_batch; ++i) {
      // Inserts never conflict: each is its own commit.
      batch.push_back(insert_req(i % 2 ? rus : fra, std::nullopt, clause_kind::operative,
                                 "Clause " + std::to_string(b * per_batch + i) + "."));
    }
    for (auto& r : d->amend_all(batch)) ASSERT_OK(r);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  RecordProperty("inserts_per_second",
                 std::to_string(static_cast<int>(batches * per_batch / seconds)));
  EXPECT_EQ(d->log().size(), 1u + batches * per_batch);
  EXPECT_EQ(d->head().clauses.size(), 5u + batches * per_batch);
  auto fresh = reopen();
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->head().clauses.size(), 5u + batches * per_batch);
}

}  // namespace
}  // namespace plenary::storage::testing
