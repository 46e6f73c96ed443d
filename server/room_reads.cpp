// The room's reads (room.hpp): a clause's history and blame for a WebSocket member, and the
// HTTP reads of routes::draft_read, one answer() per route. All on the room's strand, so
// they see exactly the committed state; but compare's word diff, which runs on the storage
// pool from the two snapshots read on the strand, and whose answers are kept per commit pair.
#include <algorithm>
#include <boost/asio/post.hpp>
#include <set>
#include <type_traits>

#include "exports/debrief.hpp"
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
      auto h = self->history_of(clause);
      self->send_to(who,
                    share(h ? proto::history(id, clause, to_wire(**h)) : error_frame(id, h.err())));
    } else {
      auto b = self->blame_of(clause);
      self->send_to(who,
                    share(b ? proto::blame(id, clause, to_wire(**b)) : error_frame(id, b.err())));
    }
  });
}

namespace {

// The clause's rev now, or "" when the clause is not in the text (deleted: not kept).
std::string rev_of(const storage::snapshot& head, const std::string& clause) {
  for (const auto& c : head.clauses) {
    if (c.id == clause) return c.rev;
  }
  return {};
}

// The kept value for `clause` if made at its rev now; else made by `make` and kept.
template <class T, class Make>
storage::result<std::shared_ptr<const T>> kept_or_made(auto& kept, const std::string& clause,
                                                       const std::string& rev, Make make) {
  if (!rev.empty()) {
    if (auto it = kept.find(clause); it != kept.end() && it->second.rev == rev) {
      return it->second.value;
    }
  }
  auto made = make();
  if (!made) return made.err();
  auto value = std::make_shared<const T>(std::move(*made));
  if (!rev.empty()) {
    if (kept.size() >= 64) kept.clear();  // 64 clauses' worth: a draft being read, not all
    kept[clause] = {rev, value};
  }
  return value;
}

}  // namespace

storage::result<std::shared_ptr<const std::vector<storage::history_entry>>> room::history_of(
    const std::string& clause) {
  return kept_or_made<std::vector<storage::history_entry>>(
      histories_, clause, rev_of(draft_->head(), clause), [&] { return draft_->history(clause); });
}

storage::result<std::shared_ptr<const std::vector<storage::blame_segment>>> room::blame_of(
    const std::string& clause) {
  return kept_or_made<std::vector<storage::blame_segment>>(
      blames_, clause, rev_of(draft_->head(), clause), [&] { return draft_->blame(clause); });
}

