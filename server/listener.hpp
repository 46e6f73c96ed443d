// Accepts TCP connections and hands each to an http_session (which may upgrade it to a
// WebSocket). Connections over the per-address or total cap are closed at once.
// Thread safety: runs on its own strand.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/error.hpp>

#include <memory>

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

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::shared_ptr<app_state> app_;
};

}  // namespace plenary::server
