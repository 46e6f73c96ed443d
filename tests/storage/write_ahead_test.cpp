// The write-ahead log (open_options::write_ahead; storage/git/wal.hpp, checkpointer.hpp):
// amendments acknowledged once logged reach git by themselves, and a crash between the log and
// the pack (a child process killed with SIGKILL right after amend_all returned) is replayed
// into git by the next open, exactly what was acknowledged: no more (a torn record), no less.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "storage/draft.hpp"
#include "storage/files.hpp"
#include "storage/git/checkpointer.hpp"
#include "storage/git/wal.hpp"
#include "storage_fixture.hpp"

namespace plenary::storage::testing {
namespace {

class write_ahead_test : public storage_test {
 protected:
  std::unique_ptr<draft> open_logged() {
    auto d = draft::open(repo_path(), {.write_ahead = true});
    EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.err().message);
    return d.ok() ? std::move(d).value() : nullptr;
  }
  std::string git_main() { return git(repo_path(), "rev-parse main").out; }
  fs::path log_path() const { return repo_path() / "plenary-wal"; }

  // In a child process: opens the draft with the log, applies `batches` batches of one
  // replace of c1 each, writes each acknowledged commit id to `acked` (one per line) and is
  // killed with SIGKILL at once, before the checkpointer's delay (50 ms) has passed.
  std::vector<std::string> amend_and_die(int batches) {
    const fs::path acked = dir_ / "acked.txt";
    fs::remove(acked);
    const pid_t pid = ::fork();
    if (pid == 0) {
      auto d = draft::open(repo_path(), {.write_ahead = true});
      if (!d) ::_exit(3);
      std::string base = (*d)->head().clauses[0].rev;
      std::string ids;
      for (int i = 0; i < batches; ++i) {
        auto r = (*d)->amend(replace_req(rus, "c1", base, "Text " + std::to_string(i) + ";"));
        if (!r) ::_exit(4);
        base = r->entry.commit;
        ids += base + "\n";
      }
      std::ofstream(acked) << ids << std::flush;
      ::kill(::getpid(), SIGKILL);
      ::_exit(5);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
    std::ifstream in(acked);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }
};

TEST_F(write_ahead_test, logged_amendments_are_read_at_once_and_reach_git_by_themselves) {
  ASSERT_TRUE(make());
  auto d = open_logged();
  ASSERT_TRUE(d);
  std::string base = d->head().clauses[0].rev;
  for (int i = 0; i < 5; ++i) {
    auto r = d->amend(replace_req(rus, "c1", base, "Round " + std::to_string(i) + ";"));
    ASSERT_OK(r);
    base = r->entry.commit;
    // The draft's own reads see it as soon as it is acknowledged.
    EXPECT_EQ(d->head().head, base);
    EXPECT_EQ(d->log(1).at(0).commit, base);
    ASSERT_OK(d->history("c1"));
  }
  // Plain git follows within the checkpointer's delay, without anyone asking.
  for (int i = 0; i < 200 && git_main() != base + "\n"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(git_main(), base + "\n");
  // A tag waits for git to hold main's commits; so does closing the draft.
  auto r = d->amend(replace_req(rus, "c1", base, "Last round;"));
  ASSERT_OK(r);
  ASSERT_OK(d->tag("v1", chair, "", t0));
  EXPECT_EQ(git(repo_path(), "rev-parse v1^{commit}").out, r->entry.commit + "\n");
  EXPECT_EQ(git_main(), r->entry.commit + "\n");
  d.reset();
  expect_fsck_clean();
}

TEST_F(write_ahead_test, a_crash_between_the_log_and_the_pack_is_replayed_at_open) {
  ASSERT_TRUE(make());
  const std::string before = git_main();
  const std::vector<std::string> acked = amend_and_die(4);
  ASSERT_EQ(acked.size(), 4u);
  // Killed before the checkpoint: git does not have them yet, and a reader (no repair) opens
  // what git has, which is less than was acknowledged, never more.
  EXPECT_EQ(git_main(), before) << "the child lived long enough to checkpoint";
  {
    auto reader = draft::open(repo_path(), {.repair = false});
    ASSERT_OK(reader);
    EXPECT_EQ((*reader)->head().head + "\n", before);
  }
  // The writer's open replays them into git before anything reads main.
  auto d = open_logged();
  ASSERT_TRUE(d);
  EXPECT_EQ(d->head().head, acked.back());
  EXPECT_EQ(git_main(), acked.back() + "\n");
  const auto listed = lines(git(repo_path(), "rev-list main").out);
  for (const auto& id : acked) {
    EXPECT_NE(std::find(listed.begin(), listed.end(), id), listed.end()) << id;
  }
  EXPECT_EQ(git(repo_path(), "show main:clauses/c1.txt").out, "Text 3;\n");
  expect_fsck_clean();
  // And the draft goes on from there; a second open replays nothing more.
  auto r = d->amend(replace_req(rus, "c1", acked.back(), "After the crash;"));
  ASSERT_OK(r);
  d.reset();
  EXPECT_EQ(git_main(), r->entry.commit + "\n");
  d = open_logged();
  ASSERT_TRUE(d);
  EXPECT_EQ(d->head().head, r->entry.commit);
  expect_fsck_clean();
}

// What is in the log past main, damaged in different ways: only whole records count.
TEST_F(write_ahead_test, a_torn_or_foreign_record_is_never_replayed) {
  struct damage_case {
    const char* name;
    std::size_t records_kept;  // of the 3 acknowledged, how many main must hold after open
    void (*damage)(const fs::path& log);
  };
  const auto flip_last_byte_of_third = [](const fs::path& log) {
    // Records are written one after the other from 4096 on; find the end of the third by its
    // trailing bytes: the file's content past the records is zeros.
    std::fstream f(log, std::ios::in | std::ios::out | std::ios::binary);
    std::string all((std::istreambuf_iterator<char>(f)), {});
    std::size_t end = all.find_last_not_of('\0');
    f.seekp(static_cast<std::streamoff>(end));
    f.put(static_cast<char>(all[end] ^ 0x01));
  };
  const std::vector<damage_case> cases = {
      {"intact", 3, [](const fs::path&) {}},
      {"last record torn", 2, flip_last_byte_of_third},
      {"header key changed", 0,
       [](const fs::path& log) {
         std::fstream f(log, std::ios::in | std::ios::out | std::ios::binary);
         f.seekp(20);
         f.put('\x55');
       }},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    fs::remove_all(repo_path());
    ASSERT_TRUE(make());
    const std::string before = git_main();
    const std::vector<std::string> acked = amend_and_die(3);
    ASSERT_EQ(acked.size(), 3u);
    ASSERT_EQ(git_main(), before);
    c.damage(log_path());
    auto d = open_logged();
    ASSERT_TRUE(d);
    const std::string want = c.records_kept == 0 ? before : acked[c.records_kept - 1] + "\n";
    EXPECT_EQ(git_main(), want);
    EXPECT_EQ(d->head().head + "\n", want);
    expect_fsck_clean();
  }
}

TEST_F(write_ahead_test, main_moved_elsewhere_after_a_crash_stops_the_open_and_keeps_the_log) {
  ASSERT_TRUE(make());
  const std::string open = git_main();
  // Some other commit, made by plain git, on top of the open commit.
  const std::string tree = git(repo_path(), "rev-parse main^{tree}").out;
  const std::string other =
      git(repo_path(), "-c user.name=X -c user.email=x@example.org commit-tree -p main -m other " +
                           tree.substr(0, 40))
          .out;
  const std::vector<std::string> acked = amend_and_die(2);
  ASSERT_EQ(acked.size(), 2u);
  ASSERT_EQ(git(repo_path(), "update-ref refs/heads/main " + other.substr(0, 40)).status, 0);
  const auto log_before = tree_listing(repo_path());
  auto d = draft::open(repo_path(), {.write_ahead = true});
  EXPECT_ERROR(d, error_kind::io);
  if (!d) {
    EXPECT_NE(d.err().message.find("write-ahead log"), std::string::npos);
  }
  // Nothing lost: put main back, and the acknowledged amendments are replayed.
  ASSERT_EQ(git(repo_path(), "update-ref refs/heads/main " + open.substr(0, 40)).status, 0);
  auto again = open_logged();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->head().head, acked.back());
}

TEST_F(write_ahead_test, the_log_goes_round_its_halves_under_a_long_run_of_large_batches) {
  ASSERT_TRUE(make());
  auto d = open_logged();
  ASSERT_TRUE(d);
  std::string base = d->head().clauses[0].rev;
  std::string last;
  // ~9 KB per batch (the clause's blob, a tree, a commit): 1,000 batches are 9 MB of records,
  // twice round the log's two halves of 2 MiB.
  for (int i = 0; i < 1000; ++i) {
    std::string text = "Round " + std::to_string(i) + ":";
    while (text.size() < 9000) text += " the States shall cooperate";
    text += ";";
    auto r = d->amend(replace_req(rus, "c1", base, text));
    ASSERT_OK(r) << "batch " << i;
    base = last = r->entry.commit;
  }
  EXPECT_LT(fs::file_size(log_path()), std::size_t{5} << 20);
  ASSERT_OK(d->history("c1"));
  d.reset();
  EXPECT_EQ(git_main(), last + "\n");
  EXPECT_EQ(git(repo_path(), "rev-list --count main").out, "1001\n");
  expect_fsck_clean();
}

TEST_F(write_ahead_test, a_failed_checkpoint_is_reported_once_and_retried_by_itself) {
  ASSERT_TRUE(make());
  std::mutex mu;
  std::vector<std::string> failed;     // on_checkpoint_failed's reasons
  std::vector<std::size_t> recovered;  // on_checkpoint_recovered's streaks
  auto opened = draft::open(repo_path(), {.write_ahead = true,
                                          .on_checkpoint_failed =
                                              [&](const error& why, std::chrono::milliseconds) {
                                                std::lock_guard lock(mu);
                                                failed.push_back(why.message);
                                              },
                                          .on_checkpoint_recovered =
                                              [&](std::size_t failures, std::chrono::milliseconds) {
                                                std::lock_guard lock(mu);
                                                recovered.push_back(failures);
                                              }});
  ASSERT_OK(opened);
  auto d = std::move(opened).value();
  auto count = [&](const auto& v) {
    std::lock_guard lock(mu);
    return v.size();
  };
  auto wait_until = [](auto done, std::chrono::milliseconds bound) {
    const auto until = std::chrono::steady_clock::now() + bound;
    while (!done() && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return done();
  };
  const std::string before = git_main();
  // A git command holds main's lock (git's protocol: the file exists).
  const fs::path lock = repo_path() / "refs" / "heads" / "main.lock";
  fs::create_directories(lock.parent_path());
  std::ofstream(lock) << before;
  std::string base = d->head().clauses[0].rev;
  for (int i = 0; i < 3; ++i) {
    auto r = d->amend(replace_req(rus, "c1", base, "Locked round " + std::to_string(i) + ";"));
    ASSERT_OK(r);  // acknowledged: in the log
    base = r->entry.commit;
  }
  EXPECT_EQ(d->head().head, base);
  // Reported once, naming the lock, however many times it is tried meanwhile (50, 100, 200,
  // 400 ms: four tries in the 800 ms after the first).
  ASSERT_TRUE(wait_until([&] { return count(failed) == 1; }, std::chrono::seconds(5)));
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  {
    std::lock_guard guard(mu);
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_NE(failed[0].find("main.lock"), std::string::npos) << failed[0];
  }
  EXPECT_EQ(git_main(), before);  // git never shows more than it holds whole
  EXPECT_EQ(count(recovered), 0u);
  // The lock goes: main reaches the last acknowledged commit without another amendment, within
  // the longest backoff (plus the write itself).
  fs::remove(lock);
  EXPECT_TRUE(wait_until([&] { return git_main() == base + "\n"; },
                         checkpoint_retry_max + std::chrono::seconds(1)));
  ASSERT_TRUE(wait_until([&] { return count(recovered) == 1; }, std::chrono::seconds(1)));
  {
    std::lock_guard guard(mu);
    EXPECT_GE(recovered[0], 4u);
  }
  EXPECT_EQ(git(repo_path(), "rev-list --count main").out, "4\n");
  d.reset();
  expect_fsck_clean();
}

// With fsync on, records go by direct I/O in whole blocks of the device's alignment: a record
// that starts inside a block writes that block again with the bytes of the records before it.
// Records of every size from 1 byte to 9 KB, round the halves twice, read back whole.
TEST_F(write_ahead_test, records_written_by_direct_io_read_back_whole_across_blocks_and_halves) {
  ASSERT_TRUE(make());
  files::set_fsync_enabled(true);
  struct fsync_off_again {
    ~fsync_off_again() { files::set_fsync_enabled(false); }
  } restore;
  std::vector<wal::record> found;
  auto opened = wal::log::open(repo_path(), found);
  ASSERT_OK(opened);
  wal::log l = std::move(opened).value();
  ASSERT_OK(l.start());
  // This test's folder is on a file system with direct I/O (ext4 here): say so when not, since
  // the plain path is what the other tests cover.
  std::cout << "direct I/O: " << (l.direct() ? "yes" : "no, plain writes") << "\n";
  std::mt19937 rng(20);
  std::map<std::uint64_t, std::string> written;  // seq -> the object's bytes
  int switches = 0;
  for (int i = 0; switches < 3; ++i) {
    wal::record r;
    r.expected.id[0] = static_cast<unsigned char>(i);
    r.target.id[0] = static_cast<unsigned char>(i + 1);
    std::string bytes(1 + rng() % 9000, '\0');
    for (char& c : bytes) c = static_cast<char>('a' + rng() % 26);
    r.objects.push_back({{}, GIT_OBJECT_BLOB, bytes});
    if (!l.fits(wal::log::record_size(r))) {
      l.switch_half();
      ++switches;
    }
    auto seq = l.append(r);
    ASSERT_OK(seq);
    written[*seq] = bytes;
  }
  std::vector<wal::record> back;
  auto again = wal::log::open(repo_path(), back);
  ASSERT_OK(again);
  // The run ending at the last record: this half's and the whole other half before it.
  ASSERT_GT(back.size(), 100u);
  EXPECT_EQ(back.back().seq, written.rbegin()->first);
  for (const wal::record& r : back) {
    ASSERT_EQ(r.objects.size(), 1u);
    EXPECT_EQ(r.objects[0].data, written.at(r.seq)) << "record " << r.seq;
  }
}

}  // namespace
}  // namespace plenary::storage::testing
