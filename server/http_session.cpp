#include "server/http_session.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <optional>
#include <sstream>

#include "protocol/messages.hpp"
#include "server/organizer_api.hpp"
#include "server/routes.hpp"
#include "server/ws_session.hpp"

namespace plenary::server {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace proto = plenary::protocol;

namespace {

constexpr std::string_view content_security_policy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

template <class Fields>
void add_security_headers(Fields& f) {
  f.set(http::field::server, "plenary");
  f.set("Content-Security-Policy", content_security_policy);
  f.set("X-Content-Type-Options", "nosniff");
  f.set("X-Frame-Options", "DENY");
  f.set("Referrer-Policy", "no-referrer");
  f.set("Cross-Origin-Opener-Policy", "same-origin");
}

// The host[:port] of an Origin header ("https://example.org:8443" -> "example.org:8443").
std::string_view origin_host(std::string_view origin) {
  auto p = origin.find("://");
  return p == std::string_view::npos ? origin : origin.substr(p + 3);
}

}  // namespace

std::string over_capacity_response(std::string_view message) {
  http::response<http::string_body> res{http::status::service_unavailable, 11};
  add_security_headers(res);
  res.set(http::field::content_type, "application/json; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.set(http::field::retry_after, "5");
  res.keep_alive(false);
  res.body() = proto::http_error_json(proto::error_code::rate_limited, message);
  res.prepare_payload();
  std::ostringstream out;
  out << res;
  return out.str();
}

http_session::http_session(asio::ip::tcp::socket socket, std::shared_ptr<app_state> app,
                           std::unique_ptr<admission> admitted)
    : stream_(std::move(socket)), app_(std::move(app)), admitted_(std::move(admitted)) {}

void http_session::run() {
  asio::dispatch(stream_.get_executor(),
                 beast::bind_front_handler(&http_session::do_read, shared_from_this()));
}

void http_session::do_read() {
  parser_.emplace();
  parser_->header_limit(8 * 1024);
  // Beast checks Content-Length against the limit when the header arrives: the larger limit
  // (a POST's) first, the smaller one set once the method is known (on_header).
  parser_->body_limit(
      std::max(app_->cfg.lim.max_http_request_bytes, app_->cfg.lim.max_api_body_bytes));
  // A request, an upgrade included, must arrive whole within the handshake timeout: a
  // client that sends half of one and stops is dropped then.
  stream_.expires_after(std::min(app_->cfg.lim.http_timeout, app_->cfg.lim.handshake_timeout));
  http::async_read_header(stream_, buffer_, *parser_,
                          beast::bind_front_handler(&http_session::on_header, shared_from_this()));
}

void http_session::on_header(beast::error_code ec, std::size_t bytes) {
  if (ec) return on_read(ec, bytes);
  if (parser_->get().method() != http::verb::post) {
    parser_->body_limit(app_->cfg.lim.max_http_request_bytes);
  }
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&http_session::on_read, shared_from_this()));
}

void http_session::on_read(beast::error_code ec, std::size_t) {
  if (ec == http::error::end_of_stream) {
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    return;
  }
  if (ec) {
    if (ec == http::error::body_limit || ec == http::error::header_limit) {
      request dummy;
      dummy.version(11);
      dummy.keep_alive(false);
      return send_error(dummy, proto::error_code::too_large,
                        ec == http::error::body_limit
                            ? "The request's body is over " +
                                  std::to_string(app_->cfg.lim.max_api_body_bytes / 1024) +
                                  " KiB (a text of at most 1 MiB fits); send less."
                            : std::string("The request's headers are too large."));
    }
    return;  // timeout or a broken peer: drop it
  }
  auto req = parser_->release();
  if (admitted_->proxied() && !attribute(req)) return;
  handle(std::move(req));
}

bool http_session::attribute(const request& req) {
  // Only a trusted proxy's connection gets here: a client's own X-Forwarded-For is never
  // read. nginx appends the address it saw to the list ($proxy_add_x_forwarded_for).
  std::string list;
  for (auto [it, end] = req.equal_range("X-Forwarded-For"); it != end; ++it) {
    if (!list.empty()) list += ',';
    list.append(it->value().data(), it->value().size());
  }
  std::string client = admitted_->peer();  // no header: the proxy's own request (a health check)
  if (!list.empty()) {
    if (auto named = forwarded_client(list, app_->cfg.trusted_proxies)) {
      client = std::move(*named);
    } else if (!warned_forwarded_) {
      // The value is not logged: it is whatever a client wrote (a join code, even).
      warned_forwarded_ = true;
      spdlog::warn(
          "event=forwarded_for_invalid proxy={} reason=\"X-Forwarded-For is not a list "
          "of IP addresses; counting the request as the proxy's\"",
          admitted_->peer());
    }
  }
  if (admitted_->attribute(client)) return true;
  spdlog::warn("event=connection_refused addr={} proxy={} reason=per_address_cap", client,
               admitted_->peer());
  auto text = std::make_shared<std::string>(over_capacity_response(
      "Too many connections are open from your address; close some (other tabs or clients) or "
      "try again in a moment."));
  response_ = text;
  asio::async_write(stream_, asio::buffer(*text),
                    beast::bind_front_handler(&http_session::on_write, shared_from_this(), false));
  return false;
}

