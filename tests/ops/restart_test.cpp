// Graceful restart: SIGTERM while amendments are in flight commits what is queued, closes
// every connection with 1001, and after a restart every acknowledged amendment is there.
#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

#include "process.hpp"

namespace plenary::test::ops {
namespace {
namespace fs = std::filesystem;

TEST(Restart, SigtermDuringABurstLosesNoAcknowledgedAmendment) {
  temp_dir tmp;
  auto data = tmp.path() / "data";
  auto codes = create_draft(data, small_draft_json());
  const std::vector<std::string> states{"RUS", "USA", "CHN", "FRA"};
  constexpr int per_client = 150;

  std::set<std::string> acked;
  std::mutex mu;
  std::vector<int> close_codes(states.size(), 0);
  std::vector<int> sent(states.size(), 0);
  int stop_status = -1;
  {
    server srv(data, {"--amend-rate", "0"});
    std::vector<std::unique_ptr<ws_client>> clients;
    for (const auto& s : states) {
      clients.push_back(std::make_unique<ws_client>(srv.port(), "/d/test-draft/ws"));
      clients.back()->join(codes.delegations[s]);
    }
    std::atomic<int> started{0};
    std::vector<std::thread> threads;
    for (std::size_t k = 0; k < states.size(); ++k) {
      threads.emplace_back([&, k] {
        ws_client& c = *clients[k];
        ++started;
        try {
          for (int i = 0; i < per_client; ++i) {
            c.send(R"({"type":"amend","id":)" + std::to_string(1000 + i) +
                   R"(,"op":"insert","after":null,"kind":"operative","text":"Burst )" + states[k] +
                   " " + std::to_string(i) + R"(."})");
            ++sent[k];
            // Paced, so that the burst is still going on when SIGTERM arrives.
            std::this_thread::sleep_for(std::chrono::microseconds(300));
          }
        } catch (const std::exception&) {
          // The server closed while we were still sending: expected.
        }
        // Read everything until the server closes the connection.
        while (auto msg = c.receive(10s)) {
          auto d = parse_json(*msg);
          if (member(d, "type") == "ack") {
            std::lock_guard l(mu);
            acked.insert(member(d, "commit"));
          }
        }
        close_codes[k] = c.wait_closed(1s);
      });
    }
    while (started < static_cast<int>(states.size())) std::this_thread::yield();
    std::this_thread::sleep_for(25ms);  // in the middle of the burst
    stop_status = srv.stop();
    for (auto& t : threads) t.join();
  }
  EXPECT_EQ(stop_status, 0);
  for (std::size_t k = 0; k < states.size(); ++k) {
    EXPECT_EQ(close_codes[k], 1001) << states[k];
  }
  ASSERT_FALSE(acked.empty());

  // Restart on the same data: every acknowledged commit is in the log.
  server again(data);
  auto log = parse_json(http_get(again.port(), "/api/drafts/test-draft/log", codes.chair).body);
  std::set<std::string> logged;
  for (const auto& e : log["entries"].GetArray()) logged.insert(member(e, "commit"));
  int missing = 0;
  for (const auto& a : acked) missing += logged.count(a) == 0;
  EXPECT_EQ(missing, 0) << missing << " of " << acked.size() << " acknowledged amendments are lost";
  int total_sent = 0;
  for (int s : sent) total_sent += s;
  // Committed = the open commit + some of what was sent (the rest never reached a room).
  EXPECT_GE(logged.size(), acked.size() + 1);
  EXPECT_LE(logged.size(), static_cast<std::size_t>(total_sent) + 1);
  RecordProperty("sent", total_sent);
  RecordProperty("acked", static_cast<int>(acked.size()));
  RecordProperty("committed", static_cast<int>(logged.size()) - 1);
  std::printf("sent %d, acknowledged %zu, committed %zu\n", total_sent, acked.size(),
              logged.size() - 1);
  EXPECT_EQ(git(data / "drafts" / "test-draft.git", "fsck --strict --no-dangling").out, "");
}

}  // namespace
}  // namespace plenary::test::ops
