// One WebSocket connection (`/d/<slug>/ws`): reads frames, turns them into typed messages
// (protocol::parse_client_message), keeps the identity given by its join, and forwards the
// rest to its draft's room. Writes go through a bounded queue: a client that stops reading
// is cut off when its queue passes the limit, so the server's memory stays flat.
// Thread safety: runs on its own strand; deliver() and close_going_away() may be called from
// any thread.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "server/app_state.hpp"
#include "server/room.hpp"

namespace plenary::server {

class ws_session : public subscriber, public std::enable_shared_from_this<ws_session> {
 public:
  ws_session(boost::asio::ip::tcp::socket socket, std::shared_ptr<app_state> app,
             std::unique_ptr<admission> admitted, std::string slug);
  ~ws_session() override;

  void run(boost::beast::http::request<boost::beast::http::string_body> req);

  void deliver(frame_ptr frame) override;
  void deliver_all(frame_list frames) override;
  void deliver_live(frame_ptr frame, std::function<void()> then) override;
  void close_going_away() override;

 private:
  void on_accept(boost::beast::error_code ec);
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  // Handles one frame; returns false when reading must pause (a join is being decided).
  bool handle(std::string_view frame);
  void start_join(protocol::message_id id, protocol::join_msg msg);
  void finish_join(protocol::message_id id, std::string code, std::shared_ptr<room> r,
                   const storage::error* failure);
  void reply_error(const protocol::message_id& id, protocol::error_code code,
                   std::string_view message);
  bool take_amend_token();
  // Live wording: at most one `typing` per limits::typing_interval goes to the room; one
  // that comes sooner waits in typing_waiting_, replacing any that waits already.
  void offer_typing(protocol::message_id id, protocol::typing_msg msg);
  void send_typing();   // the waiting wording, now
  void flush_typing();  // before a message that must follow it (an amendment, an act)
  void enqueue(frame_ptr frame);
  void do_write();
  void on_write(boost::beast::error_code ec, std::size_t bytes);
  void cork(bool on);
  void close_with(boost::beast::websocket::close_code code, std::string reason);
  void depart();

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  std::shared_ptr<app_state> app_;
  std::unique_ptr<admission> admitted_;
  const std::string slug_;
  boost::asio::steady_timer delay_;

  std::shared_ptr<room> room_;
  std::optional<identity> me_;
  bool join_pending_ = false;
  bool closing_ = false;
  bool departed_ = false;
  bool counted_ = false;  // in metrics' plenary_connections
  int errors_in_a_row_ = 0;

  boost::asio::steady_timer typing_timer_;
  bool typing_armed_ = false;
  std::chrono::steady_clock::time_point typing_sent_{};
  std::optional<std::pair<protocol::message_id, protocol::typing_msg>> typing_waiting_;

  double tokens_;
  std::chrono::steady_clock::time_point refilled_;

  std::deque<frame_ptr> queue_;
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
  // Frames left in the current burst. Beast writes one frame per send(); when several are
  // queued at once (a group commit's acks and events), TCP_CORK holds them until the burst is
  // written so that they leave as a few full segments instead of one packet each: the
  // reader wakes once, and loopback's per-packet work, most of the server's kernel time
  // (docs/performance.md), is paid once per burst.
  std::size_t burst_left_ = 0;
};

}  // namespace plenary::server
