// The room's write path (room.hpp): the queue, the group commit of amendments, acts and tags,
// and the fan-out of their frames.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <chrono>
#include <ctime>
#include <iterator>
#include <type_traits>
#include <unordered_set>

#include "server/convert.hpp"
#include "server/room.hpp"
#include "server/room_frames.hpp"

namespace plenary::server {
namespace asio = boost::asio;
namespace proto = plenary::protocol;
using room_frames::error_frame;
using room_frames::share;

namespace {

proto::amended_event to_event(const storage::applied& a) {
  proto::amended_event ev;
  ev.commit = a.entry.commit;
  ev.parent = a.entry.parent;
  ev.by = {a.entry.by.state, a.entry.by.name};
  ev.at = a.entry.at;
  ev.op = storage::to_string(a.entry.op);
  ev.note = a.entry.note;
  if (a.after) {
    ev.changed = to_wire(*a.after);
  } else {
    ev.removed_id = a.entry.clause;
  }
  ev.order = a.order;
  ev.proposal = a.entry.proposal;
  ev.adopted = adopted_name(a.entry.adopted);
  ev.vote = to_wire(a.entry.vote);
  return ev;
}
metrics::amend_op metric_op(storage::op_kind op) {
  switch (op) {
    case storage::op_kind::insert:
      return metrics::amend_op::insert;
    case storage::op_kind::remove:
      return metrics::amend_op::remove;
    case storage::op_kind::move:
      return metrics::amend_op::move;
    case storage::op_kind::bracket:
      return metrics::amend_op::bracket;
    case storage::op_kind::resolve:
      return metrics::amend_op::resolve;
    default:
      return metrics::amend_op::replace;
  }
}

metrics::amend_result metric_result(storage::error_kind kind) {
  switch (to_wire(kind)) {
    case proto::error_code::conflict:
      return metrics::amend_result::conflict;
    case proto::error_code::bad_request:
      return metrics::amend_result::bad_request;
    case proto::error_code::not_found:
      return metrics::amend_result::not_found;
    case proto::error_code::forbidden:
      return metrics::amend_result::forbidden;
    case proto::error_code::rate_limited:
      return metrics::amend_result::rate_limited;
    default:
      return metrics::amend_result::internal;
  }
}
}  // namespace

void room::amend(const subscriber* who, proto::message_id id, proto::amend_msg msg) {
  storage::request req;
  req.change = to_storage(msg);
  enqueue({who->serial(), std::move(id), std::move(req)});
}

void room::amend(const subscriber* who, proto::message_id id, proto::bracket_msg msg) {
  storage::request req;
  req.change = to_storage(msg);
  enqueue({who->serial(), std::move(id), std::move(req)});
}

void room::amend(const subscriber* who, proto::message_id id, proto::resolve_msg msg) {
  storage::request req;
  req.change = to_storage(msg);
  enqueue({who->serial(), std::move(id), std::move(req)});
}

void room::procedure(const subscriber* who, proto::message_id id, procedure_msg msg) {
  std::visit(
      [&](auto& m) {
        using T = std::decay_t<decltype(m)>;
        storage::act_request act;
        if constexpr (std::is_same_v<T, proto::stage_msg>) {
          storage::request req;
          req.change.op = storage::op_kind::stage;
          req.change.stage = to_storage(m.stage);
          return enqueue({who->serial(), std::move(id), std::move(req)});
        } else if constexpr (std::is_same_v<T, proto::sponsors_msg>) {
          // Sponsors are delegations of the roster, which storage does not know.
          for (const std::string& code : m.sponsors) {
            bool known = std::any_of(roster_.begin(), roster_.end(),
                                     [&](const proto::actor& a) { return a.state == code; });
            if (!known) {
              return send_error(who->serial(), id, proto::error_code::bad_request,
                                "`" + code +
                                    "` is not a delegation of this draft; sponsors "
                                    "are state codes from its roster.");
            }
          }
          storage::request req;
          req.change.op = storage::op_kind::sponsors;
          req.change.sponsors = std::move(m.sponsors);
          return enqueue({who->serial(), std::move(id), std::move(req)});
        } else if constexpr (std::is_same_v<T, proto::tag_msg>) {
          return enqueue(
              {who->serial(), std::move(id), tag_request{std::move(m.name), std::move(m.note)}});
        } else if constexpr (std::is_same_v<T, proto::propose_msg>) {
          act.kind = storage::act_kind::table;
          act.change = m.resolve   ? to_storage(*m.resolve)
                       : m.bracket ? to_storage(*m.bracket)
                                   : to_storage(m.change);
        } else if constexpr (std::is_same_v<T, proto::support_msg>) {
          act.kind = storage::act_kind::support;
          act.proposal = m.proposal;
        } else if constexpr (std::is_same_v<T, proto::withdraw_msg>) {
          act.kind = storage::act_kind::withdraw;
          act.proposal = m.proposal;
        } else if constexpr (std::is_same_v<T, proto::open_vote_msg>) {
          act.kind = storage::act_kind::open;
          act.proposal = m.proposal;
          act.threshold = to_storage(m.threshold);
        } else if constexpr (std::is_same_v<T, proto::vote_msg>) {
          act.kind = storage::act_kind::vote;
          act.proposal = m.proposal;
          act.choice = to_storage(m.choice);
        } else if constexpr (std::is_same_v<T, proto::close_vote_msg>) {
          act.kind = storage::act_kind::close;
          act.proposal = m.proposal;
        } else if constexpr (std::is_same_v<T, proto::restart_vote_msg>) {
          act.kind = storage::act_kind::restart;
          act.proposal = m.proposal;
        }
        enqueue({who->serial(), std::move(id), std::move(act)});
      },
      msg);
}

void room::send_error(member_key who, const proto::message_id& id, proto::error_code code,
                      std::string message) {
  asio::post(strand_, [self = shared_from_this(), who,
                       frame = share(proto::error(id, code, message))]() mutable {
    self->send_to(who, std::move(frame));
  });
}

void room::enqueue(pending p) {
  {
    std::lock_guard lock(pending_mu_);
    pending_.push_back(std::move(p));
    if (flush_scheduled_) return;
    flush_scheduled_ = true;
  }
  // An idle room's commit runs here, on the socket thread that read the message: its ack then
  // leaves from this thread with no hand-over (room.hpp). Only when a slot is free, the last
  // commit was quick and the room has been quiet for limits::commit_here_after (its pool
  // threads asleep, which is when a hand-over costs most); anything queued meanwhile goes to
  // the pool as before.
  const auto now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count();
  if (commit_slots_ && lim_.commit_here_max.count() > 0 &&
      last_commit_us_.load(std::memory_order_relaxed) <= lim_.commit_here_max.count() &&
      now_ns - last_commit_end_ns_.load(std::memory_order_relaxed) >=
          std::chrono::duration_cast<std::chrono::nanoseconds>(lim_.commit_here_after).count() &&
      commit_slots_->take()) {
    const bool ran = queue_.run_here([this] { flush(); });
    commit_slots_->give();
    if (ran) return;
  }
  asio::post(strand_, [self = shared_from_this()] { self->flush(); });
}

void room::flush() {
  std::vector<pending> batch;
  {
    std::lock_guard lock(pending_mu_);
    std::size_t n = std::min(pending_.size(), lim_.max_batch);
    batch.assign(std::make_move_iterator(pending_.begin()),
                 std::make_move_iterator(pending_.begin() + static_cast<std::ptrdiff_t>(n)));
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(n));
    flush_scheduled_ = !pending_.empty();
  }
  if (flush_scheduled_) asio::post(strand_, [self = shared_from_this()] { self->flush(); });

