#include "server/room.hpp"

#include <sys/stat.h>

#include <boost/asio/post.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <fstream>
#include <sstream>

#include "server/convert.hpp"
#include "server/room_frames.hpp"

namespace plenary::server {
namespace asio = boost::asio;
namespace proto = plenary::protocol;
using room_frames::error_frame;
using room_frames::share;

room::room(std::string slug, std::unique_ptr<storage::draft> draft, access_list access,
           executor storage_exec, const limits& lim, metrics& stats, mirror* mirrors,
           std::filesystem::path access_file)
    : slug_(std::move(slug)),
      draft_(std::move(draft)),
      access_file_(std::move(access_file)),
      access_(std::make_shared<const access_list>(std::move(access))),
      roster_([this] {
        std::vector<proto::actor> out;
        for (const storage::actor& a : access_->roster()) out.push_back({a.state, a.name});
        return out;
      }()),
      strand_(asio::make_strand(storage_exec)),
      lim_(lim),
      stats_(stats),
      mirrors_(mirrors),
      presence_timer_(strand_) {
  // Brackets may name the roster's delegations (and CHAIR); storage keeps no roster.
  std::vector<std::string> codes;
  for (const storage::actor& a : access_->roster()) codes.push_back(a.state);
  draft_->set_delegations(std::move(codes));
}

// The identity of the file at `path` now (nullopt when it cannot be stat'ed).
std::optional<room::file_stamp> room::stamp_of(const std::filesystem::path& path) {
  if (path.empty()) return std::nullopt;
  struct ::stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  file_stamp s;
  s.dev = static_cast<std::uint64_t>(st.st_dev);
  s.ino = static_cast<std::uint64_t>(st.st_ino);
  s.size = static_cast<std::int64_t>(st.st_size);
  s.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  s.ctime_ns = static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec;
  return s;
}

std::shared_ptr<const access_list> room::current_access() const {
  auto now = stamp_of(access_file_);  // outside the lock: joins do not queue behind a stat
  std::lock_guard lock(access_mu_);
  if (!now || now == access_stamp_) return access_;
  // Replaced (a reissue renames a new file over it): read it again. The roster is kept as it
  // was when the draft was opened; only the codes change.
  // The first call reads it too: the file may have been replaced between the registry's
  // read and the room's construction. The stamp is taken before reading, so a replacement
  // during the read is read again next time.
  const bool first = !access_stamp_;
  access_stamp_ = now;  // a file that fails is reported once, not at every join
  std::ifstream in(access_file_, std::ios::binary);
  if (!in) {
    spdlog::warn("event=access_reload_failed draft={} error=\"cannot read {}\" (the codes in "
                 "force stay)", slug_, access_file_.string());
    return access_;
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  auto fresh = access_list::parse(buf.str());
  if (!fresh) {
    spdlog::warn("event=access_reload_failed draft={} error=\"{}\" (the codes in force stay)",
                 slug_, fresh.err().message);
    return access_;
  }
  access_ = std::make_shared<const access_list>(std::move(*fresh));
  if (!first) {
    spdlog::info("event=access_reloaded draft={} entries={}", slug_, access_->entries().size());
  }
  return access_;
}

std::optional<identity> room::verify(std::string_view code) const {
  // The comparison itself runs outside the lock, on a list nobody changes.
  return current_access()->verify(code);
}

room::member* room::find(const subscriber* key) {
  for (auto& m : members_) {
    if (m.key == key) return &m;
  }
  return nullptr;
}

void room::send_to(const subscriber* key, frame_ptr frame) {
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
    member m{who, who.get(), "s" + std::to_string(self->next_session_++), me, std::nullopt};
    self->members_.push_back(std::move(m));
    std::vector<proto::presence_entry> present;
    for (const auto& x : self->members_) {
      present.push_back({x.session, x.who.state, x.who.name, to_string(x.who.role), x.clause});
    }
    proto::draft_view view = to_wire(self->slug_, self->draft_->head());
    view.delegations = self->roster_;
    who->deliver(share(
        proto::welcome(id, {me.state, me.name}, to_string(me.role), view, present)));
    self->broadcast_presence();
  });
}

void room::leave(const subscriber* who) {
  asio::post(strand_, [self = shared_from_this(), who] {
    auto& ms = self->members_;
    auto before = ms.size();
    std::erase_if(ms, [who](const member& m) { return m.key == who; });
    if (ms.size() != before) self->broadcast_presence();
  });
}

void room::focus(const subscriber* who, proto::message_id id, std::optional<std::string> clause) {
  asio::post(strand_, [self = shared_from_this(), who, id = std::move(id),
                       clause = std::move(clause)]() mutable {
    member* m = self->find(who);
    if (!m) return;
    if (clause) {
      const auto& clauses = self->draft_->head().clauses;
      bool present = std::any_of(clauses.begin(), clauses.end(),
                                 [&](const storage::clause& c) { return c.id == *clause; });
      if (!present) {
        self->send_to(who, share(proto::error(id, proto::error_code::not_found,
                                              "There is no clause " + *clause +
                                                  " in this draft to focus on.")));
        return;
      }
    }
    if (m->clause == clause) return;
    m->clause = std::move(clause);
    self->broadcast_presence();
  });
}

