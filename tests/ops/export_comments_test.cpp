// `plenary draft export --comments` (docs/extensions.md, "Comments"): the open threads as notes
// in every format (Markdown and HTML after their clause, Akoma Ntoso as <note>s in <meta>
// referred to by <noteRef>s) and in every language of exports/words.hpp; a table over formats
// and languages with the sentences written out as each language says them.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "export_document.hpp"
#include "exports/render.hpp"
#include "exports/words.hpp"
#include "process.hpp"

namespace plenary::test::ops {
namespace {
namespace fs = std::filesystem;
using exports::language;

bool has(const std::string& s, const std::string& needle) {
  return s.find(needle) != std::string::npos;
}

storage::comment_thread thread(int n, storage::comment_anchor anchor,
                               std::vector<storage::comment_entry> comments,
                               bool resolved = false) {
  storage::comment_thread t;
  t.n = n;
  t.anchor = std::move(anchor);
  t.comments = std::move(comments);
  t.resolved = resolved;
  return t;
}

storage::comment_anchor anchor(storage::anchor_kind kind, std::string clause, int proposal = 0,
                               std::string quote = "") {
  storage::comment_anchor a;
  a.kind = kind;
  a.clause = std::move(clause);
  a.proposal = proposal;
  a.quote = std::move(quote);
  return a;
}

// Akoma Ntoso checked by xmllint: well-formed; and valid against OASIS' schema when
// PLENARY_AKN_XSD names akomantoso30.xsd (Debian ships none; the W3C's xml.xsd beside it).
void expect_valid_akn(const std::string& xml) {
  if (!find_program("xmllint")) return;
  temp_dir tmp;
  const fs::path file = tmp.path() / "export.xml";
  std::ofstream(file, std::ios::binary) << xml;
  auto lint = sh("xmllint --noout " + quote(file.string()));
  EXPECT_EQ(lint.status, 0) << lint.out;
  if (const char* xsd = std::getenv("PLENARY_AKN_XSD"); xsd != nullptr && *xsd != '\0') {
    auto valid = sh("xmllint --noout --schema " + quote(xsd) + " " + quote(file.string()));
    EXPECT_EQ(valid.status, 0) << valid.out;
  }
}

// Three clauses; five threads: 1 on clause c2 with a reply, 2 on words of c3 that are gone
// since, 3 on a proposal on no clause, 4 on a clause deleted since (c9), 5 resolved.
exports::document commented_document(std::optional<language> l) {
  using k = storage::clause_kind;
  exports::document d = demo_document(
      "Code of Conduct",
      {make_clause("c1", k::preamble, std::nullopt, "Recognizing the need,"),
       make_clause("c2", k::operative, 1, "To comply with ⟦FRA: the Charter ‖ CHAIR: ⟧;"),
       make_clause("c3", k::operative, 2, "Calls upon all States;")},
      demo_history::opened);
  d.lang = l;
  const storage::actor fra{"FRA", "France"}, rus{"RUS", "Russian Federation"};
  using a = storage::anchor_kind;
  d.notes = {
      {thread(1, anchor(a::clause, "c2"), {{fra, 1, "Too weak."}, {rus, 2, "Agreed,\nstrongly."}})},
      {thread(2, anchor(a::span, "c3", 0, "the Charter"), {{fra, 3, "Which one?"}}),
       storage::anchor_state::words_gone},
      {thread(3, anchor(a::proposal, "", 2), {{fra, 4, "Support."}})},
      {thread(4, anchor(a::clause, "c9"), {{rus, 5, "Why gone?"}})},
      {thread(5, anchor(a::clause, "c3"), {{rus, 6, "Settled."}}, true)},
  };
  return d;
}

// The notes as each language writes them (plain text, before a format's escaping).
struct notes_case {
  std::optional<language> l;
  std::string first;     // thread 1, on clause c2
  std::string reply;     // its reply
  std::string gone;      // thread 2, words gone
  std::string other;     // the heading of the notes on no clause
  std::string deleted;   // thread 4, clause not in the text
  std::string proposal;  // thread 3
};

std::vector<notes_case> notes_cases() {
  return {
      {std::nullopt, "Note 1 (France): Too weak.", "Reply by Russian Federation: Agreed, strongly.",
       "Note 2 (France, on \u201Cthe Charter\u201D; the words are no longer in the text): Which "
       "one?",
       "Other notes", "Note 4 (Russian Federation; the clause is not in this text): Why gone?",
       "Note 3 (France, on proposal 2): Support."},
      {language::ar, "ملاحظة 1 (France): Too weak.", "رد من Russian Federation: Agreed, strongly.",
       "ملاحظة 2 (France، على الكلمات «the Charter»؛ لم تعد هذه الكلمات في النص): Which one?",
       "ملاحظات أخرى", "ملاحظة 4 (Russian Federation؛ البند ليس في هذا النص): Why gone?",
       "ملاحظة 3 (France، على الاقتراح 2): Support."},
      {language::zh, "说明 1（France）：Too weak.", "Russian Federation 回复：Agreed, strongly.",
       "说明 2（France，针对词语“the Charter”；这些词语已不在文本中）：Which one?", "其他说明",
       "说明 4（Russian Federation；该条款不在本文本中）：Why gone?",
       "说明 3（France，针对第2号提案）：Support."},
      {language::en, "Note 1 (France): Too weak.", "Reply by Russian Federation: Agreed, strongly.",
       "Note 2 (France, on \u201Cthe Charter\u201D; the words are no longer in the text): Which "
       "one?",
       "Other notes", "Note 4 (Russian Federation; the clause is not in this text): Why gone?",
       "Note 3 (France, on proposal 2): Support."},
      {language::fr, "Note 1 (France)\u00a0: Too weak.",
       "Réponse (Russian Federation)\u00a0: Agreed, strongly.",
       "Note 2 (France, sur les mots «\u00a0the Charter\u00a0»\u00a0; ces mots ne sont plus dans "
       "le "
       "texte)\u00a0: Which one?",
       "Autres notes",
       "Note 4 (Russian Federation\u00a0; la clause n’est pas dans ce texte)\u00a0: Why gone?",
       "Note 3 (France, sur la proposition 2)\u00a0: Support."},
      {language::ru, "Пояснение 1 (France): Too weak.",
       "Ответ (Russian Federation): Agreed, strongly.",
       "Пояснение 2 (France, к словам «the Charter»; этих слов больше нет в тексте): Which one?",
       "Прочие пояснения",
       "Пояснение 4 (Russian Federation; этого пункта нет в данном тексте): Why gone?",
       "Пояснение 3 (France, к предложению 2): Support."},
      {language::es, "Nota 1 (France): Too weak.",
       "Respuesta de Russian Federation: Agreed, strongly.",
       "Nota 2 (France, sobre las palabras «the Charter»; estas palabras ya no están en el texto): "
       "Which one?",
       "Otras notas", "Nota 4 (Russian Federation; la cláusula no figura en este texto): Why gone?",
       "Nota 3 (France, sobre la propuesta 2): Support."},
  };
}

std::string case_name(const notes_case& c) {
  return c.l ? std::string(exports::language_code(*c.l)) : std::string("none");
}

// Every format in every language: each open thread's sentences, in the language's words only,
// the resolved thread nowhere, the notes on no clause after the text under their heading.
TEST(ExportComments, EveryFormatWritesTheNotesInEveryLanguage) {
  const std::vector<std::pair<std::string, exports::format>> formats = {
      {"md", exports::format::markdown},
      {"html", exports::format::html},
      {"akn", exports::format::akn}};
  for (const notes_case& c : notes_cases()) {
    for (const auto& [format_name, format] : formats) {
      SCOPED_TRACE(case_name(c) + " " + format_name);
      const std::string out =
          exports::render(commented_document(c.l), format, exports::text_form::compilation);
      for (const std::string& sentence : {c.first, c.reply, c.gone, c.deleted, c.proposal}) {
        EXPECT_TRUE(has(out, sentence)) << sentence << "\n" << out;
      }
      EXPECT_FALSE(has(out, "Settled.")) << "a resolved thread is no note";
      // The notes on clauses come after their clause; the others after the last clause (Akoma
      // Ntoso's are all in <meta>: the next test).
      if (format != exports::format::akn) {
        EXPECT_LT(out.find("Too weak."), out.find("Calls upon all States;"));
        EXPECT_GT(out.find("Which one?"), out.find("Calls upon all States;"));
        EXPECT_TRUE(has(out, c.other)) << out;
        EXPECT_GT(out.find(c.other), out.find("Calls upon all States;"));
        EXPECT_GT(out.find("Why gone?"), out.find(c.other));
      }
      if (c.l && *c.l != language::en) {
        for (const char* english :
             {"Reply by", "Other notes", "no longer in the text", "on proposal"}) {
          EXPECT_FALSE(has(out, english)) << english;
        }
      }
    }
  }
}

// The notes' words hold their placeholders and nothing Markdown or HTML would read, and agree
// with docs/un-terms.md ("note, reply"), where they are chosen.
TEST(ExportComments, TheNotesWordsAreComplete) {
  const std::string doc = read_file(fs::path(PLENARY_SOURCE_DIR) / "docs" / "un-terms.md");
  for (language l : exports::all_languages) {
    SCOPED_TRACE(std::string(exports::language_code(l)));
    const exports::words& w = exports::words_of(l);
    for (const char* placeholder : {"{n}", "{author}", "{on}", "{place}", "{text}"}) {
      EXPECT_TRUE(has(std::string(w.note), placeholder)) << w.note;
    }
    EXPECT_TRUE(has(std::string(w.reply), "{author}") && has(std::string(w.reply), "{text}"));
    EXPECT_TRUE(has(std::string(w.on_words), "{quote}"));
    EXPECT_TRUE(has(std::string(w.on_proposal), "{n}"));
    for (std::string_view word : {w.note, w.on_words, w.on_proposal, w.words_changed, w.words_gone,
                                  w.clause_gone, w.reply, w.other_notes}) {
      EXPECT_FALSE(word.empty());
      EXPECT_EQ(word.find_first_of("<>&*_`[]\\#|~"), std::string_view::npos) << word;
    }
    EXPECT_TRUE(has(doc, std::string(w.other_notes))) << w.other_notes;
    std::string gone(w.words_gone);
    gone.erase(0, gone.find_first_not_of("; \u00a0\xef\xbc\x9b\xd8\x9b"));
    EXPECT_TRUE(has(doc, gone)) << gone;
  }
}

TEST(ExportComments, MarkdownAndHtmlMarkTheNotesUp) {
  const auto md =
      exports::render_markdown(commented_document(language::en), exports::text_form::compilation);
  EXPECT_TRUE(has(md,
                  "> *Note 1 (France): Too weak.*  \n"
                  "> *Reply by Russian Federation: Agreed, strongly.*\n\n2. "))
      << md;
  EXPECT_TRUE(has(md, "**Other notes**\n\n> *Note 3 (France, on proposal 2): Support.*\n\n")) << md;
  const auto html =
      exports::render_html(commented_document(language::ar), exports::text_form::compilation);
  EXPECT_TRUE(has(html,
                  "<aside class=\"note\" id=\"note-1\" dir=\"auto\">ملاحظة 1 (France): Too "
                  "weak.<br>\nرد من Russian Federation: Agreed, strongly.</aside>"))
      << html;
  EXPECT_TRUE(has(html, "<h2 class=\"other-notes\">ملاحظات أخرى</h2>")) << html;
}

// Akoma Ntoso: <notes source="#plenary"> the last child of <meta> after <references> (the
// schema's order), one <note> per open thread with a <p> per comment referring to its author's
// TLC entry; a <noteRef> at the end of the clause for each note on one, none for the others.
TEST(ExportComments, AkomaNtosoNotesAreInMetaAndReferredToFromTheirClause) {
  temp_dir tmp;
  const auto xml =
      exports::render_akn(commented_document(language::fr), exports::text_form::compilation);
  EXPECT_TRUE(has(xml, "      </references>\n      <notes source=\"#plenary\">\n")) << xml;
  EXPECT_TRUE(has(xml, "      </notes>\n    </meta>\n")) << xml;
  EXPECT_TRUE(has(xml,
                  "<note eId=\"note_1\" class=\"comment\" marker=\"1\">\n"
                  "          <p refersTo=\"#fra\">Note 1 (France)\u00a0: Too weak.</p>\n"
                  "          <p refersTo=\"#rus\">Réponse (Russian Federation)\u00a0: Agreed, "
                  "strongly.</p>\n        </note>"))
      << xml;
  EXPECT_TRUE(has(xml, "<note eId=\"note_4\" class=\"comment other\" marker=\"4\">")) << xml;
  EXPECT_TRUE(has(xml,
                  "(CHAIR)]</inline>;<noteRef href=\"#note_1\" marker=\"1\" "
                  "class=\"comment\"/></p>"))
      << xml;
  EXPECT_TRUE(has(xml,
                  "Calls upon all States;<noteRef href=\"#note_2\" marker=\"2\" "
                  "class=\"comment\"/></p>"))
      << xml;
  if (!find_program("xmllint")) GTEST_SKIP() << "xmllint is missing: apt-get install libxml2-utils";
  const fs::path file = tmp.path() / "export.xml";
  std::ofstream(file, std::ios::binary) << xml;
  ASSERT_EQ(sh("xmllint --noout " + quote(file.string())).status, 0);
  const auto count = [&](const std::string& expr) {
    auto r = sh("xmllint --xpath " + quote(expr) + " " + quote(file.string()));
    return r.out;
  };
  EXPECT_EQ(count("count(//*[local-name()='note'])"), "4\n");
  EXPECT_EQ(count("count(//*[local-name()='noteRef'])"), "2\n");
  // Every noteRef points at a note; every note's author is in <references>.
  EXPECT_EQ(count("count(//*[local-name()='noteRef'][not(substring(@href, 2) = "
                  "//*[local-name()='note']/@eId)])"),
            "0\n");
  EXPECT_EQ(count("count(//*[local-name()='note']/*[local-name()='p'][not(substring(@refersTo, "
                  "2) = //*[local-name()='references']/*/@eId)])"),
            "0\n");
  // <notes> follows <references> and is the last child of <meta>.
  EXPECT_EQ(count("local-name(//*[local-name()='meta']/*[last()])"), "notes\n");
  EXPECT_EQ(count("local-name(//*[local-name()='notes']/preceding-sibling::*[1])"), "references\n");
  expect_valid_akn(xml);
}

// A thread on words whose place in the exported text is known (note::end) has its <noteRef>
// right after them; after the bracket when they end inside one (markup cannot cross it); at the
// end of the line when they end at a line break; the text around them unchanged.
TEST(ExportComments, AkomaNtosoRefersToTheWordsWhereTheyAre) {
  auto d = commented_document(language::en);
  d.text.clauses[2].text = "Calls upon\nall States;";
  const storage::actor fra{"FRA", "France"};
  using a = storage::anchor_kind;
  d.notes = {
      {thread(6, anchor(a::span, "c3", 0, "Calls"), {{fra, 1, "Whom?"}}),
       storage::anchor_state::exact, 5},
      {thread(7, anchor(a::span, "c2", 0, "the Charter"), {{fra, 2, "Which?"}}),
       storage::anchor_state::changed, 30},
      {thread(8, anchor(a::span, "c3", 0, "upon"), {{fra, 3, "Why?"}}),
       storage::anchor_state::exact, 10},
  };
  // "To comply with ⟦FRA: the Charter ‖ CHAIR: ⟧;": offset 30 is inside the bracket.
  ASSERT_GT(d.text.clauses[1].text.find("\xe2\x9f\xa7"), 30u);
  const auto ref = [](int n) {
    return "<noteRef href=\"#note_" + std::to_string(n) + "\" marker=\"" + std::to_string(n) +
           "\" class=\"comment\"/>";
  };
  const auto xml = exports::render_akn(d, exports::text_form::compilation);
  EXPECT_TRUE(has(xml, "<p>Calls" + ref(6) + " upon" + ref(8) + "</p>\n")) << xml;
  EXPECT_TRUE(has(xml, "<p>all States;</p>\n")) << xml;
  EXPECT_TRUE(has(xml, "(CHAIR)]</inline>" + ref(7) + ";</p>")) << xml;
  EXPECT_TRUE(has(xml,
                  "Note 7 (France, on \u201Cthe Charter\u201D; the words have changed since): "
                  "Which?"))
      << xml;
  // The clean form: the bracket is text, the reference still after it.
  const auto clean = exports::render_akn(d, exports::text_form::clean);
  EXPECT_TRUE(has(clean, "(delete)]" + ref(7) + ";</p>")) << clean;
  expect_valid_akn(xml);
  expect_valid_akn(clean);
  // Markdown and HTML are unchanged by where the words are: the notes follow the clause.
  const auto md = exports::render_markdown(d, exports::text_form::compilation);
  EXPECT_FALSE(has(md, "noteRef"));
}

}  // namespace
}  // namespace plenary::test::ops
