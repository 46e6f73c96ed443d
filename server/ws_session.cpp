#include "server/ws_session.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spdlog/spdlog.h>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <type_traits>

namespace plenary::server {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace proto = plenary::protocol;

namespace {

metrics::amend_op metric_op(const proto::bracket_msg&) { return metrics::amend_op::bracket; }
metrics::amend_op metric_op(const proto::resolve_msg&) { return metrics::amend_op::resolve; }
metrics::amend_op metric_op(const proto::amend_msg& m) {
  switch (m.op) {
    case proto::amend_op::replace:
      return metrics::amend_op::replace;
    case proto::amend_op::insert:
      return metrics::amend_op::insert;
    case proto::amend_op::remove:
      return metrics::amend_op::remove;
    case proto::amend_op::move:
      return metrics::amend_op::move;
  }
  return metrics::amend_op::replace;
}

}  // namespace

ws_session::ws_session(asio::ip::tcp::socket socket, std::shared_ptr<app_state> app,
                       std::unique_ptr<admission> admitted, std::string slug)
    : ws_(std::move(socket)),
      app_(std::move(app)),
      admitted_(std::move(admitted)),
      slug_(std::move(slug)),
      delay_(ws_.get_executor()),
      typing_timer_(ws_.get_executor()),
      tokens_(app_->cfg.lim.amend_burst),
      refilled_(std::chrono::steady_clock::now()) {}

ws_session::~ws_session() {
  if (counted_) app_->stats.connection_closed();
  if (room_ && !departed_) room_->leave(this);
  std::lock_guard lock(app_->sessions_mu);
  app_->sessions.erase(this);
}

void ws_session::run(beast::http::request<beast::http::string_body> req) {
  {
    std::lock_guard lock(app_->sessions_mu);
    app_->sessions[this] = weak_from_this();
  }
  const limits& lim = app_->cfg.lim;
  beast::get_lowest_layer(ws_).expires_never();  // the websocket stream has its own timeouts
  websocket::stream_base::timeout t{};
  t.handshake_timeout = lim.handshake_timeout;
  t.idle_timeout = lim.idle_timeout;
  t.keep_alive_pings = true;
  ws_.set_option(t);
  ws_.read_message_max(lim.max_frame_bytes);
  websocket::permessage_deflate pmd;
  pmd.server_enable = false;
  pmd.client_enable = false;
  ws_.set_option(pmd);
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(beast::http::field::server, "plenary"); }));
  ws_.async_accept(req, beast::bind_front_handler(&ws_session::on_accept, shared_from_this()));
}

void ws_session::on_accept(beast::error_code ec) {
  if (ec)
    return spdlog::debug("event=ws_accept_failed addr={} error=\"{}\"", admitted_->address(),
                         ec.message());
  app_->stats.connection_opened();
  counted_ = true;
  if (app_->stopping) return close_with(websocket::close_code::going_away, "server shutting down");
  do_read();
}

void ws_session::do_read() {
  if (closing_) return;
  ws_.async_read(buffer_, beast::bind_front_handler(&ws_session::on_read, shared_from_this()));
}

void ws_session::on_read(beast::error_code ec, std::size_t) {
  if (ec) {
    // Beast has already closed with 1009 for a frame over the limit and 1007 for invalid
    // UTF-8 in a text frame; either way this connection is over.
    if (ec != websocket::error::closed) {
      spdlog::debug("event=ws_read_ended addr={} error=\"{}\"", admitted_->address(), ec.message());
    }
    return depart();
  }
  bool go_on = true;
  if (!ws_.got_text()) {
    reply_error({}, proto::error_code::bad_request,
                "Binary frames are not accepted: send each message as a JSON text frame.");
  } else {
    auto data = buffer_.data();
    go_on = handle({static_cast<const char*>(data.data()), data.size()});
  }
  buffer_.consume(buffer_.size());
  if (go_on) do_read();
}

