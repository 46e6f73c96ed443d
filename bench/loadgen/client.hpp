// The shared part of plenary-loadgen: a pool of io_contexts, one asynchronous Beast
// WebSocket connection (`conn`), joining many connections at once (`join_all`), the frames of
// the contract, statistics and the small JSON helpers that keep the generator cheap (substring
// searches, no parse, on the hot path). Each mode (latency.cpp, throughput.cpp, scale.cpp,
// http.cpp, open.cpp) is built on these; main.cpp reads the command line (CLI11).
// Thread-safety: a `conn` and its callbacks belong to its io_context's one thread (send()
// through asio::post); `arrivals` locks; the free functions share no state.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace plenary::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using steady = std::chrono::steady_clock;

// Prints "plenary-loadgen: WHY" on standard error and exits with 2.
[[noreturn]] void die(const std::string& why);

double ms_since(steady::time_point t0, steady::time_point t);

// The non-empty pieces of `s` between `sep`s.
std::vector<std::string> split(const std::string& s, char sep);

// ---- statistics ----------------------------------------------------------------------

struct summary {
  std::size_t n = 0;
  double p50 = 0, p90 = 0, p99 = 0, max = 0, mean = 0;
};

// Nearest-rank percentiles of `v` (milliseconds).
summary summarise(std::vector<double> v);
// {"n": ..., "p50_ms": ..., "p90_ms": ..., "p99_ms": ..., "max_ms": ..., "mean_ms": ...}
std::string json(const summary& s);

// ---- tiny JSON helpers ---------------------------------------------------------------

// The string value of the first `"key":"` after `from`; empty when absent.
std::string_view string_field(std::string_view msg, std::string_view key, std::size_t from = 0);
bool is_type(std::string_view msg, std::string_view type);
std::string escape(std::string_view s);

struct clause_info {
  std::string id;
  std::string rev;
  std::string kind;
};

std::vector<clause_info> clauses_of_welcome(std::string_view msg);

// ---- connections ---------------------------------------------------------------------

class pool {
 public:
  explicit pool(int threads) {
    for (int i = 0; i < threads; ++i) ctx_.push_back(std::make_unique<asio::io_context>(1));
  }
  asio::io_context& next() { return *ctx_[next_++ % ctx_.size()]; }
  asio::io_context& at(std::size_t i) { return *ctx_[i % ctx_.size()]; }
  void run() {
    for (auto& c : ctx_) {
      guards_.emplace_back(asio::make_work_guard(*c));
      threads_.emplace_back([&c] { c->run(); });
    }
  }
  void stop() {
    guards_.clear();
    for (auto& c : ctx_) c->stop();
    for (auto& t : threads_) t.join();
    threads_.clear();
  }
  ~pool() {
    if (!threads_.empty()) stop();
  }

 private:
  std::vector<std::unique_ptr<asio::io_context>> ctx_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards_;
  std::vector<std::thread> threads_;
  std::size_t next_ = 0;
};

// One WebSocket connection. Every callback runs on its io_context's one thread; send() must
// be called there too (use post()).
class conn : public std::enable_shared_from_this<conn> {
 public:
  using on_message_fn = std::function<void(conn&, std::string_view, steady::time_point)>;
  using on_event_fn = std::function<void(conn&)>;

  explicit conn(asio::io_context& ioc) : ioc_(ioc), ws_(ioc) {}

  asio::io_context& context() { return ioc_; }

  void start(tcp::endpoint server, std::optional<asio::ip::address> source, std::string path,
             on_event_fn ready, on_event_fn failed) {
    ready_ = std::move(ready);
    failed_ = std::move(failed);
    path_ = std::move(path);
    host_ = server.address().to_string() + ":" + std::to_string(server.port());
    beast::error_code ec;
    auto& sock = beast::get_lowest_layer(ws_).socket();
    sock.open(tcp::v4(), ec);
    if (!ec && source) {
      int one = 1;
      ::setsockopt(sock.native_handle(), SOL_IP, 24 /* IP_BIND_ADDRESS_NO_PORT */, &one,
                   sizeof one);
      sock.bind(tcp::endpoint(*source, 0), ec);
    }
    if (ec) return fail("socket: " + ec.message());
    sock.set_option(tcp::no_delay(true), ec);
    beast::get_lowest_layer(ws_).async_connect(server,
                                               [self = shared_from_this()](beast::error_code e) {
                                                 if (e)
                                                   return self->fail("connect: " + e.message());
                                                 self->handshake();
                                               });
  }

  void on_message(on_message_fn f) {
    on_message_ = std::move(f);
    replaced_ = true;
  }

  void send(std::string text) {
    out_.push_back(std::move(text));
    if (!writing_) write_next();
  }