bool http_session::origin_allowed(const request& req) const {
  auto origin = req[http::field::origin];
  if (origin.empty()) return true;  // not a browser: nothing to protect against
  std::string_view host = origin_host({origin.data(), origin.size()});
  for (const auto& allowed : app_->cfg.allowed_origins) {
    if (allowed == "*" || allowed == std::string_view(origin.data(), origin.size()) ||
        origin_host(allowed) == host) {
      return true;
    }
  }
  auto own = req[http::field::host];
  return app_->cfg.allowed_origins.empty() && host == std::string_view(own.data(), own.size());
}

namespace {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};

// The join code of `Authorization: Bearer <code>`; empty when there is none.
std::string bearer_code(const boost::beast::http::request<boost::beast::http::string_body>& req) {
  auto auth = req[http::field::authorization];
  if (!auth.starts_with("Bearer ")) return {};
  return std::string(auth.substr(7));
}

constexpr std::string_view no_code = "Send your join code as `Authorization: Bearer <code>`.";

}  // namespace

void http_session::handle(request req) {
  const auto target = req.target();
  auto route = routes::match({req.method(),
                              {target.data(), target.size()},
                              beast::websocket::is_upgrade(req),
                              req.body()});
  // clang-format off (it mangles requires-clauses on generic lambdas: clang-format 14)
  std::visit(
      overloaded{
          [&](routes::not_found& r) {
    send_error(req, proto::error_code::not_found, r.reason);
          },
          [&](routes::bad_request& r) {
    send_error(req, proto::error_code::bad_request, r.reason);
          },
          [&](routes::method_not_allowed& r) {
    send_error(req, proto::error_code::bad_request, r.reason, 405);
          },
          [&](routes::no_such_draft&) {
    // As for a draft that does not exist: the code is asked for first.
    if (bearer_code(req).empty()) {
      return send_error(req, proto::error_code::unauthorized, no_code);
    }
    refuse_unknown_draft(std::make_shared<const request>(req));
          },
          [&](routes::healthz&) {
    if (::access(app_->cfg.data.c_str(), W_OK) != 0) {
      return send_error(req, proto::error_code::internal, "The data directory is not writable.");
    }
    send_json(req, 200, "{\"status\":\"ok\"}");
          },
          [&](routes::metrics_text&) {
    // Prometheus text format, without authentication: keep it off the public side
    // (the shipped nginx site denies it; scrape 127.0.0.1:8080 directly).
    send_text(req, 200, metrics::content_type, app_->stats.render());
          },
          [&](routes::ws_upgrade& r) {
    if (!origin_allowed(req)) {
      return send_error(req, proto::error_code::forbidden,
                        "This page's origin may not open a connection to this server.");
    }
    upgrade(std::move(req), r.slug);
          },
          [&](routes::static_file& r) {
    serve_file(req, r.path, false); },
          [&](routes::vendor_chart_js&) {
    serve_path(req, app_->cfg.chart_js, "text/javascript; charset=utf-8", false);
          },
          [&]<class Call>(Call& c) requires routes::is_organizer_call_v<Call> {
            organizer(req, routes::organizer_call{std::move(c)});
}
, [&]<class Page>(Page&) requires routes::is_page_v<Page> { serve_file(req, Page::file, true); }
, [&]<class Read>(Read& r) requires routes::is_draft_read_v<Read> {
  std::string slug = r.slug;
  read_draft(req, std::move(slug), routes::draft_read{std::move(r)});
}
,
}  // namespace plenary::server
,
      route);
// clang-format on
}

