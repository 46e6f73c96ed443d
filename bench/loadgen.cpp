// plenary-loadgen: a load generator that speaks the contract (docs/protocol.md) over real
// WebSocket connections, many per thread (Beast/Asio, asynchronous), and prints one JSON
// object of results on standard output.
//
//   plenary-loadgen latency    --port P --slug S --writer-code C --listener-code C
//                              --listeners N --amendments K [--clause c3] [--gap-ms 5]
//   plenary-loadgen throughput --port P --seconds 10 --warmup 1
//                              --draft SLUG=CODE,CODE,... [--draft ...]   (one code per writer)
//   plenary-loadgen scale      --port P --per-draft N --rate 1 --seconds 20 --settle 3
//                              --server-pid PID --bind 127.0.0.1,127.0.0.2,...
//                              --draft SLUG=WRITER_CODE,LISTENER_CODE [--draft ...]
//   plenary-loadgen http       --port P --bearer C --target /api/... --requests N
//   plenary-loadgen open       --slug S --code C -- plenary serve ...   (spawns the server)
//
// Every time is taken in this one process with steady_clock: "ack latency" is from just
// before the amend frame is written to the socket to the moment the ack is read; "fan-out"
// is from the same send time to the moment the last listener has read the `amended` event.
// Listeners recognise `amended` events with two substring searches (no JSON parse), so that
// the generator is not what is measured.
#include <poll.h>
#include <rapidjson/document.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using steady = std::chrono::steady_clock;

namespace {

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "plenary-loadgen: %s\n", why.c_str());
  std::exit(2);
}

double ms_since(steady::time_point t0, steady::time_point t) {
  return std::chrono::duration<double, std::milli>(t - t0).count();
}

// ---- command line --------------------------------------------------------------------

struct args {
  std::multimap<std::string, std::string> kv;
  std::vector<std::string> rest;  // after "--"

  std::string get(const std::string& k, const std::string& def = "") const {
    auto it = kv.find(k);
    return it == kv.end() ? def : it->second;
  }
  std::string need(const std::string& k) const {
    auto it = kv.find(k);
    if (it == kv.end()) die("missing --" + k);
    return it->second;
  }
  long num(const std::string& k, long def) const {
    auto it = kv.find(k);
    return it == kv.end() ? def : std::stol(it->second);
  }
  double real(const std::string& k, double def) const {
    auto it = kv.find(k);
    return it == kv.end() ? def : std::stod(it->second);
  }
  std::vector<std::string> all(const std::string& k) const {
    std::vector<std::string> out;
    auto [a, b] = kv.equal_range(k);
    for (auto it = a; it != b; ++it) out.push_back(it->second);
    return out;
  }
};

args parse_args(int argc, char** argv, int from) {
  args a;
  for (int i = from; i < argc; ++i) {
    std::string s = argv[i];
    if (s == "--") {
      for (++i; i < argc; ++i) a.rest.push_back(argv[i]);
      break;
    }
    if (s.rfind("--", 0) != 0 || i + 1 >= argc) die("bad argument " + s);
    a.kv.emplace(s.substr(2), argv[++i]);
  }
  return a;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) {
    if (!cur.empty()) out.push_back(cur);
  }
  return out;
}

// ---- statistics ----------------------------------------------------------------------

struct summary {
  std::size_t n = 0;
  double p50 = 0, p90 = 0, p99 = 0, max = 0, mean = 0;
};

summary summarise(std::vector<double> v) {
  summary s;
  s.n = v.size();
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  auto rank = [&](double q) {
    std::size_t i = static_cast<std::size_t>(q * static_cast<double>(v.size()) + 0.999999);
    if (i == 0) i = 1;
    return v[std::min(i, v.size()) - 1];
  };
  s.p50 = rank(0.50);
  s.p90 = rank(0.90);
  s.p99 = rank(0.99);
  s.max = v.back();
  double sum = 0;
  for (double x : v) sum += x;
  s.mean = sum / static_cast<double>(v.size());
  return s;
}