  bool open() const { return open_; }
  std::string last_error;
  int tag = 0;  // what the scenario wants to remember about it
  int group = 0;

 private:
  void handshake() {
    websocket::permessage_deflate pmd;
    pmd.client_enable = false;
    ws_.set_option(pmd);
    ws_.read_message_max(64 * 1024 * 1024);
    ws_.async_handshake(host_, path_, [self = shared_from_this()](beast::error_code e) {
      if (e) return self->fail("handshake: " + e.message());
      self->open_ = true;
      self->read();
      if (self->ready_) self->ready_(*self);
    });
  }

  void read() {
    ws_.async_read(buf_, [self = shared_from_this()](beast::error_code e, std::size_t) {
      const auto t = steady::now();
      if (e) return self->fail("read: " + e.message());
      auto data = self->buf_.cdata();
      std::string_view msg(static_cast<const char*>(data.data()), data.size());
      // The handler may replace itself: call a moved-out copy, put it back unless replaced.
      auto f = std::move(self->on_message_);
      self->replaced_ = false;
      if (f) f(*self, msg, t);
      if (!self->replaced_) self->on_message_ = std::move(f);
      self->buf_.consume(self->buf_.size());
      self->read();
    });
  }

  void write_next() {
    writing_ = true;
    ws_.text(true);
    ws_.async_write(asio::buffer(out_.front()),
                    [self = shared_from_this()](beast::error_code e, std::size_t) {
                      self->writing_ = false;
                      if (e) return self->fail("write: " + e.message());
                      self->out_.pop_front();
                      if (!self->out_.empty()) self->write_next();
                    });
  }

  void fail(std::string why) {
    const bool was_open = open_;
    open_ = false;
    if (last_error.empty()) last_error = std::move(why);
    if (failed_) {
      auto f = std::move(failed_);
      failed_ = nullptr;
      (void)was_open;
      f(*this);
    }
  }

  asio::io_context& ioc_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buf_;
  std::deque<std::string> out_;
  bool writing_ = false;
  bool open_ = false;
  std::string path_, host_;
  on_event_fn ready_, failed_;
  on_message_fn on_message_;
  bool replaced_ = false;
};

// Waits until `pred` is true or the deadline passes (polling; the io threads do the work).
template <class Pred>
bool wait_until(Pred pred, std::chrono::milliseconds timeout) {
  const auto deadline = steady::now() + timeout;
  while (!pred()) {
    if (steady::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

// Raises the soft limit of open files to the hard one (thousands of connections).
void raise_fd_limit();

std::string join_frame(const std::string& code);
std::string amend_frame(long id, const std::string& clause, const std::string& base,
                        const std::string& text);
// The text of amendment `n` by writer `writer`: a plausible clause, different every time.
std::string amendment_text(long n, int writer);

// Per-commit arrival bookkeeping for fan-out (shared by every listener thread).
struct arrivals {
  struct rec {
    int count = 0;
    steady::time_point last{};
  };
  std::mutex mu;
  std::unordered_map<std::string, rec> by_commit;

  void note(std::string_view commit, steady::time_point t) {
    std::lock_guard l(mu);
    auto& r = by_commit[std::string(commit)];
    ++r.count;
    if (t > r.last) r.last = t;
  }
  std::optional<rec> get(const std::string& commit) {
    std::lock_guard l(mu);
    auto it = by_commit.find(commit);
    if (it == by_commit.end()) return std::nullopt;
    return it->second;
  }
};

// Connects and joins a set of connections; `path_of(i)`, `code_of(i)`, `source_of(i)`.
struct join_plan {
  std::size_t count = 0;
  std::function<std::string(std::size_t)> path_of;
  std::function<std::string(std::size_t)> code_of;
  std::function<std::optional<asio::ip::address>(std::size_t)> source_of;
  // Installs the connection's message handler once welcomed (called on its thread).
  std::function<void(std::size_t, conn&, std::string_view)> welcomed;
};

struct join_result {
  std::vector<std::shared_ptr<conn>> conns;
  double seconds = 0;
  std::size_t failed = 0;
  std::string first_error;
};

// Opens `plan.count` connections with at most `parallel` handshakes in flight; each one joins
// with `code_of(i)` and `welcomed(i, conn, welcome)` runs when its welcome arrives. Returns
// once all joined, or at `timeout` (then `failed` counts the others).
join_result join_all(pool& p, tcp::endpoint server, const join_plan& plan, std::size_t parallel,
                     std::chrono::seconds timeout);

tcp::endpoint endpoint_of(const std::string& host, unsigned short port);

// The resident set of a process, in kB (VmRSS of /proc/<pid>/status); -1 when unknown.
long rss_kb(long pid);

}  // namespace plenary::bench
