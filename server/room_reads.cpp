// The room's reads (room.hpp): a clause's history and blame for a WebSocket member, and the
// HTTP reads of routes::draft_read, one answer() per route. All on the room's strand, so
// they see exactly the committed state.
#include <boost/asio/post.hpp>

#include "server/convert.hpp"
#include "server/room.hpp"
#include "server/room_frames.hpp"

namespace plenary::server {
namespace asio = boost::asio;
namespace proto = plenary::protocol;
using room_frames::error_frame;
using room_frames::share;

namespace {

http_answer failure(const storage::error& e) {
  auto code = to_wire(e.kind);
  return {proto::http_status(code), proto::http_error_json(code, e.message)};
}

}  // namespace

void room::read(const subscriber* who, proto::message_id id, read_kind kind, std::string clause) {
  asio::post(strand_, [self = shared_from_this(), who = who->serial(), id = std::move(id), kind,
                       clause = std::move(clause)] {
    if (kind == read_kind::history) {
      auto h = self->draft_->history(clause);
      self->send_to(who,
                    share(h ? proto::history(id, clause, to_wire(*h)) : error_frame(id, h.err())));
    } else {
      auto b = self->draft_->blame(clause);
      self->send_to(who,
                    share(b ? proto::blame(id, clause, to_wire(*b)) : error_frame(id, b.err())));
    }
  });
}

void room::http_read(routes::draft_read read, std::function<void(http_answer)> done) {
  asio::post(strand_, [self = shared_from_this(), read = std::move(read), done = std::move(done)] {
    done(std::visit([&](const auto& q) { return self->answer(q); }, read));
  });
}

http_answer room::answer(const routes::api_draft& q) {
  proto::draft_view view;
  if (q.at.empty()) {
    view = to_wire(slug_, draft_->head());
  } else {
    auto s = draft_->at(q.at);
    if (!s) return failure(s.err());
    view = to_wire(slug_, *s);
  }
  view.delegations = roster_;
  return {200, proto::draft_json(view)};
}

http_answer room::answer(const routes::api_log&) {
  return {200, proto::log_json(to_wire(draft_->log()))};
}

http_answer room::answer(const routes::api_history& q) {
  // A clause's history changes only with the clause, and so does its rev: the body is kept
  // per clause and made again when the rev moved (deleted clauses are not kept).
  const storage::clause* current = nullptr;
  for (const auto& c : draft_->head().clauses) {
    if (c.id == q.clause) current = &c;
  }
  if (current) {
    auto it = history_bodies_.find(q.clause);
    if (it != history_bodies_.end() && it->second.first == current->rev) {
      return {200, {}, it->second.second};
    }
  }
  auto h = draft_->history(q.clause);
  if (!h) return failure(h.err());
  auto body = std::make_shared<const std::string>(proto::history_json(q.clause, to_wire(*h)));
  if (current) {
    if (history_bodies_.size() >= 64) history_bodies_.clear();
    history_bodies_[q.clause] = {current->rev, body};
  }
  return {200, {}, std::move(body)};
}

http_answer room::answer(const routes::api_blame& q) {
  auto b = draft_->blame(q.clause);
  if (!b) return failure(b.err());
  return {200, proto::blame_json(q.clause, to_wire(*b))};
}

http_answer room::answer(const routes::api_proposals&) {
  return {200, proto::proposals_json(to_wire(draft_->proposals()))};
}

http_answer room::answer(const routes::api_proposal& q) {
  const auto& all = draft_->proposals();
  if (q.n < 1 || q.n > all.size()) {
    return failure({storage::error_kind::not_found,
                    "There is no proposal " + std::to_string(q.n) + " in this draft.",
                    std::nullopt});
  }
  return {200, proto::proposal_json(to_wire(all[static_cast<std::size_t>(q.n - 1)]))};
}

http_answer room::answer(const routes::api_versions&) {
  return {200, proto::versions_json(to_wire(draft_->versions()))};
}

http_answer room::answer(const routes::api_compare& q) {
  auto c = draft_->compare(q.from, q.to);
  if (!c) return failure(c.err());
  return {200, proto::compare_json(c->from, c->to, to_wire(c->clauses))};
}

}  // namespace plenary::server
