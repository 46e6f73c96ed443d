// Exports of a draft as a document to print, publish or archive (procedure.md, "Exports"):
// Markdown, a self-contained printable HTML page, and Akoma Ntoso 3.0 XML.
//
// This layer turns plain values (a storage::snapshot and log entries) into text. It opens
// nothing and knows nothing of git, sockets or JSON; storage knows nothing of formats.
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/model.hpp"

namespace plenary::exports {

enum class format { markdown, html, akn };
std::optional<format> parse_format(std::string_view s) noexcept;  // "md", "html", "akn"

// How the text of a clause is written (procedure.md): `clean` shows each remaining bracket
// as `[wording / other wording]` without names, `compilation` shows each alternative with its
// proponent. A text without brackets is the same in both.
enum class text_form { clean, compilation };
std::optional<text_form> parse_text_form(std::string_view s) noexcept;  // "clean", "compilation"

// What is exported: the draft as it stood at one version, and how it got there.
struct document {
  std::string slug;
  storage::snapshot text;                   // the clauses at that version
  std::vector<storage::log_entry> commits;  // `main` up to and with that version, oldest first
  std::vector<storage::actor> parties;      // the roster's delegations, in roster order
  std::string version;                      // the name asked for (tag or commit); "" = head
};

// The whole export, ending with a newline.
std::string render(const document& doc, format f, text_form form);

std::string render_markdown(const document& doc, text_form form);
std::string render_html(const document& doc, text_form form);
std::string render_akn(const document& doc, text_form form);

// The text of a clause as every format shows it, before that format's escaping. This is the
// one place where brackets (procedure.md, "Bracketed text") become `[a / b]` (clean) or carry
// their proponents (compilation); today's texts have none, so it returns the text unchanged.
std::string clause_text(const storage::clause& c, text_form form);

// Helpers shared by the formats.
namespace detail {
std::string utc_date(std::int64_t at);       // "2026-11-27"
std::string utc_minute(std::int64_t at);     // "2026-11-27 10:15 UTC"
std::string xml_escape(std::string_view s);  // & < > " ' as entities; other controls dropped
std::vector<std::string> lines(std::string_view text);  // split on '\n', each line trimmed
std::string trim(std::string_view s);
std::string short_id(std::string_view commit);  // the first 7 hex digits
// Who made a commit, for people: "Russian Federation (RUS)".
std::string author(const storage::log_entry& e);
}  // namespace detail

}  // namespace plenary::exports