void http_session::read_draft(const request& req, std::string slug, routes::draft_read read) {
  std::string code = bearer_code(req);
  if (code.empty()) return send_error(req, proto::error_code::unauthorized, no_code);
  // Reads in progress per address are bounded (issue 21: three parallel compares of large
  // clauses held a draft's amendments for seconds): the slot is held until the answer is
  // handed over, whichever way it goes, by the callbacks that carry `slot`.
  const std::string& addr = admitted_->address();
  if (!app_->guard.begin_read(addr)) {
    return send_error(req, proto::error_code::rate_limited,
                      "Too many reads of drafts at once from your address (at most " +
                          std::to_string(app_->cfg.lim.max_http_reads_per_address) +
                          "); wait for one to finish, then ask again.");
  }
  struct read_slot {
    read_slot(std::shared_ptr<app_state> a, std::string at)
        : app(std::move(a)), addr(std::move(at)) {}
    read_slot(const read_slot&) = delete;
    read_slot& operator=(const read_slot&) = delete;
    ~read_slot() { app->guard.end_read(addr); }
    std::shared_ptr<app_state> app;
    std::string addr;
  };
  auto slot = std::make_shared<const read_slot>(app_, addr);
  // The request is copied: the callbacks outlive this frame.
  auto shared_req = std::make_shared<request>(req);
  app_->rooms.with_room(slug, [self = shared_from_this(), shared_req, read = std::move(read),
                               code = std::move(code),
                               slot](std::shared_ptr<room> r, const storage::error* failure) {
    int status = 0;
    std::string message;
    if (failure) {
      status = failure->kind == storage::error_kind::not_found ? 404 : 500;
      message = failure->kind == storage::error_kind::not_found
                    ? "There is no draft with this name."
                    : "The draft could not be opened; the server log says why.";
    }
    asio::post(
        self->stream_.get_executor(), [self, shared_req, read, code, r, status, message, slot] {
          if (!r && status == 404) return self->refuse_unknown_draft(shared_req);
          if (!r) return self->send_error(*shared_req, proto::error_code::internal, message);
          auto who = r->verify(code);
          if (!who) {
            auto wait = self->app_->guard.failed_join(self->admitted_->address());
            auto timer = std::make_shared<asio::steady_timer>(self->stream_.get_executor(), wait);
            timer->async_wait([self, shared_req, timer](beast::error_code) {
              self->send_error(*shared_req, proto::error_code::unauthorized,
                               "That join code is not valid for this draft.");
            });
            return;
          }
          routes::draft_read mine = read;
          // The debrief depends on who asks (room_reads.cpp): only the code says so.
          if (auto* d = std::get_if<routes::api_debrief>(&mine))
            d->chair = who->role == role::chair;
          r->http_read(std::move(mine), [self, shared_req, slot](http_answer answer) {
            asio::post(self->stream_.get_executor(),
                       [self, shared_req, slot, answer = std::move(answer)] {
                         if (answer.shared) {
                           self->send_shared_json(*shared_req, answer.status, answer.shared);
                         } else {
                           self->send_json(*shared_req, answer.status, answer.body);
                         }
                       });
          });
        });
  });
}

void http_session::refuse_unknown_draft(std::shared_ptr<const request> req) {
  app_->stats.join_failure();
  auto wait = app_->guard.failed_join(admitted_->address());
  // The name is not logged: it may be any bytes a client sent.
  spdlog::info("event=join_refused addr={} reason=no_such_draft via=http delay_ms={}",
               admitted_->address(), wait.count());
  auto timer = std::make_shared<asio::steady_timer>(stream_.get_executor(), wait);
  timer->async_wait([self = shared_from_this(), req = std::move(req), timer](beast::error_code) {
    self->send_error(*req, proto::error_code::not_found, "There is no draft with this name.");
  });
}

void http_session::organizer(const request& req, routes::organizer_call call) {
  const bool post = req.method() == http::verb::post;
  // A browser sends Origin with every POST: another site's page cannot act with the
  // organizer's browser (the code is in sessionStorage, but refuse before looking).
  if (post && !origin_allowed(req)) {
    return send_error(req, proto::error_code::forbidden,
                      "This request comes from another site's page; the organizer console "
                      "posts only from this server's own pages.");
  }
  if (post) {
    auto type = req[http::field::content_type];
    const std::string_view media(type.data(), std::min(type.size(), type.find(';')));
    if (!beast::iequals(media, "application/json")) {
      return send_error(req, proto::error_code::bad_request,
                        "Send the body as JSON, with `Content-Type: application/json`.", 415);
    }
  }
  const std::string code = bearer_code(req);
  if (code.empty()) {
    return send_error(req, proto::error_code::unauthorized,
                      "Send the organizer code as `Authorization: Bearer <code>` (the organizer "
                      "link's #code=...).");
  }
  if (!app_->organizer.verify(code)) {
    // Counted with the failed joins of this address: the same backoff.
    const auto wait = app_->guard.failed_join(admitted_->address());
    spdlog::info("event=organizer_refused addr={} delay_ms={}", admitted_->address(), wait.count());
    auto shared_req = std::make_shared<request>(req);
    auto timer = std::make_shared<asio::steady_timer>(stream_.get_executor(), wait);
    timer->async_wait([self = shared_from_this(), shared_req, timer, wait](beast::error_code) {
      if (wait.count() > 0) {
        return self->send_error(*shared_req, proto::error_code::rate_limited,
                                "Too many wrong codes from your address; wait a few seconds and "
                                "check the organizer link (plenary organizer --reissue prints a "
                                "new one).");
      }
      self->send_error(*shared_req, proto::error_code::unauthorized,
                       "That organizer code is not valid (it may have been reissued); use the "
                       "latest organizer link.");
    });
    return;
  }
  auto shared_req = std::make_shared<request>(req);
  answer_organizer(app_, std::move(call), [self = shared_from_this(), shared_req](http_answer a) {
    asio::post(self->stream_.get_executor(), [self, shared_req, a = std::move(a)] {
      self->send_json(*shared_req, a.status, a.body);
    });
  });
}

