#include "server/listener.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>

#include "server/http_session.hpp"

namespace plenary::server {
namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

listener::listener(asio::io_context& ioc, std::shared_ptr<app_state> app)
    : ioc_(ioc),
      acceptor_(asio::make_strand(ioc)),
      app_(std::move(app)),
      pause_(acceptor_.get_executor()) {}

std::string listener::open(const tcp::endpoint& endpoint) {
  beast::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  return ec ? ec.message() : "";
}

void listener::run() {
  asio::dispatch(acceptor_.get_executor(),
                 beast::bind_front_handler(&listener::do_accept, shared_from_this()));
}

void listener::stop() {
  asio::dispatch(acceptor_.get_executor(), [self = shared_from_this()] {
    beast::error_code ec;
    self->acceptor_.close(ec);
    self->pause_.cancel();
  });
}

namespace {

// Answers one connection over a cap with a 503 and closes it: writes the response, shuts
// down its side, then reads (and drops) what the client sent until it closes too or the time
// is up, so that closing never resets the connection before the client has read the answer.
class refusal : public std::enable_shared_from_this<refusal> {
 public:
  refusal(tcp::socket socket, std::string response, std::shared_ptr<std::atomic<std::size_t>> count)
      : stream_(std::move(socket)), response_(std::move(response)), count_(std::move(count)) {}
  ~refusal() { --*count_; }

  void run(std::chrono::seconds linger) {
    stream_.expires_after(linger);
    asio::async_write(stream_, asio::buffer(response_),
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec) return;
                        self->stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
                        self->drain();
                      });
  }

 private:
  void drain() {
    stream_.async_read_some(asio::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (!ec) self->drain();
                            });
  }

  beast::tcp_stream stream_;
  std::string response_;
  std::shared_ptr<std::atomic<std::size_t>> count_;
  char scratch_[1024];
};

}  // namespace

void listener::refuse(tcp::socket socket, std::string_view message) {
  const limits& lim = app_->cfg.lim;
  if (refusing_->fetch_add(1) >= lim.max_refusals_in_flight) {
    // A flood: no answer, just the close.
    --*refusing_;
    beast::error_code ec;
    socket.close(ec);
    return;
  }
  std::make_shared<refusal>(std::move(socket), over_capacity_response(message), refusing_)
      ->run(lim.refusal_linger);
}

void listener::do_accept() {
  acceptor_.async_accept(asio::make_strand(ioc_),
                         beast::bind_front_handler(&listener::on_accept, shared_from_this()));
}

void listener::on_accept_error(beast::error_code ec) {
  // A peer that reset before its connection was accepted: only that connection is lost, the
  // next accept may well succeed.
  if (ec == asio::error::connection_aborted || ec == asio::error::connection_reset ||
      ec.value() == EPROTO) {
    spdlog::debug("event=accept_failed error=\"{}\"", ec.message());
    return do_accept();
  }
  // Out of file descriptors (or buffers, or something unforeseen): the pending connection
  // stays in the kernel's backlog, and accepting again now would fail again now. Wait for a
  // connection to close and free a descriptor; one line in the log per episode.
  if (failed_accepts_++ == 0) {
    paused_since_ = std::chrono::steady_clock::now();
    spdlog::warn(
        "event=accept_paused error=\"{}\" connections={} retry_ms={} hint=\"raise the open-file "
        "limit (ulimit -n) or lower --max-connections\"",
        ec.message(), app_->guard.connections(), app_->cfg.lim.accept_pause.count());
  }
  pause_.expires_after(app_->cfg.lim.accept_pause);
  pause_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
    if (wait_ec || !self->acceptor_.is_open()) return;
    self->do_accept();
  });
}

void listener::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) return on_accept_error(ec);
  if (failed_accepts_ > 0) {
    const auto paused = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - paused_since_);
    spdlog::warn("event=accept_resumed paused_ms={} failed_accepts={}", paused.count(),
                 failed_accepts_);
    failed_accepts_ = 0;
  }
  socket.set_option(tcp::no_delay(true), ec);
  auto ip = socket.remote_endpoint(ec).address();
  auto addr = canonical_address(ip.to_string()).value_or(ip.to_string());
  // The total cap is charged here, before any HTTP is read. The per-address cap too, for a
  // direct client; but a trusted proxy's connection carries other clients' requests, whose
  // addresses are known only once each request's headers are read: http_session charges
  // each request to its client then (admission::attribute), so the proxy's connections are
  // not capped as its own address here.
  const auto& trusted = app_->cfg.trusted_proxies;
  const bool proxied = std::find(trusted.begin(), trusted.end(), addr) != trusted.end();
  if (ec) {
    // The peer is already gone.
  } else if (auto v = app_->guard.admit(proxied ? std::string() : addr);
             v != address_guard::verdict::admitted) {
    const bool per_address = v == address_guard::verdict::too_many_from_address;
    spdlog::warn("event=connection_refused addr={} reason={}", addr,
                 per_address ? "per_address_cap" : "total_cap");
    refuse(std::move(socket),
           per_address ? "Too many connections are open from your address; close some (other "
                         "tabs or clients) or try again in a moment."
                       : "The server has as many connections open as it takes; try again in "
                         "a moment.");
  } else {
    auto admitted = std::make_unique<admission>(app_, addr, proxied);
    std::make_shared<http_session>(std::move(socket), app_, std::move(admitted))->run();
  }
  do_accept();
}

}  // namespace plenary::server