bool ws_session::handle(std::string_view frame) {
  auto parsed = proto::parse_client_message(frame);
  if (auto* f = std::get_if<proto::parse_failure>(&parsed)) {
    reply_error(f->id, f->code, f->message);
    return true;
  }
  auto& [id, message] = std::get<proto::parsed_message>(parsed);
  if (auto* join = std::get_if<proto::join_msg>(&message)) {
    if (me_ || join_pending_) {
      reply_error(id, proto::error_code::bad_request,
                  "This connection has already joined; open a new connection to join again.");
      return true;
    }
    if (join->draft && *join->draft != slug_) {
      reply_error(id, proto::error_code::bad_request,
                  "`draft` is `" + *join->draft + "` but this connection is for `" + slug_ +
                      "`; connect to /d/" + *join->draft + "/ws instead.");
      return true;
    }
    start_join(std::move(id), std::move(*join));
    return false;  // reading resumes once the join is decided
  }
  if (!me_) {
    reply_error(id, proto::error_code::unauthorized,
                "Join first: send {\"type\": \"join\", \"code\": <your join code>}.");
    return true;
  }
  errors_in_a_row_ = 0;
  std::visit(
      [&](auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, proto::amend_msg> ||
                      std::is_same_v<T, proto::bracket_msg> ||
                      std::is_same_v<T, proto::resolve_msg>) {
          if (me_->role == role::observer) {
            app_->stats.amendment(metric_op(m), metrics::amend_result::forbidden);
            return reply_error(id, proto::error_code::forbidden,
                               "Observers can follow the draft but not amend it.");
          }
          if (!take_amend_token()) {
            app_->stats.amendment(metric_op(m), metrics::amend_result::rate_limited);
            return reply_error(id, proto::error_code::rate_limited,
                               "Too many amendments from this connection or its delegation; wait a "
                               "moment and "
                               "send again.");
          }
          flush_typing();
          room_->amend(this, std::move(id), std::move(m));
        } else if constexpr (std::is_same_v<T, proto::history_msg>) {
          room_->read(this, std::move(id), room::read_kind::history, std::move(m.clause));
        } else if constexpr (std::is_same_v<T, proto::blame_msg>) {
          room_->read(this, std::move(id), room::read_kind::blame, std::move(m.clause));
        } else if constexpr (std::is_same_v<T, proto::focus_msg>) {
          room_->focus(this, std::move(id), std::move(m.clause));
        } else if constexpr (std::is_same_v<T, proto::join_msg>) {
          // handled above
        } else if constexpr (std::is_same_v<T, proto::typing_msg>) {
          if (me_->role == role::observer) {
            return reply_error(id, proto::error_code::forbidden,
                               "Observers follow the draft but do not draft in it.");
          }
          offer_typing(std::move(id), std::move(m));
        } else if constexpr (std::is_same_v<T, proto::comment_msg> ||
                             std::is_same_v<T, proto::reply_msg> ||
                             std::is_same_v<T, proto::resolve_thread_msg> ||
                             std::is_same_v<T, proto::reopen_thread_msg>) {
          if (me_->role == role::observer) {
            return reply_error(id, proto::error_code::forbidden,
                               "Observers read the comments but do not write them.");
          }
          if (!take_amend_token()) {
            return reply_error(id, proto::error_code::rate_limited,
                               "Too many messages from this connection or its delegation; wait a "
                               "moment and send again.");
          }
          room_->comment(this, std::move(id), std::move(m));
        } else if constexpr (std::is_same_v<T, proto::settings_msg>) {
          if (me_->role == role::observer) {
            return reply_error(id, proto::error_code::forbidden,
                               "Observers follow the draft but do not change its settings.");
          }
          if (!take_amend_token()) {
            return reply_error(id, proto::error_code::rate_limited,
                               "Too many messages from this connection; wait a moment and "
                               "send again.");
          }
          room_->settings(this, std::move(id), m);
        } else {
          // procedure.md: stage, sponsors, propose, support, withdraw, votes, tag.
          if (me_->role == role::observer) {
            return reply_error(id, proto::error_code::forbidden,
                               "Observers can follow the draft but take no part in its "
                               "procedure.");
          }
          if (!take_amend_token()) {
            return reply_error(id, proto::error_code::rate_limited,
                               "Too many messages from this connection or its delegation; wait a "
                               "moment and "
                               "send again.");
          }
          flush_typing();
          room_->procedure(this, std::move(id), std::move(m));
        }
      },
      message);
  return true;
}

void ws_session::start_join(proto::message_id id, proto::join_msg msg) {
  join_pending_ = true;
  app_->rooms.with_room(
      slug_, [self = shared_from_this(), id = std::move(id), code = std::move(msg.code)](
                 std::shared_ptr<room> r, const storage::error* failure) mutable {
        std::optional<storage::error> err;
        if (failure) err = *failure;
        asio::post(self->ws_.get_executor(), [self, id = std::move(id), code = std::move(code),
                                              r = std::move(r), err = std::move(err)]() mutable {
          self->finish_join(std::move(id), std::move(code), std::move(r), err ? &*err : nullptr);
        });
      });
}

