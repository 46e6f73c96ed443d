// Comments (room.hpp; docs/extensions.md, "Comments"): each comment, reply, resolution or
// reopening is a commit on the branch `comments`, queued and committed like the acts; the
// `thread` event goes to everyone. Threads whose words an amendment moved are sent again
// (act "anchor"); a joining member gets the open threads right after its welcome.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <type_traits>

#include "server/convert.hpp"
#include "server/room.hpp"
#include "server/room_frames.hpp"

namespace plenary::server {
namespace proto = plenary::protocol;
using room_frames::share;

namespace {

bool same_place(const storage::placed_anchor& a, const storage::placed_anchor& b) {
  return a.state == b.state && a.start == b.start && a.end == b.end;
}

}  // namespace

void room::comment(const subscriber* who, proto::message_id id, comment_write msg) {
  storage::comment_request req;
  std::visit(
      [&](auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, proto::comment_msg>) {
          req.act = storage::comment_act::open;
          req.text = std::move(m.text);
          storage::comment_anchor& a = req.anchor;
          if (m.proposal) {
            a.kind = storage::anchor_kind::proposal;
            a.proposal = *m.proposal;
          } else {
            a.clause = std::move(m.clause);
            a.kind = m.start ? storage::anchor_kind::span : storage::anchor_kind::clause;
            if (m.start && m.end) {
              a.rev = std::move(m.base);
              a.start = static_cast<std::size_t>(*m.start);
              a.end = static_cast<std::size_t>(*m.end);
            }
          }
        } else if constexpr (std::is_same_v<T, proto::reply_msg>) {
          req.act = storage::comment_act::reply;
          req.thread = m.thread;
          req.text = std::move(m.text);
        } else if constexpr (std::is_same_v<T, proto::resolve_thread_msg>) {
          req.act = storage::comment_act::resolve;
          req.thread = m.thread;
        } else {
          req.act = storage::comment_act::reopen;
          req.thread = m.thread;
        }
      },
      msg);
  enqueue({who->serial(), std::move(id), std::move(req)});
}

proto::thread_view room::thread_view(const storage::comment_thread& t) {
  storage::placed_anchor now;
  if (auto placed = draft_->placed(t.n)) {
    now = std::move(*placed);
  } else {
    // Only a failure to read the repository gets here: the thread shows on its clause.
    spdlog::error("event=anchor_failed draft={} thread={} error=\"{}\"", slug_, t.n,
                  placed.err().message);
    now.state = storage::anchor_state::words_gone;
  }
  anchors_sent_[t.n] = now;
  return to_wire(t, now);
}

frame_ptr room::threads_frame() {
  std::vector<proto::thread_view> open;
  std::vector<proto::thread_stub> resolved;
  for (const storage::comment_thread& t : draft_->threads()) {
    // A resolved thread goes as what it is on only: neither its place nor its comments.
    if (t.resolved) {
      resolved.push_back(to_stub(t));
    } else {
      open.push_back(thread_view(t));
    }
  }
  if (open.empty() && resolved.empty()) return nullptr;
  return share(proto::threads(open, resolved));
}

bool room::commit_comments(std::vector<pending>& run, std::vector<delivery>& out) {
  bool committed = false;
  for (pending& p : run) {
    const auto& req = std::get<storage::comment_request>(p.what);
    delivery d{p.key, {}, {}};
    auto made = draft_->comment(req);
    if (!made) {
      const storage::error& e = made.err();
      if (e.kind == storage::error_kind::io || e.kind == storage::error_kind::internal) {
        spdlog::error("event=comment_failed draft={} act={} error=\"{}\"", slug_,
                      storage::to_string(req.act), e.message);
      }
      d.mine.push_back(share(proto::error(p.id, to_wire(e.kind), e.message)));
      out.push_back(std::move(d));
      continue;
    }
    committed = true;
    spdlog::info("event=comment draft={} act={} thread={} state={} commit={}", slug_,
                 storage::to_string(req.act), made->thread.n, req.by.state, made->commit);
    proto::thread_event ev{storage::to_string(req.act), thread_view(made->thread), made->commit,
                           proto::actor{req.by.state, req.by.name}, req.at};
    d.mine.push_back(share(proto::thread(p.id, ev)));
    d.others.push_back(share(proto::thread({}, ev)));
    out.push_back(std::move(d));
  }
  return committed;
}

void room::refresh_anchors(std::vector<delivery>& out) {
  if (out.empty()) return;
  for (const storage::comment_thread& t : draft_->threads()) {
    if (t.resolved) continue;
    auto now = draft_->placed(t.n);
    if (!now) continue;
    auto [it, first] = anchors_sent_.try_emplace(t.n, *now);
    if (first || same_place(it->second, *now)) continue;  // first: nobody was sent it yet
    it->second = *now;
    auto frame = share(proto::thread({}, {"anchor", to_wire(t, *now), {}, std::nullopt, 0}));
    out.back().mine.push_back(frame);
    out.back().others.push_back(std::move(frame));
  }
}

http_answer room::answer(const routes::api_comments& q) {
  std::vector<proto::thread_view> views;
  for (const storage::comment_thread& t : draft_->threads()) {
    if (!q.clause.empty() && t.anchor.clause != q.clause) continue;
    views.push_back(thread_view(t));
  }
  return {200, proto::threads_json(views)};
}

}  // namespace plenary::server
