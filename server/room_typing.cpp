// Live wording and the draft's settings (room.hpp; docs/extensions.md, "Live wording"): a
// member's wording as it is typed goes to everyone else and is never stored; the chair's
// `settings` is a commit on `procedure`, queued and committed like the acts.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/post.hpp>
#include <memory>
#include <mutex>
#include <vector>

#include "server/room.hpp"
#include "server/room_frames.hpp"

namespace plenary::server {
namespace asio = boost::asio;
namespace proto = plenary::protocol;
using room_frames::share;

namespace {

// One wording on its way to the others, `chunk` connections at a time: the next chunk is
// handed over by the socket thread that queued the last frame of this one. A room's worth of
// writes handed over at once would queue ahead of every amendment read meanwhile
// (limits::typing_fanout_chunk). Stops before a chunk when the typist's line has moved on.
class live_fanout : public std::enable_shared_from_this<live_fanout> {
 public:
  live_fanout(frame_ptr frame, std::vector<std::weak_ptr<subscriber>> to,
              std::shared_ptr<room::live_line> line, std::uint64_t seq, std::size_t chunk)
      : frame_(std::move(frame)),
        to_(std::move(to)),
        line_(std::move(line)),
        seq_(seq),
        chunk_(std::max<std::size_t>(1, chunk)) {}

  // On the room's strand first, then on the thread of the chunk's last connection.
  void next() {
    while (next_ < to_.size()) {
      std::vector<std::shared_ptr<subscriber>> batch;
      const std::size_t end = std::min(to_.size(), next_ + chunk_);
      for (; next_ < end; ++next_) {
        if (auto conn = to_[next_].lock()) batch.push_back(std::move(conn));
      }
      if (batch.empty()) continue;
      // Under the line's lock: a stop (or newer wording) either finds these frames handed over
      // before it, or this chunk finds it and goes no further.
      std::lock_guard lock(line_->mu);
      if (line_->seq != seq_) return;
      if (next_ >= to_.size()) {
        for (const auto& conn : batch) conn->deliver_live(frame_, {});
        return;
      }
      pending_.store(batch.size(), std::memory_order_relaxed);
      for (const auto& conn : batch) {
        conn->deliver_live(frame_, [self = shared_from_this()] {
          if (self->pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) self->next();
        });
      }
      return;
    }
  }

