// Exports of bracketed text (procedure.md, "Exports"): the clean form `[a / b]` and the
// compilation form with each alternative's proponent, in Markdown, HTML and Akoma Ntoso; then
// `plenary draft export --text` on a draft bracketed through storage.
#include <gtest/gtest.h>

#include <fstream>

#include "export_document.hpp"
#include "exports/render.hpp"
#include "process.hpp"
#include "storage/draft.hpp"

namespace plenary::test::ops {
namespace {
namespace fs = std::filesystem;

bool has(const std::string& s, const std::string& needle) {
  return s.find(needle) != std::string::npos;
}

exports::document bracketed_document() {
  using k = storage::clause_kind;
  return demo_document(
      "Code",
      {make_clause("c3", k::operative, 1,
                   "To comply with ⟦FRA: universal principles ‖ RUS: international law ‖ CHN: ⟧;"),
       make_clause("c4", k::operative, 2, "A ⟦FRA: b\nc ‖ RUS: d & e⟧ f\n  second line")},
      demo_history::opened);
}

TEST(BracketExport, MarkdownCleanAndCompilation) {
  const auto doc = bracketed_document();
  const auto clean = exports::render_markdown(doc, exports::text_form::clean);
  EXPECT_TRUE(has(
      clean, "\n1. To comply with \\[universal principles / international law / (delete)\\];\n"))
      << clean;
  // A line break inside a bracket is a space; outside it stays a line break.
  EXPECT_TRUE(has(clean, "\n2. A \\[b c / d & e\\] f\\\n   second line\n")) << clean;
  EXPECT_FALSE(has(clean, "⟦"));
  EXPECT_FALSE(has(clean, "(FRA)"));
  const auto compilation = exports::render_markdown(doc, exports::text_form::compilation);
  EXPECT_TRUE(has(compilation,
                  "\n1. To comply with \\[universal principles (FRA) / international law (RUS) / "
                  "(delete) (CHN)\\];\n"))
      << compilation;
}

TEST(BracketExport, HtmlMarksEachAlternativeWithItsProponent) {
  const auto doc = bracketed_document();
  const auto clean = exports::render_html(doc, exports::text_form::clean);
  EXPECT_TRUE(has(clean, "To comply with [universal principles / international law / (delete)];"))
      << clean;
  EXPECT_TRUE(has(clean, "A [b c / d &amp; e] f<br>\nsecond line")) << clean;
  EXPECT_FALSE(has(clean, "France"));
  const auto compilation = exports::render_html(doc, exports::text_form::compilation);
  EXPECT_TRUE(has(compilation,
                  "To comply with <span class=\"bracket\">[<span class=\"alt\" data-state=\"FRA\">"
                  "universal principles</span> <span class=\"by\">(France)</span> / "
                  "<span class=\"alt\" data-state=\"RUS\">international law</span> "
                  "<span class=\"by\">(Russian Federation)</span> / "
                  "<span class=\"alt delete\" data-state=\"CHN\">(delete)</span> "
                  "<span class=\"by\">(CHN)</span>]</span>;"))
      << compilation;
  EXPECT_TRUE(has(compilation, "d &amp; e</span>"));
}

TEST(BracketExport, AkomaNtosoAlternativesReferToTheirProponents) {
  temp_dir tmp;
  const auto doc = bracketed_document();
  const auto clean = exports::render_akn(doc, exports::text_form::clean);
  EXPECT_TRUE(has(clean,
                  "<p>To comply with [universal principles / international law / "
                  "(delete)];</p>"))
      << clean;
  EXPECT_FALSE(has(clean, "<inline"));
  const auto xml = exports::render_akn(doc, exports::text_form::compilation);
  EXPECT_TRUE(has(xml,
                  "<p>To comply with <inline name=\"bracket\">[<inline name=\"alternative\" "
                  "refersTo=\"#fra\">universal principles</inline> (FRA) / "
                  "<inline name=\"alternative\" refersTo=\"#rus\">international law</inline> "
                  "(RUS) / <inline name=\"alternative\" refersTo=\"#chn\" class=\"deletion\">"
                  "(delete)</inline> (CHN)]</inline>;</p>"))
      << xml;
  // Every proponent has its TLC entry, CHN too though it is not on this roster.
  EXPECT_TRUE(has(xml, "<TLCOrganization eId=\"chn\""));
  EXPECT_TRUE(has(xml, "<TLCOrganization eId=\"fra\""));
  if (!find_program("xmllint")) GTEST_SKIP() << "xmllint is missing: apt-get install libxml2-utils";
  const fs::path file = tmp.path() / "export.xml";
  std::ofstream(file, std::ios::binary) << xml;
  auto lint = sh("xmllint --noout " + quote(file.string()));
  EXPECT_EQ(lint.status, 0) << lint.out;
  auto alternatives =
      sh("xmllint --xpath \"count(//*[local-name()='inline'][@name='alternative'])\" " +
         quote(file.string()));
  EXPECT_EQ(alternatives.out, "5\n");
}

// The wording as tabled (TABLED) is the sponsors' text: each format names it so, with the
// sponsors' codes (or names), never as the chair's.
exports::document tabled_document(std::vector<std::string> sponsors) {
  auto d = bracketed_document();
  d.text.sponsors = std::move(sponsors);
  d.text.clauses[0].text = "To comply with ⟦TABLED: the Charter ‖ RUS: international law⟧;";
  d.text.clauses.resize(1);
  return d;
}

TEST(BracketExport, TheWordingAsTabledIsTheSponsorsInEveryFormat) {
  struct tabled_case {
    const char* name;
    std::vector<std::string> sponsors;
    std::string markdown, html, akn;
  };
  const tabled_case cases[] = {
      {"two sponsors",
       {"FRA", "RUS"},
       "\n1. To comply with \\[the Charter (as tabled: FRA, RUS) / international law (RUS)\\];\n",
       "<span class=\"alt\" data-state=\"TABLED\" data-sponsors=\"FRA RUS\">the Charter</span> "
       "<span class=\"by\">(as tabled: France, Russian Federation)</span> / ",
       "<inline name=\"alternative\" refersTo=\"#tabled #fra #rus\">the Charter</inline> (as "
       "tabled: FRA, RUS) / "},
      {"no sponsors",
       {},
       "\n1. To comply with \\[the Charter (as tabled) / international law (RUS)\\];\n",
       "<span class=\"alt\" data-state=\"TABLED\" data-sponsors=\"\">the Charter</span> "
       "<span class=\"by\">(as tabled)</span> / ",
       "<inline name=\"alternative\" refersTo=\"#tabled\">the Charter</inline> (as tabled) / "},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto doc = tabled_document(c.sponsors);
    const auto md = exports::render_markdown(doc, exports::text_form::compilation);
    EXPECT_TRUE(has(md, c.markdown)) << md;
    const auto html = exports::render_html(doc, exports::text_form::compilation);
    EXPECT_TRUE(has(html, c.html)) << html;
    const auto xml = exports::render_akn(doc, exports::text_form::compilation);
    EXPECT_TRUE(has(xml, c.akn)) << xml;
    EXPECT_TRUE(has(xml,
                    "<TLCConcept eId=\"tabled\" href=\"/ontology/concept/demo/tabled\" "
                    "showAs=\"The text as tabled\"/>"))
        << xml;
    // The notation's code never shows; the chair is named only as the author of its commits.
    for (const auto* text : {&md, &html, &xml}) EXPECT_FALSE(has(*text, "TABLED:")) << *text;
    EXPECT_FALSE(has(md, "(CHAIR)")) << md;
    EXPECT_FALSE(has(html, "<span class=\"by\">(Chair)")) << html;
    EXPECT_FALSE(has(xml, "refersTo=\"#chair")) << xml;
    // The clean form names nobody.
    const auto clean = exports::render_markdown(doc, exports::text_form::clean);
    EXPECT_TRUE(has(clean, "\\[the Charter / international law\\]")) << clean;
    EXPECT_FALSE(has(clean, "tabled")) << clean;
  }
}

TEST(BracketExport, ATextWithBrokenNotationIsShownAsItIs) {
  auto doc = bracketed_document();
  doc.text.clauses[0].text = "Broken ⟦FRA: a";
  doc.text.clauses.resize(1);
  const auto md = exports::render_markdown(doc, exports::text_form::compilation);
  EXPECT_TRUE(has(md, "\n1. Broken ⟦FRA: a\n")) << md;
}

// ---- the command line
// -----------------------------------------------------------------------------

TEST(BracketExportCli, CleanAndCompilationOfABracketedDraftAndAnEarlierVersion) {
  temp_dir tmp;
  const fs::path data = tmp.path() / "data";
  std::ifstream sample(PLENARY_SAMPLE);
  const std::string json((std::istreambuf_iterator<char>(sample)),
                         std::istreambuf_iterator<char>());
  create_draft(data, json);
  std::string open_commit;
  {
    storage::library lib({.fsync = false});
    auto d = storage::draft::open(data / "drafts" / "code-of-conduct.git");
    ASSERT_TRUE(d.ok()) << d.err().message;
    (*d)->set_delegations({"CHN", "RUS", "USA"});
    open_commit = (*d)->head().head;
    const storage::clause& c3 = (*d)->head().clauses[2];
    const std::string phrase = "the UN Charter";
    storage::request r{{"RUS", "Russian Federation"}, {}, 1795774600};
    r.change.op = storage::op_kind::bracket;
    r.change.clause = c3.id;
    r.change.base = c3.rev;
    r.change.start = c3.text.find(phrase);
    r.change.end = r.change.start + phrase.size();
    r.change.text = "international law";
    auto done = (*d)->amend(r);
    ASSERT_TRUE(done.ok()) << done.err().message;
  }
  auto run_export = [&](std::vector<std::string> extra) {
    std::vector<std::string> args{"draft", "export", "code-of-conduct", "--data", data.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_plenary(args);
  };
  auto clean = run_export({"--format", "md"});
  ASSERT_EQ(clean.status, 0) << clean.err;
  EXPECT_TRUE(has(clean.out, "\n1. To comply with \\[the UN Charter / international law\\] and "))
      << clean.out;
  auto compilation = run_export({"--format", "md", "--text", "compilation"});
  ASSERT_EQ(compilation.status, 0) << compilation.err;
  // The UN Charter is as tabled by the sample's sponsors, not the chair's who opened the draft.
  EXPECT_TRUE(has(compilation.out,
                  "\n1. To comply with \\[the UN Charter (as tabled: CHN, RUS, TJK, UZB) / "
                  "international law (RUS)\\] and "))
      << compilation.out;
  auto html = run_export({"--format", "html", "--text", "compilation"});
  EXPECT_TRUE(has(html.out, "<span class=\"by\">(Russian Federation)</span>")) << html.out;
  EXPECT_TRUE(has(html.out, "<span class=\"by\">(as tabled: China, Russian Federation, "))
      << html.out;
  EXPECT_FALSE(has(html.out, "(Chair)")) << html.out;
  auto akn = run_export({"--format", "akn", "--text", "compilation"});
  EXPECT_TRUE(has(akn.out, "refersTo=\"#tabled #chn #rus #tjk #uzb\">the UN Charter</inline>"))
      << akn.out;
  // In another language (--lang), the words as tabled are that language's, the list its own.
  auto arabic = run_export({"--format", "md", "--text", "compilation", "--lang", "ar"});
  ASSERT_EQ(arabic.status, 0) << arabic.err;
  EXPECT_TRUE(has(arabic.out,
                  "\n1. To comply with \\[the UN Charter (كما قُدّم: CHN، RUS، TJK، UZB) / "
                  "international law (RUS)\\] and "))
      << arabic.out;
  auto french = run_export({"--format", "akn", "--text", "compilation", "--lang", "fr"});
  ASSERT_EQ(french.status, 0) << french.err;
  EXPECT_TRUE(has(french.out, "showAs=\"Le texte tel que déposé\"/>")) << french.out;
  EXPECT_TRUE(has(french.out, "the UN Charter</inline> (tel que déposé\u00a0: CHN, RUS, TJK, UZB)"))
      << french.out;
  // The version before the bracket has none.
  auto before = run_export({"--format", "md", "--text", "compilation", "--version", open_commit});
  ASSERT_EQ(before.status, 0) << before.err;
  EXPECT_TRUE(has(before.out, "\n1. To comply with the UN Charter and ")) << before.out;
  auto unknown = run_export({"--format", "md", "--version", "rev.404"});
  EXPECT_NE(unknown.status, 0);
  EXPECT_TRUE(unknown.out.empty());
  EXPECT_TRUE(has(unknown.err, "no version `rev.404`")) << unknown.err;
}

}  // namespace
}  // namespace plenary::test::ops
