#include "server/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace plenary::server {

namespace {

constexpr auto relaxed = std::memory_order_relaxed;

// Shortest text that reads back as the same double ("0.0005", "1", "2.5e-07").
std::string number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::string("NaN");
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void sample(std::string& out, std::string_view name, std::string_view labels, std::uint64_t v) {
  out.append(name).append(labels).append(" ").append(std::to_string(v)).append("\n");
}

void sample(std::string& out, std::string_view name, std::int64_t v) {
  out.append(name).append(" ").append(std::to_string(v)).append("\n");
}

}  // namespace

histogram::histogram(std::initializer_list<double> upper_bounds) {
  for (double b : upper_bounds) {
    if (n_ == max_bounds) break;
    bounds_[n_++] = b;
  }
  std::sort(bounds_.begin(), bounds_.begin() + static_cast<std::ptrdiff_t>(n_));
}

void histogram::observe(double value) noexcept {
  std::size_t i = 0;
  while (i < n_ && value > bounds_[i]) ++i;  // the first bucket whose bound is >= value
  buckets_[i].fetch_add(1, relaxed);
  sum_.fetch_add(value, relaxed);
}

void histogram::render(std::string& out, std::string_view name) const {
  const std::string bucket = std::string(name) + "_bucket";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < n_; ++i) {
    cumulative += buckets_[i].load(relaxed);
    sample(out, bucket, "{le=\"" + number(bounds_[i]) + "\"}", cumulative);
  }
  cumulative += buckets_[n_].load(relaxed);
  sample(out, bucket, "{le=\"+Inf\"}", cumulative);
  out.append(name).append("_sum ").append(number(sum_.load(relaxed))).append("\n");
  sample(out, std::string(name) + "_count", "", cumulative);
}

const char* metrics::label(amend_op op) noexcept {
  switch (op) {
    case amend_op::replace:
      return "replace";
    case amend_op::insert:
      return "insert";
    case amend_op::remove:
      return "delete";
    case amend_op::move:
      return "move";
    case amend_op::bracket:
      return "bracket";
    case amend_op::resolve:
      return "resolve";
    case amend_op::count_:
      break;
  }
  return "unknown";
}

const char* metrics::label(amend_result r) noexcept {
  switch (r) {
    case amend_result::ok:
      return "ok";
    case amend_result::conflict:
      return "conflict";
    case amend_result::bad_request:
      return "bad_request";
    case amend_result::not_found:
      return "not_found";
    case amend_result::forbidden:
      return "forbidden";
    case amend_result::rate_limited:
      return "rate_limited";
    case amend_result::internal:
      return "internal";
    case amend_result::count_:
      break;
  }
  return "unknown";
}

metrics::metrics()
    // From half a millisecond (a small group commit without fsync) to a second (a slow disk).
    : commit_seconds_{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1},
      // Up to limits::max_batch (512).
      commit_batch_size_{1, 2, 4, 8, 16, 32, 64, 128, 256, 512} {}

void metrics::amendment(amend_op op, amend_result r) noexcept {
  const auto o = static_cast<std::size_t>(op);
  const auto x = static_cast<std::size_t>(r);
  if (o < n_ops && x < n_results) amendments_[o][x].fetch_add(1, relaxed);
}

void metrics::commit(double seconds, std::size_t batch) noexcept {
  commit_seconds_.observe(seconds);
  commit_batch_size_.observe(static_cast<double>(batch));
}

std::string metrics::render() const {
  std::string out;
  out.reserve(4096);
  header(out, "plenary_connections", "gauge", "Open WebSocket connections.");
  sample(out, "plenary_connections", connections_.load(relaxed));
  header(out, "plenary_drafts_open", "gauge", "Drafts opened by this server (rooms in memory).");
  sample(out, "plenary_drafts_open", drafts_open_.load(relaxed));

  header(out, "plenary_amendments_total", "counter",
         "Amendments received over WebSocket, by operation and outcome.");
  for (std::size_t o = 0; o < n_ops; ++o) {
    for (std::size_t x = 0; x < n_results; ++x) {
      std::string labels = std::string("{op=\"") + label(static_cast<amend_op>(o)) +
                           "\",result=\"" + label(static_cast<amend_result>(x)) + "\"}";
      sample(out, "plenary_amendments_total", labels, amendments_[o][x].load(relaxed));
    }
  }

  header(out, "plenary_commit_seconds", "histogram",
         "Time of each group commit (storage::draft::amend_all), in seconds.");
  commit_seconds_.render(out, "plenary_commit_seconds");
  header(out, "plenary_commit_batch_size", "histogram", "Amendments written by each group commit.");
  commit_batch_size_.render(out, "plenary_commit_batch_size");

  header(out, "plenary_fanout_drops_total", "counter",
         "Clients cut off because their write queue was full (too slow to read).");
  sample(out, "plenary_fanout_drops_total", "", fanout_drops_.load(relaxed));
  header(out, "plenary_join_failures_total", "counter",
         "WebSocket joins refused: unknown code, unknown draft, or a draft that failed to open.");
  sample(out, "plenary_join_failures_total", "", join_failures_.load(relaxed));
  header(out, "plenary_mirror_pushes_total", "counter",
         "Pushes to the --mirror remote, by outcome.");
  sample(out, "plenary_mirror_pushes_total", "{result=\"ok\"}", mirror_pushes_.load(relaxed));
  sample(out, "plenary_mirror_pushes_total", "{result=\"failed\"}", mirror_failures_.load(relaxed));
  return out;
}

}  // namespace plenary::server
