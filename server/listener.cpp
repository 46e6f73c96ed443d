#include "server/listener.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>

#include <spdlog/spdlog.h>

#include "server/http_session.hpp"

namespace plenary::server {
namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

listener::listener(asio::io_context& ioc, std::shared_ptr<app_state> app)
    : ioc_(ioc), acceptor_(asio::make_strand(ioc)), app_(std::move(app)) {}

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
  });
}

void listener::do_accept() {
  acceptor_.async_accept(asio::make_strand(ioc_),
                         beast::bind_front_handler(&listener::on_accept, shared_from_this()));
}

void listener::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
  if (!ec) {
    socket.set_option(tcp::no_delay(true), ec);
    auto addr = socket.remote_endpoint(ec).address().to_string();
    if (ec) {
      // The peer is already gone.
    } else if (!app_->guard.admit(addr)) {
      spdlog::warn("event=connection_refused addr={} reason=cap", addr);
      socket.close(ec);
    } else {
      auto admitted = std::make_unique<admission>(app_, addr);
      std::make_shared<http_session>(std::move(socket), app_, std::move(admitted))->run();
    }
  } else {
    spdlog::warn("event=accept_failed error=\"{}\"", ec.message());
  }
  do_accept();
}

}  // namespace plenary::server
