// One room per draft: the only owner of that draft's storage::draft and of who is present.
//
// Everything a room does runs one task at a time in its own serial queue (serial_queue.hpp)
// on the storage thread pool, apart from the threads that serve sockets, so a slow disk write
// never stalls socket I/O or other drafts. Amendments are queued and committed in groups
// (storage::draft::amend_all): those that arrive while a write is on disk are committed
// together in the next write, each still its own commit. Events are serialised once and
// handed to every subscriber in commit order. One exception to "on the pool": a socket thread
// that queues a message while the room is idle commits it itself (enqueue), when a commit
// slot is free, the room's last commit was quick (limits::commit_here_max) and ended a while
// ago (limits::commit_here_after), so that the ack of a writer who pauses needs no hand-over
// between threads (issue 20).
//
// Files: room.cpp (membership and presence), room_reads.cpp (history, blame and the HTTP
// reads), room_commit.cpp (the queue, group commit and fan-out), room_typing.cpp (live
// wording and the draft's settings); the join codes in force are an access_file's (access.hpp).
//
// Thread safety: every public function may be called from any thread.
#pragma once

#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "protocol/messages.hpp"
#include "protocol/organizer.hpp"
#include "server/access.hpp"
#include "server/config.hpp"
#include "server/metrics.hpp"
#include "server/mirror_pusher.hpp"
#include "server/routes.hpp"
#include "server/serial_queue.hpp"
#include "storage/draft.hpp"

namespace plenary::server {

using frame_ptr = std::shared_ptr<const std::string>;
using frame_list = std::shared_ptr<const std::vector<frame_ptr>>;

// What a room needs of a connection. deliver() must be thread-safe and must keep frames in
// the order of the calls.
class subscriber {
 public:
  virtual ~subscriber() = default;
  virtual void deliver(frame_ptr frame) = 0;
  // Several frames at once, in order (a group commit's acks and events: one hand-over per
  // connection instead of one per frame).
  virtual void deliver_all(frame_list frames) {
    for (const frame_ptr& f : *frames) deliver(f);
  }
  virtual void close_going_away() = 0;  // server shutdown: close with 1001
  // A frame that only matters while it is fresh (live wording): dropped when the connection
  // is behind (limits::typing_max_behind), so that a slow reader never builds a backlog.
  // `then` (may be empty) is called once the frame is queued or dropped, on the connection's
  // own thread and never from within this call: the room paces a wording's fan-out by it.
  virtual void deliver_live(frame_ptr frame, std::function<void()> then) = 0;

  // This connection's number, never reused in the process's life (its address may be, once it
  // is freed): the room knows its members and their queued messages by it, so a message queued
  // by a connection that has since closed is never taken for a newer one's (issue 21).
  std::uint64_t serial() const noexcept { return serial_; }

 private:
  static inline std::atomic<std::uint64_t> next_serial_{1};
  const std::uint64_t serial_ = next_serial_.fetch_add(1, std::memory_order_relaxed);
};

// An HTTP read's answer: status code and JSON body.
struct http_answer {
  int status = 200;
  std::string body;
  std::shared_ptr<const std::string> shared = {};  // when set, the body: sent as is, not copied
};

class room : public std::enable_shared_from_this<room> {
 public:
  using executor = boost::asio::thread_pool::executor_type;

  // `stats` and `mirrors` (null: no mirror) outlive the room. `access_path` (empty: none) is
  // the file `access` was read from, read again when it changes (see verify). The room's
  // strand is on `storage_exec`; compare's word diffs run on `read_exec` (config::read_threads).
  // `slots` (outlives the room; null: never) are the socket threads' commit slots.
  room(std::string slug, std::unique_ptr<storage::draft> draft, access_list access,
       executor storage_exec, executor read_exec, const limits& lim, metrics& stats,
       mirror_pusher* mirrors, std::filesystem::path access_path = {},
       commit_slots* slots = nullptr);

  const std::string& slug() const noexcept { return slug_; }

  // The identity a join code stands for (constant time), or nullopt. The codes are those of
  // the access file now (access_file::current: a reissue works from the next join on).
  // Members already present stay: a reissue disconnects no one.
  std::optional<identity> verify(std::string_view code) const;

