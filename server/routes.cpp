// The route table (routes.hpp): patterns in the order they are tried, each with its builder.
#include "server/routes.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <vector>

#include "protocol/organizer.hpp"
#include "storage/text.hpp"

namespace plenary::server::routes {
namespace http = boost::beast::http;

std::string_view mime_type(std::string_view path) {
  auto dot = path.rfind('.');
  std::string_view ext = dot == std::string_view::npos ? "" : path.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "ico") return "image/x-icon";
  if (ext == "json") return "application/json";
  if (ext == "woff2") return "font/woff2";
  return "";
}

namespace {

// A path under web/: segments of [A-Za-z0-9._-], none starting with a dot, a known type.
bool safe_static_path(std::string_view rel) {
  if (rel.empty() || rel.size() > 200 || mime_type(rel).empty()) return false;
  bool segment_start = true;
  for (char c : rel) {
    if (c == '/') {
      if (segment_start) return false;  // empty segment
      segment_start = true;
      continue;
    }
    if (segment_start && c == '.') return false;
    segment_start = false;
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return !segment_start;
}

// "/a/b/" -> {"a", "b"}; "//a" -> {"", "a"}; "/" -> {}.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t i = 1;  // skip the leading '/'
  while (i <= path.size()) {
    auto j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    parts.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  if (!parts.empty() && parts.back().empty()) parts.pop_back();  // trailing slash
  return parts;
}

// The value of `name` in a query string (`a=1&b=2`), percent-decoded; nullopt when absent,
// empty, or not a version name or commit id (letters, digits, `.`, `_`, `-`; at most 64).
// A `%` not followed by two hex digits stays a `%`, which no value may hold.
std::optional<std::string> query_param(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    auto eq = pair.find('=');
    if (eq == std::string_view::npos || pair.substr(0, eq) != name) continue;
    std::string value;
    std::string_view raw = pair.substr(eq + 1);
    for (std::size_t i = 0; i < raw.size(); ++i) {
      char c = raw[i];
      if (c == '%' && i + 2 < raw.size() && std::isxdigit(static_cast<unsigned char>(raw[i + 1])) &&
          std::isxdigit(static_cast<unsigned char>(raw[i + 2]))) {
        c = static_cast<char>(std::stoi(std::string(raw.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      }
      value += c;
    }
    const bool fine = !value.empty() && value.size() <= 64 &&
                      std::all_of(value.begin(), value.end(), [](char ch) {
                        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' ||
                               ch == '_' || ch == '-';
                      });
    if (!fine) return std::nullopt;
    return value;
  }
  return std::nullopt;
}

// What a pattern captured, and the request it matched.
struct captures {
  const input& in;
  std::string_view path;   // the target without its query
  std::string_view query;  // after the '?', empty when none
  std::string slug;        // {slug}: any one segment (the builder checks it)
  std::string clause;      // {clause}: any one segment
  std::string rest;        // {rest}: one or more segments, joined by '/'
};

// Which requests a rule takes.
enum class takes {
  get,      // GET and HEAD
  post,     // POST, its body in input::body
  upgrade,  // a WebSocket upgrade (of a GET)
};

// nullopt: the rule does not apply after all; the next one is tried.
using builder = std::optional<route> (*)(const captures&);

struct rule {
  takes method;
  std::string_view pattern;  // "/api/drafts/{slug}/log": literal segments and placeholders
  builder make;
};

// A draft's API read: its own route when the slug can name a draft.
template <class T>
std::optional<route> in_draft(const captures& c, T read) {
  if (!storage::is_valid_slug(c.slug)) return no_such_draft{c.slug};
  return route{std::move(read)};
}

// A page of a draft: only for a valid slug (otherwise there is nothing at this address).
template <class T>
std::optional<route> draft_page(const captures& c, T page) {
  if (!storage::is_valid_slug(c.slug)) return std::nullopt;
  return route{std::move(page)};
}

// A draft the organizer names in a POST path: a slug that cannot be one is the body's kind
// of error (answered after the code is checked).
std::string slug_problem(const std::string& slug) {
  if (storage::is_valid_slug(slug)) return {};
  return "The draft's name in the path must be 1 to 63 of a-z, 0-9 and -, starting with a "
         "letter or digit.";
}

constexpr const char* comments_query_problem =
    "The only query parameter here is `clause=<clause id>`: 1 to 32 lower-case letters, digits "
    "or dashes.";

// The table, tried in order; the first rule that matches and builds a route wins.
// New routes (the debrief, comments) go here, each before the catch-all of its prefix
// ("/api/drafts/{slug}/{rest}", "/api/{rest}" for POST).
// clang-format 14 re-flows a braced list of more than 32 elements as a whole (indenting every
// rule once more), so that adding a route would rewrite the table: it is left as written.
// clang-format off
const std::array rules = {
    rule{takes::upgrade, "/d/{slug}/ws",
         [](const captures& c) -> std::optional<route> {
           if (!storage::is_valid_slug(c.slug)) return std::nullopt;
           return ws_upgrade{c.slug};
         }},
    rule{takes::get, "/healthz",
         [](const captures& c) -> std::optional<route> {
           if (c.path != "/healthz") return std::nullopt;  // exactly: not "/healthz/"
           return healthz{};
         }},
    rule{takes::get, "/metrics",
         [](const captures& c) -> std::optional<route> {
           if (c.path != "/metrics") return std::nullopt;
           return metrics_text{};
         }},

    // The organizer's API, before the read API's patterns of the same prefix.
    rule{takes::get, "/api/drafts",
         [](const captures&) -> std::optional<route> { return api_list_drafts{}; }},
    rule{takes::post, "/api/split",
         [](const captures& c) -> std::optional<route> {
           auto parsed = protocol::parse_split_request(c.in.body);
           return api_split{parsed.text.value_or(""), std::move(parsed.error)};
         }},
    rule{takes::post, "/api/drafts/{slug}",
         [](const captures& c) -> std::optional<route> {
           api_create call{c.slug, std::nullopt, slug_problem(c.slug)};
           if (!call.error.empty()) return call;
           auto parsed = protocol::parse_draft_request(c.in.body);
           if (!parsed.file) {
             call.error = std::move(parsed.error);
           } else if (parsed.file->slug && *parsed.file->slug != c.slug) {
             call.error = "The body's slug `" + *parsed.file->slug + "` differs from the path's `" +
                          c.slug + "`: send one name.";
           } else {
             call.draft = std::move(parsed.file);
           }
           return call;
         }},
    rule{takes::post, "/api/drafts/{slug}/codes",
         [](const captures& c) -> std::optional<route> {
           api_reissue call{c.slug, std::nullopt, slug_problem(c.slug)};
           if (!call.error.empty()) return call;
           auto parsed = protocol::parse_reissue_request(c.in.body);
           call.request = std::move(parsed.request);
           call.error = std::move(parsed.error);
           return call;
         }},
    rule{takes::post, "/api/drafts/{slug}/archive",
         [](const captures& c) -> std::optional<route> {
           api_archive call{c.slug, slug_problem(c.slug)};
           // An empty body or an empty object: the call has nothing to say.
           const auto body = c.in.body.find_first_not_of(" \t\r\n");
           if (call.error.empty() && body != std::string_view::npos &&
               c.in.body.substr(body) != "{}")
             call.error = "This call takes no body (or {}).";
           return call;
         }},
    rule{takes::post, "/api/{rest}",
         [](const captures&) -> std::optional<route> {
           return not_found{"There is no such API endpoint."};
         }},

    // The read API.
    rule{takes::get, "/api/drafts/{slug}",
         [](const captures& c) -> std::optional<route> {
           std::string at;
           if (c.query.starts_with("at=")) {
             at = std::string(c.query.substr(3));
           } else if (!c.query.empty()) {
             return bad_request{"The only query parameter here is `at=<commit>`."};
           }
           return in_draft(c, api_draft{c.slug, std::move(at)});
         }},
    rule{takes::get, "/api/drafts/{slug}/log",
         [](const captures& c) { return in_draft(c, api_log{c.slug}); }},
    rule{takes::get, "/api/drafts/{slug}/versions",
         [](const captures& c) { return in_draft(c, api_versions{c.slug}); }},
    rule{takes::get, "/api/drafts/{slug}/compare",
         [](const captures& c) -> std::optional<route> {
           auto from = query_param(c.query, "from");
           auto to = query_param(c.query, "to");
           if (!from || !to) {
             return bad_request{
                 "Give two versions to compare: /compare?from=<tag or commit>&to=<tag or "
                 "commit> (a tag such as rev.1, or a commit id of at least 7 digits)."};
           }
           return in_draft(c, api_compare{c.slug, std::move(*from), std::move(*to)});
         }},
    rule{takes::get, "/api/drafts/{slug}/debrief",
         [](const captures& c) -> std::optional<route> {
           std::string version;
           if (auto v = query_param(c.query, "version")) {
             version = std::move(*v);
           } else if (c.query.starts_with("version=") ||
                      c.query.find("&version=") != std::string_view::npos) {
             return bad_request{
                 "`version` must be a tag such as rev.1 or a commit id: 1 to 64 letters, "
                 "digits, `.`, `_` or `-`."};
           } else if (!c.query.empty()) {
             return bad_request{"The only query parameter here is `version=<tag or commit>`."};
           }
           return in_draft(c, api_debrief{c.slug, std::move(version)});
         }},
    rule{takes::get, "/api/drafts/{slug}/proposals",
         [](const captures& c) { return in_draft(c, api_proposals{c.slug}); }},
    rule{takes::get, "/api/drafts/{slug}/comments",
         [](const captures& c) -> std::optional<route> {
           auto id = query_param(c.query, "clause");
           if (c.query.empty()) id = std::string();
           if (!id || (!id->empty() && !storage::is_valid_clause_id(*id))) {
             return bad_request{comments_query_problem};
           }
           return in_draft(c, api_comments{c.slug, std::move(*id)});
         }},
    rule{takes::get, "/api/drafts/{slug}/proposals/{rest}",
         [](const captures& c) -> std::optional<route> {
           const std::string& n = c.rest;
           const bool digits =
               !n.empty() && n.size() <= 10 && n[0] != '0' &&
               std::all_of(n.begin(), n.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
           if (!digits) return not_found{"Proposals are numbered 1, 2, 3...: /proposals/<n>."};
           return in_draft(c, api_proposal{c.slug, std::stoull(n)});
         }},
    rule{takes::get, "/api/drafts/{slug}/clauses/{clause}/history",
         [](const captures& c) {
           return in_draft(c, api_history{c.slug, c.clause});
         }},
    rule{takes::get, "/api/drafts/{slug}/clauses/{clause}/blame",
         [](const captures& c) {
           return in_draft(c, api_blame{c.slug, c.clause});
         }},
    rule{takes::get, "/api/drafts/{slug}/{rest}",
         [](const captures&) -> std::optional<route> {
           return not_found{"There is no such API endpoint."};
         }},

    // Pages and files.
    rule{takes::get, "/", [](const captures&) -> std::optional<route> { return index_page{}; }},
    rule{takes::get, "/organize",
         [](const captures& c) -> std::optional<route> {
           if (c.path != "/organize") return std::nullopt;
           return organize_page{};
         }},
    rule{takes::get, "/organize/{slug}/slips",
         [](const captures& c) { return draft_page(c, slips_page{c.slug}); }},
    rule{takes::get, "/d/{slug}",
         [](const captures& c) { return draft_page(c, room_page{c.slug}); }},
    rule{takes::get, "/d/{slug}/log",
         [](const captures& c) { return draft_page(c, log_page{c.slug}); }},
    rule{takes::get, "/d/{slug}/compare",
         [](const captures& c) { return draft_page(c, compare_page{c.slug}); }},
    rule{takes::get, "/d/{slug}/debrief",
         [](const captures& c) { return draft_page(c, debrief_page{c.slug}); }},
    rule{takes::get, "/vendor/chart.js",
         [](const captures& c) -> std::
                                   optional<route> {
                                     if (c.path != "/vendor/chart.js") return std::nullopt;
                                     return vendor_chart_js{};
                                   }},
    rule{takes::get, "/d/{slug}/clauses/{clause}",
         [](const captures& c) -> std::
                                   optional<route> {
                                     if (!storage::is_valid_clause_id(c.clause))
                                       return std::nullopt;
                                     return draft_page(c, clause_page{c.slug, c.clause});
                                   }},
    rule{takes::get, "/static/{rest}",
         [](const captures& c) -> std::
                                   optional<route> {
                                     // From the path as received: "/static/a/" keeps its slash
                                     // (and is refused).
                                     std::string rel(
                                         c.path.substr(std::string_view("/static/").size()));
                                     if (!safe_static_path(rel))
                                       return not_found{"There is no such file."};
                                     return static_file{std::move(rel)};
                                   }},
};
// clang-format on

// Whether `parts` fits `pattern`, filling in the placeholders.
bool fits(std::string_view pattern, const std::vector<std::string_view>& parts, captures& c) {
  auto want = split_path(pattern);
  std::size_t i = 0;
  for (std::size_t w = 0; w < want.size(); ++w) {
    if (want[w] == "{rest}") {
      if (i >= parts.size()) return false;
      c.rest.clear();
      for (std::size_t k = i; k < parts.size(); ++k) {
        if (k > i) c.rest += '/';
        c.rest += parts[k];
      }
      return true;
    }
    if (i >= parts.size()) return false;
    if (want[w] == "{slug}") {
      c.slug = std::string(parts[i]);
    } else if (want[w] == "{clause}") {
      c.clause = std::string(parts[i]);
    } else if (want[w] != parts[i]) {
      return false;
    }
    ++i;
  }
  return i == parts.size();
}

}  // namespace

route match(const input& in) {
  std::string_view path = in.target;
  std::string_view query;
  if (auto q = path.find('?'); q != std::string_view::npos) {
    query = path.substr(q + 1);
    path = path.substr(0, q);
  }
  const auto parts = split_path(path);
  const bool get = in.method == http::verb::get || in.method == http::verb::head;
  std::optional<takes> asked;
  if (in.websocket) {
    asked = takes::upgrade;
  } else if (get) {
    asked = takes::get;
  } else if (in.method == http::verb::post) {
    asked = takes::post;
  }
  for (const rule& r : rules) {
    if (!asked || r.method != *asked) continue;
    captures c{in, path, query, {}, {}, {}};
    if (!fits(r.pattern, parts, c)) continue;
    if (auto built = r.make(c)) return std::move(*built);
  }
  if (in.websocket) return not_found{"WebSocket connections go to /d/<slug>/ws."};
  if (!get)
    return method_not_allowed{
        "Only GET and HEAD are served here; POST goes to the organizer's /api/ calls."};
  return not_found{"There is nothing at this address."};
}

}  // namespace plenary::server::routes