void ws_session::finish_join(proto::message_id id, std::string code, std::shared_ptr<room> r,
                             const storage::error* failure) {
  if (failure || !r) {
    join_pending_ = false;
    app_->stats.join_failure();
    if (failure && failure->kind == storage::error_kind::not_found) {
      // A failed join like a wrong code (issue 21): otherwise draft names could be probed
      // as fast as one can ask, without the failed-join backoff.
      auto wait = app_->guard.failed_join(admitted_->address());
      spdlog::info("event=join_refused draft={} addr={} reason=no_such_draft delay_ms={}", slug_,
                   admitted_->address(), wait.count());
      join_pending_ = true;
      delay_.expires_after(wait);
      delay_.async_wait([self = shared_from_this(), id = std::move(id)](beast::error_code) {
        self->join_pending_ = false;
        self->reply_error(id, proto::error_code::not_found,
                          "There is no draft named `" + self->slug_ + "` on this server.");
        self->do_read();
      });
      return;
    } else {
      spdlog::error("event=draft_open_failed draft={} error=\"{}\"", slug_,
                    failure ? failure->message : "unknown");
      reply_error(id, proto::error_code::internal,
                  "The draft could not be opened; the server log says why.");
    }
    return do_read();
  }
  auto who = r->verify(code);
  if (!who) {
    app_->stats.join_failure();
    auto wait = app_->guard.failed_join(admitted_->address());
    spdlog::info("event=join_refused draft={} addr={} reason=bad_code delay_ms={}", slug_,
                 admitted_->address(), wait.count());
    delay_.expires_after(wait);
    delay_.async_wait([self = shared_from_this(), id = std::move(id)](beast::error_code) {
      self->join_pending_ = false;
      self->reply_error(id, proto::error_code::unauthorized,
                        "That join code is not valid for this draft; check the link you were "
                        "given.");
      self->do_read();
    });
    return;
  }
  join_pending_ = false;
  room_ = std::move(r);
  me_ = *who;
  spdlog::info("event=join draft={} state={} role={}", slug_, me_->state, to_string(me_->role));
  room_->join(shared_from_this(), *me_, std::move(id));
  do_read();
}

void ws_session::reply_error(const proto::message_id& id, proto::error_code code,
                             std::string_view message) {
  enqueue(std::make_shared<const std::string>(proto::error(id, code, message)));
  if (++errors_in_a_row_ >= app_->cfg.lim.errors_before_close) {
    close_with(websocket::close_code::policy_error, "too many invalid messages");
  }
}

bool ws_session::take_amend_token() {
  const limits& lim = app_->cfg.lim;
  if (lim.amend_rate_per_second <= 0) return true;
  auto now = std::chrono::steady_clock::now();
  std::chrono::duration<double> dt = now - refilled_;
  refilled_ = now;
  tokens_ = std::min(lim.amend_burst, tokens_ + dt.count() * lim.amend_rate_per_second);
  if (tokens_ < 1) return false;
  // This connection's token is spent only when its delegation's bucket had one too.
  if (!app_->delegation_rate.take(slug_, me_->state)) return false;
  tokens_ -= 1;
  return true;
}

void ws_session::offer_typing(proto::message_id id, proto::typing_msg msg) {
  typing_waiting_.emplace(std::move(id), std::move(msg));  // the latest wording wins
  const auto due =
      typing_sent_ + (room_ ? room_->typing_interval() : app_->cfg.lim.typing_interval);
  if (!typing_armed_ && std::chrono::steady_clock::now() >= due) return send_typing();
  if (typing_armed_) return;
  typing_armed_ = true;
  typing_timer_.expires_at(due);
  typing_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    self->typing_armed_ = false;
    if (!ec && !self->closing_) self->send_typing();
  });
}

void ws_session::send_typing() {
  if (!typing_waiting_ || !room_) return;
  typing_sent_ = std::chrono::steady_clock::now();
  auto [id, msg] = std::move(*typing_waiting_);
  typing_waiting_.reset();
  room_->typing(this, std::move(id), std::move(msg));
}

void ws_session::flush_typing() {
  // The timer, if armed, stays: it finds nothing waiting, or a wording that came after.
  send_typing();
}