  // Adds a member and sends it `welcome` (replying to `id`), then `presence` to everyone.
  void join(std::shared_ptr<subscriber> who, identity me, protocol::message_id id);
  void leave(const subscriber* who);
  // A clause that is not in the draft is answered `not_found` (replying to `id`).
  void focus(const subscriber* who, protocol::message_id id, std::optional<std::string> clause);

  // Queues an amendment for the next group commit. The author gets `ack` (or `error`) and
  // then, like everyone, the `amended` event.
  void amend(const subscriber* who, protocol::message_id id, protocol::amend_msg msg);
  // Bracketing and resolving (procedure.md, "Bracketed text") are amendments too: `ack`, then
  // `amended`. Who may do which (and in which stage) is decided by storage.
  void amend(const subscriber* who, protocol::message_id id, protocol::bracket_msg msg);
  void amend(const subscriber* who, protocol::message_id id, protocol::resolve_msg msg);

  // The chair's and the delegations' procedural messages (procedure.md), queued in the same
  // order as amendments and committed in the same groups. Who may do what is decided by
  // storage from the member's state code; the caller has already refused observers. Replies:
  // `staged`, `sponsored`, `tagged` and `proposal` go to the sender with its id and to
  // everyone else without; `propose` is answered `proposed`. An adoption also sends `amended`.
  using procedure_msg =
      std::variant<protocol::stage_msg, protocol::sponsors_msg, protocol::propose_msg,
                   protocol::support_msg, protocol::withdraw_msg, protocol::open_vote_msg,
                   protocol::vote_msg, protocol::close_vote_msg, protocol::tag_msg,
                   protocol::restart_vote_msg>;
  void procedure(const subscriber* who, protocol::message_id id, procedure_msg msg);

  // Live wording (docs/extensions.md; room_typing.cpp): the sender's wording of a clause goes
  // to everyone else as `typing` (the caller throttles and has refused observers). Stops on
  // `text` null, on the sender's amendment of that clause, after limits::typing_idle without
  // input, and when the sender leaves. Refused with an error while live wording is off, for
  // a clause that is not in the draft and for a `base` that is not a commit of it.
  void typing(const subscriber* who, protocol::message_id id, protocol::typing_msg msg);
  // How often one connection may send a wording now: limits::typing_interval, longer when
  // the room's typists times its listeners would pass limits::typing_frames_per_second.
  std::chrono::milliseconds typing_interval() const noexcept {
    return std::chrono::milliseconds(typing_interval_ms_.load(std::memory_order_relaxed));
  }
  // The chair's `settings`: a commit on `procedure` (queued like the acts); `settings` to the
  // sender with its id and to everyone else without.
  void settings(const subscriber* who, protocol::message_id id, protocol::settings_msg msg);

  // Comments (docs/extensions.md, "Comments"; room_comments.cpp): each a commit on the branch
  // `comments`, queued like the acts; the `thread` event to the sender with its id and to
  // everyone else without. The caller has refused observers and applied the rate limit.
  using comment_write = std::variant<protocol::comment_msg, protocol::reply_msg,
                                     protocol::resolve_thread_msg, protocol::reopen_thread_msg>;
  void comment(const subscriber* who, protocol::message_id id, comment_write msg);

  enum class read_kind { history, blame };
  void read(const subscriber* who, protocol::message_id id, read_kind kind, std::string clause);

  // An HTTP read of this draft (its slug is this room's). `done` is called on the room's
  // strand with answer(read) (room_reads.cpp). A compare is answered from the room's cache
  // when it was asked before; otherwise its word diff runs on the storage pool, off the strand
  // that commits amendments (issue 21: reads must not delay writes).
  void http_read(routes::draft_read read, std::function<void(http_answer)> done);

  // Commits what is queued, then closes every connection with 1001; `done` when finished.
  void shut_down(std::function<void()> done);

  // The organizer's view of this draft (GET /api/drafts): title, stage, clauses, the
  // commits after the first, who is connected, the last commit's time. `done` on the strand.
  void summary(std::function<void(protocol::draft_summary)> done);

 private:
  using member_key = std::uint64_t;  // a subscriber's serial()
 public:
  // A member's wordings on their way (room_typing.cpp): each wording, and each stop of one,
  // takes the next `seq` under `mu`; a wording's fan-out, paced over the socket threads, checks
  // under `mu` before each chunk that it is still the latest, so that no listener gets a
  // wording after the stop or the newer wording that replaced it.
  struct live_line {
    std::mutex mu;
    std::uint64_t seq = 0;  // guarded by mu
  };