 private:
  const frame_ptr frame_;
  const std::vector<std::weak_ptr<subscriber>> to_;
  const std::shared_ptr<room::live_line> line_;
  const std::uint64_t seq_;
  const std::size_t chunk_;
  std::size_t next_ = 0;  // one thread at a time: the chain hands it on
  std::atomic<std::size_t> pending_{0};
};

void supersede(room::live_line& line) {
  std::lock_guard lock(line.mu);
  ++line.seq;
}

}  // namespace

frame_ptr room::stop_typing(member& m) {
  supersede(*m.live);  // whatever is still on its way stops
  if (!m.typing) return nullptr;
  proto::typing_event ev{m.session, m.who.state, std::move(*m.typing), std::nullopt};
  m.typing.reset();
  retune_typing();
  return share(proto::typing(ev));
}

void room::retune_typing() {
  std::size_t typists = 0;
  for (const member& m : members_) typists += m.typing ? 1 : 0;
  const std::size_t listeners = members_.empty() ? 0 : members_.size() - 1;
  std::int64_t ms = lim_.typing_interval.count();
  if (lim_.typing_frames_per_second > 0) {
    // typists x listeners frames per interval must stay within the room's frames a second.
    const auto needed =
        static_cast<std::int64_t>(typists * listeners * 1000 / lim_.typing_frames_per_second);
    ms = std::max(ms, needed);
  }
  typing_interval_ms_.store(ms, std::memory_order_relaxed);
}

void room::send_to_others(member_key key, const frame_ptr& frame) {
  for (auto& m : members_) {
    if (m.key == key) continue;
    if (auto conn = m.conn.lock()) conn->deliver(frame);
  }
}

void room::send_wording(const member& m, frame_ptr frame) {
  std::uint64_t seq = 0;
  {
    std::lock_guard lock(m.live->mu);
    seq = ++m.live->seq;  // an earlier wording still on its way goes no further
  }
  std::vector<std::weak_ptr<subscriber>> to;
  to.reserve(members_.size());
  for (const member& x : members_) {
    if (x.key != m.key) to.push_back(x.conn);
  }
  std::make_shared<live_fanout>(std::move(frame), std::move(to), m.live, seq,
                                lim_.typing_fanout_chunk)
      ->next();
}

void room::typing(const subscriber* who, proto::message_id id, proto::typing_msg msg) {
  asio::post(strand_, [self = shared_from_this(), who = who->serial(), id = std::move(id),
                       msg = std::move(msg)]() mutable {
    member* m = self->find(who);
    if (!m || self->closed_) return;
    if (!msg.text) {
      // A stop of a wording that is not shown (or of another clause's) is nothing to do.
      if (m->typing == msg.clause) {
        if (frame_ptr stop = self->stop_typing(*m)) self->send_to_others(who, stop);
      }
      return;
    }
    if (!self->draft_->settings().live_wording) {
      return self->send_to(
          who, share(proto::error(id, proto::error_code::forbidden,
                                  "The chair has turned live wording off for this draft: the "
                                  "others see your wording once you submit it.")));
    }
    const auto& clauses = self->draft_->head().clauses;
    const auto c = std::find_if(clauses.begin(), clauses.end(),
                                [&](const storage::clause& x) { return x.id == msg.clause; });
    if (c == clauses.end()) {
      return self->send_to(who, share(proto::error(id, proto::error_code::not_found,
                                                   "There is no clause " + msg.clause +
                                                       " in this draft to type in.")));
    }
    // A base older than the clause's rev is fine (the preview is against the text now); one
    // that is not in this draft's history is a client mixing up drafts.
    if (msg.base != c->rev && !self->draft_->resolve(msg.base)) {
      return self->send_to(
          who, share(proto::error(id, proto::error_code::not_found,
                                  "`base` " + msg.base.substr(0, 12) +
                                      "… is not a commit of this draft; send the `rev` of the "
                                      "clause you are editing.")));
    }
    if (m->typing && *m->typing != msg.clause) {
      if (frame_ptr stop = self->stop_typing(*m)) self->send_to_others(who, stop);
    }
    if (!m->typing) {
      m->typing = msg.clause;
      self->retune_typing();
    }
    m->typed_at = std::chrono::steady_clock::now();
    proto::typing_event ev{m->session, m->who.state, msg.clause, std::move(msg.text)};
    self->send_wording(*m, share(proto::typing(ev)));
    self->arm_typing_timer();
  });
}

void room::arm_typing_timer() {
  if (typing_timer_armed_ || closed_) return;
  std::optional<std::chrono::steady_clock::time_point> first;
  for (const member& m : members_) {
    if (m.typing && (!first || m.typed_at < *first)) first = m.typed_at;
  }
  if (!first) return;
  typing_timer_armed_ = true;
  typing_timer_.expires_at(*first + lim_.typing_idle);
  typing_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    self->typing_timer_armed_ = false;
    if (!ec) self->expire_typing();
  });
}

void room::expire_typing() {
  if (closed_) return;
  const auto now = std::chrono::steady_clock::now();
  for (member& m : members_) {
    if (m.typing && m.typed_at + lim_.typing_idle <= now) {
      if (frame_ptr stop = stop_typing(m)) send_to_others(m.key, stop);
    }
  }
  arm_typing_timer();
}

void room::settings(const subscriber* who, proto::message_id id, proto::settings_msg msg) {
  enqueue({who->serial(), std::move(id), settings_request{msg.live_wording}});
}

bool room::commit_settings(std::vector<pending>& run, std::vector<delivery>& out) {
  bool committed = false;
  for (pending& p : run) {
    const auto& s = std::get<settings_request>(p.what);
    delivery d{p.key, {}, {}};
    auto made = draft_->set_live_wording(s.live_wording, s.by, s.at);
    if (!made) {
      d.mine.push_back(share(proto::error(p.id, to_wire(made.err().kind), made.err().message)));
      out.push_back(std::move(d));
      continue;
    }
    committed = true;
    spdlog::info("event=settings draft={} live_wording={} commit={}", slug_, s.live_wording, *made);
    proto::settings_event ev{s.live_wording, *made, {s.by.state, s.by.name}, s.at};
    d.mine.push_back(share(proto::settings(p.id, ev)));
    d.others.push_back(share(proto::settings({}, ev)));
    if (!s.live_wording) {
      // Every wording shown stops with it (each client clears its previews on `settings`).
      for (member& m : members_) {
        supersede(*m.live);
        m.typing.reset();
      }
      retune_typing();
    }
    out.push_back(std::move(d));
  }
  return committed;
}

}  // namespace plenary::server
