// Serialisation of what the server sends: WebSocket messages and HTTP bodies
// (protocol.md, "Server to client" and "HTTP"). Field names are the contract's.
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

// {"id", "kind", "number" (null unless operative), "text", "rev", "by"}
void write_clause(json_writer& w, const clause& c) {
  w.begin_object();
  w.key("id").string(c.id);
  w.key("kind").string(to_string(c.kind));
  w.key("number");
  if (c.kind == clause_kind::operative && c.number) {
    w.integer(*c.number);
  } else {
    w.null();
  }
  w.key("text").string(c.text);
  w.key("rev").string(c.rev);
  w.key("by").string(c.by);
  w.end_object();
}

void write_optional_clause(json_writer& w, const std::optional<clause>& c) {
  if (c) {
    write_clause(w, *c);
  } else {
    w.null();
  }
}

void write_string_list(json_writer& w, const std::vector<std::string>& list) {
  w.begin_array();
  for (const std::string& s : list) w.string(s);
  w.end_array();
}

// The members of a draft: {"slug", "title", "head", "clauses", "stage", "sponsors"} and, when
// known, "delegations" (extension), without the braces.
void write_draft_members(json_writer& w, const draft_view& draft) {
  w.key("slug").string(draft.slug);
  w.key("title").string(draft.title);
  w.key("head").string(draft.head);
  w.key("clauses").begin_array();
  for (const clause& c : draft.clauses) write_clause(w, c);
  w.end_array();
  w.key("stage").string(draft.stage);
  w.key("sponsors");
  write_string_list(w, draft.sponsors);
  if (!draft.delegations.empty()) {
    w.key("delegations").begin_array();
    for (const actor& a : draft.delegations) write_actor(w, a);
    w.end_array();
  }
  if (!draft.live_wording) w.key("live_wording").boolean(false);
}

void write_tally(json_writer& w, const vote_tally& v) {
  w.begin_object();
  w.key("yes").integer(v.yes);
  w.key("no").integer(v.no);
  w.key("abstain").integer(v.abstain);
  w.end_object();
}

// The extension members of an adopted proposal's commit (docs/extensions.md), when set.
void write_adoption_members(json_writer& w, const std::optional<int>& proposal,
                            const std::optional<std::string>& adopted,
                            const std::optional<vote_tally>& vote) {
  if (proposal) w.key("proposal").integer(*proposal);
  if (adopted) w.key("adopted").string(*adopted);
  if (vote) {
    w.key("vote");
    write_tally(w, *vote);
  }
}

// The members of a log entry: {"commit", "by", "at", "op", "clause", "note"}.
void write_log_members(json_writer& w, const log_entry& e) {
  w.key("commit").string(e.commit);
  w.key("by");
  write_actor(w, e.by);
  w.key("at").string(format_time(e.at));
  w.key("op").string(e.op);
  w.key("clause").string_or_null(e.clause);
  w.key("note").string_or_null(e.note);
  if (e.stage) w.key("stage").string(*e.stage);
  write_adoption_members(w, e.proposal, e.adopted, e.vote);
}

void write_effective(json_writer& w, const effective_view& e) {
  w.begin_object();
  w.key("text").optional_string(e.text);
  w.key("conflict").boolean(e.conflict);
  if (e.conflict) w.key("problem").string(e.problem);
  w.key("computed_at").string(e.computed_at);
  w.end_object();
}

// A proposal record (procedure.md, "Proposals"), every field present.
void write_proposal(json_writer& w, const proposal_view& p) {
  w.begin_object();
  w.key("n").integer(p.n);
  w.key("by");
  write_actor(w, p.by);
  w.key("op").string(p.op);
  w.key("clause").optional_string(p.clause);
  w.key("after").optional_string(p.after);
  w.key("kind");
  if (p.kind) {
    w.string(to_string(*p.kind));
  } else {
    w.null();
  }
  w.key("text").optional_string(p.text);
  w.key("note").string_or_null(p.note);
  w.key("base").optional_string(p.base);
  if (p.bracket) w.key("bracket").integer(*p.bracket);
  if (p.choose) w.key("choose").integer(*p.choose);
  if (p.start) w.key("start").integer(*p.start);
  if (p.end) w.key("end").integer(*p.end);
  w.key("commit").string(p.commit);
  w.key("status").string(p.status);
  w.key("supporters");
  write_string_list(w, p.supporters);
  w.key("vote");
  if (p.vote) {
    w.begin_object();
    w.key("threshold").string(p.vote->threshold);
    w.key("yes");
    write_string_list(w, p.vote->yes);
    w.key("no");
    write_string_list(w, p.vote->no);
    w.key("abstain");
    write_string_list(w, p.vote->abstain);
    if (p.vote->effective) {
      w.key("effective");
      write_effective(w, *p.vote->effective);
    }
    w.end_object();
  } else {
    w.null();
  }
  w.key("result");
  if (p.result) {
    w.begin_object();
    w.key("outcome").string(p.result->outcome);
    w.key("commit").string_or_null(p.result->commit);
    w.end_object();
  } else {
    w.null();
  }
  w.key("effective");
  if (p.effective) {
    write_effective(w, *p.effective);
  } else {
    w.null();
  }
  w.end_object();
}