 private:
  struct member {
    std::weak_ptr<subscriber> conn;
    member_key key = 0;  // conn's serial()
    std::string session;
    identity who;
    std::optional<std::string> clause;
    // Live wording: the clause being typed and when the last input came.
    std::optional<std::string> typing;
    std::chrono::steady_clock::time_point typed_at{};
    std::shared_ptr<live_line> live = std::make_shared<live_line>();
  };
  // The chair's settings change, filled in like a tag when committed.
  struct settings_request {
    bool live_wording = true;
    storage::actor by = {};
    std::int64_t at = 0;
  };
  // A version to name (procedure.md, "Versions").
  struct tag_request {
    std::string name;
    std::string note;
    storage::actor by = {};  // filled in when committed, like the others
    std::int64_t at = 0;
  };
  // One queued message: an amendment (or the chair's stage or sponsors commit), a procedural
  // act, or a tag. Its author and time are filled in when the group is committed.
  struct pending {
    member_key key;
    protocol::message_id id;
    std::variant<storage::request, storage::act_request, tag_request, settings_request,
                 storage::comment_request>
        what;
  };
  // What one queued message produced: its author's frames (reply and events, in order) and
  // everyone else's (the events).
  struct delivery {
    member_key author = 0;
    std::vector<frame_ptr> mine;
    std::vector<frame_ptr> others;
  };

  void enqueue(pending p);
  void flush();  // on the strand: commit what is queued, fan out the results
  // Each commits a run of consecutive queued messages of its kind, adding one delivery per
  // message to `out`; true when something was committed.
  bool commit_amendments(std::vector<pending>& run, std::vector<delivery>& out);
  bool commit_acts(std::vector<pending>& run, std::vector<delivery>& out);
  bool commit_tags(std::vector<pending>& run, std::vector<delivery>& out);
  bool commit_settings(std::vector<pending>& run, std::vector<delivery>& out);
  bool commit_comments(std::vector<pending>& run, std::vector<delivery>& out);
  // Thread n as the wire has it, its anchor placed at the head of main; remembered as sent.
  protocol::thread_view thread_view(const storage::comment_thread& t);
  // A joining member's `threads` (after its welcome): null when the draft has no thread.
  frame_ptr threads_frame();
  // After main moved: a `thread` event (act "anchor") for every open thread whose anchor now
  // stands elsewhere than last sent (its words moved, changed or went, its clause was deleted),
  // added to the last delivery of `out`, after the `amended` that moved it.
  void refresh_anchors(std::vector<delivery>& out);
  // Live wording (room_typing.cpp, on the strand): the `typing` stop of `m`'s wording, which
  // is cleared; null when `m` was not typing. Any wording of `m` still on its way stops too.
  frame_ptr stop_typing(member& m);
  void send_to_others(member_key key, const frame_ptr& frame);
  // `m`'s wording to everyone else, limits::typing_fanout_chunk connections at a time.
  void send_wording(const member& m, frame_ptr frame);
  void arm_typing_timer();
  void expire_typing();
  // Recomputes typing_interval() from the members and typists now (after either changes).
  void retune_typing();
  void fan_out(std::vector<delivery>& deliveries);
  // A record as the wire has it, with its effective change now (docs/extensions.md,
  // "Effective change"); remembered as sent when `sent`.
  protocol::proposal_view record_view(const storage::proposal_record& rec, bool sent);
  // After main moved: a `proposal` event for every tabled or voting proposal whose effective
  // change differs from the one last sent, added to the last delivery of `out` (so that it
  // follows the `amended` that changed it).
  void refresh_effective(std::vector<delivery>& out);
  void broadcast(const frame_ptr& frame);
  // Presence changed: a `presence` goes out soon, one for every change made meanwhile (each
  // lists every member and goes to every member, n² entries: a burst of joins must not
  // become n messages). At most one per 50 ms, less often in rooms of hundreds.
  void broadcast_presence();
  void send_presence();
  void send_to(member_key key, frame_ptr frame);
  // An error reply refused before the queue (on the strand, in order with other frames).
  void send_error(member_key key, const protocol::message_id& id, protocol::error_code code,
                  std::string message);
  member* find(member_key key);
  // The HTTP reads, one per alternative of routes::draft_read (on the strand).
  http_answer answer(const routes::api_draft& q);
  http_answer answer(const routes::api_log& q);
  http_answer answer(const routes::api_history& q);
  http_answer answer(const routes::api_blame& q);
  http_answer answer(const routes::api_proposals& q);
  http_answer answer(const routes::api_proposal& q);
  http_answer answer(const routes::api_versions& q);
  http_answer answer(const routes::api_debrief& q);
  http_answer answer(const routes::api_comments& q);
  // Resolves both versions on the strand, then diffs their snapshots (values) off it.
  void compare(const routes::api_compare& q, std::function<void(http_answer)> done);
  void remember_compare(const std::string& pair, std::shared_ptr<const std::string> body);