std::string json(const summary& s) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "{\"n\": %zu, \"p50_ms\": %.3f, \"p90_ms\": %.3f, \"p99_ms\": %.3f, "
                "\"max_ms\": %.3f, \"mean_ms\": %.3f}",
                s.n, s.p50, s.p90, s.p99, s.max, s.mean);
  return buf;
}

// ---- tiny JSON helpers ---------------------------------------------------------------

// The string value of the first `"key":"` after `from`; empty when absent.
std::string_view string_field(std::string_view msg, std::string_view key, std::size_t from = 0) {
  std::string pat = "\"" + std::string(key) + "\":\"";
  auto p = msg.find(pat, from);
  if (p == std::string_view::npos) return {};
  p += pat.size();
  auto e = msg.find('"', p);
  if (e == std::string_view::npos) return {};
  return msg.substr(p, e - p);
}

bool is_type(std::string_view msg, std::string_view type) {
  // The server writes "type" first; fall back to a search for other writers.
  std::string pat = "{\"type\":\"" + std::string(type) + "\"";
  if (msg.rfind(pat, 0) == 0) return true;
  return msg.find("\"type\":\"" + std::string(type) + "\"") != std::string_view::npos &&
         msg.rfind("{\"type\":\"", 0) != 0;
}

std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

struct clause_info {
  std::string id;
  std::string rev;
  std::string kind;
};

std::vector<clause_info> clauses_of_welcome(std::string_view msg) {
  rapidjson::Document d;
  d.Parse(msg.data(), msg.size());
  std::vector<clause_info> out;
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("draft")) return out;
  const auto& cl = d["draft"]["clauses"];
  for (const auto& c : cl.GetArray()) {
    out.push_back({c["id"].GetString(), c["rev"].GetString(), c["kind"].GetString()});
  }
  return out;
}

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

void raise_fd_limit() {
  rlimit r{};
  if (::getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
    r.rlim_cur = r.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &r);
  }
}

std::string join_frame(const std::string& code) {
  return R"({"type":"join","id":1,"code":")" + escape(code) + R"("})";
}

std::string amend_frame(long id, const std::string& clause, const std::string& base,
                        const std::string& text) {
  return R"({"type":"amend","id":)" + std::to_string(id) + R"(,"op":"replace","clause":")" +
         clause + R"(","base":")" + base + R"(","text":")" + escape(text) + R"("})";
}

std::string amendment_text(long n, int writer) {
  static const char* words[] = {"promptly",      "fully",
                                "in good faith", "where appropriate",
                                "without delay", "as far as possible",
                                "progressively", "in accordance with national law"};
  return "Each State shall cooperate " + std::string(words[n % 8]) +
         " to prevent the misuse of information technologies, revision " + std::to_string(n) +
         " proposed by delegation " + std::to_string(writer) + ".";
}

// Opens `count` connections with at most `parallel` handshakes in flight; each one joins with
// `code_of(i)` and `ready(i, conn, welcome)` runs when its welcome arrives. Returns once all
// joined (or fails the run).
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

