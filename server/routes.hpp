// The HTTP routes: one pure function from a request line (method, target with its query, and
// whether it asks for a WebSocket upgrade) to a typed route, a std::variant that the session
// (http_session.cpp) and the room (room_reads.cpp) dispatch on with std::visit. Every check
// of the path and the query that needs no draft happens here: a handler gets valid, typed
// arguments or one of the error routes, with the sentence to answer.
//
// Adding a route: a struct below (its typed arguments; a draft's always carries `slug`),
// an alternative in `route` (and in `draft_read` when a room answers it), and one line in the
// table in routes.cpp (method, pattern, builder). POST routes take `input::body` and parse
// it in their builder (through protocol/), so that their handler too gets typed fields.
// Thread safety: pure functions, no state.
#pragma once

// clang-format off
#include <ostream>  // first: verb.hpp uses std::ostream without including it (Boost 1.81)
#include <boost/beast/http/verb.hpp>
// clang-format on

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "protocol/messages.hpp"
#include "protocol/organizer.hpp"

namespace plenary::server::routes {

// What a route is computed from.
struct input {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string_view target;     // the path and the query, as received ("/d/x/log?a=1")
  bool websocket = false;      // a WebSocket upgrade (beast::websocket::is_upgrade)
  std::string_view body = {};  // for POST routes
};

// --- Errors: answered with their reason, nothing else is done.
struct not_found {
  std::string reason;
};
struct bad_request {
  std::string reason;
};
struct method_not_allowed {  // 405
  std::string reason;
};
// An API path whose slug cannot name a draft: answered like a draft that does not exist,
// after the join code is asked for (as for any draft read).
struct no_such_draft {
  std::string slug;
};

// --- Served by the session itself.
struct healthz {};
struct metrics_text {};  // GET /metrics (Prometheus)
struct ws_upgrade {      // /d/<slug>/ws
  std::string slug;
};
struct static_file {  // /static/<path>: a safe path under web/ with a known type
  std::string path;
};
struct vendor_chart_js {};  // /vendor/chart.js: Debian's Chart.js (config::chart_js)

// Pages: an HTML file of web/, sent as is (the page reads its slug from the address).
struct index_page {
  static constexpr std::string_view file = "index.html";
};
struct room_page {  // /d/<slug>
  std::string slug;
  static constexpr std::string_view file = "room.html";
};
struct log_page {  // /d/<slug>/log
  std::string slug;
  static constexpr std::string_view file = "log.html";
};
struct compare_page {  // /d/<slug>/compare
  std::string slug;
  static constexpr std::string_view file = "compare.html";
};
struct debrief_page {  // /d/<slug>/debrief
  std::string slug;
  static constexpr std::string_view file = "debrief.html";
};
struct clause_page {  // /d/<slug>/clauses/<id>
  std::string slug;
  std::string clause;
  static constexpr std::string_view file = "clause.html";
};

// --- The organizer console (docs/extensions.md, "Organizer console"): its pages, and its API
// (Bearer organizer code), answered by organizer_api.cpp. A POST's body is parsed here; a
// body that does not parse is carried as `error`, answered 400 only after the origin, the
// content type and the code were checked, so that nobody learns anything without the code.
struct organize_page {  // /organize
  static constexpr std::string_view file = "organize.html";
};
struct slips_page {  // /organize/<slug>/slips
  std::string slug;
  static constexpr std::string_view file = "slips.html";
};
struct api_list_drafts {};  // GET /api/drafts
struct api_split {          // POST /api/split {"text"}
  std::string text;
  std::string error;
};
struct api_create {  // POST /api/drafts/<slug>: a draft file or the text form
  std::string slug;
  std::optional<protocol::draft_file> draft;  // not `file`: that names a page (is_page_v)
  std::string error;
};
struct api_reissue {  // POST /api/drafts/<slug>/codes {"roles"?, "base"}
  std::string slug;
  std::optional<protocol::reissue_request> request;
  std::string error;
};
struct api_archive {  // POST /api/drafts/<slug>/archive
  std::string slug;
  std::string error;
};

// The calls of the organizer's API (organizer_api.cpp).
using organizer_call =
    std::variant<api_list_drafts, api_split, api_create, api_reissue, api_archive>;

// --- The read API of one draft (Bearer join code), answered by its room.
struct api_draft {  // GET /api/drafts/<slug>[?at=<commit>]
  std::string slug;
  std::string at;  // as given (storage checks it); empty: the head
};
struct api_log {  // GET /api/drafts/<slug>/log
  std::string slug;
};
struct api_history {  // GET /api/drafts/<slug>/clauses/<id>/history
  std::string slug;
  std::string clause;  // as given (storage checks it)
};
struct api_blame {  // GET /api/drafts/<slug>/clauses/<id>/blame
  std::string slug;
  std::string clause;
};
struct api_proposals {  // GET /api/drafts/<slug>/proposals
  std::string slug;
};
struct api_proposal {  // GET /api/drafts/<slug>/proposals/<n>
  std::string slug;
  std::uint64_t n = 0;  // 1 to 9999999999
};
struct api_versions {  // GET /api/drafts/<slug>/versions
  std::string slug;
};
struct api_compare {  // GET /api/drafts/<slug>/compare?from=<v>&to=<v>
  std::string slug;
  std::string from;  // a version name or commit id, percent-decoded
  std::string to;
};

struct api_debrief {  // GET /api/drafts/<slug>/debrief[?version=<v>]
  std::string slug;
  std::string version;  // a tag or commit, percent-decoded (storage checks it); empty: the head
  // Set by the session from the join code, not by match(): the chair sees the debrief at any
  // time, the others once it is open (room_reads.cpp).
  bool chair = false;
};

struct api_comments {  // GET /api/drafts/<slug>/comments[?clause=<id>]
  std::string slug;
  std::string clause;  // empty: every thread
};

// The reads a room answers (room::http_read); each names its draft.
using draft_read = std::variant<api_draft, api_log, api_history, api_blame, api_proposals,
                                api_proposal, api_versions, api_compare, api_debrief, api_comments>;

using route =
    std::variant<not_found, bad_request, method_not_allowed, no_such_draft, healthz, metrics_text,
                 ws_upgrade, static_file, vendor_chart_js, index_page, room_page, log_page,
                 compare_page, debrief_page, clause_page, api_draft, api_log, api_history,
                 api_blame, api_proposals, api_proposal, api_versions, api_compare, api_debrief,
                 api_comments, organize_page, slips_page, api_list_drafts, api_split, api_create,
                 api_reissue, api_archive>;

// True for the alternatives of draft_read.
template <class T, class Variant = draft_read>
struct is_draft_read;
template <class T, class... Alternatives>
struct is_draft_read<T, std::variant<Alternatives...>>
    : std::bool_constant<(std::is_same_v<T, Alternatives> || ...)> {};
template <class T>
inline constexpr bool is_draft_read_v = is_draft_read<std::remove_cvref_t<T>>::value;

// True for the alternatives of organizer_call.
template <class T>
inline constexpr bool is_organizer_call_v =
    is_draft_read<std::remove_cvref_t<T>, organizer_call>::value;

// True for the pages (a route with a `file`).
template <class T>
inline constexpr bool is_page_v = requires {
  std::remove_cvref_t<T>::file;
};

// The route of a request. Never throws for any input.
route match(const input& in);

// The Content-Type of a file under web/ by its extension; empty when it is not served.
std::string_view mime_type(std::string_view path);

}  // namespace plenary::server::routes
