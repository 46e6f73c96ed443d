// Accepts TCP connections and hands each to an http_session (which may upgrade it to a
// WebSocket). A connection over the per-address or total cap gets a 503 with a JSON error
// (`rate_limited`) and is closed. A connection from a --trusted-proxy is checked against the
// total cap only: its clients' addresses are checked request by request (http_session).
// When accept fails for want of resources (no file descriptor left: EMFILE, ENFILE; no
// buffers: ENOBUFS, ENOMEM), retrying at once would fail again at once and spin a core while
// logging each failure: the listener pauses for limits::accept_pause instead, and logs once
// per episode (when it starts and when it ends).
// Thread safety: runs on its own strand.
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/error.hpp>
#include <chrono>
#include <memory>
#include <string_view>

#include "server/app_state.hpp"

namespace plenary::server {

class listener : public std::enable_shared_from_this<listener> {
 public:
  listener(boost::asio::io_context& ioc, std::shared_ptr<app_state> app);

  // Binds and listens; returns the error's message, or "" on success.
  std::string open(const boost::asio::ip::tcp::endpoint& endpoint);
  boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
  void run();
  void stop();  // thread-safe

 private:
  void do_accept();
  void on_accept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);
  void refuse(boost::asio::ip::tcp::socket socket, std::string_view message);
  // An accept failed with `ec`: pauses (logging when an episode starts) or retries at once.
  void on_accept_error(boost::beast::error_code ec);

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::shared_ptr<app_state> app_;
  boost::asio::steady_timer pause_;  // on the acceptor's strand
  // The current episode of failed accepts: when it began and how many failed (0: none).
  std::chrono::steady_clock::time_point paused_since_{};
  std::size_t failed_accepts_ = 0;
  // Refusals being written (each holds a socket): bounded by limits::max_refusals_in_flight.
  std::shared_ptr<std::atomic<std::size_t>> refusing_ =
      std::make_shared<std::atomic<std::size_t>>(0);
};

}  // namespace plenary::server
