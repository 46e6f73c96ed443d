// What a running server counts, for `GET /metrics` in the Prometheus text exposition format
// (version 0.0.4). One `metrics` object per server, owned by app_state and passed by reference
// to whoever counts.
//
// Thread safety: lock-free. Every counter, gauge and histogram bucket is a std::atomic updated
// with relaxed ordering; a scrape reads each one once, so numbers of one scrape may be a few
// events apart from each other, but a histogram's `_count` always equals its `+Inf` bucket.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace plenary::server {

// A Prometheus histogram with fixed upper bounds (the `+Inf` bucket is implicit).
class histogram {
 public:
  static constexpr std::size_t max_bounds = 16;

  histogram(std::initializer_list<double> upper_bounds);

  void observe(double value) noexcept;

  // Appends `<name>_bucket{le="..."}`, `<name>_sum` and `<name>_count` lines.
  void render(std::string& out, std::string_view name) const;

 private:
  std::array<double, max_bounds> bounds_{};
  std::size_t n_ = 0;
  std::array<std::atomic<std::uint64_t>, max_bounds + 1> buckets_{};  // not cumulative
  std::atomic<double> sum_{0};
};

class metrics {
 public:
  // The labels of plenary_amendments_total.
  enum class amend_op : std::size_t { replace, insert, remove, move, bracket, resolve, count_ };
  enum class amend_result : std::size_t {
    ok,
    conflict,
    bad_request,
    not_found,
    forbidden,
    rate_limited,
    internal,
    count_
  };
  static const char* label(
      amend_op op) noexcept;  // "replace", ..., "delete", "move", "bracket", "resolve"
  static const char* label(amend_result r) noexcept;  // "ok", "conflict", ...

  metrics();

  // Open WebSocket connections (handshake done, not yet closed).
  void connection_opened() noexcept { connections_.fetch_add(1, std::memory_order_relaxed); }
  void connection_closed() noexcept { connections_.fetch_sub(1, std::memory_order_relaxed); }
  void draft_opened() noexcept { drafts_open_.fetch_add(1, std::memory_order_relaxed); }

  void amendment(amend_op op, amend_result r) noexcept;
  // One group commit: how long storage::draft::amend_all took and how many amendments it had.
  void commit(double seconds, std::size_t batch) noexcept;
  void fanout_drop() noexcept { fanout_drops_.fetch_add(1, std::memory_order_relaxed); }
  void join_failure() noexcept { join_failures_.fetch_add(1, std::memory_order_relaxed); }
  void mirror_push(bool ok) noexcept {
    (ok ? mirror_pushes_ : mirror_failures_).fetch_add(1, std::memory_order_relaxed);
  }

  std::int64_t connections() const noexcept { return connections_.load(std::memory_order_relaxed); }

  // Every metric, with # HELP and # TYPE lines.
  std::string render() const;

  // The Content-Type of render()'s text.
  static constexpr std::string_view content_type = "text/plain; version=0.0.4; charset=utf-8";

 private:
  static constexpr std::size_t n_ops = static_cast<std::size_t>(amend_op::count_);
  static constexpr std::size_t n_results = static_cast<std::size_t>(amend_result::count_);

  std::atomic<std::int64_t> connections_{0};
  std::atomic<std::int64_t> drafts_open_{0};
  std::array<std::array<std::atomic<std::uint64_t>, n_results>, n_ops> amendments_{};
  histogram commit_seconds_;
  histogram commit_batch_size_;
  std::atomic<std::uint64_t> fanout_drops_{0};
  std::atomic<std::uint64_t> join_failures_{0};
  std::atomic<std::uint64_t> mirror_pushes_{0};
  std::atomic<std::uint64_t> mirror_failures_{0};
};

}  // namespace plenary::server
