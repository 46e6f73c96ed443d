// The organizer console's API (docs/extensions.md, "Organizer console"): its request bodies,
// parsed and checked, and its answers, written. The draft-creating body is
// parse_draft_request (messages.hpp); the splitter is splitter.hpp.
// Thread safety: pure functions over plain values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/messages.hpp"

namespace plenary::protocol {

// POST /api/split: {"text"}.
struct split_request_result {
  std::optional<std::string> text;
  std::string error;
};
split_request_result parse_split_request(std::string_view json);

// POST /api/drafts/<slug>/codes: {"roles"?: [...], "base": "http(s)://host[:port]"}.
// No roles: every role ("all").
struct reissue_request {
  std::vector<std::string> roles;
  std::string base;  // checked: an http(s) origin, no trailing slash
};
struct reissue_request_result {
  std::optional<reissue_request> request;
  std::string error;
};
reissue_request_result parse_reissue_request(std::string_view json);

// Is `s` an origin as a browser writes it: http:// or https://, a host (letters, digits, `.`,
// `-`, or an IPv6 address in brackets), an optional port, nothing after?
bool is_http_origin(std::string_view s);

// {"clauses": [{"kind", "text"}...]}
std::string split_json(const std::vector<draft_file::initial_clause>& clauses);

// GET /api/drafts.
struct draft_summary {
  std::string slug;
  std::string title;
  std::string stage;
  std::int64_t clauses = 0;
  std::int64_t amendments = 0;
  std::int64_t connected = 0;
  std::vector<actor> present;                 // code in `state`, name in `name`
  std::optional<std::int64_t> last_activity;  // seconds since the epoch
};
struct archived_summary {
  std::string slug;
  std::string title;
  std::int64_t archived_at = 0;
};
std::string drafts_list_json(const std::vector<draft_summary>& drafts,
                             const std::vector<archived_summary>& archived);

// Roles to values (codes, links or SVGs): the chair's and observer's when set.
struct role_values {
  std::optional<std::string> chair;
  std::optional<std::string> observer;
  std::map<std::string, std::string> delegations;
};
// {"slug", "codes": {...}, "links": {...}[, "qr": {...}]}
std::string issued_codes_json(std::string_view slug, const role_values& codes,
                              const role_values& links, const role_values* qr);

// {"slug", "archived_at"}
std::string archived_json(std::string_view slug, std::int64_t archived_at);

}  // namespace plenary::protocol