join_result join_all(pool& p, tcp::endpoint server, const join_plan& plan, std::size_t parallel,
                     std::chrono::seconds timeout) {
  // Shared with callbacks that may fire after this function returns (a later close).
  struct state {
    std::atomic<std::size_t> joined{0}, failed{0}, in_flight{0};
    std::mutex mu;
    std::string first_error;
  };
  auto st = std::make_shared<state>();
  join_result out;
  out.conns.resize(plan.count);
  const auto t0 = steady::now();
  std::size_t started = 0;
  while (st->joined + st->failed < plan.count) {
    while (started < plan.count && st->in_flight < parallel) {
      const std::size_t i = started++;
      ++st->in_flight;
      auto c = std::make_shared<conn>(p.at(i));
      out.conns[i] = c;
      asio::post(c->context(), [&plan, st, server, i, c] {
        c->on_message([&plan, st, i](conn& self, std::string_view msg, steady::time_point) {
          if (is_type(msg, "welcome")) {
            self.on_message(nullptr);
            plan.welcomed(i, self, msg);
            self.tag = 1;
            --st->in_flight;
            ++st->joined;
          } else if (is_type(msg, "error")) {
            std::lock_guard l(st->mu);
            if (st->first_error.empty()) st->first_error = std::string(msg);
          }
        });
        c->start(
            server, plan.source_of ? plan.source_of(i) : std::nullopt, plan.path_of(i),
            [&plan, i](conn& self) { self.send(join_frame(plan.code_of(i))); },
            [st](conn& self) {
              std::lock_guard l(st->mu);
              if (st->first_error.empty()) st->first_error = self.last_error;
              if (self.tag == 0) {  // not yet joined
                self.tag = -1;
                --st->in_flight;
                ++st->failed;
              }
            });
      });
    }
    if (steady::now() - t0 > timeout) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  out.seconds = std::chrono::duration<double>(steady::now() - t0).count();
  out.failed = plan.count - st->joined;
  std::lock_guard l(st->mu);
  out.first_error = st->first_error;
  return out;
}

tcp::endpoint server_endpoint(const args& a) {
  return tcp::endpoint(asio::ip::make_address(a.get("host", "127.0.0.1")),
                       static_cast<unsigned short>(a.num("port", 0)));
}

// The resident set of a process, in kB (VmRSS of /proc/<pid>/status).
long rss_kb(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// ---- latency: 1 writer, N listeners --------------------------------------------------

int run_latency(const args& a) {
  const auto server = server_endpoint(a);
  const std::string slug = a.need("slug");
  const long listeners = a.num("listeners", 10);
  const long amendments = a.num("amendments", 200);
  const long gap_ms = a.num("gap-ms", 5);
  const long warmup = a.num("warmup", 10);
  const std::string clause_pref = a.get("clause", "");
  pool p(static_cast<int>(a.num("threads", 1)));
  p.run();
  arrivals arr;

  // Listeners.
  join_plan lp;
  lp.count = static_cast<std::size_t>(listeners);
  lp.path_of = [&](std::size_t) { return "/d/" + slug + "/ws"; };
  lp.code_of = [&](std::size_t) { return a.need("listener-code"); };
  lp.welcomed = [&](std::size_t, conn& c, std::string_view) {
    c.tag = 1;
    c.on_message([&](conn&, std::string_view msg, steady::time_point t) {
      if (is_type(msg, "amended")) arr.note(string_field(msg, "commit"), t);
    });
  };
  auto lj = join_all(p, server, lp, 64, std::chrono::seconds(120));
  if (lj.failed)
    die("listeners failed to join: " + std::to_string(lj.failed) + " " + lj.first_error);

  // The writer.
  struct writer_state {
    std::mutex mu;
    std::string clause, base;
    std::optional<steady::time_point> acked;
    std::string commit;
    std::string error;
  } ws;
  join_plan wp;
  wp.count = 1;
  wp.path_of = lp.path_of;
  wp.code_of = [&](std::size_t) { return a.need("writer-code"); };
  wp.welcomed = [&](std::size_t, conn& c, std::string_view welcome) {
    c.tag = 1;
    auto cl = clauses_of_welcome(welcome);
    for (auto& x : cl) {
      if ((clause_pref.empty() && x.kind == "operative") || x.id == clause_pref) {
        std::lock_guard l(ws.mu);
        ws.clause = x.id;
        ws.base = x.rev;
        break;
      }
    }
    c.on_message([&](conn&, std::string_view msg, steady::time_point t) {
      if (is_type(msg, "ack")) {
        std::lock_guard l(ws.mu);
        ws.acked = t;
        ws.commit = std::string(string_field(msg, "commit"));
      } else if (is_type(msg, "error")) {
        std::lock_guard l(ws.mu);
        ws.error = std::string(msg);
      }
    });
  };
  auto wj = join_all(p, server, wp, 1, std::chrono::seconds(30));
  if (wj.failed) die("writer failed to join: " + wj.first_error);
  auto writer = wj.conns[0];
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let presence settle

  std::vector<double> ack_ms, fan_ms;
  long missing = 0;
  for (long i = 0; i < amendments + warmup; ++i) {
    std::string frame;
    {
      std::lock_guard l(ws.mu);
      ws.acked.reset();
      frame = amend_frame(i + 2, ws.clause, ws.base, amendment_text(i, 0));
    }
    steady::time_point sent;
    std::promise<void> posted;
    asio::post(writer->context(), [&] {
      sent = steady::now();
      writer->send(std::move(frame));
      posted.set_value();
    });
    posted.get_future().wait();
    bool ok = wait_until(
        [&] {
          std::lock_guard l(ws.mu);
          return ws.acked.has_value() || !ws.error.empty();
        },
        std::chrono::seconds(10));
    std::string commit;
    steady::time_point acked;
    {
      std::lock_guard l(ws.mu);
      if (!ok || !ws.error.empty()) die("amendment failed: " + ws.error);
      commit = ws.commit;
      acked = *ws.acked;
      ws.base = commit;
    }
    bool all = wait_until(
        [&] {
          auto r = arr.get(commit);
          return r && r->count >= listeners;
        },
        std::chrono::seconds(10));
    auto r = arr.get(commit);
    if (i >= warmup) {
      ack_ms.push_back(ms_since(sent, acked));
      if (all) {
        fan_ms.push_back(ms_since(sent, r->last));
      } else {
        ++missing;
      }
    }
    if (gap_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(gap_ms));
  }
  std::printf(
      "{\"scenario\": \"latency\", \"listeners\": %ld, \"amendments\": %zu, \"join_seconds\": "
      "%.3f, \"ack\": %s, \"fanout\": %s, \"missing_deliveries\": %ld}\n",
      listeners, ack_ms.size(), lj.seconds, json(summarise(ack_ms)).c_str(),
      json(summarise(fan_ms)).c_str(), missing);
  p.stop();
  return 0;
}

// ---- throughput: closed-loop writers on their own clauses ----------------------------

int run_throughput(const args& a) {
  const auto server = server_endpoint(a);
  const double seconds = a.real("seconds", 10);
  const double warmup = a.real("warmup", 1);
  struct writer {
    std::string slug, code, clause, base;
    long next_id = 2, n = 0;
    int index = 0;
    std::shared_ptr<conn> c;
  };
  std::vector<writer> writers;
  for (const std::string& d : a.all("draft")) {
    auto eq = d.find('=');
    if (eq == std::string::npos) die("--draft SLUG=CODE,CODE,...");
    int k = 0;
    for (auto& code : split(d.substr(eq + 1), ',')) {
      writers.push_back({d.substr(0, eq), code, "", "", 2, 0, k++, nullptr});
    }
  }
  pool p(static_cast<int>(a.num("threads", 1)));
  p.run();

  std::atomic<bool> running{false};
  std::atomic<long> errors{0}, conflicts{0};
  steady::time_point window_start, window_end;
  std::mutex stats_mu;
  std::vector<std::vector<double>> lat(writers.size());
  std::vector<long> acked_in_window(writers.size(), 0);
  std::vector<steady::time_point> sent_at(writers.size());
  std::string first_error;

  auto send_next = [&](std::size_t i) {
    writer& w = writers[i];
    sent_at[i] = steady::now();
    w.c->send(amend_frame(w.next_id++, w.clause, w.base, amendment_text(w.n++, w.index)));
  };

  join_plan plan;
  plan.count = writers.size();
  plan.path_of = [&](std::size_t i) { return "/d/" + writers[i].slug + "/ws"; };
  plan.code_of = [&](std::size_t i) { return writers[i].code; };
  plan.welcomed = [&](std::size_t i, conn& c, std::string_view welcome) {
    c.tag = 1;
    writer& w = writers[i];
    auto cl = clauses_of_welcome(welcome);
    std::vector<clause_info> ops;
    for (auto& x : cl) {
      if (x.kind == "operative") ops.push_back(x);
    }
    if (ops.size() <= static_cast<std::size_t>(w.index)) die("the draft has too few clauses");
    w.clause = ops[static_cast<std::size_t>(w.index)].id;
    w.base = ops[static_cast<std::size_t>(w.index)].rev;
    c.on_message([&, i](conn&, std::string_view msg, steady::time_point t) {
      if (msg.size() > 16 && msg[9] == 'a' && is_type(msg, "amended")) return;
      writer& me = writers[i];
      if (is_type(msg, "ack")) {
        me.base = std::string(string_field(msg, "commit"));
        if (t >= window_start && t < window_end) {
          ++acked_in_window[i];
          lat[i].push_back(ms_since(sent_at[i], t));
        }
      } else if (is_type(msg, "error")) {
        if (string_field(msg, "code") == "conflict") {
          ++conflicts;
        } else {
          ++errors;
          std::lock_guard l(stats_mu);
          if (first_error.empty()) first_error = std::string(msg);
        }
        // Learn the current rev from a conflict, if any, and go on.
        auto cur = msg.find("\"current\":");
        if (cur != std::string_view::npos) {
          auto rev = string_field(msg, "rev", cur);
          if (!rev.empty()) me.base = std::string(rev);
        }
      } else {
        return;  // presence and the like
      }
      if (running) send_next(i);
    });
  };
  auto j = join_all(p, server, plan, 64, std::chrono::seconds(60));
  if (j.failed) die("writers failed to join: " + j.first_error);
  for (std::size_t i = 0; i < writers.size(); ++i) writers[i].c = j.conns[i];
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  const auto t0 = steady::now();
  window_start =
      t0 + std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(warmup));
  window_end = window_start +
               std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(seconds));
  running = true;
  for (std::size_t i = 0; i < writers.size(); ++i) {
    asio::post(writers[i].c->context(), [&, i] { send_next(i); });
  }
  std::this_thread::sleep_until(window_end);
  running = false;
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // let the last acks arrive
  p.stop();
  long total = 0;
  std::vector<double> all;
  for (std::size_t i = 0; i < writers.size(); ++i) {
    total += acked_in_window[i];
    all.insert(all.end(), lat[i].begin(), lat[i].end());
  }
  std::set<std::string> drafts;
  for (auto& w : writers) {
    drafts.insert(w.slug);
    w.c.reset();  // connections go before their io_contexts (the pool)
  }
  j.conns.clear();
  std::printf(
      "{\"scenario\": \"throughput\", \"drafts\": %zu, \"writers\": %zu, \"seconds\": %.1f, "
      "\"acked\": %ld, \"per_second\": %.1f, \"conflicts\": %ld, \"errors\": %ld, \"ack\": %s%s}\n",
      drafts.size(), writers.size(), seconds, total, static_cast<double>(total) / seconds,
      conflicts.load(), errors.load(), json(summarise(all)).c_str(),
      first_error.empty()
          ? ""
          : (", \"first_error\": \"" + escape(first_error.substr(0, 200)) + "\"").c_str());
  return 0;
}

