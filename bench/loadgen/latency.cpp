// plenary-loadgen latency: 1 writer, N listeners, and optionally K typists sending live
// wording meanwhile. Listeners recognise `amended` events with two substring searches (no
// JSON parse), so that the generator is not what is measured.
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <future>
#include <thread>

#include "client.hpp"
#include "modes.hpp"

namespace plenary::bench {
namespace {

// utime + stime of a process in seconds (/proc/<pid>/stat), or -1.
double cpu_seconds(long pid) {
  if (pid <= 0) return -1;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = all.rfind(')');
  if (close == std::string::npos) return -1;
  std::vector<std::string> f = split(all.substr(close + 2), ' ');
  if (f.size() < 13) return -1;  // fields 14 and 15 of stat are 11 and 12 after the name
  return (std::stod(f[11]) + std::stod(f[12])) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

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
  std::atomic<long> typing_events{0};  // `typing` events read by the listeners

  // Listeners.
  join_plan lp;
  lp.count = static_cast<std::size_t>(listeners);
  lp.path_of = [&](std::size_t) { return "/d/" + slug + "/ws"; };
  lp.code_of = [&](std::size_t) { return o.listener_code; };
  lp.welcomed = [&](std::size_t, conn& c, std::string_view) {
    c.tag = 1;
    c.on_message([&](conn&, std::string_view msg, steady::time_point t) {
      if (is_type(msg, "amended")) {
        arr.note(string_field(msg, "commit"), t);
      } else if (is_type(msg, "typing")) {
        typing_events.fetch_add(1, std::memory_order_relaxed);
      }
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
  // The writer reads on a thread of its own: on the listeners' thread its ack would wait
  // behind their frames (5,000 `typing` events a second in the live scenario), which is the
  // generator's delay, not the server's; each real member reads on a machine of its own.
  pool wpool(1);
  wpool.run();
  auto wj = join_all(wpool, server, wp, 1, std::chrono::seconds(30));
  if (wj.failed) die("writer failed to join: " + wj.first_error);
  auto writer = wj.conns[0];

  // Typists: each on its own operative clause, skipping the writer's.
  struct typist_clause {
    std::string clause, base;
  };
  std::vector<typist_clause> typed(static_cast<std::size_t>(o.typists));
  std::mutex typed_mu;
  std::vector<std::shared_ptr<conn>> typists;
  if (o.typists > 0) {
    if (o.typist_codes.empty()) die("--typists needs --typist-codes");
    join_plan tp;
    tp.count = static_cast<std::size_t>(o.typists);
    tp.path_of = lp.path_of;
    tp.code_of = [&](std::size_t i) { return o.typist_codes[i % o.typist_codes.size()]; };
    tp.welcomed = [&](std::size_t i, conn& c, std::string_view welcome) {
      c.tag = 1;
      std::size_t seen = 0;
      std::lock_guard l(typed_mu);
      for (auto& x : clauses_of_welcome(welcome)) {
        if (x.kind != "operative" || x.id == ws.clause) continue;
        if (seen++ == i) {
          typed[i] = {x.id, x.rev};
          break;
        }
      }
      c.on_message([](conn&, std::string_view, steady::time_point) {});
    };
    auto tj = join_all(p, server, tp, 16, std::chrono::seconds(60));
    if (tj.failed) die("typists failed to join: " + tj.first_error);
    typists = tj.conns;
  }
  std::atomic<bool> typing_on{true};
  std::atomic<long> typing_sent{0};
  std::thread typing_thread;
  if (!typists.empty()) {
    typing_thread = std::thread([&] {
      const auto step = std::chrono::duration<double>(1.0 / o.keystrokes);
      auto next = steady::now();
      std::size_t n = 0;
      while (typing_on.load()) {
        ++n;
        for (std::size_t i = 0; i < typists.size(); ++i) {
          std::string frame;
          {
            std::lock_guard l(typed_mu);
            if (typed[i].clause.empty()) continue;
            // A growing wording: the clause's opening plus n letters, as someone typing.
            frame = "{\"type\":\"typing\",\"clause\":\"" + typed[i].clause + "\",\"base\":\"" +
                    typed[i].base + "\",\"text\":\"To ensure " + std::string(n % 2000 + 1, 'a') +
                    "\"}";
          }
          auto c = typists[i];
          asio::post(c->context(),
                     [c, frame = std::move(frame)]() mutable { c->send(std::move(frame)); });
          typing_sent.fetch_add(1, std::memory_order_relaxed);
        }
        next += std::chrono::duration_cast<steady::duration>(step);
        std::this_thread::sleep_until(next);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let presence settle
  const double cpu_before = cpu_seconds(o.server_pid);
  const long typing_sent_before = typing_sent.load();
  const long typing_events_before = typing_events.load();
  const auto measured_from = steady::now();

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
  const double seconds = std::chrono::duration<double>(steady::now() - measured_from).count();
  const double cpu = o.server_pid > 0 ? cpu_seconds(o.server_pid) - cpu_before : -1;
  const long sent_typing = typing_sent.load() - typing_sent_before;
  const long got_typing = typing_events.load() - typing_events_before;
  typing_on = false;
  if (typing_thread.joinable()) typing_thread.join();
  std::printf(
      "{\"scenario\": \"latency\", \"listeners\": %ld, \"amendments\": %zu, \"join_seconds\": "
      "%.3f, \"ack\": %s, \"fanout\": %s, \"missing_deliveries\": %ld, \"typists\": %ld, "
      "\"seconds\": %.3f, \"typing_sent\": %ld, \"typing_events_received\": %ld, "
      "\"server_cpu_seconds\": %.3f, \"server_cpu_us_per_typing_message\": %.2f}\n",
      listeners, ack_ms.size(), lj.seconds, json(summarise(ack_ms)).c_str(),
      json(summarise(fan_ms)).c_str(), missing, static_cast<long>(typists.size()), seconds,
      sent_typing, got_typing, cpu,
      cpu >= 0 && sent_typing > 0 ? cpu * 1e6 / static_cast<double>(sent_typing) : -1.0);
  p.stop();
  wpool.stop();
  return 0;
}

}  // namespace plenary::bench
