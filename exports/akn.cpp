// Akoma Ntoso 3.0 (OASIS LegalDocML) XML of a draft, as a generic <doc>:
//   <meta>      FRBR identification of the work (the draft), the expression (this version)
//               and the manifestation (this file); a lifecycle <eventRef> per commit of main
//               up to the version, its source the state that made it; <references> with a
//               TLC entry for plenary, the chair and each delegation (and a TLCConcept for
//               the text as tabled, TABLED, when a compilation's alternative is it).
//   <preface>   the title.
//   <preamble>  the preambular paragraphs that precede the operative part, as recitals.
//   <mainBody>  the operative clauses as numbered <paragraph>s; a heading that introduces
//               operative clauses becomes the <intro> of an <hcontainer> holding them.
// Bracketed text: `[a / b]` in the clean form; in the compilation form each alternative is an
// <inline name="alternative"> referring to its proponent (akn_bracket below).
// Comments (--comments): <notes> in <meta>, a <noteRef> after the words or at the end of the
// clause (notes(), paragraphs()).
// All text is XML-escaped.
#include <algorithm>
#include <cctype>
#include <set>

#include "exports/render.hpp"

namespace plenary::exports {
namespace {

using namespace detail;

// The language of the text is not recorded in a draft: ISO 639-2 "undetermined", unless the
// export names one (--lang).
std::string_view language_of(const document& doc) {
  return doc.lang ? language_code3(*doc.lang) : std::string_view("und");
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The eId of the TLC entry for a state code ("RUS" -> "rus", "CHAIR" -> "chair").
std::string party_id(std::string_view state) { return lower(state); }

std::string attr(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + xml_escape(value) + "\"";
}

// A bracket in the compilation form. Akoma Ntoso has no element for alternative wordings
// under negotiation, so they are generic inlines: the bracket an <inline name="bracket">, each
// alternative an <inline name="alternative"> whose refersTo names its proponent's TLC entry
// in <references> (a proposal to delete: class="deletion"), its code after it as in print:
//   <inline name="bracket">[<inline name="alternative" refersTo="#chn">wording</inline> (CHN)
//   / ...]</inline>
// The text as tabled (TABLED) refers to its TLCConcept `#tabled` and to each sponsor's entry,
// its codes after it in the export's language (proponent): `<inline name="alternative"
// refersTo="#tabled #chn #rus">wording</inline> (as tabled: CHN, RUS)`.
std::string akn_bracket(const document& doc, const storage::brackets::bracket& b) {
  std::string out = "<inline name=\"bracket\">[";
  for (std::size_t i = 0; i < b.alternatives.size(); ++i) {
    const auto& a = b.alternatives[i];
    if (i > 0) out += " / ";
    std::string refers = "#" + party_id(a.state);
    if (a.state == storage::tabled_state) {
      for (const std::string& code : doc.text.sponsors) refers += " #" + party_id(code);
    }
    out += "<inline name=\"alternative\"" + attr("refersTo", refers) +
           (a.wording.empty() ? attr("class", "deletion") : std::string()) + ">" +
           xml_escape(shown_wording(doc, a)) + "</inline> (" +
           xml_escape(proponent(doc, a.state, false)) + ")";
  }
  return out + "]</inline>";
}

// The eId of a thread's <note> in <meta> (--comments).
std::string note_id(int n) { return "note_" + std::to_string(n); }

// <p> per line of a clause, at `indent`, brackets marked up in the compilation form; with
// --comments a <noteRef> per open thread on the clause: right after its words for a thread on
// words whose place in this text is known (note::end; after the bracket when they end inside
// one, since markup cannot cross it), else at the end of the clause's last line.
std::string paragraphs(const document& doc, const storage::clause& c, text_form form,
                       const std::string& indent) {
  const auto bracket = [&](const storage::brackets::bracket& b) { return akn_bracket(doc, b); };
  std::vector<text_mark> marks;
  std::string refs;
  for (const written_note& note : clause_notes(doc, c)) {
    std::string ref = "<noteRef" + attr("href", "#" + note_id(note.n)) +
                      attr("marker", std::to_string(note.n)) + attr("class", "comment") + "/>";
    if (note.end && *note.end <= c.text.size()) {
      marks.push_back({*note.end, std::move(ref)});
    } else {
      refs += ref;
    }
  }
  std::vector<std::string> lines = clause_lines(doc, c, form, xml_escape, bracket, marks);
  if (!refs.empty()) {
    if (lines.empty()) lines.emplace_back();
    lines.back() += refs;
  }
  std::string out;
  for (const std::string& line : lines) out += indent + "<p>" + line + "</p>\n";
  return out;
}

class writer {
 public:
  writer(const document& doc, text_form form) : doc_(doc), form_(form), words_(words_for(doc)) {}

  std::string run() {
    out_ += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out_ += "<akomaNtoso xmlns=\"http://docs.oasis-open.org/legaldocml/ns/akn/3.0\">\n";
    // The language is declared by FRBRlanguage and the expression's URI: the schema allows no
    // xml:lang on <doc> (nor on <akomaNtoso>).
    out_ += "  <doc name=\"draft\">\n";
    meta();
    out_ += "    <preface>\n      <p class=\"title\"><docTitle>" +
            xml_escape(one_line(doc_.text.title)) + "</docTitle></p>\n";
    sponsors();
    out_ += "    </preface>\n";
    body();
    out_ += "  </doc>\n</akomaNtoso>\n";
    return std::move(out_);
  }

 private:
  static std::string one_line(std::string_view s) {
    std::string out;
    for (const std::string& l : lines(s)) out += (out.empty() ? "" : " ") + l;
    return out;
  }

  void meta() {
    const std::string work_date =
        doc_.commits.empty() ? "1970-01-01" : utc_date(doc_.commits.front().at);
    const std::string version_date =
        doc_.commits.empty() ? work_date : utc_date(doc_.commits.back().at);
    const std::string work = "/akn/un/doc/draft/" + work_date + "/" + doc_.slug;
    const std::string expression =
        work + "/" + std::string(language_of(doc_)) + "@" + short_id(doc_.text.head);
    const std::string author =
        doc_.commits.empty() ? "chair" : party_id(doc_.commits.front().by.state);

    out_ += "    <meta>\n      <identification" + attr("source", "#plenary") + ">\n";
    out_ += "        <FRBRWork>\n";
    out_ += "          <FRBRthis" + attr("value", work + "/!main") + "/>\n";
    out_ += "          <FRBRuri" + attr("value", work) + "/>\n";
    out_ += "          <FRBRdate" + attr("date", work_date) + attr("name", "generation") + "/>\n";
    out_ += "          <FRBRauthor" + attr("href", "#" + author) + "/>\n";
    out_ += "          <FRBRcountry" + attr("value", "un") + "/>\n";
    out_ += "          <FRBRname" + attr("value", one_line(doc_.text.title)) + "/>\n";
    out_ += "        </FRBRWork>\n";
    out_ += "        <FRBRExpression>\n";
    out_ += "          <FRBRthis" + attr("value", expression + "/!main") + "/>\n";
    out_ += "          <FRBRuri" + attr("value", expression) + "/>\n";
    if (!doc_.version.empty() && doc_.version != doc_.text.head) {
      out_ +=
          "          <FRBRalias" + attr("value", doc_.version) + attr("name", "version") + "/>\n";
    }
    out_ += "          <FRBRdate" + attr("date", version_date) + attr("name", "version") + "/>\n";
    out_ += "          <FRBRauthor" + attr("href", "#plenary") + "/>\n";
    out_ += "          <FRBRlanguage" + attr("language", language_of(doc_)) + "/>\n";
    out_ += "        </FRBRExpression>\n";
    out_ += "        <FRBRManifestation>\n";
    out_ += "          <FRBRthis" + attr("value", expression + "/!main.xml") + "/>\n";
    out_ += "          <FRBRuri" + attr("value", expression + ".akn") + "/>\n";
    out_ += "          <FRBRdate" + attr("date", version_date) + attr("name", "export") + "/>\n";
    out_ += "          <FRBRauthor" + attr("href", "#plenary") + "/>\n";
    out_ += "        </FRBRManifestation>\n";
    out_ += "      </identification>\n";

    if (!doc_.commits.empty()) {
      out_ += "      <lifecycle" + attr("source", "#plenary") + ">\n";
      std::size_t n = 0;
      for (const storage::log_entry& e : doc_.commits) {
        ++n;
        const bool first = n == 1;
        out_ += "        <eventRef" + attr("eId", "evt_" + std::to_string(n)) +
                attr("date", utc_date(e.at)) + attr("source", "#" + party_id(e.by.state)) +
                attr("type", first ? "generation" : "amendment") + "/>\n";
      }
      out_ += "      </lifecycle>\n";
    }

    // plenary itself, the chair, every delegation of the roster, and anyone else who acted.
    out_ += "      <references" + attr("source", "#plenary") + ">\n";
    out_ += "        <TLCOrganization" + attr("eId", "plenary") +
            attr("href", "/ontology/organization/plenary") + attr("showAs", "plenary") + "/>\n";
    std::set<std::string> listed{"plenary"};
    auto party = [&](const storage::actor& a) {
      const std::string id = party_id(a.state);
      if (!listed.insert(id).second) return;
      const std::string name = a.name.empty() ? a.state : a.name;
      if (a.state == "CHAIR") {
        out_ += "        <TLCPerson" + attr("eId", id) +
                attr("href", "/ontology/person/" + doc_.slug + "/chair") + attr("showAs", name) +
                "/>\n";
      } else if (a.state == storage::tabled_state) {
        // Not a party: the wording of the draft as its sponsors tabled it.
        out_ += "        <TLCConcept" + attr("eId", id) +
                attr("href", "/ontology/concept/" + doc_.slug + "/tabled") +
                attr("showAs", words_.tabled) + "/>\n";
      } else {
        out_ += "        <TLCOrganization" + attr("eId", id) +
                attr("href", "/ontology/organization/state/" + id) + attr("showAs", name) + "/>\n";
      }
    };
    party({"CHAIR", std::string(words_.chair)});
    for (const storage::actor& a : doc_.parties) party(a);
    for (const storage::log_entry& e : doc_.commits) party(e.by);
    for (const std::string& state : doc_.text.sponsors) party({state, party_name(doc_, state)});
    // The proponents that the compilation form's alternatives refer to (akn_bracket).
    if (form_ == text_form::compilation) {
      for (const storage::clause& c : doc_.text.clauses) {
        if (!storage::brackets::has_marks(c.text)) continue;
        auto parsed = storage::brackets::parse(c.text);
        if (!parsed) continue;
        for (const auto& b : *parsed) {
          // The text as tabled also refers to the sponsors, all listed above.
          for (const auto& a : b.alternatives) party({a.state, party_name(doc_, a.state)});
        }
      }
    }
    // Whoever wrote a note (a delegation since removed from the roster too).
    for (const note& n : doc_.notes) {
      for (const storage::comment_entry& c : n.thread.comments) party(c.by);
    }
    out_ += "      </references>\n";
    notes();
    out_ += "    </meta>\n";
  }

  // --comments: each open thread a <note> (after <references>, as the schema orders <meta>),
  // one <p> per comment referring to its author's TLC entry; the ones on a clause of the text
  // first, in its order, each referred to by a <noteRef> there (paragraphs), then the others
  // (class "comment other": their clause is not in this text), referred to by nothing.
  void notes() {
    std::vector<written_note> on_clauses;
    for (const storage::clause& c : doc_.text.clauses) {
      for (written_note& n : clause_notes(doc_, c)) on_clauses.push_back(std::move(n));
    }
    const std::vector<written_note> others = other_notes(doc_);
    if (on_clauses.empty() && others.empty()) return;
    out_ += "      <notes" + attr("source", "#plenary") + ">\n";
    const auto write = [&](const written_note& n, std::string_view cls) {
      out_ += "        <note" + attr("eId", note_id(n.n)) + attr("class", cls) +
              attr("marker", std::to_string(n.n)) + ">\n";
      for (const note_line& line : n.lines) {
        out_ += "          <p" + attr("refersTo", "#" + party_id(line.state)) + ">" +
                xml_escape(line.text) + "</p>\n";
      }
      out_ += "        </note>\n";
    };
    for (const written_note& n : on_clauses) write(n, "comment");
    for (const written_note& n : others) write(n, "comment other");
    out_ += "      </notes>\n";
  }

  // The draft's sponsors, each a <docProponent> referring to its TLC entry.
  void sponsors() {
    if (doc_.text.sponsors.empty()) return;
    std::string list;
    for (const std::string& state : doc_.text.sponsors) {
      if (!list.empty()) list += words_.list_separator;
      list += "<docProponent" + attr("refersTo", "#" + party_id(state)) + ">" +
              xml_escape(party_name(doc_, state)) + "</docProponent>";
    }
    out_ += "      <p class=\"sponsors\">" + fill(words_.sponsors, {{"list", list}}) + "</p>\n";
  }

  void body() {
    const auto& cs = doc_.text.clauses;
    // The preamble: up to the last preambular paragraph before the first operative clause.
    std::size_t split = 0;
    const auto first_op = std::find_if(cs.begin(), cs.end(), [](const storage::clause& c) {
      return c.kind == storage::clause_kind::operative;
    });
    for (auto it = cs.begin(); it != first_op; ++it) {
      if (it->kind == storage::clause_kind::preamble)
        split = static_cast<std::size_t>(it - cs.begin()) + 1;
    }
    if (first_op == cs.end()) split = 0;  // no operative part: everything in the body

    if (split > 0) {
      out_ += "    <preamble>\n";
      bool in_recitals = false;
      for (std::size_t i = 0; i < split; ++i) {
        if (cs[i].kind == storage::clause_kind::preamble) {
          if (!in_recitals) {
            out_ += "      <recitals" + attr("eId", "recs_" + std::to_string(++recitals_)) + ">\n";
            in_recitals = true;
          }
          out_ += "        <recital" +
                  attr("eId", "recs_" + std::to_string(recitals_) + "__rec_" +
                                  std::to_string(++recital_)) +
                  attr("wId", cs[i].id) + ">\n";
          out_ += paragraphs(doc_, cs[i], form_, "          ");
          out_ += "        </recital>\n";
        } else {
          if (in_recitals) out_ += "      </recitals>\n";
          in_recitals = false;
          out_ += paragraphs(doc_, cs[i], form_, "      ");
        }
      }
      if (in_recitals) out_ += "      </recitals>\n";
      out_ += "    </preamble>\n";
    }

    out_ += "    <mainBody>\n";
    for (std::size_t i = split; i < cs.size(); ++i) {
      const storage::clause& c = cs[i];
      if (c.kind == storage::clause_kind::operative) {
        paragraph(c, "      ");
        continue;
      }
      const std::string id = "hcontainer_" + std::to_string(++containers_);
      const bool introduces = c.kind == storage::clause_kind::heading && i + 1 < cs.size() &&
                              cs[i + 1].kind == storage::clause_kind::operative;
      if (introduces) {
        out_ += "      <hcontainer" + attr("eId", id) + attr("wId", c.id) +
                attr("name", "chapeau") + ">\n";
        out_ +=
            "        <intro>\n" + paragraphs(doc_, c, form_, "          ") + "        </intro>\n";
        while (i + 1 < cs.size() && cs[i + 1].kind == storage::clause_kind::operative) {
          paragraph(cs[++i], "        ");
        }
        out_ += "      </hcontainer>\n";
      } else {
        const char* name = c.kind == storage::clause_kind::heading ? "heading" : "recital";
        out_ +=
            "      <hcontainer" + attr("eId", id) + attr("wId", c.id) + attr("name", name) + ">\n";
        out_ += "        <content>\n" + paragraphs(doc_, c, form_, "          ") +
                "        </content>\n";
        out_ += "      </hcontainer>\n";
      }
    }
    out_ += "    </mainBody>\n";
  }

  void paragraph(const storage::clause& c, const std::string& indent) {
    const int n = c.number.value_or(0);
    out_ += indent + "<paragraph" + attr("eId", "para_" + std::to_string(n)) + attr("wId", c.id) +
            ">\n";
    out_ += indent + "  <num>" + std::to_string(n) + ".</num>\n";
    out_ += indent + "  <content>\n" + paragraphs(doc_, c, form_, indent + "    ") + indent +
            "  </content>\n";
    out_ += indent + "</paragraph>\n";
  }

  const document& doc_;
  const text_form form_;
  const words& words_;
  std::string out_;
  int recitals_ = 0;
  int recital_ = 0;
  int containers_ = 0;
};

}  // namespace

std::string render_akn(const document& doc, text_form form) { return writer(doc, form).run(); }

}  // namespace plenary::exports