void ws_session::deliver_live(frame_ptr frame, std::function<void()> then) {
  asio::post(ws_.get_executor(), [self = shared_from_this(), frame = std::move(frame),
                                  then = std::move(then)]() mutable {
    // Behind: this wording is dropped; the next one after it catches up replaces it anyway.
    if (self->queue_.size() < self->app_->cfg.lim.typing_max_behind) {
      self->enqueue(std::move(frame));
    }
    if (then) then();
  });
}

void ws_session::deliver(frame_ptr frame) {
  asio::post(ws_.get_executor(), [self = shared_from_this(), frame = std::move(frame)]() mutable {
    self->enqueue(std::move(frame));
  });
}

void ws_session::deliver_all(frame_list frames) {
  // Dispatched, not posted: when the room committed on this session's own thread (an idle
  // room's commit runs on the socket thread that read the amendment, room.hpp), the ack is
  // written now instead of after a hand-over; from any other thread this is a post.
  asio::dispatch(ws_.get_executor(), [self = shared_from_this(), frames = std::move(frames)] {
    for (const frame_ptr& f : *frames) self->enqueue(f);
  });
}

void ws_session::enqueue(frame_ptr frame) {
  if (closing_) return;
  const limits& lim = app_->cfg.lim;
  // A client is behind when frames wait behind the one being written. The frame being
  // written and the next one, however large (a welcome carries the whole draft), are never a
  // reason to cut it: a welcome bigger than the cap, followed at once by a presence, used to
  // make a draft that no one could join (issue 21).
  const std::size_t in_flight = writing_ ? queue_.front()->size() : 0;
  const std::size_t waiting = queue_.size() - (writing_ ? 1 : 0);
  if (waiting > 0 && (queue_.size() >= lim.max_queue_messages ||
                      queued_bytes_ - in_flight + frame->size() > lim.max_queue_bytes)) {
    spdlog::warn("event=slow_client_cut draft={} addr={} queued_bytes={} queued={}", slug_,
                 admitted_->address(), queued_bytes_, queue_.size());
    app_->stats.fanout_drop();
    closing_ = true;
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
    return depart();
  }
  queued_bytes_ += frame->size();
  queue_.push_back(std::move(frame));
  if (!writing_) do_write();
}

void ws_session::do_write() {
  writing_ = true;
  if (burst_left_ == 0 && queue_.size() > 1) {
    burst_left_ = queue_.size();  // later frames make the next burst: latency stays bounded
    cork(true);
  }
  ws_.text(true);
  ws_.async_write(asio::buffer(*queue_.front()),
                  beast::bind_front_handler(&ws_session::on_write, shared_from_this()));
}

void ws_session::on_write(beast::error_code ec, std::size_t) {
  writing_ = false;
  if (ec) return depart();
  queued_bytes_ -= queue_.front()->size();
  queue_.pop_front();
  if (burst_left_ > 0 && --burst_left_ == 0) cork(false);
  if (!queue_.empty() && !closing_) do_write();
}

void ws_session::cork(bool on) {
  using tcp_cork = asio::detail::socket_option::boolean<IPPROTO_TCP, TCP_CORK>;
  beast::error_code ignored;  // an optimisation only: a socket that refuses it still works
  beast::get_lowest_layer(ws_).socket().set_option(tcp_cork(on), ignored);
}

void ws_session::close_going_away() {
  asio::post(ws_.get_executor(), [self = shared_from_this()] {
    self->close_with(websocket::close_code::going_away, "server shutting down");
  });
}

void ws_session::close_with(websocket::close_code code, std::string reason) {
  if (closing_) return;
  closing_ = true;
  if (burst_left_ > 0) {
    burst_left_ = 0;
    cork(false);  // the close frame must not wait for the kernel's cork timer
  }
  // Frames not yet started are dropped; Beast lets the close wait for a write in flight.
  if (writing_) {
    queue_.erase(queue_.begin() + 1, queue_.end());
  } else {
    queue_.clear();
  }
  ws_.async_close(websocket::close_reason(code, reason),
                  [self = shared_from_this()](beast::error_code) { self->depart(); });
}

void ws_session::depart() {
  if (departed_) return;
  departed_ = true;
  typing_waiting_.reset();
  typing_timer_.cancel();
  if (room_) room_->leave(this);
}

}  // namespace plenary::server
