// A room's serial queue: its work runs one task at a time, in the order given, on a thread
// pool, like boost::asio::strand; and one thing a strand cannot do: run_here(f) runs f at once
// on the calling thread when the queue is idle (nothing running, nothing waiting).
//
// Why (issue 20): with one writer pausing between amendments, every thread on the ack's path
// falls asleep, and each hand-over wakes one: socket thread -> storage pool for the commit ->
// socket thread for the reply. On the 2-core VM of docs/performance.md that put an
// amendment's ack at 0.9 ms against a 0.3 ms fdatasync. A socket thread that commits an idle
// room's amendment itself (room::enqueue) sends the ack with no hand-over at all.
//
// The executor (executor()) is a standard Asio executor: asio::post, timers and
// bind_executor work with it as with a strand. It never runs a task inside execute()
// (blocking.never); only run_here does, and only when the queue is idle, so the order of
// tasks is the order they were given either way.
//
// Thread safety: every function may be called from any thread.
#pragma once

#include <atomic>
#include <boost/asio/execution.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <deque>
#include <memory>
#include <mutex>
#include <type_traits>
#include <utility>

namespace plenary::server {

class serial_queue {
 public:
  using pool_executor = boost::asio::thread_pool::executor_type;

  // A move-only task (Asio's handlers may be move-only; std::function must copy).
  class task {
   public:
    task() = default;
    template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, task>>>
    explicit task(F&& f) : body_(std::make_unique<holder<std::decay_t<F>>>(std::forward<F>(f))) {}
    void operator()() { body_->run(); }

   private:
    struct base {
      virtual ~base() = default;
      virtual void run() = 0;
    };
    template <class F>
    struct holder final : base {
      explicit holder(F&& f) : fn(std::move(f)) {}
      explicit holder(const F& f) : fn(f) {}
      void run() override { fn(); }
      F fn;
    };
    std::unique_ptr<base> body_;
  };

  class executor_type;

  explicit serial_queue(pool_executor pool) : state_(std::make_shared<state>(pool)) {}

  executor_type executor() const noexcept;

  // Runs f now, on this thread, and returns true when the queue is idle; otherwise returns
  // false and runs nothing (the caller posts instead). Tasks given while f runs wait for it
  // and then run on the pool, not here.
  template <class F>
  bool run_here(F&& f) {
    if (!state_->take_idle()) return false;
    // The pool must not finish (thread_pool::join) while tasks wait behind f.
    auto work = boost::asio::prefer(state_->pool, boost::asio::execution::outstanding_work.tracked);
    struct release {
      state* s;
      ~release() { s->release(); }
    } r{state_.get()};
    std::forward<F>(f)();
    return true;
  }

 private:
  struct state : std::enable_shared_from_this<state> {
    explicit state(pool_executor p) : pool(p) {}
    void push(task t);
    bool take_idle();  // marks the queue running when it was idle
    void release();    // after run_here: hands what waits to the pool, or goes idle
    void drain();      // on the pool: runs what was waiting when it started

    pool_executor pool;
    std::mutex mu;
    std::deque<task> waiting;  // guarded by mu
    bool running = false;      // guarded by mu: a drain is posted or running, or run_here runs
  };
  std::shared_ptr<state> state_;
};

class serial_queue::executor_type {
 public:
  template <class F>
  void execute(F&& f) const {
    s_->push(task(std::forward<F>(f)));
  }
  boost::asio::execution_context& query(boost::asio::execution::context_t) const noexcept {
    return boost::asio::query(s_->pool, boost::asio::execution::context);
  }
  static constexpr boost::asio::execution::blocking_t query(
      boost::asio::execution::blocking_t) noexcept {
    return boost::asio::execution::blocking.never;
  }
  executor_type require(boost::asio::execution::blocking_t::never_t) const noexcept {
    return *this;
  }
  friend bool operator==(const executor_type& a, const executor_type& b) noexcept {
    return a.s_ == b.s_;
  }
  friend bool operator!=(const executor_type& a, const executor_type& b) noexcept {
    return a.s_ != b.s_;
  }

 private:
  friend class serial_queue;
  explicit executor_type(std::shared_ptr<state> s) noexcept : s_(std::move(s)) {}
  std::shared_ptr<state> s_;
};

inline serial_queue::executor_type serial_queue::executor() const noexcept {
  return executor_type(state_);
}

// How many socket threads may be inside a commit (serial_queue::run_here) at once, across
// every room: the server's socket threads less one, so that one always serves the sockets
// while the others wait for a disk (and none when there is only one).
class commit_slots {
 public:
  explicit commit_slots(int n) noexcept : free_(n) {}
  bool take() noexcept {
    int n = free_.load(std::memory_order_relaxed);
    while (n > 0) {
      if (free_.compare_exchange_weak(n, n - 1, std::memory_order_acquire)) return true;
    }
    return false;
  }
  void give() noexcept { free_.fetch_add(1, std::memory_order_release); }

 private:
  std::atomic<int> free_;
};

}  // namespace plenary::server