  // The author's identity comes from its membership (its join), never from the message.
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  std::vector<pending> ready;
  ready.reserve(batch.size());
  for (pending& p : batch) {
    member* m = find(p.key);
    if (!m) continue;  // the connection left before its message was reached
    storage::actor by{m->who.state, m->who.name};
    if (auto* r = std::get_if<storage::request>(&p.what)) {
      r->by = std::move(by);
      r->at = now;
    } else if (auto* a = std::get_if<storage::act_request>(&p.what)) {
      a->by = std::move(by);
      a->at = now;
    } else if (auto* t = std::get_if<tag_request>(&p.what)) {
      t->by = std::move(by);
      t->at = now;
    } else if (auto* s = std::get_if<settings_request>(&p.what)) {
      s->by = std::move(by);
      s->at = now;
    } else {
      auto& c = std::get<storage::comment_request>(p.what);
      c.by = std::move(by);
      c.at = now;
    }
    ready.push_back(std::move(p));
  }
  if (ready.empty()) return;
  const auto started = std::chrono::steady_clock::now();

  // Runs of the same kind are committed together, in the order they were sent.
  std::vector<delivery> deliveries;
  deliveries.reserve(ready.size());
  bool committed = false;
  for (std::size_t i = 0; i < ready.size();) {
    std::size_t j = i + 1;
    while (j < ready.size() && ready[j].what.index() == ready[i].what.index()) ++j;
    std::vector<pending> run(
        std::make_move_iterator(ready.begin() + static_cast<std::ptrdiff_t>(i)),
        std::make_move_iterator(ready.begin() + static_cast<std::ptrdiff_t>(j)));
    switch (ready[i].what.index()) {
      case 0:
        if (commit_amendments(run, deliveries)) {
          committed = true;
          refresh_effective(deliveries);
          refresh_anchors(deliveries);
        }
        break;
      case 1:
        if (commit_acts(run, deliveries)) {
          committed = true;
          refresh_effective(deliveries);  // an adoption moves main under the other proposals
          refresh_anchors(deliveries);
        }
        break;
      case 2:
        committed |= commit_tags(run, deliveries);
        break;
      case 3:
        committed |= commit_settings(run, deliveries);
        break;
      default:
        committed |= commit_comments(run, deliveries);
        break;
    }
    i = j;
  }
  const auto ended = std::chrono::steady_clock::now();
  last_commit_us_.store(
      std::chrono::duration_cast<std::chrono::microseconds>(ended - started).count(),
      std::memory_order_relaxed);
  last_commit_end_ns_.store(
      std::chrono::duration_cast<std::chrono::nanoseconds>(ended.time_since_epoch()).count(),
      std::memory_order_relaxed);
  fan_out(deliveries);
  // After the acks: the mirror runs on its own thread and nobody waits for it.
  if (committed && mirrors_) mirrors_->schedule(slug_, draft_->path());
}

