// What the server sends about comments (docs/extensions.md, "Comments"): the `thread` and
// `threads` events and the body of GET /api/drafts/<slug>/comments.
#include "protocol/json_writer.hpp"
#include "protocol/messages.hpp"

namespace plenary::protocol {
namespace {

using detail::json_writer;

void write_actor(json_writer& w, const actor& who) {
  w.begin_object();
  w.key("state").string(who.state);
  w.key("name").string(who.name);
  w.end_object();
}

void write_optional_integer(json_writer& w, const std::optional<std::int64_t>& i) {
  if (i) {
    w.integer(*i);
  } else {
    w.null();
  }
}

// `"n": ..., "anchor": {"kind", "clause", "proposal"` (the anchor's object left open).
void write_stub_open(json_writer& w, const thread_stub& t) {
  w.key("n").integer(t.n);
  w.key("anchor").begin_object();
  w.key("kind").string(t.kind);
  w.key("clause").optional_string(t.clause);
  w.key("proposal");
  write_optional_integer(w, t.proposal ? std::optional<std::int64_t>(*t.proposal) : std::nullopt);
}

// {"n", "anchor": {"kind", "clause", "proposal", "rev", "start", "end", "quote"},
//  "now": {"state", "rev", "start", "end"}, "status", "resolved_by", "resolved_at", "comments"}
void write_thread(json_writer& w, const thread_view& t) {
  const bool span = t.kind == "span";
  w.begin_object();
  write_stub_open(w, t);
  w.key("rev");
  if (span) {
    w.string(t.rev);
    w.key("start").integer(t.start);
    w.key("end").integer(t.end);
    w.key("quote").string(t.quote);
  } else {
    w.null();
    w.key("start").null();
    w.key("end").null();
    w.key("quote").null();
  }
  w.end_object();
  w.key("now").begin_object();
  w.key("state").string(t.state);
  w.key("rev").string_or_null(t.now_rev);
  w.key("start");
  write_optional_integer(w, t.now_start);
  w.key("end");
  write_optional_integer(w, t.now_end);
  w.end_object();
  w.key("status").string(t.resolved ? "resolved" : "open");
  w.key("resolved_by");
  if (t.resolved && t.resolved_by) {
    write_actor(w, *t.resolved_by);
    w.key("resolved_at").string(format_time(t.resolved_at));
  } else {
    w.null();
    w.key("resolved_at").null();
  }
  w.key("comments").begin_array();
  for (const comment_view& c : t.comments) {
    w.begin_object();
    w.key("by");
    write_actor(w, c.by);
    w.key("at").string(format_time(c.at));
    w.key("text").string(c.text);
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

void write_threads(json_writer& w, const std::vector<thread_view>& threads) {
  w.key("threads").begin_array();
  for (const thread_view& t : threads) write_thread(w, t);
  w.end_array();
}

}  // namespace

std::string thread(const message_id& id, const thread_event& event) {
  json_writer w;
  w.begin_object();
  w.key("type").string("thread");
  w.id(id);
  w.key("act").string(event.act);
  w.key("thread");
  write_thread(w, event.thread);
  if (!event.commit.empty()) {
    w.key("commit").string(event.commit);
    if (event.by) {
      w.key("by");
      write_actor(w, *event.by);
    }
    w.key("at").string(format_time(event.at));
  }
  w.end_object();
  return w.take();
}

std::string threads(const std::vector<thread_view>& open,
                    const std::vector<thread_stub>& resolved) {
  json_writer w;
  w.begin_object();
  w.key("type").string("threads");
  write_threads(w, open);
  w.key("resolved").begin_array();
  for (const thread_stub& t : resolved) {
    w.begin_object();
    write_stub_open(w, t);
    w.end_object();
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.take();
}

std::string threads_json(const std::vector<thread_view>& list) {
  json_writer w;
  w.begin_object();
  write_threads(w, list);
  w.end_object();
  return w.take();
}

}  // namespace plenary::protocol
