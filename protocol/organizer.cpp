// The organizer console's bodies and answers (organizer.hpp).
#include "protocol/organizer.hpp"

#include <rapidjson/document.h>

#include <cctype>

#include "protocol/json_reader.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/text_rules.hpp"

namespace plenary::protocol {
namespace {

using detail::label_style;
using detail::object_reader;

constexpr std::size_t max_base_bytes = 256;        // an origin; longer is not one anybody types
constexpr std::size_t max_roles = max_roster + 3;  // every delegation, chair, observer, all

std::string accept(std::string_view) { return {}; }
const detail::string_rule text_rule{"a string", accept};

std::string check_base(std::string_view s) {
  if (s.size() > max_base_bytes) return detail::over_limit(s.size(), max_base_bytes);
  if (s.ends_with('/')) s.remove_suffix(1);  // "http://host:8080/", as an address bar shows it
  if (!is_http_origin(s))
    return "must be the server's origin, such as http://192.168.1.20:8080 (http or https, a "
           "host, an optional port, no path)";
  return {};
}
const detail::string_rule base_rule{"a string", check_base};

bool parse_body(std::string_view json, rapidjson::Document& doc, std::string& error) {
  if (json.empty()) {
    error = "the body is empty: send a JSON object";
    return false;
  }
  if (std::string problem = detail::parse_json(json, doc); !problem.empty()) {
    error = "the body " + problem;
    return false;
  }
  if (!doc.IsObject()) {
    error = std::string("the body must be a JSON object, not ") + detail::json_type_name(doc);
    return false;
  }
  return true;
}

void write_roles(detail::json_writer& w, const role_values& v) {
  w.begin_object();
  if (v.chair) w.key("chair").string(*v.chair);
  if (v.observer) w.key("observer").string(*v.observer);
  w.key("delegations").begin_object();
  for (const auto& [state, value] : v.delegations) w.key(state).string(value);
  w.end_object();
  w.end_object();
}

}  // namespace

bool is_http_origin(std::string_view s) {
  std::string_view rest;
  if (s.starts_with("http://")) {
    rest = s.substr(7);
  } else if (s.starts_with("https://")) {
    rest = s.substr(8);
  } else {
    return false;
  }
  std::string_view host = rest, port;
  if (rest.starts_with('[')) {
    const auto close = rest.find(']');
    if (close == std::string_view::npos || close < 3) return false;
    for (char c : rest.substr(1, close - 1)) {
      if (!(std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.')) return false;
    }
    host = rest.substr(0, close + 1);
    rest = rest.substr(close + 1);
    if (!rest.empty() && rest[0] != ':') return false;
    port = rest.empty() ? std::string_view{} : rest.substr(1);
    if (rest == ":") return false;
  } else {
    const auto colon = rest.find(':');
    host = rest.substr(0, colon);
    if (colon != std::string_view::npos) {
      port = rest.substr(colon + 1);
      if (port.empty()) return false;
    }
    if (host.empty() || host.front() == '.' || host.front() == '-') return false;
    for (char c : host) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-')) return false;
    }
  }
  if (port.size() > 5) return false;
  for (char c : port) {
    if (c < '0' || c > '9') return false;
  }
  return port.empty() || std::stoi(std::string(port)) <= 65535;
}

split_request_result parse_split_request(std::string_view json) {
  split_request_result out;
  rapidjson::Document doc;
  if (!parse_body(json, doc, out.error)) return out;
  object_reader r(doc, label_style::path);
  std::string text = r.required("text", text_rule);
  if (!r.ok()) {
    out.error = r.error();
    return out;
  }
  out.text = std::move(text);
  return out;
}

reissue_request_result parse_reissue_request(std::string_view json) {
  reissue_request_result out;
  rapidjson::Document doc;
  if (!parse_body(json, doc, out.error)) return out;
  object_reader r(doc, label_style::path);
  reissue_request req;
  req.base = r.required("base", base_rule);
  const rapidjson::Value* roles = r.array("roles", /*required=*/false, /*non_empty=*/true);
  if (!r.ok()) {
    out.error = r.error();
    return out;
  }
  if (req.base.ends_with('/')) req.base.pop_back();
  if (roles == nullptr) {
    req.roles = {"all"};
  } else {
    if (roles->Size() > max_roles) {
      out.error = "roles has " + detail::with_thousands(roles->Size()) + " entries; the limit is " +
                  detail::with_thousands(max_roles);
      return out;
    }
    for (rapidjson::SizeType i = 0; i < roles->Size(); ++i) {
      std::string role;
      if (std::string problem =
              detail::read_string_value((*roles)[i], detail::any_string_rule, false, role);
          !problem.empty()) {
        out.error = detail::compose(label_style::path, "roles[" + std::to_string(i) + "]", problem);
        return out;
      }
      req.roles.push_back(std::move(role));
    }
  }
  out.request = std::move(req);
  return out;
}

std::string split_json(const std::vector<draft_file::initial_clause>& clauses) {
  detail::json_writer w;
  w.begin_object();
  w.key("clauses").begin_array();
  for (const auto& c : clauses) {
    w.begin_object();
    w.key("kind").string(to_string(c.kind));
    w.key("text").string(c.text);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.take();
}

std::string drafts_list_json(const std::vector<draft_summary>& drafts,
                             const std::vector<archived_summary>& archived) {
  detail::json_writer w;
  w.begin_object();
  w.key("drafts").begin_array();
  for (const auto& d : drafts) {
    w.begin_object();
    w.key("slug").string(d.slug);
    w.key("title").string(d.title);
    w.key("stage").string(d.stage);
    w.key("clauses").integer(d.clauses);
    w.key("amendments").integer(d.amendments);
    w.key("connected").integer(d.connected);
    w.key("present").begin_array();
    for (const auto& p : d.present) {
      w.begin_object();
      w.key("code").string(p.state);
      w.key("name").string(p.name);
      w.end_object();
    }
    w.end_array();
    w.key("last_activity");
    if (d.last_activity) {
      w.string(format_time(*d.last_activity));
    } else {
      w.null();
    }
    w.end_object();
  }
  w.end_array();
  w.key("archived").begin_array();
  for (const auto& a : archived) {
    w.begin_object();
    w.key("slug").string(a.slug);
    w.key("title").string(a.title);
    w.key("archived_at").string(format_time(a.archived_at));
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.take();
}

std::string issued_codes_json(std::string_view slug, const role_values& codes,
                              const role_values& links, const role_values* qr) {
  detail::json_writer w;
  w.begin_object();
  w.key("slug").string(slug);
  w.key("codes");
  write_roles(w, codes);
  w.key("links");
  write_roles(w, links);
  if (qr) {
    w.key("qr");
    write_roles(w, *qr);
  }
  w.end_object();
  return w.take();
}

std::string archived_json(std::string_view slug, std::int64_t archived_at) {
  detail::json_writer w;
  w.begin_object();
  w.key("slug").string(slug);
  w.key("archived_at").string(format_time(archived_at));
  w.end_object();
  return w.take();
}

}  // namespace plenary::protocol