  const std::string slug_;
  std::unique_ptr<storage::draft> draft_;      // used on strand_ only
  const access_file access_;                   // the join codes in force
  const std::vector<protocol::actor> roster_;  // the delegations, for the draft's views
  serial_queue queue_;                         // the room's work, one task at a time
  serial_queue::executor_type strand_;         // queue_'s executor: "on strand_" = in queue_
  commit_slots* const commit_slots_;           // null: commits always go to the storage pool
  // How long the last group commit took (µs) and when it ended (steady clock, ns), read by the
  // socket thread that may commit the next one itself (enqueue): a slow disk's wait goes to
  // the storage pool, not a socket thread; and so does a busy room's, whose messages group
  // better there and whose pool threads are awake anyway (one draft, 20 writers: 5,000
  // amendments/s committed where they arrived, 5,600 on the pool).
  std::atomic<std::int64_t> last_commit_us_{0};
  std::atomic<std::int64_t> last_commit_end_ns_{0};
  executor read_exec_;  // compare's word diffs, at a lower priority than the strand's work
  const limits& lim_;
  metrics& stats_;
  mirror_pusher* const mirrors_;

  // A clause's history and blame by clause id, with the clause's rev they were made at: both
  // change only when the clause does. Word-diffing a large clause's history costs up to ~70 ms
  // (issue 21: 5,400 ideographs replaced by their reverse), so a member asking again and again
  // must not hold the draft's amendments that long each time (WebSocket and HTTP alike).
  template <class T>
  struct kept {
    std::string rev;
    std::shared_ptr<const T> value;
  };
  std::map<std::string, kept<std::vector<storage::history_entry>>> histories_;  // on strand_ only
  std::map<std::string, kept<std::vector<storage::blame_segment>>> blames_;     // on strand_ only
  // Their HTTP bodies too: a reader asking again and again then costs the strand a lookup, not
  // a serialization of the clause's whole history (~100 KB for a large clause) each time.
  std::map<std::string, kept<std::string>> history_bodies_, blame_bodies_;  // on strand_ only
  storage::result<std::shared_ptr<const std::vector<storage::history_entry>>> history_of(
      const std::string& clause);
  storage::result<std::shared_ptr<const std::vector<storage::blame_segment>>> blame_of(
      const std::string& clause);
  // The effective change last sent in a `proposal` event, by proposal n.
  std::map<int, storage::effective_change> effective_sent_;  // on strand_ only
  // Where each thread's anchor stood in the last `thread` event or `threads` list, by n.
  std::map<int, storage::placed_anchor> anchors_sent_;  // on strand_ only
  // compare bodies by "<from commit> <to commit>", most recently used first, at most
  // limits::compare_cache_entries and compare_cache_bytes of them (on strand_ only).
  std::list<std::pair<std::string, std::shared_ptr<const std::string>>> compare_lru_;
  std::unordered_map<std::string, decltype(compare_lru_)::iterator> compare_by_pair_;
  std::size_t compare_bytes_ = 0;
  std::vector<member> members_;               // on strand_ only, in order of joining
  boost::asio::steady_timer presence_timer_;  // on strand_ only, like the two below
  bool presence_pending_ = false;
  boost::asio::steady_timer typing_timer_;  // on strand_ only: the next idle wording to stop
  bool typing_timer_armed_ = false;
  std::atomic<std::int64_t> typing_interval_ms_;  // written on strand_, read by any thread
  std::chrono::steady_clock::time_point presence_sent_{};
  std::uint64_t next_session_ = 1;
  bool closed_ = false;  // on strand_ only

  std::mutex pending_mu_;  // guards pending_ and flush_scheduled_
  std::vector<pending> pending_;
  bool flush_scheduled_ = false;
};

}  // namespace plenary::server
