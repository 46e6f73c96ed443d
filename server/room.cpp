// The room's membership and presence (room.hpp): joins, leaves, focus, the `presence`
// broadcasts, the join-code check, and the shutdown.
#include "server/room.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <chrono>

#include "server/convert.hpp"
#include "server/room_frames.hpp"

namespace plenary::server {
namespace asio = boost::asio;
namespace proto = plenary::protocol;
using room_frames::share;

room::room(std::string slug, std::unique_ptr<storage::draft> draft, access_list access,
           executor storage_exec, executor read_exec, const limits& lim, metrics& stats,
           mirror_pusher* mirrors, std::filesystem::path access_path, commit_slots* slots)
    : slug_(std::move(slug)),
      draft_(std::move(draft)),
      access_(slug_, std::move(access), std::move(access_path)),
      roster_([this] {
        std::vector<proto::actor> out;
        for (const storage::actor& a : access_.in_force()->roster()) {
          out.push_back({a.state, a.name});
        }
        return out;
      }()),
      queue_(storage_exec),
      strand_(queue_.executor()),
      commit_slots_(slots),
      read_exec_(read_exec),
      lim_(lim),
      stats_(stats),
      mirrors_(mirrors),
      presence_timer_(strand_),
      typing_timer_(strand_),
      typing_interval_ms_(lim.typing_interval.count()) {
  // Brackets may name the roster's delegations (and CHAIR); storage keeps no roster.
  std::vector<std::string> codes;
  for (const storage::actor& a : access_.in_force()->roster()) codes.push_back(a.state);
  draft_->set_delegations(std::move(codes));
}

std::optional<identity> room::verify(std::string_view code) const {
  // The comparison itself runs outside the lock, on a list nobody changes.
  return access_.current()->verify(code);
}

room::member* room::find(member_key key) {
  for (auto& m : members_) {
    if (m.key == key) return &m;
  }
  return nullptr;
}

void room::send_to(member_key key, frame_ptr frame) {
  if (member* m = find(key)) {
    if (auto conn = m->conn.lock()) conn->deliver(std::move(frame));
  }
}

void room::broadcast(const frame_ptr& frame) {
  for (auto& m : members_) {
    if (auto conn = m.conn.lock()) conn->deliver(frame);
  }
}

void room::broadcast_presence() {
  if (presence_pending_ || closed_) return;  // the one scheduled will show this change too
  presence_pending_ = true;
  // ~100 bytes per entry, n² entries per presence: keep rooms of hundreds under ~32 MB/s.
  const double n = static_cast<double>(members_.size());
  const auto interval = std::chrono::milliseconds(
      std::max<long>(50, static_cast<long>(n * n * 100.0 / (32.0 * 1024 * 1024) * 1000)));
  const auto due = presence_sent_ + interval;
  auto self = shared_from_this();
  if (due <= std::chrono::steady_clock::now()) {
    // Posted, not sent now: the joins already queued on the strand go into the same one.
    asio::post(strand_, [self] { self->send_presence(); });
    return;
  }
  presence_timer_.expires_at(due);
  presence_timer_.async_wait([self](boost::system::error_code ec) {
    if (!ec) self->send_presence();
  });
}

void room::send_presence() {
  presence_pending_ = false;
  if (closed_) return;
  presence_sent_ = std::chrono::steady_clock::now();
  std::vector<proto::presence_entry> present;
  present.reserve(members_.size());
  for (const auto& m : members_) {
    present.push_back({m.session, m.who.state, m.who.name, to_string(m.who.role), m.clause});
  }
  broadcast(share(proto::presence(present)));
}

void room::join(std::shared_ptr<subscriber> who, identity me, proto::message_id id) {
  asio::post(strand_, [self = shared_from_this(), who = std::move(who), me = std::move(me),
                       id = std::move(id)]() mutable {
    if (self->closed_) {
      who->close_going_away();
      return;
    }
    member m{who, who->serial(), "s" + std::to_string(self->next_session_++),
             me,  std::nullopt,  std::nullopt,
             {}};
    self->members_.push_back(std::move(m));
    self->retune_typing();
    std::vector<proto::presence_entry> present;
    for (const auto& x : self->members_) {
      present.push_back({x.session, x.who.state, x.who.name, to_string(x.who.role), x.clause});
    }
    proto::draft_view view = to_wire(self->slug_, self->draft_->head());
    view.delegations = self->roster_;
    view.live_wording = self->draft_->settings().live_wording;
    who->deliver(share(proto::welcome(id, {me.state, me.name}, to_string(me.role), view, present)));
    // The open threads of comments follow at once, so that they show without a reload
    // (docs/extensions.md, "Comments"); none, no frame: a join's first frames are the
    // welcome and the presence, which no queue limit cuts (issue 21, ws_session::enqueue).
    if (frame_ptr list = self->threads_frame()) who->deliver(std::move(list));
    self->broadcast_presence();
  });
}

void room::leave(const subscriber* who) {
  asio::post(strand_, [self = shared_from_this(), who = who->serial()] {
    auto& ms = self->members_;
    auto before = ms.size();
    if (member* m = self->find(who)) {
      if (frame_ptr stop = self->stop_typing(*m)) self->send_to_others(who, stop);
    }
    std::erase_if(ms, [who](const member& m) { return m.key == who; });
    self->retune_typing();
    if (ms.size() != before) self->broadcast_presence();
  });
}

void room::focus(const subscriber* who, proto::message_id id, std::optional<std::string> clause) {
  asio::post(strand_, [self = shared_from_this(), who = who->serial(), id = std::move(id),
                       clause = std::move(clause)]() mutable {
    member* m = self->find(who);
    if (!m) return;
    if (clause) {
      const auto& clauses = self->draft_->head().clauses;
      bool present = std::any_of(clauses.begin(), clauses.end(),
                                 [&](const storage::clause& c) { return c.id == *clause; });
      if (!present) {
        self->send_to(who, share(proto::error(
                               id, proto::error_code::not_found,
                               "There is no clause " + *clause + " in this draft to focus on.")));
        return;
      }
    }
    if (m->clause == clause) return;
    m->clause = std::move(clause);
    self->broadcast_presence();
  });
}

void room::shut_down(std::function<void()> done) {
  // Queued behind every flush already posted, so in-flight amendments are committed first.
  asio::post(strand_, [self = shared_from_this(), done = std::move(done)] {
    for (bool more = true; more;) {
      self->flush();
      std::lock_guard lock(self->pending_mu_);
      more = !self->pending_.empty();
    }
    // With the write-ahead log, git trails the acknowledgements by up to 50 ms: it catches up
    // before the caller moves the repository (archive) or the process ends.
    if (auto settled = self->draft_->settle(); !settled) {
      spdlog::error("event=settle_failed draft={} error=\"{}\"", self->slug_,
                    settled.err().message);
    }
    self->closed_ = true;
    self->presence_timer_.cancel();
    self->typing_timer_.cancel();
    for (auto& m : self->members_) {
      if (auto conn = m.conn.lock()) conn->close_going_away();
    }
    self->members_.clear();
    done();
  });
}

}  // namespace plenary::server
