// plenary-loadgen latency: 1 writer, N listeners. Listeners recognise `amended` events with
// two substring searches (no JSON parse), so that the generator is not what is measured.
#include <cstdio>
#include <future>

#include "client.hpp"
#include "modes.hpp"

namespace plenary::bench {

int run_latency(const latency_options& o) {
  const auto server = endpoint_of(o.host, o.port);
  const std::string& slug = o.slug;
  const long listeners = o.listeners;
  const long amendments = o.amendments;
  const long gap_ms = o.gap_ms;
  const long warmup = o.warmup;
  const std::string& clause_pref = o.clause;
  pool p(o.threads);
  p.run();
  arrivals arr;

  // Listeners.
  join_plan lp;
  lp.count = static_cast<std::size_t>(listeners);
  lp.path_of = [&](std::size_t) { return "/d/" + slug + "/ws"; };
  lp.code_of = [&](std::size_t) { return o.listener_code; };
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
  wp.code_of = [&](std::size_t) { return o.writer_code; };
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

}  // namespace plenary::bench
