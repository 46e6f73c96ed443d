// plenary-loadgen throughput: closed-loop writers on their own clauses.
#include <cstdio>
#include <set>

#include "client.hpp"
#include "modes.hpp"

namespace plenary::bench {

int run_throughput(const throughput_options& o) {
  const auto server = endpoint_of(o.host, o.port);
  const double seconds = o.seconds;
  const double warmup = o.warmup;
  struct writer {
    std::string slug, code, clause, base;
    long next_id = 2, n = 0;
    int index = 0;
    std::shared_ptr<conn> c;
  };
  std::vector<writer> writers;
  for (const std::string& d : o.drafts) {
    auto eq = d.find('=');
    if (eq == std::string::npos) die("--draft SLUG=CODE,CODE,...");
    int k = 0;
    for (auto& code : split(d.substr(eq + 1), ',')) {
      writers.push_back({d.substr(0, eq), code, "", "", 2, 0, k++, nullptr});
    }
  }
  pool p(o.threads);
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

}  // namespace plenary::bench
