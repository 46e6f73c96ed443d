// The room's serial queue alone (server/serial_queue.hpp): tasks run one at a time in the
// order given, whichever threads give them; run_here runs on the caller's thread only when
// the queue is idle, and what is given meanwhile runs after it, on the pool; timers and
// asio::post work with its executor as with a strand.
#include "server/serial_queue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace plenary::server {
namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;

// Waits (bounded) until the queue has run everything given before this call.
void settle(serial_queue& q) {
  std::promise<void> done;
  asio::post(q.executor(), [&] { done.set_value(); });
  ASSERT_EQ(done.get_future().wait_for(10s), std::future_status::ready);
}

TEST(SerialQueue, TasksFromManyThreadsRunOneAtATimeInTheOrderEachThreadGaveThem) {
  asio::thread_pool pool(4);
  serial_queue q(pool.get_executor());
  constexpr int threads = 4, per_thread = 2000;
  std::atomic<int> inside{0};
  std::atomic<bool> overlapped{false};
  std::vector<std::vector<int>> seen(threads);  // written by the queue's tasks only
  std::vector<std::thread> givers;
  for (int t = 0; t < threads; ++t) {
    givers.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        asio::post(q.executor(), [&, t, i] {
          if (inside.fetch_add(1) != 0) overlapped = true;
          seen[static_cast<std::size_t>(t)].push_back(i);
          inside.fetch_sub(1);
        });
      }
    });
  }
  for (auto& g : givers) g.join();
  settle(q);
  EXPECT_FALSE(overlapped);
  for (int t = 0; t < threads; ++t) {
    ASSERT_EQ(seen[static_cast<std::size_t>(t)].size(), static_cast<std::size_t>(per_thread));
    for (int i = 0; i < per_thread; ++i) EXPECT_EQ(seen[static_cast<std::size_t>(t)][i], i);
  }
  pool.join();
}

TEST(SerialQueue, RunHereRunsOnTheCallersThreadWhenIdle) {
  asio::thread_pool pool(2);
  serial_queue q(pool.get_executor());
  std::thread::id ran_on;
  EXPECT_TRUE(q.run_here([&] { ran_on = std::this_thread::get_id(); }));
  EXPECT_EQ(ran_on, std::this_thread::get_id());
  pool.join();
}

TEST(SerialQueue, RunHereRefusesWhileATaskRunsOrWaits) {
  asio::thread_pool pool(2);
  serial_queue q(pool.get_executor());
  std::promise<void> started, release;
  auto release_f = release.get_future().share();
  asio::post(q.executor(), [&, release_f] {
    started.set_value();
    release_f.wait();
  });
  started.get_future().wait();
  bool ran = false;
  EXPECT_FALSE(q.run_here([&] { ran = true; }));  // running
  asio::post(q.executor(), [] {});
  EXPECT_FALSE(q.run_here([&] { ran = true; }));  // still running, and a task waits
  release.set_value();
  settle(q);
  EXPECT_FALSE(ran);
  EXPECT_TRUE(q.run_here([&] { ran = true; }));  // idle again
  EXPECT_TRUE(ran);
  pool.join();
}

TEST(SerialQueue, TasksGivenDuringRunHereRunAfterItOnThePool) {
  asio::thread_pool pool(2);
  serial_queue q(pool.get_executor());
  std::vector<int> order;  // written inside the queue only
  std::promise<std::thread::id> later;
  EXPECT_TRUE(q.run_here([&] {
    order.push_back(1);
    asio::post(q.executor(), [&] {
      order.push_back(3);
      later.set_value(std::this_thread::get_id());
    });
    order.push_back(2);  // the task given above has not run: the queue is ours
  }));
  auto f = later.get_future();
  ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
  EXPECT_NE(f.get(), std::this_thread::get_id());
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  pool.join();
}

TEST(SerialQueue, ATimerOnItsExecutorCompletesInTheQueue) {
  asio::thread_pool pool(2);
  serial_queue q(pool.get_executor());
  asio::steady_timer timer(q.executor());
  std::promise<bool> fired;
  std::promise<void> hold, holding;
  // The queue is busy when the timer expires: its handler must wait for the task, not overlap.
  std::atomic<bool> busy{false};
  timer.expires_after(20ms);
  timer.async_wait([&](boost::system::error_code ec) { fired.set_value(!ec && !busy); });
  asio::post(q.executor(), [&] {
    busy = true;
    holding.set_value();
    std::this_thread::sleep_for(60ms);
    busy = false;
  });
  holding.get_future().wait();
  auto f = fired.get_future();
  ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(f.get());
  pool.join();
}

TEST(CommitSlots, NoMoreThanTheirNumberAreTakenAtOnce) {
  commit_slots none(0);
  EXPECT_FALSE(none.take());
  commit_slots one(1);
  EXPECT_TRUE(one.take());
  EXPECT_FALSE(one.take());
  one.give();
  EXPECT_TRUE(one.take());
}

}  // namespace
}  // namespace plenary::server
