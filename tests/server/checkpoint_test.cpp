// A checkpoint that fails (storage/git/checkpointer.hpp) holds up neither the acknowledgements
// nor git for long: with main.lock held (as a git command holds it), an amendment is still
// acknowledged (it is in the write-ahead log), the server says once, at warn, why git lags,
// tries again by itself with a bounded backoff, and once the lock is gone main reaches the
// acknowledged commit without any further amendment, the recovery logged and the repository
// sound.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "git_check.hpp"
#include "harness.hpp"

namespace plenary::test {
namespace {

// The longest backoff between two tries (storage/git/checkpointer.hpp, checkpoint_retry_max),
// plus a second for the write itself on a loaded machine.
constexpr auto retry_bound = std::chrono::seconds(5) + std::chrono::seconds(1);

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

template <typename F>
bool wait_for(F done, std::chrono::steady_clock::duration bound) {
  const auto until = std::chrono::steady_clock::now() + bound;
  while (!done() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

TEST(CheckpointTest, AFailedCheckpointIsLoggedOnceAndRetriedByItself) {
  temp_dir tmp;
  const auto data = tmp.path() / "data";
  codes c = create_draft(data, small_draft_json());
  const auto repo = data / "drafts" / "test-draft.git";
  server srv(data, server_options{.log_level = "info", .stderr_file = tmp.path() / "serve.log"});
  ASSERT_TRUE(srv.started());
  auto main_now = [&] { return run_git(repo, "rev-parse main", false).out; };

  ws_client rus(srv.port(), "/d/test-draft/ws");
  auto w = rus.join(c.delegations["RUS"]);  // the draft is open: its stale locks are gone
  const std::string before = main_now();
  const auto lock = repo / "refs" / "heads" / "main.lock";
  std::filesystem::create_directories(lock.parent_path());
  std::ofstream(lock) << before;

  const auto& clause = w["draft"]["clauses"][2];
  rus.send(R"({"type":"amend","id":1,"op":"replace","clause":")" + member(clause, "id") +
           R"(","base":")" + member(clause, "rev") +
           R"(","text":"Amended while git was locked."})");
  auto ack = rus.expect("ack", 1);
  const std::string commit = member(ack, "commit");
  ASSERT_EQ(commit.size(), 40u);

  ASSERT_TRUE(wait_for(
      [&] { return srv.stderr_text().find("event=checkpoint_failed") != std::string::npos; },
      retry_bound))
      << srv.stderr_text();
  // Several tries meanwhile (50, 100, 200, 400 ms), one line.
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  std::string log = srv.stderr_text();
  EXPECT_EQ(count(log, "event=checkpoint_failed"), 1u) << log;
  const auto at = log.find("event=checkpoint_failed");
  const std::size_t start = log.rfind('\n', at) + 1;  // the whole line (npos + 1: the first)
  const std::string line = log.substr(start, log.find('\n', at) - start);
  EXPECT_NE(line.find("warn"), std::string::npos) << line;  // the level is on the line
  EXPECT_NE(line.find("draft=test-draft"), std::string::npos) << line;
  EXPECT_NE(line.find("main.lock exists"), std::string::npos) << line;
  EXPECT_EQ(main_now(), before);  // git shows what it holds whole, nothing acknowledged lost
  // The draft's own reads show the acknowledged commit.
  auto log_api = http_get(srv.port(), "/api/drafts/test-draft/log", c.delegations["RUS"]);
  EXPECT_NE(log_api.body.find(commit), std::string::npos) << log_api.body;

  std::filesystem::remove(lock);
  EXPECT_TRUE(wait_for([&] { return main_now() == commit + "\n"; }, retry_bound))
      << "main is still at " << main_now();
  EXPECT_TRUE(wait_for(
      [&] { return srv.stderr_text().find("event=checkpoint_recovered") != std::string::npos; },
      std::chrono::seconds(1)))
      << srv.stderr_text();
  log = srv.stderr_text();
  EXPECT_EQ(count(log, "event=checkpoint_failed"), 1u) << log;
  EXPECT_EQ(srv.stop(), 0);
  EXPECT_EQ(fsck_problems(repo), "");
}

}  // namespace
}  // namespace plenary::test
