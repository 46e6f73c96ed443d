// Load: 50 drafts with 20 clients each (1,000 WebSockets) against `plenary serve --fsync on`;
// on every draft one amendment a second (the draft's clients take turns; each replaces its
// own clause, every fifth amendment inserts one instead) for PLENARY_LOAD_SECONDS (30 in
// `make test`, 60 in `make load`). Then:
//   - every amendment sent was acknowledged (no error, none left unanswered);
//   - every acknowledged amendment is in its draft's log exactly once, every commit is whole
//     (trailers, draft.json, clauses/), and `git fsck --full --strict` is clean for every draft;
//   - the ack latency (send to ack, seen by the client) is printed: p50, p90, p99, max.
// The clients run on one thread with Beast's asynchronous WebSocket client.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/websocket.hpp>
#include <cstdlib>
#include <deque>
#include <memory>

#include "git_check.hpp"
#include "harness.hpp"

namespace plenary::test {
namespace {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace fs = std::filesystem;
using tcp = asio::ip::tcp;
using clock = std::chrono::steady_clock;

constexpr int drafts = 50;
constexpr int clients_per_draft = 20;

std::string slug_of(int d) { return "load-" + std::to_string(d); }
std::string state_of(int k) { return "D" + std::to_string(10 + k); }

std::string load_draft_json(int d) {
  std::string clauses, delegations;
  for (int k = 0; k < clients_per_draft; ++k) {
    if (k) clauses += ",", delegations += ",";
    clauses +=
        R"({"kind":"operative","text":"Clause )" + std::to_string(k + 1) + R"( as tabled."})";
    delegations +=
        R"({"code":")" + state_of(k) + R"(","name":"Delegation )" + std::to_string(k) + R"("})";
  }
  return R"({"slug":")" + slug_of(d) + R"(","title":"Load )" + std::to_string(d) +
         R"(","clauses":[)" + clauses + R"(],"delegations":[)" + delegations + "]}";
}

struct acked {
  int draft;
  std::string commit, clause, text;
};

// What every client reports to; everything runs on the one client thread.
struct tally {
  std::vector<acked> acks;
  std::vector<double> latency_ms;
  std::vector<std::string> errors;
  int sent = 0, skipped = 0, joined = 0, dropped = 0;
};

// One client: connects, joins, then amends its own clause when told to.
class load_client : public std::enable_shared_from_this<load_client> {
 public:
  load_client(asio::io_context& ioc, tally& t, int draft, int k, std::string code)
      : ws_(ioc), t_(t), draft_(draft), k_(k), code_(std::move(code)) {}

