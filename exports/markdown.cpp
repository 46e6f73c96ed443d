// Markdown (CommonMark): the title as `#`, preamble paragraphs as paragraphs, headings in
// bold, operative clauses as a numbered list with their own numbers. Clause text is escaped so
// that it reads as text, never as Markdown or HTML; a line break inside a clause stays one.
#include <cctype>

#include "exports/render.hpp"

namespace plenary::exports {
namespace {

using namespace detail;

// One line of clause text as Markdown text.
std::string escape_line(std::string_view line) {
  std::string out;
  out.reserve(line.size() + 8);
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char ch = line[i];
    switch (ch) {
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '<':
      case '>':
      case '~':
      case '|':
        out += '\\';
        out += ch;
        break;
      case '&': {
        // `&amp;`, `&#39;`: only what could read as an entity is escaped.
        const bool entity_like =
            i + 1 < line.size() &&
            (std::isalnum(static_cast<unsigned char>(line[i + 1])) || line[i + 1] == '#');
        if (entity_like) out += '\\';
        out += ch;
        break;
      }
      default:
        out += ch;
    }
  }
  // What would start a block at the beginning of a line: a heading, a list, a rule.
  if (!out.empty() && (out[0] == '#' || out[0] == '+' || out[0] == '-' || out[0] == '=')) {
    out.insert(0, 1, '\\');
  } else {
    std::size_t digits = 0;
    while (digits < out.size() && std::isdigit(static_cast<unsigned char>(out[digits]))) ++digits;
    if (digits > 0 && digits < out.size() && (out[digits] == '.' || out[digits] == ')')) {
      out.insert(digits, 1, '\\');  // "1999. A year" is text, not a list item
    }
  }
  return out;
}

// A clause's lines joined by hard line breaks, continuation lines indented by `indent`.
std::string block(std::string_view text, std::size_t indent) {
  std::string out;
  bool first = true;
  for (const std::string& line : lines(text)) {
    if (!first) out += "\\\n" + std::string(indent, ' ');
    out += escape_line(line);
    first = false;
  }
  return out;
}

// A note (--comments) as a block quote in italics, a hard line break between its comments.
std::string note_markdown(const written_note& note) {
  std::string out;
  for (const note_line& line : note.lines) out += "> *" + escape_line(line.text) + "*  \n";
  out.resize(out.size() - 3);  // no hard break after the last line
  return out + "\n\n";
}

}  // namespace

std::string render_markdown(const document& doc, text_form form) {
  std::string out;
  out += "# " + block(doc.text.title, 2) + "\n\n";

  const words& w = words_for(doc);
  std::string about = "*" + fill(w.draft, {{"slug", "`" + doc.slug + "`"}});
  if (!doc.version.empty() && doc.version != doc.text.head)
    about += fill(w.version, {{"version", escape_line(doc.version)}});
  about += fill(w.commit, {{"commit", "`" + short_id(doc.text.head) + "`"}});
  if (!doc.commits.empty()) about += fill(w.date, {{"date", utc_minute(doc.commits.back().at)}});
  about += std::string(w.end) + "*";
  out += about + "\n\n";
  if (!doc.text.sponsors.empty()) {
    std::string list;
    for (const std::string& state : doc.text.sponsors) {
      if (!list.empty()) list += w.list_separator;
      list += escape_line(party_name(doc, state));
    }
    out += fill(w.sponsors, {{"list", list}}) + "\n\n";
  }

  for (const storage::clause& c : doc.text.clauses) {
    const std::string text = clause_text(doc, c, form);
    switch (c.kind) {
      case storage::clause_kind::heading:
        out += "**" + block(text, 0) + "**\n\n";
        break;
      case storage::clause_kind::preamble:
        out += block(text, 0) + "\n\n";
        break;
      case storage::clause_kind::operative: {
        const std::string marker = std::to_string(c.number.value_or(0)) + ". ";
        out += marker + block(text, marker.size()) + "\n\n";
        break;
      }
    }
    for (const written_note& note : clause_notes(doc, c)) out += note_markdown(note);
  }
  if (const auto others = other_notes(doc); !others.empty()) {
    out += "**" + std::string(w.other_notes) + "**\n\n";
    for (const written_note& note : others) out += note_markdown(note);
  }
  out.pop_back();  // one newline at the end
  return out;
}

}  // namespace plenary::exports