// {"clause", "entries": [log entry + "text" + "diff"]}, without the braces.
void write_history_members(json_writer& w, std::string_view clause_id,
                           const std::vector<history_entry>& entries) {
  w.key("clause").string(clause_id);
  w.key("entries").begin_array();
  for (const history_entry& h : entries) {
    w.begin_object();
    write_log_members(w, h.entry);
    w.key("text").optional_string(h.text);
    w.key("diff").begin_array();
    for (const diff_piece& piece : h.diff) {
      w.begin_object();
      w.key("op").string(std::string_view(&piece.op, 1));
      w.key("text").string(piece.text);
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
}

// {"clause", "segments": [{"text", "state", "commit", "tabled"?}]}, without the braces.
void write_blame_members(json_writer& w, std::string_view clause_id,
                         const std::vector<blame_segment>& segments) {
  w.key("clause").string(clause_id);
  w.key("segments").begin_array();
  for (const blame_segment& s : segments) {
    w.begin_object();
    w.key("text").string(s.text);
    w.key("state").string(s.state);
    w.key("commit").string(s.commit);
    if (s.tabled) w.key("tabled").boolean(true);
    w.end_object();
  }
  w.end_array();
}

void write_presence_list(json_writer& w, const std::vector<presence_entry>& present) {
  w.begin_array();
  for (const presence_entry& p : present) {
    w.begin_object();
    w.key("session").string(p.session);
    w.key("state").string(p.state);
    w.key("name").string(p.name);
    w.key("role").string(p.role);
    w.key("clause").optional_string(p.clause);
    w.end_object();
  }
  w.end_array();
}

// A WebSocket message: {"type": type, "id"?: id, ...members written by `body`}.
template <class Body>
std::string message(const char* type, const message_id& id, Body&& body) {
  json_writer w;
  w.begin_object();
  w.key("type").string(type);
  w.id(id);
  body(w);
  w.end_object();
  return w.take();
}

// An HTTP body: {...members written by `body`}.
template <class Body>
std::string body_object(Body&& body) {
  json_writer w;
  w.begin_object();
  body(w);
  w.end_object();
  return w.take();
}

}  // namespace

std::string welcome(const message_id& id, const actor& you, std::string_view role,
                    const draft_view& draft, const std::vector<presence_entry>& present) {
  return message("welcome", id, [&](json_writer& w) {
    w.key("you").begin_object();
    w.key("state").string(you.state);
    w.key("name").string(you.name);
    w.key("role").string(role);
    w.end_object();
    w.key("draft").begin_object();
    write_draft_members(w, draft);
    w.end_object();
    w.key("present");
    write_presence_list(w, present);
  });
}

std::string ack(const message_id& id, std::string_view commit, std::string_view clause_id,
                bool merged) {
  return message("ack", id, [&](json_writer& w) {
    w.key("commit").string(commit);
    w.key("clause").string(clause_id);
    w.key("merged").boolean(merged);
  });
}

std::string amended(const amended_event& event) {
  return message("amended", {}, [&](json_writer& w) {
    w.key("commit").string(event.commit);
    w.key("parent").string(event.parent);
    w.key("by");
    write_actor(w, event.by);
    w.key("at").string(format_time(event.at));
    w.key("op").string(event.op);
    w.key("note").string_or_null(event.note);
    w.key("clause");
    if (event.changed) {
      write_clause(w, *event.changed);
    } else {
      w.begin_object();
      w.key("id").string(event.removed_id);
      w.end_object();
    }
    w.key("order").begin_array();
    for (const std::string& clause_id : event.order) w.string(clause_id);
    w.end_array();
    write_adoption_members(w, event.proposal, event.adopted, event.vote);
  });
}

std::string proposed(const message_id& id, int proposal_number) {
  return message("proposed", id,
                 [&](json_writer& w) { w.key("proposal").integer(proposal_number); });
}

std::string proposal(const message_id& id, const proposal_view& record) {
  return message("proposal", id, [&](json_writer& w) {
    w.key("proposal");
    write_proposal(w, record);
  });
}

std::string staged(const message_id& id, const staged_event& event) {
  return message("staged", id, [&](json_writer& w) {
    w.key("stage").string(event.stage);
    w.key("commit").string(event.commit);
    w.key("parent").string(event.parent);
    w.key("by");
    write_actor(w, event.by);
    w.key("at").string(format_time(event.at));
  });
}

std::string sponsored(const message_id& id, const sponsored_event& event) {
  return message("sponsored", id, [&](json_writer& w) {
    w.key("sponsors");
    write_string_list(w, event.sponsors);
    w.key("commit").string(event.commit);
    w.key("parent").string(event.parent);
    w.key("by");
    write_actor(w, event.by);
    w.key("at").string(format_time(event.at));
  });
}

std::string tagged(const message_id& id, std::string_view name, std::string_view commit) {
  return message("tagged", id, [&](json_writer& w) {
    w.key("name").string(name);
    w.key("commit").string(commit);
  });
}

std::string typing(const typing_event& event) {
  return message("typing", {}, [&](json_writer& w) {
    w.key("by").string(event.by);
    w.key("state").string(event.state);
    w.key("clause").string(event.clause);
    w.key("text").optional_string(event.text);
  });
}

std::string settings(const message_id& id, const settings_event& event) {
  return message("settings", id, [&](json_writer& w) {
    w.key("live_wording").boolean(event.live_wording);
    w.key("commit").string(event.commit);
    w.key("by");
    write_actor(w, event.by);
    w.key("at").string(format_time(event.at));
  });
}

std::string presence(const std::vector<presence_entry>& present) {
  return message("presence", {}, [&](json_writer& w) {
    w.key("present");
    write_presence_list(w, present);
  });
}

std::string error(const message_id& id, error_code code, std::string_view text) {
  return message("error", id, [&](json_writer& w) {
    w.key("code").string(to_string(code));
    w.key("message").string(text);
  });
}

std::string conflict(const message_id& id, std::string_view text,
                     const std::optional<clause>& current) {
  return message("error", id, [&](json_writer& w) {
    w.key("code").string(to_string(error_code::conflict));
    w.key("message").string(text);
    w.key("current");
    write_optional_clause(w, current);
  });
}

std::string history(const message_id& id, std::string_view clause_id,
                    const std::vector<history_entry>& entries) {
  return message("history", id,
                 [&](json_writer& w) { write_history_members(w, clause_id, entries); });
}

std::string blame(const message_id& id, std::string_view clause_id,
                  const std::vector<blame_segment>& segments) {
  return message("blame", id, [&](json_writer& w) { write_blame_members(w, clause_id, segments); });
}

std::string draft_json(const draft_view& draft) {
  return body_object([&](json_writer& w) { write_draft_members(w, draft); });
}

std::string log_json(const std::vector<log_entry>& entries) {
  return body_object([&](json_writer& w) {
    w.key("entries").begin_array();
    for (const log_entry& e : entries) {
      w.begin_object();
      write_log_members(w, e);
      w.end_object();
    }
    w.end_array();
  });
}

std::string history_json(std::string_view clause_id, const std::vector<history_entry>& entries) {
  return body_object([&](json_writer& w) { write_history_members(w, clause_id, entries); });
}

std::string blame_json(std::string_view clause_id, const std::vector<blame_segment>& segments) {
  return body_object([&](json_writer& w) { write_blame_members(w, clause_id, segments); });
}

std::string proposals_json(const std::vector<proposal_view>& records) {
  return body_object([&](json_writer& w) {
    w.key("proposals").begin_array();
    for (const proposal_view& p : records) write_proposal(w, p);
    w.end_array();
  });
}

std::string proposal_json(const proposal_view& record) {
  json_writer w;
  write_proposal(w, record);
  return w.take();
}

std::string http_error_json(error_code code, std::string_view text) {
  return body_object([&](json_writer& w) {
    w.key("error").begin_object();
    w.key("code").string(to_string(code));
    w.key("message").string(text);
    w.end_object();
  });
}

}  // namespace plenary::protocol