  void start(unsigned short port) {
    beast::get_lowest_layer(ws_).async_connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
        [self = shared_from_this(), port](beast::error_code ec) {
          if (ec) return self->fail("connect: " + ec.message());
          self->ws_.async_handshake(
              "127.0.0.1:" + std::to_string(port), "/d/" + slug_of(self->draft_) + "/ws",
              [self](beast::error_code e) {
                if (e) return self->fail("handshake: " + e.message());
                self->write(R"({"type":"join","id":0,"code":")" + self->code_ + R"("})");
                self->read();
              });
        });
  }

  bool ready() const { return joined_ && !pending_ && !dead_; }

  // Sends the next amendment: a replace of its own clause, or (every fifth) an insert.
  void amend(bool insert) {
    const long id = ++next_id_;
    const std::string own = "c" + std::to_string(k_ + 1);
    text_ = (insert ? "Inserted by " : "Amended by ") + state_of(k_) + ", number " +
            std::to_string(id) + ".";
    insert_ = insert;
    pending_ = id;
    sent_at_ = clock::now();
    ++t_.sent;
    write(insert
              ? R"({"type":"amend","id":)" + std::to_string(id) + R"(,"op":"insert","after":")" +
                    own + R"(","kind":"operative","text":")" + text_ + R"("})"
              : R"({"type":"amend","id":)" + std::to_string(id) + R"(,"op":"replace","clause":")" +
                    own + R"(","base":")" + rev_ + R"(","text":")" + text_ + R"("})");
  }

  bool waiting() const { return pending_ != 0 && !dead_; }
  void close() {
    dead_ = true;
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().close(ec);
  }

 private:
  void fail(const std::string& what) {
    if (dead_) return;
    dead_ = true;
    ++t_.dropped;
    t_.errors.push_back(slug_of(draft_) + " client " + std::to_string(k_) + ": " + what);
  }

  void write(std::string msg) {
    outbox_.push_back(std::move(msg));
    if (outbox_.size() == 1) write_next();
  }
  void write_next() {
    ws_.text(true);
    ws_.async_write(asio::buffer(outbox_.front()),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      if (ec) return self->fail("write: " + ec.message());
                      self->outbox_.pop_front();
                      if (!self->outbox_.empty()) self->write_next();
                    });
  }

  void read() {
    ws_.async_read(buf_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->fail("read: " + ec.message());
      self->on_message(beast::buffers_to_string(self->buf_.data()));
      self->buf_.consume(self->buf_.size());
      self->read();
    });
  }

  void on_message(const std::string& m) {
    rapidjson::Document d;
    d.Parse(m.data(), m.size());
    const std::string type = member(d, "type");
    if (type == "welcome") {
      for (const auto& c : d["draft"]["clauses"].GetArray()) {
        if (member(c, "id") == "c" + std::to_string(k_ + 1)) rev_ = member(c, "rev");
      }
      joined_ = true;
      ++t_.joined;
      return;
    }
    auto id = d.FindMember("id");
    if (id == d.MemberEnd() || !id->value.IsInt64() || id->value.GetInt64() != pending_) {
      if (type == "error") t_.errors.push_back(m);
      return;
    }
    pending_ = 0;
    if (type != "ack") {
      t_.errors.push_back(slug_of(draft_) + ": " + m);
      return;
    }
    t_.latency_ms.push_back(
        std::chrono::duration<double, std::milli>(clock::now() - sent_at_).count());
    const std::string commit = member(d, "commit");
    if (!insert_) rev_ = commit;
    t_.acks.push_back({draft_, commit, member(d, "clause"), text_});
  }

  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buf_;
  std::deque<std::string> outbox_;
  tally& t_;
  const int draft_, k_;
  const std::string code_;
  std::string rev_, text_;
  bool insert_ = false, joined_ = false, dead_ = false;
  long next_id_ = 0, pending_ = 0;
  clock::time_point sent_at_;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

