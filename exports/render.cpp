#include "exports/render.hpp"

#include <ctime>

namespace plenary::exports {

std::optional<format> parse_format(std::string_view s) noexcept {
  if (s == "md" || s == "markdown") return format::markdown;
  if (s == "html") return format::html;
  if (s == "akn") return format::akn;
  return std::nullopt;
}

std::optional<text_form> parse_text_form(std::string_view s) noexcept {
  if (s == "clean") return text_form::clean;
  if (s == "compilation") return text_form::compilation;
  return std::nullopt;
}

std::string render(const document& doc, format f, text_form form) {
  switch (f) {
    case format::markdown:
      return render_markdown(doc, form);
    case format::html:
      return render_html(doc, form);
    case format::akn:
      return render_akn(doc, form);
  }
  return {};
}

std::string clause_text(const storage::clause& c, text_form form) {
  // Brackets come with procedure.md's `bracket` message; until then no text has any, and
  // both forms are the text itself. Their rendering goes here, for every format at once.
  (void)form;
  return c.text;
}

namespace detail {

namespace {
std::tm utc(std::int64_t at) {
  std::time_t t = static_cast<std::time_t>(at);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  return tm;
}
}  // namespace

std::string utc_date(std::int64_t at) {
  std::tm tm = utc(at);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string utc_minute(std::int64_t at) {
  std::tm tm = utc(at);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char ch : s) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        // XML 1.0 allows no control character but tab, newline and carriage return.
        if (static_cast<unsigned char>(ch) < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') {
          break;
        }
        out += ch;
    }
  }
  return out;
}

std::string trim(std::string_view s) {
  const char* ws = " \t\r\n";
  const auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(ws);
  return std::string(s.substr(b, e - b + 1));
}

std::vector<std::string> lines(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string line = trim(text.substr(start, end - start));
    if (!line.empty()) out.push_back(std::move(line));
    start = end + 1;
  }
  return out;
}

std::string short_id(std::string_view commit) { return std::string(commit.substr(0, 7)); }

std::string author(const storage::log_entry& e) {
  if (e.by.name.empty()) return e.by.state;
  return e.by.name + " (" + e.by.state + ")";
}

}  // namespace detail
}  // namespace plenary::exports
