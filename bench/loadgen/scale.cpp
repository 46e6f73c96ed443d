// plenary-loadgen scale: many connections over many drafts.
#include <algorithm>
#include <cstdio>

#include "client.hpp"
#include "modes.hpp"

namespace plenary::bench {

int run_scale(const scale_options& o) {
  raise_fd_limit();
  const auto server = endpoint_of(o.host, o.port);
  const long per_draft = o.per_draft;
  const double rate = o.rate;
  const double seconds = o.seconds;
  const double settle = o.settle;
  const long pid = o.server_pid;
  std::vector<asio::ip::address> sources;
  for (const auto& s : o.bind) sources.push_back(asio::ip::make_address(s));
  struct draft_info {
    std::string slug, writer_code, listener_code, clause, base;
    long next_id = 2, n = 0;
    std::shared_ptr<conn> writer;
    std::vector<std::string> sent_commits;
    std::vector<steady::time_point> sent_times;
    std::optional<steady::time_point> pending_send;
  };
  std::vector<draft_info> drafts;
  for (const std::string& d : o.drafts) {
    auto eq = d.find('=');
    auto codes = split(d.substr(eq + 1), ',');
    if (eq == std::string::npos || codes.size() != 2) die("--draft SLUG=WRITER,LISTENER");
    drafts.push_back({d.substr(0, eq), codes[0], codes[1], "", "", 2, 0, nullptr, {}, {}, {}});
  }
  const std::size_t total = drafts.size() * static_cast<std::size_t>(per_draft);
  pool p(o.threads);
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
  auto j =
      join_all(p, server, plan, static_cast<std::size_t>(o.parallel), std::chrono::seconds(300));
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

}  // namespace plenary::bench