void room::http_read(routes::draft_read read, std::function<void(http_answer)> done) {
  asio::post(strand_,
             [self = shared_from_this(), read = std::move(read), done = std::move(done)]() mutable {
               std::visit(
                   [&](const auto& q) {
                     if constexpr (std::is_same_v<std::decay_t<decltype(q)>, routes::api_compare>) {
                       self->compare(q, std::move(done));
                     } else {
                       done(self->answer(q));
                     }
                   },
                   read);
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
  view.live_wording = draft_->settings().live_wording;  // the setting now, whatever `at`
  return {200, proto::draft_json(view)};
}

http_answer room::answer(const routes::api_log&) {
  return {200, proto::log_json(to_wire(draft_->log()))};
}

http_answer room::answer(const routes::api_history& q) {
  auto body = kept_or_made<std::string>(history_bodies_, q.clause, rev_of(draft_->head(), q.clause),
                                        [&]() -> storage::result<std::string> {
                                          auto h = history_of(q.clause);
                                          if (!h) return h.err();
                                          return proto::history_json(q.clause, to_wire(**h));
                                        });
  if (!body) return failure(body.err());
  return {200, {}, std::move(*body)};
}

http_answer room::answer(const routes::api_blame& q) {
  auto body = kept_or_made<std::string>(blame_bodies_, q.clause, rev_of(draft_->head(), q.clause),
                                        [&]() -> storage::result<std::string> {
                                          auto b = blame_of(q.clause);
                                          if (!b) return b.err();
                                          return proto::blame_json(q.clause, to_wire(**b));
                                        });
  if (!body) return failure(body.err());
  return {200, {}, std::move(*body)};
}

http_answer room::answer(const routes::api_proposals&) {
  std::vector<proto::proposal_view> views;
  views.reserve(draft_->proposals().size());
  for (const auto& rec : draft_->proposals()) views.push_back(record_view(rec, false));
  return {200, proto::proposals_json(views)};
}

http_answer room::answer(const routes::api_proposal& q) {
  const auto& all = draft_->proposals();
  if (q.n < 1 || q.n > all.size()) {
    return failure({storage::error_kind::not_found,
                    "There is no proposal " + std::to_string(q.n) + " in this draft.",
                    std::nullopt});
  }
  return {200, proto::proposal_json(record_view(all[static_cast<std::size_t>(q.n - 1)], false))};
}

http_answer room::answer(const routes::api_versions&) {
  return {200, proto::versions_json(to_wire(draft_->versions()))};
}

void room::compare(const routes::api_compare& q, std::function<void(http_answer)> done) {
  auto from = draft_->resolve(q.from);
  if (!from) return done(failure(from.err()));
  auto to = draft_->resolve(q.to);
  if (!to) return done(failure(to.err()));
  std::string pair = *from + " " + *to;
  if (auto it = compare_by_pair_.find(pair); it != compare_by_pair_.end()) {
    compare_lru_.splice(compare_lru_.begin(), compare_lru_, it->second);
    return done({200, {}, it->second->second});
  }
  // Reading the two trees uses the repository, which is the strand's; the diff (the cost:
  // up to ~70 ms a large clause) needs only the snapshots, which are values.
  auto a = draft_->at(*from);
  if (!a) return done(failure(a.err()));
  auto b = *to == *from ? a : draft_->at(*to);
  if (!b) return done(failure(b.err()));
  asio::post(read_exec_, [self = shared_from_this(), pair = std::move(pair), a = std::move(*a),
                          b = std::move(*b), done = std::move(done)]() mutable {
    const storage::comparison c = storage::compare(a, b);
    auto body =
        std::make_shared<const std::string>(proto::compare_json(c.from, c.to, to_wire(c.clauses)));
    asio::post(self->strand_, [self, pair = std::move(pair), body = std::move(body),
                               done = std::move(done)]() mutable {
      self->remember_compare(pair, body);
      done({200, {}, std::move(body)});
    });
  });
}

void room::remember_compare(const std::string& pair, std::shared_ptr<const std::string> body) {
  if (compare_by_pair_.contains(pair)) return;  // two asked at once: the first one is kept
  if (body->size() > lim_.compare_cache_bytes || lim_.compare_cache_entries == 0) return;
  compare_bytes_ += body->size();
  compare_lru_.emplace_front(pair, std::move(body));
  compare_by_pair_.emplace(pair, compare_lru_.begin());
  while (compare_lru_.size() > lim_.compare_cache_entries ||
         compare_bytes_ > lim_.compare_cache_bytes) {
    compare_bytes_ -= compare_lru_.back().second->size();
    compare_by_pair_.erase(compare_lru_.back().first);
    compare_lru_.pop_back();
  }
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

// Who sees the debrief (docs/extensions.md, "Debrief"): the chair at any time; delegations and
// observers once the draft is adopted, or once the chair opened it by making the version
// `debrief` (a tag changes no text and is allowed in every stage). Both live in the repository,
// so a restored draft keeps the decision.
http_answer room::answer(const routes::api_debrief& q) {
  if (!q.chair && draft_->head().stage != storage::draft_stage::adopted) {
    const auto& versions = draft_->versions();
    const bool opened = std::any_of(versions.begin(), versions.end(),
                                    [](const storage::version& v) { return v.name == "debrief"; });
    if (!opened) {
      return failure({storage::error_kind::forbidden,
                      "The debrief opens to delegations and observers when the draft is adopted, "
                      "or when the chair makes the version `debrief`; until then only the chair "
                      "sees it.",
                      std::nullopt});
    }
  }
  auto d = draft_->debrief_of(q.version);
  if (!d) return failure(d.err());
  const auto roster = access_.current()->roster();
  storage::debrief_add_roster(*d, roster);
  return {200, exports::debrief_json(*d, slug_, draft_->threads())};
}

}  // namespace plenary::server
