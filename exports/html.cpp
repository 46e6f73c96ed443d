// A printable, self-contained HTML page: inline CSS (this file is saved or printed, never
// served by plenary, so its Content-Security-Policy does not apply), no script, no external
// resource. Every piece of text is HTML-escaped.
#include "exports/render.hpp"

namespace plenary::exports {
namespace {

using namespace detail;

constexpr std::string_view style = R"(
@page { size: A4; margin: 2.5cm 2.2cm; }
body { font-family: "Times New Roman", Times, "Liberation Serif", serif; font-size: 12pt;
       line-height: 1.45; color: #000; background: #fff; max-width: 42em; margin: 2em auto;
       padding: 0 1.5em; }
h1 { font-size: 1.35em; text-align: center; margin: 0 0 .3em; }
.about { text-align: center; font-size: .85em; color: #444; margin: 0 0 2.2em; }
p { margin: 0 0 .9em; }
.preamble { text-indent: 2.5em; font-style: normal; }
.heading { font-weight: bold; margin-top: 1.4em; }
.operative { padding-inline-start: 2.5em; text-indent: -2.5em; }
.operative .num { display: inline-block; width: 2.5em; text-indent: 0; }
h2.other-notes { font-size: 1em; margin: 2em 0 .8em; }
.note { margin-block: 0 1em; margin-inline-start: 2.5em; padding: 0.3em 0.8em; border-inline-start: 3px solid #b7791f; background: #fff8e6; font-size: 0.9em; font-style: italic; }
footer { margin-top: 3em; padding-top: .5em; border-top: 1px solid #bbb; font-size: .8em;
         color: #444; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: .95em; unicode-bidi: isolate; }
.bracket .by { font-size: .85em; color: #444; }
.bracket .delete { font-style: italic; }
@media print { body { max-width: none; margin: 0; padding: 0; } footer { break-inside: avoid; } }
)";

// Escaped text, its lines joined with <br>.
std::string html_block(std::string_view text) {
  std::string out;
  for (const std::string& line : lines(text)) {
    if (!out.empty()) out += "<br>\n";
    out += xml_escape(line);
  }
  return out;
}

// A clause's text: escaped, lines joined with <br>; in the compilation form each bracket's
// alternatives marked up with their proponents:
//   [<span class="alt" data-state="CHN">wording</span> <span class="by">(China)</span> / ...]
// the text as tabled with its sponsors' codes and names:
//   <span class="alt" data-state="TABLED" data-sponsors="CHN RUS">wording</span>
//   <span class="by">(as tabled: China, Russian Federation)</span>
std::string clause_html(const document& doc, const storage::clause& c, text_form form) {
  const auto bracket = [&](const storage::brackets::bracket& b) {
    std::string out = "<span class=\"bracket\">[";
    for (std::size_t i = 0; i < b.alternatives.size(); ++i) {
      const auto& a = b.alternatives[i];
      if (i > 0) out += " / ";
      std::string sponsors;
      if (a.state == storage::tabled_state) {
        for (const std::string& code : doc.text.sponsors) {
          sponsors += (sponsors.empty() ? "" : " ") + code;
        }
        sponsors = " data-sponsors=\"" + xml_escape(sponsors) + "\"";
      }
      out += "<span class=\"alt" + std::string(a.wording.empty() ? " delete" : "") +
             "\" data-state=\"" + xml_escape(a.state) + "\"" + sponsors + ">" +
             xml_escape(shown_wording(doc, a)) + "</span> <span class=\"by\">(" +
             xml_escape(proponent(doc, a.state, true)) + ")</span>";
    }
    return out + "]</span>";
  };
  std::string out;
  for (const std::string& line : clause_lines(doc, c, form, xml_escape, bracket)) {
    if (!out.empty()) out += "<br>\n";
    out += line;
  }
  return out;
}

// A note (--comments): its lines escaped, joined with <br>, each comment's direction its own.
//   <aside class="note" id="note-3" dir="auto">Note 3 (France): ...<br>
//   Reply by United States: ...</aside>
std::string note_html(const written_note& note) {
  std::string out =
      "<aside class=\"note\" id=\"note-" + std::to_string(note.n) + "\" dir=\"auto\">";
  for (std::size_t i = 0; i < note.lines.size(); ++i) {
    out += (i ? "<br>\n" : "") + xml_escape(note.lines[i].text);
  }
  return out + "</aside>\n";
}

}  // namespace

std::string render_html(const document& doc, text_form form) {
  const std::string title = xml_escape(trim(doc.text.title));
  const words& w = words_for(doc);
  std::string html = "<html";
  if (doc.lang) {
    html += " lang=\"" + std::string(language_code(*doc.lang)) + "\"";
    if (right_to_left(*doc.lang)) html += " dir=\"rtl\"";
  }
  std::string out;
  out += "<!DOCTYPE html>\n" + html + ">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"generator\" content=\"plenary\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + title + "</title>\n<style>" + std::string(style) + "</style>\n";
  // dir="auto": the title and each clause keep their own direction whatever the page's.
  out += "</head>\n<body>\n<header>\n<h1 dir=\"auto\">" + html_block(doc.text.title) + "</h1>\n";

  const auto code = [](std::string_view s) { return "<code>" + xml_escape(s) + "</code>"; };
  std::string about = fill(w.draft, {{"slug", code(doc.slug)}});
  if (!doc.version.empty() && doc.version != doc.text.head) {
    about += fill(w.version, {{"version", code(doc.version)}});
  }
  about += fill(w.commit, {{"commit", code(short_id(doc.text.head))}});
  if (!doc.commits.empty()) {
    about += fill(w.date, {{"date", xml_escape(utc_minute(doc.commits.back().at))}});
  }
  out += "<p class=\"about\">" + about + std::string(w.end) + "</p>\n";
  if (!doc.text.sponsors.empty()) {
    std::string list;
    for (const std::string& state : doc.text.sponsors) {
      if (!list.empty()) list += w.list_separator;
      list += "<bdi>" + xml_escape(party_name(doc, state)) + "</bdi>";
    }
    out += "<p class=\"sponsors\">" + fill(w.sponsors, {{"list", list}}) + "</p>\n";
  }
  out += "</header>\n<main>\n";

  for (const storage::clause& c : doc.text.clauses) {
    const std::string id = "clause-" + xml_escape(c.id);
    const std::string text = clause_html(doc, c, form);
    switch (c.kind) {
      case storage::clause_kind::heading:
        out += "<p class=\"heading\" id=\"" + id + "\" dir=\"auto\">" + text + "</p>\n";
        break;
      case storage::clause_kind::preamble:
        out += "<p class=\"preamble\" id=\"" + id + "\" dir=\"auto\">" + text + "</p>\n";
        break;
      case storage::clause_kind::operative:
        out += "<p class=\"operative\" id=\"" + id + "\" dir=\"auto\"><span class=\"num\">" +
               std::to_string(c.number.value_or(0)) + ".</span>" + text + "</p>\n";
        break;
    }
    for (const written_note& note : clause_notes(doc, c)) out += note_html(note);
  }
  if (const auto others = other_notes(doc); !others.empty()) {
    out += "<h2 class=\"other-notes\">" + std::string(w.other_notes) + "</h2>\n";
    for (const written_note& note : others) out += note_html(note);
  }
  out += "</main>\n<footer>\n<p>" +
         fill(w.exported, {{"slug", code(doc.slug)}, {"commit", code(doc.text.head)}});
  if (!doc.commits.empty()) {
    const storage::log_entry& last = doc.commits.back();
    const std::string n = std::to_string(doc.commits.size());
    const plural p = plural_of(doc.lang.value_or(language::en), doc.commits.size());
    out += fill(w.after[static_cast<std::size_t>(p)],
                {{"n", n},
                 {"author", "<bdi>" + xml_escape(author(last)) + "</bdi>"},
                 {"date", xml_escape(utc_minute(last.at))}});
  }
  out += std::string(w.history) + "</p>\n</footer>\n</body>\n</html>\n";
  return out;
}

}  // namespace plenary::exports
