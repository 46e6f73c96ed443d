// `plenary draft export --lang` (issue 18, item 5): the fixed words of the Markdown, HTML and
// Akoma Ntoso exports in the six languages of the United Nations (exports/words.hpp), the
// language declared (HTML lang and dir, Akoma Ntoso FRBRlanguage), the operative
// numbering unchanged, the text as tabled named in each; the word table itself; and the command
// line's refusal of a seventh.
#include <gtest/gtest.h>

#include <fstream>

#include "export_document.hpp"
#include "exports/render.hpp"
#include "exports/words.hpp"
#include "process.hpp"

namespace plenary::test::ops {
namespace {
namespace fs = std::filesystem;
using exports::language;
using exports::plural;

bool has(const std::string& s, const std::string& needle) {
  return s.find(needle) != std::string::npos;
}

std::string name_of(language l) { return std::string(exports::language_code(l)); }

// A draft with a version, two sponsors, a preamble, operative clauses and a bracket with a
// deletion by the chair, two commits.
exports::document lang_document(std::optional<language> l) {
  using k = storage::clause_kind;
  exports::document d = demo_document(
      "Code of Conduct",
      {
          make_clause("c1", k::preamble, std::nullopt, "Recognizing the need,"),
          make_clause("c2", k::operative, 1, "To comply with ⟦FRA: the Charter ‖ CHAIR: ⟧;"),
          make_clause("c3", k::operative, 2, "يدعو جميع الدول;"),
      });
  d.text.sponsors = {"RUS", "FRA"};
  d.version = "rev.1";
  d.lang = l;
  return d;
}

// ---- the word table
// ---------------------------------------------------------------------------------

TEST(ExportWords, EveryLanguageParsesAndHasEveryWord) {
  for (language l : exports::all_languages) {
    SCOPED_TRACE(name_of(l));
    EXPECT_EQ(exports::parse_language(exports::language_code(l)), l);
    EXPECT_EQ(exports::language_code3(l).size(), 3u);
    EXPECT_TRUE(has(std::string(exports::language_choices()), name_of(l)));
    const exports::words& w = exports::words_of(l);
    const std::vector<std::pair<std::string_view, std::string_view>> must_hold = {
        {w.draft, "{slug}"},      {w.version, "{version}"},    {w.commit, "{commit}"},
        {w.date, "{date}"},       {w.sponsors, "{list}"},      {w.exported, "{slug}"},
        {w.exported, "{commit}"}, {w.as_tabled_list, "{list}"}};
    for (const auto& [tmpl, placeholder] : must_hold) {
      EXPECT_TRUE(has(std::string(tmpl), std::string(placeholder))) << tmpl;
    }
    // The templates go into Markdown and HTML as they are: nothing either would read.
    for (std::string_view word :
         {w.draft, w.version, w.commit, w.date, w.end, w.sponsors, w.list_separator, w.exported,
          w.history, w.chair, w.deletion, w.as_tabled, w.as_tabled_list, w.tabled}) {
      EXPECT_FALSE(word.empty());
      EXPECT_EQ(word.find_first_of("<>&*_`[]\\#|~"), std::string_view::npos) << word;
    }
    // Every count has its sentence, with the author and the date.
    for (std::uint64_t n = 1; n <= 1200; ++n) {
      const std::string_view after = w.after[static_cast<std::size_t>(exports::plural_of(l, n))];
      ASSERT_TRUE(has(std::string(after), "{author}") && has(std::string(after), "{date}"))
          << n << ": " << after;
      EXPECT_EQ(after.find_first_of("<>&*_`[]\\#|~"), std::string_view::npos) << after;
    }
  }
  for (std::string_view bad : {"", "EN", "de", "en-GB", "zh-Hans", "ara", " en"}) {
    EXPECT_EQ(exports::parse_language(bad), std::nullopt) << bad;
  }
  EXPECT_TRUE(exports::right_to_left(language::ar));
  EXPECT_FALSE(exports::right_to_left(language::en));
}

// The words agree with docs/un-terms.md, where each is chosen and explained.
TEST(ExportWords, AreTheWordsOfDocsUnTerms) {
  const std::string doc = read_file(fs::path(PLENARY_SOURCE_DIR) / "docs" / "un-terms.md");
  ASSERT_FALSE(doc.empty());
  // A template's word without its placeholder and the punctuation around it.
  const auto core = [](std::string_view tmpl) {
    std::string s(tmpl);
    if (const auto open = s.find('{'); open != std::string::npos)
      s.erase(open, s.find('}') - open + 1);
    for (const std::string_view edge : {",", "\xef\xbc\x8c", "\xd8\x8c", " "}) {
      while (s.starts_with(edge)) s.erase(0, edge.size());
      while (s.ends_with(edge)) s.erase(s.size() - edge.size());
    }
    return s;
  };
  for (language l : exports::all_languages) {
    SCOPED_TRACE(name_of(l));
    const exports::words& w = exports::words_of(l);
    for (const std::string& word :
         {std::string(w.chair), std::string(w.deletion), core(w.version), core(w.commit)}) {
      EXPECT_TRUE(has(doc, word)) << word;
    }
  }
}

TEST(ExportWords, PluralCategoriesFollowCldr) {
  struct plural_case {
    const char* name;
    language l;
    std::uint64_t n;
    plural expected;
  };
  const std::vector<plural_case> cases = {
      {"en_1", language::en, 1, plural::one},
      {"en_2", language::en, 2, plural::other},
      {"en_0", language::en, 0, plural::other},
      {"fr_0", language::fr, 0, plural::one},
      {"fr_1", language::fr, 1, plural::one},
      {"fr_2", language::fr, 2, plural::other},
      {"fr_million", language::fr, 1000000, plural::many},
      {"es_1", language::es, 1, plural::one},
      {"es_2", language::es, 2, plural::other},
      {"ru_1", language::ru, 1, plural::one},
      {"ru_2", language::ru, 2, plural::few},
      {"ru_4", language::ru, 4, plural::few},
      {"ru_5", language::ru, 5, plural::many},
      {"ru_11", language::ru, 11, plural::many},
      {"ru_12", language::ru, 12, plural::many},
      {"ru_21", language::ru, 21, plural::one},
      {"ru_22", language::ru, 22, plural::few},
      {"ru_111", language::ru, 111, plural::many},
      {"ar_0", language::ar, 0, plural::zero},
      {"ar_1", language::ar, 1, plural::one},
      {"ar_2", language::ar, 2, plural::two},
      {"ar_3", language::ar, 3, plural::few},
      {"ar_10", language::ar, 10, plural::few},
      {"ar_11", language::ar, 11, plural::many},
      {"ar_99", language::ar, 99, plural::many},
      {"ar_100", language::ar, 100, plural::other},
      {"ar_102", language::ar, 102, plural::other},
      {"ar_103", language::ar, 103, plural::few},
      {"zh_1", language::zh, 1, plural::other},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(exports::plural_of(c.l, c.n), c.expected) << c.name;
  }
}

TEST(ExportWords, FillReplacesNamedPlaceholdersOnly) {
  EXPECT_EQ(exports::fill("Draft {slug}, {slug}", {{"slug", "`x`"}}), "Draft `x`, `x`");
  EXPECT_EQ(exports::fill("{a}{b}", {{"b", "2"}}), "{a}2");
  EXPECT_EQ(exports::fill("open { brace", {{"x", "y"}}), "open { brace");
  EXPECT_EQ(exports::fill("", {}), "");
}

// ---- the exports in each language
// -------------------------------------------------------------------

struct lang_case {
  language l;
  std::string md_about;     // the Markdown line under the title
  std::string md_sponsors;  // the Markdown sponsors line
  std::string html_open;    // the <html> element
  std::string footer;       // the HTML footer's count, author and date, for 2 commits
  std::string chair;        // the chair as the proponent of a deletion (compilation)
  std::string deletion;     // the wording of a deletion
};

const std::vector<lang_case>& lang_cases() {
  static const std::vector<lang_case> cases = {
      {language::ar,
       "*المشروع `demo`، الصيغة rev.1، الإيداع `bbbbbbb` بتاريخ 2026-11-28 10:15 UTC.*",
       "مقدِّمو المشروع: Russian Federation، France", "<html lang=\"ar\" dir=\"rtl\">",
       "، بعد إيداعين؛ آخرهما من <bdi>Russian Federation (RUS)</bdi> بتاريخ 2026-11-28 10:15 UTC",
       "الرئيس", "(حذف)"},
      {language::zh, "*草案 `demo`，版本 rev.1，提交 `bbbbbbb`，2026-11-28 10:15 UTC。*",
       "提案国：Russian Federation、France", "<html lang=\"zh\">",
       "，共 2 次提交；最后一次由 <bdi>Russian Federation (RUS)</bdi> 于 2026-11-28 10:15 UTC 提交",
       "主席", "（删除）"},
      {language::en, "*Draft `demo`, version rev.1, commit `bbbbbbb` of 2026-11-28 10:15 UTC.*",
       "Sponsors: Russian Federation, France", "<html lang=\"en\">",
       ", after 2 commits; the last by <bdi>Russian Federation (RUS)</bdi> on 2026-11-28 10:15 UTC",
       "Chair", "(delete)"},
      {language::fr, "*Projet `demo`, version rev.1, commit `bbbbbbb` du 2026-11-28 10:15 UTC.*",
       "Auteurs\u00a0: Russian Federation, France", "<html lang=\"fr\">",
       ", après 2 commits\u00a0; le dernier par <bdi>Russian Federation (RUS)</bdi> le 2026-11-28 "
       "10:15 UTC",
       "Présidence", "(supprimer)"},
      {language::ru, "*Проект `demo`, версия rev.1, коммит `bbbbbbb` от 2026-11-28 10:15 UTC.*",
       "Авторы: Russian Federation, France", "<html lang=\"ru\">",
       ", после 2 коммитов; последний — <bdi>Russian Federation (RUS)</bdi>, 2026-11-28 10:15 UTC",
       "Председатель", "(исключить)"},
      {language::es, "*Proyecto `demo`, versión rev.1, commit `bbbbbbb` del 2026-11-28 10:15 UTC.*",
       "Patrocinadores: Russian Federation, France", "<html lang=\"es\">",
       ", tras 2 commits; el último de <bdi>Russian Federation (RUS)</bdi> el 2026-11-28 10:15 UTC",
       "Presidencia", "(suprimir)"},
  };
  return cases;
}

TEST(ExportLang, MarkdownWordsPerLanguageNumbersUnchanged) {
  for (const lang_case& c : lang_cases()) {
    SCOPED_TRACE(name_of(c.l));
    const auto md = exports::render_markdown(lang_document(c.l), exports::text_form::compilation);
    EXPECT_TRUE(md.starts_with("# Code of Conduct\n\n" + c.md_about + "\n\n" + c.md_sponsors +
                               "\n\nRecognizing the need,\n\n"))
        << md;
    // The operative clauses keep their numbers as "1. ", "2. " in every language.
    EXPECT_TRUE(
        has(md, "\n1. To comply with \\[the Charter (FRA) / " + c.deletion + " (CHAIR)\\];\n"))
        << md;
    EXPECT_TRUE(has(md, "\n2. يدعو جميع الدول;\n")) << md;
  }
}

TEST(ExportLang, HtmlDeclaresTheLanguageAndDirection) {
  for (const lang_case& c : lang_cases()) {
    SCOPED_TRACE(name_of(c.l));
    const auto html = exports::render_html(lang_document(c.l), exports::text_form::compilation);
    EXPECT_TRUE(html.starts_with("<!DOCTYPE html>\n" + c.html_open + "\n<head>")) << html;
    EXPECT_TRUE(has(html, c.footer)) << html;
    EXPECT_TRUE(has(html, "<span class=\"by\">(" + c.chair + ")</span>")) << html;
    EXPECT_TRUE(has(html, ">" + c.deletion + "</span>")) << html;
    EXPECT_TRUE(has(html, "<span class=\"num\">2.</span>يدعو جميع الدول;")) << html;
    // Each clause keeps its own direction; the hanging indent follows it.
    EXPECT_TRUE(has(html, "<p class=\"operative\" id=\"clause-c3\" dir=\"auto\">")) << html;
    EXPECT_TRUE(has(html, "padding-inline-start")) << html;
    EXPECT_EQ(html.find("padding-left"), std::string::npos);
  }
}

TEST(ExportLang, AkomaNtosoDeclaresTheLanguage) {
  temp_dir tmp;
  const bool lint = find_program("xmllint").has_value();
  for (const lang_case& c : lang_cases()) {
    SCOPED_TRACE(name_of(c.l));
    const auto xml = exports::render_akn(lang_document(c.l), exports::text_form::compilation);
    const std::string code3(exports::language_code3(c.l));
    // Not xml:lang, which the schema does not allow on <doc>.
    EXPECT_TRUE(has(xml, "<doc name=\"draft\">")) << xml;
    EXPECT_TRUE(has(xml, "<FRBRlanguage language=\"" + code3 + "\"/>")) << xml;
    EXPECT_TRUE(has(xml, "/" + code3 + "@bbbbbbb")) << xml;
    EXPECT_TRUE(has(xml, "<TLCPerson eId=\"chair\" href=\"/ontology/person/demo/chair\" showAs=\"" +
                             c.chair + "\"/>"))
        << xml;
    EXPECT_TRUE(has(xml, "<docProponent refersTo=\"#rus\">Russian Federation</docProponent>"))
        << xml;
    EXPECT_TRUE(has(xml, "<num>2.</num>")) << xml;
    EXPECT_TRUE(has(xml, ">" + c.deletion + "</inline> (CHAIR)")) << xml;
    if (!lint) continue;
    const fs::path file = tmp.path() / "export.xml";
    std::ofstream(file, std::ios::binary) << xml;
    auto r = sh("xmllint --noout " + quote(file.string()));
    EXPECT_EQ(r.status, 0) << r.out;
  }
}

// The text as tabled (TABLED) in each language: the sponsors' codes in Markdown and Akoma
// Ntoso, their names in HTML, joined as the language joins a list; alone when the version has
// no sponsors; Akoma Ntoso's TLCConcept named in the language; never the chair's.
TEST(ExportLang, TheTextAsTabledInEachLanguage) {
  struct tabled_case {
    language l;
    std::string codes;  // after the wording, with the sponsors' codes (Markdown, Akoma Ntoso)
    std::string names;  // after the wording, with their names (HTML)
    std::string alone;  // after the wording, without sponsors
    std::string tlc;    // the TLCConcept's showAs
  };
  const std::vector<tabled_case> cases = {
      {language::ar, "(كما قُدّم: RUS، FRA)", "(كما قُدّم: Russian Federation، France)", "(كما قُدّم)",
       "النص كما قُدّم"},
      {language::zh, "(提交时原文：RUS、FRA)", "(提交时原文：Russian Federation、France)",
       "(提交时原文)", "提交时的案文"},
      {language::en, "(as tabled: RUS, FRA)", "(as tabled: Russian Federation, France)",
       "(as tabled)", "The text as tabled"},
      {language::fr, "(tel que déposé\u00a0: RUS, FRA)",
       "(tel que déposé\u00a0: Russian Federation, France)", "(tel que déposé)",
       "Le texte tel que déposé"},
      {language::ru, "(как внесено: RUS, FRA)", "(как внесено: Russian Federation, France)",
       "(как внесено)", "Текст, как он был внесён"},
      {language::es, "(tal como se presentó: RUS, FRA)",
       "(tal como se presentó: Russian Federation, France)", "(tal como se presentó)",
       "El texto tal como se presentó"},
  };
  const auto compilation = exports::text_form::compilation;
  for (const tabled_case& c : cases) {
    SCOPED_TRACE(name_of(c.l));
    auto doc = lang_document(c.l);
    doc.text.clauses[1].text = "To comply with ⟦TABLED: the Charter ‖ RUS: international law⟧;";
    const auto md = exports::render_markdown(doc, compilation);
    EXPECT_TRUE(has(
        md, "\n1. To comply with \\[the Charter " + c.codes + " / international law (RUS)\\];\n"))
        << md;
    const auto html = exports::render_html(doc, compilation);
    EXPECT_TRUE(has(html,
                    "<span class=\"alt\" data-state=\"TABLED\" data-sponsors=\"RUS FRA\">the "
                    "Charter</span> <span class=\"by\">" +
                        c.names + "</span>"))
        << html;
    const auto xml = exports::render_akn(doc, compilation);
    EXPECT_TRUE(has(xml, "refersTo=\"#tabled #rus #fra\">the Charter</inline> " + c.codes)) << xml;
    EXPECT_TRUE(
        has(xml, "<TLCConcept eId=\"tabled\" href=\"/ontology/concept/demo/tabled\" showAs=\"" +
                     c.tlc + "\"/>"))
        << xml;
    const std::string chair(exports::words_of(c.l).chair);
    EXPECT_FALSE(has(md, "(CHAIR)")) << md;
    EXPECT_FALSE(has(html, "<span class=\"by\">(" + chair + ")")) << html;
    EXPECT_FALSE(has(xml, "refersTo=\"#chair")) << xml;
    // The clean form names nobody, in no language.
    const auto clean = exports::render_markdown(doc, exports::text_form::clean);
    EXPECT_TRUE(has(clean, "\\[the Charter / international law\\]")) << clean;
    EXPECT_FALSE(has(clean, std::string(exports::words_of(c.l).as_tabled))) << clean;

    doc.text.sponsors.clear();
    const auto alone = exports::render_markdown(doc, compilation);
    EXPECT_TRUE(has(alone, "\\[the Charter " + c.alone + " / international law (RUS)\\]")) << alone;
    EXPECT_TRUE(
        has(exports::render_html(doc, compilation), "<span class=\"by\">" + c.alone + "</span>"));
  }
}

TEST(ExportLang, WithoutLangEnglishWordsAndNoLanguageDeclared) {
  const auto none = lang_document(std::nullopt);
  const auto en = lang_document(language::en);
  for (auto form : {exports::text_form::clean, exports::text_form::compilation}) {
    EXPECT_EQ(exports::render_markdown(none, form), exports::render_markdown(en, form));
    const auto html = exports::render_html(none, form);
    EXPECT_TRUE(html.starts_with("<!DOCTYPE html>\n<html>\n")) << html;
    std::string declared = exports::render_html(en, form);
    declared.replace(declared.find("<html lang=\"en\">"), 16, "<html>");
    EXPECT_EQ(html, declared);
    const auto xml = exports::render_akn(none, form);
    EXPECT_TRUE(has(xml, "<FRBRlanguage language=\"und\"/>")) << xml;
    EXPECT_FALSE(has(xml, "xml:lang"));
  }
}

// ---- the command line
// -----------------------------------------------------------------------------

TEST(ExportLangCli, EachLanguageAndARefusalThatNamesTheSix) {
  temp_dir tmp;
  const fs::path data = tmp.path() / "data";
  std::ifstream sample(PLENARY_SAMPLE);
  const std::string json((std::istreambuf_iterator<char>(sample)),
                         std::istreambuf_iterator<char>());
  create_draft(data, json);
  auto run_export = [&](std::vector<std::string> extra) {
    std::vector<std::string> args{"draft", "export", "code-of-conduct", "--data", data.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_plenary(args);
  };
  const std::string english = run_export({"--format", "md"}).out;
  for (const lang_case& c : lang_cases()) {
    SCOPED_TRACE(name_of(c.l));
    auto md = run_export({"--format", "md", "--lang", name_of(c.l)});
    ASSERT_EQ(md.status, 0) << md.err;
    const std::string draft_word(exports::fill(exports::words_of(c.l).draft, {{"slug", ""}}));
    EXPECT_TRUE(has(md.out, "*" + draft_word + "`code-of-conduct`")) << md.out;
    // The sample's sponsors, by the roster's names, in the language's list.
    EXPECT_TRUE(
        has(md.out,
            exports::fill(exports::words_of(c.l).sponsors,
                          {{"list", "China" + std::string(exports::words_of(c.l).list_separator) +
                                        "Russian Federation"}})))
        << md.out;
    for (int n = 1; n <= 5; ++n) {
      EXPECT_TRUE(has(md.out, "\n" + std::to_string(n) + ". ")) << n;
    }
    auto html = run_export({"--format", "html", "--lang", name_of(c.l)});
    ASSERT_EQ(html.status, 0) << html.err;
    EXPECT_TRUE(has(html.out, c.html_open)) << html.out;
  }
  // --lang en writes the same Markdown as no --lang.
  EXPECT_EQ(run_export({"--format", "md", "--lang", "en"}).out, english);

  struct bad {
    std::string name;
    std::string lang;
    std::string echoed;  // what the error shows of the value
  };
  const std::vector<bad> cases = {
      {"german", "de", "--lang `de` is not"},
      {"upper_case", "FR", "--lang `FR` is not"},
      {"region", "en-GB", "--lang `en-GB` is not"},
      {"empty", "", "--lang `` is not"},
      {"escape_sequence", "e\x1b[31mn", "--lang (that value) is not"},
      {"long", std::string(40, 'a'), "--lang (that value) is not"},
  };
  for (const auto& b : cases) {
    SCOPED_TRACE(b.name);
    auto r = run_export({"--format", "md", "--lang", b.lang});
    EXPECT_EQ(r.status, 2);
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_TRUE(has(r.err, b.echoed)) << r.err;
    EXPECT_TRUE(has(r.err, "the six languages of the United Nations: ar, zh, en, fr, ru, es"))
        << r.err;
  }
}

}  // namespace
}  // namespace plenary::test::ops
