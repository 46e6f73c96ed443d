// One HTTP connection: the read API (Bearer-authenticated), the web pages and static files
// from web/, /healthz, and the WebSocket upgrade of /d/<slug>/ws, handed to a ws_session.
// Which is which is routes::match's (routes.hpp); handle() answers each route it returns.
// Thread safety: runs on its own strand.
#pragma once

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <optional>
#include <string>

#include "protocol/messages.hpp"
#include "server/app_state.hpp"
#include "server/routes.hpp"

namespace plenary::server {

// The whole HTTP response (status line, the usual security headers, `Connection: close`)
// that refuses a connection over a cap: 503 with {"error": {"code": "rate_limited", ...}}.
std::string over_capacity_response(std::string_view message);

class http_session : public std::enable_shared_from_this<http_session> {
 public:
  http_session(boost::asio::ip::tcp::socket socket, std::shared_ptr<app_state> app,
               std::unique_ptr<admission> admitted);
  void run();

 private:
  using request = boost::beast::http::request<boost::beast::http::string_body>;

  void do_read();
  // The header first: a POST may carry a larger body (limits::max_api_body_bytes) than
  // anything else (limits::max_http_request_bytes).
  void on_header(boost::beast::error_code ec, std::size_t bytes);
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  // Behind a trusted proxy: charges the request to the client it names; false when that
  // client is over its cap (the 503 is then on its way).
  bool attribute(const request& req);
  void handle(request req);
  // A read of the draft `slug`: the join code is checked, then its room answers.
  void read_draft(const request& req, std::string slug, routes::draft_read read);
  // An organizer's call: origin, content type and organizer code checked (in that order),
  // then organizer_api answers.
  void organizer(const request& req, routes::organizer_call call);
  // A read with a code, of a draft that does not exist: counted as a failed join and answered
  // 404 after its backoff, like a wrong code (issue 21), so that draft names cannot be probed
  // faster than codes can be tried.
  void refuse_unknown_draft(std::shared_ptr<const request> req);
  void upgrade(request req, const std::string& slug);
  void serve_file(const request& req, std::string_view relative, bool page);
  // A file by its full path, with its Content-Type (serve_file; /vendor/chart.js).
  void serve_path(const request& req, const std::filesystem::path& file, std::string_view mime,
                  bool page);
  void send_json(const request& req, int status, std::string body);
  void send_shared_json(const request& req, int status, std::shared_ptr<const std::string> body);
  void send_text(const request& req, int status, std::string_view content_type, std::string body);
  // `status` 0 means the usual status of `code`.
  void send_error(const request& req, protocol::error_code code, std::string_view message,
                  int status = 0);
  template <class Response>
  void send(Response&& res);
  void on_write(bool keep_alive, boost::beast::error_code ec, std::size_t bytes);
  bool origin_allowed(const request& req) const;

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::shared_ptr<app_state> app_;
  std::unique_ptr<admission> admitted_;
  std::shared_ptr<void> response_;  // keeps the response alive while it is written
  bool warned_forwarded_ = false;   // an invalid X-Forwarded-For is logged once per connection
};

}  // namespace plenary::server