bool room::commit_amendments(std::vector<pending>& run, std::vector<delivery>& out) {
  std::vector<storage::request> requests;
  requests.reserve(run.size());
  for (pending& p : run) requests.push_back(std::move(std::get<storage::request>(p.what)));
  const auto started = std::chrono::steady_clock::now();
  auto results = draft_->amend_all(requests);
  stats_.commit(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
                requests.size());
  bool committed = false;
  bool failure_logged = false;
  for (std::size_t r = 0; r < results.size(); ++r) {
    const pending& p = run[r];
    const storage::op_kind op = requests[r].change.op;
    const bool procedural = op == storage::op_kind::stage || op == storage::op_kind::sponsors;
    delivery d{p.key, {}, {}};
    if (!results[r]) {
      const storage::error& e = results[r].err();
      if (!procedural) stats_.amendment(metric_op(op), metric_result(e.kind));
      if (!failure_logged &&
          (e.kind == storage::error_kind::io || e.kind == storage::error_kind::internal)) {
        // The whole group failed to reach the disk: one line per group, not per amendment.
        spdlog::error("event=commit_failed draft={} batch={} error=\"{}\"", slug_, requests.size(),
                      e.message);
        failure_logged = true;
      }
      d.mine.push_back(share(procedural ? proto::error(p.id, to_wire(e.kind), e.message)
                                        : error_frame(p.id, e)));
      out.push_back(std::move(d));
      continue;
    }
    committed = true;
    const storage::applied& a = *results[r];
    if (op == storage::op_kind::stage) {
      proto::staged_event ev{storage::to_string(*a.entry.stage),
                             a.entry.commit,
                             a.entry.parent,
                             {a.entry.by.state, a.entry.by.name},
                             a.entry.at};
      spdlog::info("event=staged draft={} stage={} commit={}", slug_, ev.stage, ev.commit);
      d.mine.push_back(share(proto::staged(p.id, ev)));
      d.others.push_back(share(proto::staged({}, ev)));
      if (a.tag) {
        auto tagged = share(proto::tagged({}, *a.tag, a.entry.commit));
        d.mine.push_back(tagged);
        d.others.push_back(tagged);
      }
    } else if (op == storage::op_kind::sponsors) {
      proto::sponsored_event ev{a.sponsors,
                                a.entry.commit,
                                a.entry.parent,
                                {a.entry.by.state, a.entry.by.name},
                                a.entry.at};
      d.mine.push_back(share(proto::sponsored(p.id, ev)));
      d.others.push_back(share(proto::sponsored({}, ev)));
    } else {
      stats_.amendment(metric_op(op), metrics::amend_result::ok);
      const std::string& clause_id = a.after ? a.after->id : a.entry.clause;
      auto event = share(proto::amended(to_event(a)));
      d.mine.push_back(share(proto::ack(p.id, a.entry.commit, clause_id, a.merged)));
      d.mine.push_back(event);
      d.others.push_back(std::move(event));
      // The author's wording of this clause is now the amendment: its preview stops.
      if (member* m = find(p.key); m && m->typing == clause_id) {
        d.others.push_back(stop_typing(*m));
      }
    }
    out.push_back(std::move(d));
  }
  return committed;
}