void room::read(const subscriber* who, proto::message_id id, read_kind kind, std::string clause) {
  asio::post(strand_, [self = shared_from_this(), who, id = std::move(id), kind,
                       clause = std::move(clause)] {
    if (kind == read_kind::history) {
      auto h = self->draft_->history(clause);
      self->send_to(who, share(h ? proto::history(id, clause, to_wire(*h))
                                 : error_frame(id, h.err())));
    } else {
      auto b = self->draft_->blame(clause);
      self->send_to(who, share(b ? proto::blame(id, clause, to_wire(*b))
                                 : error_frame(id, b.err())));
    }
  });
}

void room::http_read(http_kind kind, std::string arg, std::function<void(http_answer)> done) {
  asio::post(strand_, [self = shared_from_this(), kind, arg = std::move(arg),
                       done = std::move(done)] {
    auto fail = [&](const storage::error& e) {
      auto code = to_wire(e.kind);
      done({proto::http_status(code), proto::http_error_json(code, e.message)});
    };
    storage::draft& d = *self->draft_;
    switch (kind) {
      case http_kind::draft: {
        proto::draft_view view;
        if (arg.empty()) {
          view = to_wire(self->slug_, d.head());
        } else {
          auto s = d.at(arg);
          if (!s) return fail(s.err());
          view = to_wire(self->slug_, *s);
        }
        view.delegations = self->roster_;
        return done({200, proto::draft_json(view)});
      }
      case http_kind::log:
        return done({200, proto::log_json(to_wire(d.log()))});
      case http_kind::history: {
        // A clause's history changes only with the clause, and so does its rev: the body is
        // kept per clause and made again when the rev moved (deleted clauses are not kept).
        const storage::clause* current = nullptr;
        for (const auto& c : d.head().clauses) {
          if (c.id == arg) current = &c;
        }
        if (current) {
          auto it = self->history_bodies_.find(arg);
          if (it != self->history_bodies_.end() && it->second.first == current->rev) {
            return done({200, {}, it->second.second});
          }
        }
        auto h = d.history(arg);
        if (!h) return fail(h.err());
        auto body = std::make_shared<const std::string>(proto::history_json(arg, to_wire(*h)));
        if (current) {
          if (self->history_bodies_.size() >= 64) self->history_bodies_.clear();
          self->history_bodies_[arg] = {current->rev, body};
        }
        return done({200, {}, std::move(body)});
      }
      case http_kind::blame: {
        auto b = d.blame(arg);
        if (!b) return fail(b.err());
        return done({200, proto::blame_json(arg, to_wire(*b))});
      }
      case http_kind::proposals:
        return done({200, proto::proposals_json(to_wire(d.proposals()))});
      case http_kind::proposal: {
        // `arg` is 1 to 10 digits (checked by the route).
        const long long n = std::stoll(arg);
        if (n < 1 || n > static_cast<long long>(d.proposals().size())) {
          return fail({storage::error_kind::not_found,
                       "There is no proposal " + arg + " in this draft.", std::nullopt});
        }
        return done({200, proto::proposal_json(to_wire(d.proposals()[static_cast<std::size_t>(n - 1)]))});
      }
      case http_kind::versions:
        return done({200, proto::versions_json(to_wire(d.versions()))});
      case http_kind::compare: {
        const auto cut = arg.find('\n');
        auto c = d.compare(arg.substr(0, cut), arg.substr(cut + 1));
        if (!c) return fail(c.err());
        return done({200, proto::compare_json(c->from, c->to, to_wire(c->clauses))});
      }
    }
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
    self->closed_ = true;
    self->presence_timer_.cancel();
    for (auto& m : self->members_) {
      if (auto conn = m.conn.lock()) conn->close_going_away();
    }
    self->members_.clear();
    done();
  });
}

void room::summary(std::function<void(proto::draft_summary)> done) {
  asio::post(strand_, [self = shared_from_this(), done = std::move(done)] {
    const storage::snapshot& head = self->draft_->head();
    proto::draft_summary s;
    s.slug = self->slug_;
    s.title = head.title;
    s.stage = storage::to_string(head.stage);
    s.clauses = static_cast<std::int64_t>(head.clauses.size());
    const auto log = self->draft_->log();
    if (!log.empty()) {
      s.amendments = static_cast<std::int64_t>(log.size()) - 1;  // the first commit opens it
      s.last_activity = log.front().at;
    }
    s.connected = static_cast<std::int64_t>(self->members_.size());
    std::set<std::string> seen;
    for (const auto& m : self->members_) {
      if (seen.insert(m.who.state).second) s.present.push_back({m.who.state, m.who.name});
    }
    done(std::move(s));
  });
}

}  // namespace plenary::server