TEST(Load, FiftyDraftsTwentyClientsEachOneAmendmentASecondLoseNothing) {
  const char* env = std::getenv("PLENARY_LOAD_SECONDS");
  const int seconds = env && *env ? std::atoi(env) : 30;
  temp_dir tmp;
  const fs::path data = tmp.path() / "data";
  std::vector<codes> all_codes;
  for (int d = 0; d < drafts; ++d) all_codes.push_back(create_draft(data, load_draft_json(d)));
  ASSERT_FALSE(::testing::Test::HasFailure());
  server srv(data, server_options{.fsync = true});
  ASSERT_TRUE(srv.started());

  asio::io_context ioc;
  tally t;
  std::vector<std::vector<std::shared_ptr<load_client>>> clients(drafts);
  for (int d = 0; d < drafts; ++d) {
    for (int k = 0; k < clients_per_draft; ++k) {
      auto c = std::make_shared<load_client>(
          ioc, t, d, k, all_codes[static_cast<std::size_t>(d)].delegations[state_of(k)]);
      c->start(srv.port());
      clients[static_cast<std::size_t>(d)].push_back(std::move(c));
    }
  }
  const auto join_deadline = clock::now() + 60s;
  while (t.joined + t.dropped < drafts * clients_per_draft && clock::now() < join_deadline)
    ioc.run_for(100ms);
  ASSERT_EQ(t.joined, drafts * clients_per_draft) << (t.errors.empty() ? "" : t.errors.front());

  // One timer per draft, ticking once a second (the drafts staggered over the second); each
  // tick the draft's next client amends.
  std::vector<std::unique_ptr<asio::steady_timer>> timers;
  const auto start = clock::now();
  const auto stop_at = start + std::chrono::seconds(seconds);
  std::function<void(int, int)> tick = [&](int d, int n) {
    auto& c = clients[static_cast<std::size_t>(d)][static_cast<std::size_t>(n % clients_per_draft)];
    if (c->ready()) {
      c->amend(n % 5 == 4);
    } else {
      ++t.skipped;
    }
    auto next = start + std::chrono::milliseconds(d * 1000 / drafts) + std::chrono::seconds(n + 1);
    if (next >= stop_at) return;
    timers[static_cast<std::size_t>(d)]->expires_at(next);
    timers[static_cast<std::size_t>(d)]->async_wait([&, d, n](beast::error_code ec) {
      if (!ec) tick(d, n + 1);
    });
  };
  for (int d = 0; d < drafts; ++d) {
    timers.push_back(std::make_unique<asio::steady_timer>(
        ioc, start + std::chrono::milliseconds(d * 1000 / drafts)));
    timers.back()->async_wait([&, d](beast::error_code ec) {
      if (!ec) tick(d, 0);
    });
  }
  ioc.run_for(stop_at - clock::now());
  // The last acks.
  auto waiting = [&] {
    int n = 0;
    for (auto& v : clients) {
      for (auto& c : v) n += c->waiting();
    }
    return n;
  };
  const auto drain_deadline = clock::now() + 30s;
  while (waiting() > 0 && clock::now() < drain_deadline) ioc.run_for(50ms);
  const int unanswered = waiting();
  for (auto& v : clients) {
    for (auto& c : v) c->close();
  }
  ioc.run_for(1s);

  std::printf(
      "load test: %d drafts x %d clients, %d s, fsync on: %d amendments sent, %zu acknowledged, "
      "%d ticks skipped (previous still pending)\n",
      drafts, clients_per_draft, seconds, t.sent, t.acks.size(), t.skipped);
  std::printf("load test: ack latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
              percentile(t.latency_ms, 0.50), percentile(t.latency_ms, 0.90),
              percentile(t.latency_ms, 0.99), percentile(t.latency_ms, 1.0));
  EXPECT_EQ(unanswered, 0);
  EXPECT_EQ(t.errors, std::vector<std::string>{});
  EXPECT_EQ(t.acks.size(), static_cast<std::size_t>(t.sent));
  EXPECT_GE(t.sent, drafts * seconds * 9 / 10);

  // Nothing lost: every acknowledged amendment in its draft's log once, holding its text;
  // every commit whole; every repository sound.
  const auto t_check = clock::now();
  std::vector<std::vector<acked>> per_draft(drafts);
  for (const auto& a : t.acks) per_draft[static_cast<std::size_t>(a.draft)].push_back(a);
  for (int d = 0; d < drafts; ++d) {
    SCOPED_TRACE(slug_of(d));
    const auto& c = all_codes[static_cast<std::size_t>(d)];
    auto r = http_get(srv.port(), "/api/drafts/" + slug_of(d) + "/log", c.chair);
    ASSERT_EQ(r.status, 200);
    std::map<std::string, int> times;
    std::vector<std::string> logged;
    // The document must outlive the loop: a range-for does not keep a temporary alive
    // beneath the member it iterates (before C++23).
    const auto log = parse_json(r.body);
    for (const auto& e : log["entries"].GetArray()) {
      logged.push_back(member(e, "commit"));
      ++times[logged.back()];
    }
    for (const auto& a : per_draft[static_cast<std::size_t>(d)])
      EXPECT_EQ(times[a.commit], 1) << a.commit;
    EXPECT_EQ(logged.size(),
              per_draft[static_cast<std::size_t>(d)].size() + 1);  // and the open commit
    const fs::path repo = data / "drafts" / (slug_of(d) + ".git");
    wait_until_main_settles(repo);
    EXPECT_EQ(rev_list_main(repo), logged);
    auto contents = read_commits(repo, logged);
    for (const auto& commit : logged)
      EXPECT_EQ(whole_commit_problems(contents[commit]), "") << commit;
    std::vector<std::pair<std::string, std::string>> want;
    for (const auto& a : per_draft[static_cast<std::size_t>(d)])
      want.emplace_back(a.commit, "clauses/" + a.clause + ".txt");
    auto files = read_files(repo, want);
    for (const auto& a : per_draft[static_cast<std::size_t>(d)]) {
      EXPECT_EQ(files[std::make_pair(a.commit, "clauses/" + a.clause + ".txt")], a.text + "\n");
    }
    EXPECT_EQ(fsck_problems(repo), "");
  }
  std::printf("load test: checked %d repositories with git in %.1f s\n", drafts,
              std::chrono::duration<double>(clock::now() - t_check).count());
  EXPECT_EQ(srv.stop(), 0);
}

}  // namespace
}  // namespace plenary::test