// ---- scale: many connections over many drafts ----------------------------------------

int run_scale(const args& a) {
  raise_fd_limit();
  const auto server = server_endpoint(a);
  const long per_draft = a.num("per-draft", 100);
  const double rate = a.real("rate", 1);
  const double seconds = a.real("seconds", 20);
  const double settle = a.real("settle", 3);
  const long pid = a.num("server-pid", -1);
  std::vector<asio::ip::address> sources;
  for (auto& s : split(a.get("bind", ""), ',')) sources.push_back(asio::ip::make_address(s));
  struct draft_info {
    std::string slug, writer_code, listener_code, clause, base;
    long next_id = 2, n = 0;
    std::shared_ptr<conn> writer;
    std::vector<std::string> sent_commits;
    std::vector<steady::time_point> sent_times;
    std::optional<steady::time_point> pending_send;
  };
  std::vector<draft_info> drafts;
  for (const std::string& d : a.all("draft")) {
    auto eq = d.find('=');
    auto codes = split(d.substr(eq + 1), ',');
    if (eq == std::string::npos || codes.size() != 2) die("--draft SLUG=WRITER,LISTENER");
    drafts.push_back({d.substr(0, eq), codes[0], codes[1], "", "", 2, 0, nullptr, {}, {}, {}});
  }
  const std::size_t total = drafts.size() * static_cast<std::size_t>(per_draft);
  pool p(static_cast<int>(a.num("threads", 1)));
  p.run();
  arrivals arr;
  std::atomic<long> errors{0};
  std::vector<double> ack_ms;  // guarded by arr.mu

  // Connection i: draft i % D; the first connection of each draft is its writer.
  join_plan plan;
  plan.count = total;
  auto draft_of = [&](std::size_t i) { return i % drafts.size(); };
  auto is_writer = [&](std::size_t i) { return i < drafts.size(); };
  plan.path_of = [&](std::size_t i) { return "/d/" + drafts[draft_of(i)].slug + "/ws"; };
  plan.code_of = [&](std::size_t i) {
    return is_writer(i) ? drafts[draft_of(i)].writer_code : drafts[draft_of(i)].listener_code;
  };
  if (!sources.empty()) {
    plan.source_of = [&](std::size_t i) -> std::optional<asio::ip::address> {
      return sources[i % sources.size()];
    };
  }
  plan.welcomed = [&](std::size_t i, conn& c, std::string_view welcome) {
    c.tag = 1;
    draft_info& d = drafts[draft_of(i)];
    if (is_writer(i)) {
      for (auto& x : clauses_of_welcome(welcome)) {
        if (x.kind == "operative") {
          d.clause = x.id;
          d.base = x.rev;
          break;
        }
      }
      c.on_message([&, di = draft_of(i)](conn&, std::string_view msg, steady::time_point t) {
        if (is_type(msg, "ack")) {
          drafts[di].base = std::string(string_field(msg, "commit"));
          std::lock_guard l(arr.mu);
          ack_ms.push_back(ms_since(*drafts[di].pending_send, t));
          drafts[di].sent_commits.push_back(std::to_string(di) + "/" + drafts[di].base);
          drafts[di].sent_times.push_back(*drafts[di].pending_send);
        } else if (is_type(msg, "error")) {
          ++errors;
        }
      });
    } else {
      // Keyed by draft and commit: drafts made from the same file in the same second, amended
      // alike, have the same commit ids.
      c.on_message([&, key = std::to_string(draft_of(i)) + "/"](conn&, std::string_view msg,
                                                                steady::time_point t) {
        if (is_type(msg, "amended")) arr.note(key + std::string(string_field(msg, "commit")), t);
      });
    }
  };
  const auto rss_before = pid > 0 ? rss_kb(pid) : -1;
  auto j = join_all(p, server, plan, static_cast<std::size_t>(a.num("parallel", 100)),
                    std::chrono::seconds(300));
  if (j.failed) {
    die("connections failed to join: " + std::to_string(j.failed) + " of " + std::to_string(total) +
        ": " + j.first_error);
  }
  for (std::size_t d = 0; d < drafts.size(); ++d) drafts[d].writer = j.conns[d];
  std::this_thread::sleep_for(std::chrono::duration<double>(settle));
  long rss_idle = pid > 0 ? rss_kb(pid) : -1;

  // Active phase: each writer amends `rate` times a second, the drafts staggered.
  long rss_peak = rss_idle;
  const auto period = std::chrono::duration<double>(1.0 / rate);
  const auto t0 = steady::now();
  const auto end =
      t0 + std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(seconds));
  std::vector<steady::time_point> due(drafts.size());
  for (std::size_t d = 0; d < drafts.size(); ++d) {
    due[d] = t0 + std::chrono::duration_cast<steady::duration>(
                      period * (static_cast<double>(d) / static_cast<double>(drafts.size())));
  }
  auto next_rss = t0;
  while (steady::now() < end) {
    const auto now = steady::now();
    for (std::size_t d = 0; d < drafts.size(); ++d) {
      if (now < due[d]) continue;
      due[d] += std::chrono::duration_cast<steady::duration>(period);
      asio::post(drafts[d].writer->context(), [&, d] {
        draft_info& x = drafts[d];
        {
          std::lock_guard l(arr.mu);
          if (x.pending_send && x.sent_commits.size() < static_cast<std::size_t>(x.next_id - 2)) {
            return;  // the previous one is not acknowledged yet: skip this beat
          }
          x.pending_send = steady::now();
        }
        x.writer->send(
            amend_frame(x.next_id++, x.clause, x.base, amendment_text(x.n++, static_cast<int>(d))));
      });
    }
    if (pid > 0 && now >= next_rss) {
      rss_peak = std::max(rss_peak, rss_kb(pid));
      next_rss = now + std::chrono::milliseconds(250);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::this_thread::sleep_for(std::chrono::seconds(2));
  if (pid > 0) rss_peak = std::max(rss_peak, rss_kb(pid));
  std::vector<double> fan;
  long missing = 0, amended = 0;
  {
    std::lock_guard l(arr.mu);
    for (auto& d : drafts) {
      for (std::size_t k = 0; k < d.sent_commits.size(); ++k) {
        ++amended;
        auto it = arr.by_commit.find(d.sent_commits[k]);
        if (it == arr.by_commit.end() || it->second.count < per_draft - 1) {
          ++missing;
          continue;
        }
        fan.push_back(ms_since(d.sent_times[k], it->second.last));
      }
    }
  }
  long open_conns = 0;
  for (auto& c : j.conns) open_conns += c->open() ? 1 : 0;
  p.stop();
  for (auto& d : drafts) d.writer.reset();  // connections go before their io_contexts
  j.conns.clear();
  std::printf(
      "{\"scenario\": \"scale\", \"connections\": %zu, \"drafts\": %zu, \"join_seconds\": %.2f, "
      "\"rss_kb_before\": %ld, \"rss_kb_idle\": %ld, \"rss_kb_peak\": %ld, \"amendments\": %ld, "
      "\"missing\": %ld, \"errors\": %ld, \"still_open\": %ld, \"fanout\": %s, \"ack\": %s}\n",
      total, drafts.size(), j.seconds, rss_before, rss_idle, rss_peak, amended, missing,
      errors.load(), open_conns, json(summarise(fan)).c_str(), json(summarise(ack_ms)).c_str());
  return 0;
}

// ---- http: sequential GETs on one keep-alive connection ------------------------------

int run_http(const args& a) {
  const auto server = server_endpoint(a);
  const long requests = a.num("requests", 100);
  const std::string bearer = a.need("bearer");
  const auto targets = a.all("target");
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(server);
  stream.socket().set_option(tcp::no_delay(true));
  // Room for a whole large answer (a long history is megabytes): fewer reads and wake-ups.
  stream.socket().set_option(asio::socket_base::receive_buffer_size(8 << 20));
  beast::flat_buffer buf;
  buf.reserve(1 << 20);
  std::printf("{\"scenario\": \"http\", \"targets\": [");
  bool first_target = true;
  for (const std::string& target : targets) {
    std::vector<double> ms;
    double first = 0;
    std::size_t bytes = 0;
    int status = 0;
    for (long i = 0; i < requests + 1; ++i) {
      http::request<http::empty_body> req{http::verb::get, target, 11};
      req.set(http::field::host, server.address().to_string());
      req.set(http::field::authorization, "Bearer " + bearer);
      req.keep_alive(true);
      http::response_parser<http::string_body> parser;
      parser.body_limit(512 * 1024 * 1024);
      const auto t0 = steady::now();
      http::write(stream, req);
      http::read(stream, buf, parser);
      const double d = ms_since(t0, steady::now());
      status = static_cast<int>(parser.get().result_int());
      bytes = parser.get().body().size();
      if (i == 0) {
        first = d;
      } else {
        ms.push_back(d);
      }
    }
    std::printf(
        "%s{\"target\": \"%s\", \"status\": %d, \"bytes\": %zu, \"first_ms\": %.3f, "
        "\"warm\": %s}",
        first_target ? "" : ", ", escape(target).c_str(), status, bytes, first,
        json(summarise(ms)).c_str());
    first_target = false;
  }
  std::printf("]}\n");
  return 0;
}

// ---- open: time from starting the server to the first welcome ------------------------

int run_open(const args& a) {
  if (a.rest.empty()) die("open: give the server command after --");
  std::vector<std::string> cmd = a.rest;
  std::vector<char*> argv;
  for (auto& s : cmd) argv.push_back(s.data());
  argv.push_back(nullptr);
  int out[2];
  if (::pipe(out) != 0) die("pipe");
  const auto t0 = steady::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::close(out[0]);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  std::string text;
  std::smatch m;
  static const std::regex listening(R"(listening on http://([0-9.]+):([0-9]+))");
  unsigned short port = 0;
  while (steady::now() - t0 < std::chrono::seconds(120)) {
    pollfd pf{out[0], POLLIN, 0};
    if (::poll(&pf, 1, 100) <= 0) continue;
    char buf[4096];
    ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    if (std::regex_search(text, m, listening)) {
      port = static_cast<unsigned short>(std::stoi(m[2]));
      break;
    }
  }
  if (port == 0) die("the server did not start: " + text);
  const auto t_listen = steady::now();
  asio::io_context ioc;
  websocket::stream<beast::tcp_stream> ws(ioc);
  beast::get_lowest_layer(ws).connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  ws.handshake("127.0.0.1:" + std::to_string(port), "/d/" + a.need("slug") + "/ws");
  ws.write(asio::buffer(join_frame(a.need("code"))));
  beast::flat_buffer b;
  std::string msg;
  do {
    b.consume(b.size());
    ws.read(b);
    msg = beast::buffers_to_string(b.data());
  } while (!is_type(msg, "welcome") && !is_type(msg, "error"));
  const auto t_welcome = steady::now();
  const bool ok = is_type(msg, "welcome");
  beast::error_code ec;
  beast::get_lowest_layer(ws).socket().close(ec);
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(out[0]);
  std::printf(
      "{\"scenario\": \"open\", \"ok\": %s, \"listening_ms\": %.1f, \"welcome_ms\": %.1f, "
      "\"welcome_bytes\": %zu}\n",
      ok ? "true" : "false", ms_since(t0, t_listen), ms_since(t0, t_welcome), msg.size());
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) die("usage: plenary-loadgen latency|throughput|scale|http|open --help");
  ::signal(SIGPIPE, SIG_IGN);
  raise_fd_limit();
  const std::string mode = argv[1];
  const args a = parse_args(argc, argv, 2);
  try {
    if (mode == "latency") return run_latency(a);
    if (mode == "throughput") return run_throughput(a);
    if (mode == "scale") return run_scale(a);
    if (mode == "http") return run_http(a);
    if (mode == "open") return run_open(a);
  } catch (const std::exception& e) {
    die(e.what());
  }
  die("unknown mode " + mode);
}