void http_session::upgrade(request req, const std::string& slug) {
  stream_.expires_never();
  auto ws =
      std::make_shared<ws_session>(stream_.release_socket(), app_, std::move(admitted_), slug);
  ws->run(std::move(req));
}

void http_session::serve_file(const request& req, std::string_view relative, bool page) {
  // `relative` is a safe path under web/ (routes::match checked it).
  serve_path(req, app_->web_root / relative, routes::mime_type(relative), page);
}

void http_session::serve_path(const request& req, const std::filesystem::path& file,
                              std::string_view mime, bool page) {
  auto path = file.string();
  beast::error_code ec;
  http::file_body::value_type body;
  body.open(path.c_str(), beast::file_mode::scan, ec);
  if (ec) return send_error(req, proto::error_code::not_found, "There is no such file.");
  auto size = body.size();
  if (req.method() == http::verb::head) {
    http::response<http::empty_body> res{http::status::ok, req.version()};
    add_security_headers(res);
    res.set(http::field::content_type, mime);
    res.content_length(size);
    res.keep_alive(req.keep_alive());
    return send(std::move(res));
  }
  http::response<http::file_body> res{std::piecewise_construct, std::make_tuple(std::move(body)),
                                      std::make_tuple(http::status::ok, req.version())};
  add_security_headers(res);
  res.set(http::field::content_type, mime);
  res.set(http::field::cache_control, page ? "no-store" : "no-cache");
  res.content_length(size);
  res.keep_alive(req.keep_alive());
  send(std::move(res));
}

void http_session::send_json(const request& req, int status, std::string body) {
  http::response<http::string_body> res{static_cast<http::status>(status), req.version()};
  add_security_headers(res);
  res.set(http::field::content_type, "application/json; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  if (req.method() != http::verb::head) res.body() = std::move(body);
  res.prepare_payload();
  send(std::move(res));
}

void http_session::send_shared_json(const request& req, int status,
                                    std::shared_ptr<const std::string> body) {
  // The body stays where it is (a room keeps it for the next reader): written from there.
  struct held {
    std::shared_ptr<const std::string> body;
    http::response<http::span_body<const char>> res;
  };
  auto h = std::make_shared<held>();
  h->body = std::move(body);
  h->res.result(static_cast<http::status>(status));
  h->res.version(req.version());
  add_security_headers(h->res);
  h->res.set(http::field::content_type, "application/json; charset=utf-8");
  h->res.set(http::field::cache_control, "no-store");
  h->res.keep_alive(req.keep_alive());
  if (req.method() != http::verb::head) h->res.body() = {h->body->data(), h->body->size()};
  h->res.prepare_payload();
  response_ = h;
  const bool keep_alive = h->res.keep_alive();
  http::async_write(
      stream_, h->res,
      beast::bind_front_handler(&http_session::on_write, shared_from_this(), keep_alive));
}

void http_session::send_text(const request& req, int status, std::string_view content_type,
                             std::string body) {
  http::response<http::string_body> res{static_cast<http::status>(status), req.version()};
  add_security_headers(res);
  res.set(http::field::content_type, content_type);
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  if (req.method() != http::verb::head) res.body() = std::move(body);
  res.prepare_payload();
  send(std::move(res));
}

void http_session::send_error(const request& req, proto::error_code code, std::string_view message,
                              int status) {
  send_json(req, status ? status : proto::http_status(code), proto::http_error_json(code, message));
}

template <class Response>
void http_session::send(Response&& res) {
  using R = std::decay_t<Response>;
  auto sp = std::make_shared<R>(std::forward<Response>(res));
  response_ = sp;
  bool keep_alive = sp->keep_alive();
  http::async_write(
      stream_, *sp,
      beast::bind_front_handler(&http_session::on_write, shared_from_this(), keep_alive));
}

void http_session::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
  response_.reset();
  // Answered: a proxy's connection waiting for its next request belongs to no client.
  if (admitted_) admitted_->unattribute();
  if (ec) return;
  if (!keep_alive) {
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    return;
  }
  do_read();
}

}  // namespace plenary::server