bool room::commit_acts(std::vector<pending>& run, std::vector<delivery>& out) {
  std::vector<storage::act_request> requests;
  requests.reserve(run.size());
  for (pending& p : run) requests.push_back(std::move(std::get<storage::act_request>(p.what)));
  auto results = draft_->act_all(requests);
  bool committed = false;
  for (std::size_t r = 0; r < results.size(); ++r) {
    const pending& p = run[r];
    delivery d{p.key, {}, {}};
    if (!results[r]) {
      const storage::error& e = results[r].err();
      if (e.kind == storage::error_kind::io || e.kind == storage::error_kind::internal) {
        spdlog::error("event=act_failed draft={} act={} error=\"{}\"", slug_,
                      storage::to_string(requests[r].kind), e.message);
      }
      d.mine.push_back(share(proto::error(p.id, to_wire(e.kind), e.message)));
      out.push_back(std::move(d));
      continue;
    }
    committed = true;
    const storage::act_outcome& o = *results[r];
    spdlog::info("event=act draft={} act={} proposal={} state={} status={}", slug_,
                 storage::to_string(requests[r].kind), o.record.n, requests[r].by.state,
                 storage::to_string(o.record.status));
    const bool tabled = requests[r].kind == storage::act_kind::table;
    if (tabled) d.mine.push_back(share(proto::proposed(p.id, o.record.n)));
    if (o.adopted) {
      // The adopted text first, so that the record's `adopted` finds it in place.
      auto event = share(proto::amended(to_event(*o.adopted)));
      d.mine.push_back(event);
      d.others.push_back(std::move(event));
    }
    if (o.effective) {
      effective_sent_[o.record.n] = *o.effective;
    } else {
      effective_sent_.erase(o.record.n);
    }
    const proto::proposal_view view = to_wire(o.record, o.effective);
    auto record = share(proto::proposal({}, view));
    d.mine.push_back(tabled ? record : share(proto::proposal(p.id, view)));
    d.others.push_back(std::move(record));
    out.push_back(std::move(d));
  }
  return committed;
}

bool room::commit_tags(std::vector<pending>& run, std::vector<delivery>& out) {
  bool committed = false;
  for (pending& p : run) {
    const auto& t = std::get<tag_request>(p.what);
    delivery d{p.key, {}, {}};
    auto made = draft_->tag(t.name, t.by, t.note, t.at);
    if (!made) {
      d.mine.push_back(share(proto::error(p.id, to_wire(made.err().kind), made.err().message)));
    } else {
      committed = true;
      spdlog::info("event=tagged draft={} name={} commit={}", slug_, made->name, made->commit);
      d.mine.push_back(share(proto::tagged(p.id, made->name, made->commit)));
      d.others.push_back(share(proto::tagged({}, made->name, made->commit)));
    }
    out.push_back(std::move(d));
  }
  return committed;
}

proto::proposal_view room::record_view(const storage::proposal_record& rec, bool sent) {
  std::optional<storage::effective_change> effective;
  if (auto e = draft_->effective(rec.n)) {
    effective = std::move(*e);
  } else {
    // Only a failure to read the repository gets here: the record goes without it.
    spdlog::error("event=effective_failed draft={} proposal={} error=\"{}\"", slug_, rec.n,
                  e.err().message);
  }
  if (sent) {
    if (effective) {
      effective_sent_[rec.n] = *effective;
    } else {
      effective_sent_.erase(rec.n);
    }
  }
  return to_wire(rec, effective);
}

void room::refresh_effective(std::vector<delivery>& out) {
  if (out.empty()) return;
  for (const storage::proposal_record& rec : draft_->proposals()) {
    if (rec.status != storage::proposal_status::tabled &&
        rec.status != storage::proposal_status::voting) {
      continue;
    }
    auto now = draft_->effective(rec.n);
    if (!now || !*now) continue;
    auto it = effective_sent_.find(rec.n);
    if (it != effective_sent_.end() && it->second.same_change(**now)) continue;
    auto frame = share(proto::proposal({}, record_view(rec, true)));
    out.back().mine.push_back(frame);
    out.back().others.push_back(std::move(frame));
  }
}

void room::fan_out(std::vector<delivery>& deliveries) {
  // Each author receives, in order, its own frames for its messages and everyone else's for
  // the others (an author's ack before its own event). Authors first, so that an ack does not
  // wait behind the fan-out to every listener; each connection gets one hand-over.
  std::unordered_set<member_key> is_author;
  for (const delivery& d : deliveries) {
    if (!is_author.insert(d.author).second) continue;
    std::vector<frame_ptr> frames;
    for (const delivery& e : deliveries) {
      const auto& part = e.author == d.author ? e.mine : e.others;
      frames.insert(frames.end(), part.begin(), part.end());
    }
    if (frames.empty()) continue;
    if (member* m = find(d.author)) {
      if (auto conn = m->conn.lock()) {
        conn->deliver_all(std::make_shared<const std::vector<frame_ptr>>(std::move(frames)));
      }
    }
  }
  std::vector<frame_ptr> events;
  for (delivery& d : deliveries) {
    std::move(d.others.begin(), d.others.end(), std::back_inserter(events));
  }
  if (events.empty()) return;
  auto shared = std::make_shared<const std::vector<frame_ptr>>(std::move(events));
  for (auto& m : members_) {
    if (is_author.contains(m.key)) continue;
    if (auto conn = m.conn.lock()) conn->deliver_all(shared);
  }
}

}  // namespace plenary::server
