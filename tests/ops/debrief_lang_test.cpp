// `plenary draft debrief --lang` (exports/debrief.hpp): the Markdown's and the CSV's words in the
// six languages, their shares and counts written each language's way (exports/words.hpp
// number_format), the CSV's stable column ids and plain numbers without --lang, the same columns
// in every language, and the comments of each state (threads opened, replies, threads resolved)
// in every format.
#include <gtest/gtest.h>

#include "exports/debrief.hpp"
#include "process.hpp"

namespace plenary::test::ops {
namespace {
using exports::language;

bool has(const std::string& s, const std::string& needle) {
  return s.find(needle) != std::string::npos;
}

std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

std::string first_line(const std::string& csv) { return csv.substr(0, csv.find("\r\n")); }

// Two delegations (one left the roster), a kept and a removed clause, one bracket open; FRA
// opened a thread that USA answered, and one that the chair resolved (the chair did nothing
// else: it gets a row for it).
storage::debrief sample(std::vector<storage::comment_thread>& threads) {
  storage::debrief d;
  d.title = "Code of Conduct";
  d.commit = d.head = d.tabled_commit = std::string(40, 'c');
  d.started = 1795774500;
  d.ended = 1795860900;
  d.commits = 3;
  d.acts = 1;
  d.words = 40;
  d.tabled_words = 30;
  d.open_brackets = 1;
  storage::debrief_state fra;
  fra.state = "FRA";
  fra.name = "France";
  fra.in_roster = true;
  fra.replace = 2;
  fra.words = 10;
  fra.comments = 2;
  storage::debrief_state usa;
  usa.state = "USA";
  usa.name = "United States";
  usa.in_roster = false;
  usa.comments = 1;
  d.states = {fra, usa};
  storage::debrief_clause kept;
  kept.id = "c2";
  kept.number = 1;
  kept.words = 40;
  storage::debrief_clause removed;
  removed.id = "c3";
  removed.removed = true;
  d.clauses = {kept, removed};
  d.journey = {{"tabled", d.tabled_commit, d.started, 30, 30, {}},
               {"", d.commit, d.ended, 40, 30, {}}};
  const storage::actor f{"FRA", "France"}, u{"USA", "United States"}, chair{"CHAIR", "Chair"};
  storage::comment_thread one;
  one.n = 1;
  one.comments = {{f, 1, "Too weak."}, {u, 2, "Agreed."}};
  storage::comment_thread two;
  two.n = 2;
  two.comments = {{f, 3, "Typo."}};
  two.resolved = true;
  two.resolved_by = chair;
  threads = {one, two};
  return d;
}

TEST(DebriefComments, FiguresPerStateFromTheThreads) {
  std::vector<storage::comment_thread> threads;
  (void)sample(threads);
  struct figures_case {
    const char* state;
    int opened, replies, resolved;
  };
  for (const figures_case& c : std::vector<figures_case>{
           {"FRA", 2, 0, 0}, {"USA", 0, 1, 0}, {"CHAIR", 0, 0, 1}, {"RUS", 0, 0, 0}}) {
    SCOPED_TRACE(c.state);
    const auto f = exports::comment_figures_of(threads, c.state);
    EXPECT_EQ(f.opened, c.opened);
    EXPECT_EQ(f.replies, c.replies);
    EXPECT_EQ(f.resolved, c.resolved);
  }
}

TEST(DebriefComments, CsvWithoutLangKeepsItsColumnIds) {
  std::vector<storage::comment_thread> threads;
  const auto d = sample(threads);
  const std::string csv = exports::debrief_csv(d, threads);
  EXPECT_EQ(first_line(csv),
            "state,name,in_roster,replace,insert,delete,move,bracket,resolve,amendments,"
            "proposals_tabled,proposals_adopted,proposals_rejected,proposals_withdrawn,"
            "proposals_could_not_apply,proposals_pending,supports,votes_yes,votes_no,"
            "votes_abstain,votes_decided,votes_matched,clauses_touched,words,words_percent,"
            "comments,threads_opened,replies,threads_resolved");
  // Rows by code; the chair's row for its resolution.
  EXPECT_TRUE(
      has(csv, "\r\nCHAIR,Chair,,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0.0,0,0,0,1\r\n"))
      << csv;
  EXPECT_TRUE(
      has(csv, "\r\nFRA,France,yes,2,0,0,0,0,0,2,0,0,0,0,0,0,0,0,0,0,0,0,0,10,25.0,2,2,0,0\r\n"))
      << csv;
  EXPECT_TRUE(has(csv, "\r\nUSA,United States,no,")) << csv;
  EXPECT_LT(csv.find("\r\nCHAIR,"), csv.find("\r\nFRA,"));
}

// Each language: the CSV header in the page's labels (the same number of columns, in the same
// order), in_roster's yes and no, the Markdown's headings, stage, clause names and the journey's
// points, and no English left but the figures, codes and names.
TEST(DebriefComments, EachLanguageWritesItsOwnWords) {
  struct lang_case {
    language l;
    std::string csv_start;  // the first three labels
    std::string yes, no;
    std::string delegations;  // a heading of the Markdown
    std::string stage;        // the working stage
    std::string clause;       // operative clause 1, then the removed one
    std::string removed;
    std::string comments;  // the header of the comments column
  };
  const std::vector<lang_case> cases = {
      {language::ar, "الدولة,الاسم,في القائمة", "نعم", "لا", "## الوفود", "ورقة عمل",
       "الفقرة 1 من المنطوق (c2)", "فقرة من فقرات المنطوق (محذوفة، c3)",
       "التعليقات المكتوبة (السلاسل المفتوحة/الردود/السلاسل التي سُوّيت)"},
      {language::zh, "国家,名称,在名单中", "是", "否", "## 代表团", "工作文件",
       "执行部分第 1 段（c2）", "执行部分段落（已删除，c3）",
       "撰写的评论 (发起的评论串/回复/标记为已解决的评论串)"},
      {language::en, "State,Name,In the roster", "yes", "no", "## Delegations", "Working paper",
       "Operative clause 1 (c2)", "Operative clause (removed, c3)",
       "Comments written (Threads opened/Replies/Threads resolved)"},
      {language::fr, "État,Nom,Dans la liste", "oui", "non", "## Délégations",
       "Document de travail", "Paragraphe 1 du dispositif (c2)",
       "Paragraphe du dispositif (supprimé, c3)",
       "Commentaires rédigés (Fils ouverts/Réponses/Fils clos)"},
      {language::ru, "Государство,Название,В списке", "да", "нет", "## Делегации",
       "Рабочий документ", "Пункт 1 постановляющей части (c2)",
       "Пункт постановляющей части (удалён, c3)",
       "Написано комментариев (Открыто обсуждений/Ответы/Закрыто обсуждений)"},
      {language::es, "Estado,Nombre,En la lista", "sí", "no", "## Delegaciones",
       "Documento de trabajo", "Párrafo 1 de la parte dispositiva (c2)",
       "Párrafo de la parte dispositiva (suprimido, c3)",
       "Comentarios escritos (Hilos abiertos/Respuestas/Hilos resueltos)"},
  };
  std::vector<storage::comment_thread> threads;
  const auto d = sample(threads);
  const std::size_t columns = fields(first_line(exports::debrief_csv(d, threads))).size();
  for (const lang_case& c : cases) {
    SCOPED_TRACE(std::string(exports::language_code(c.l)));
    const std::string csv = exports::debrief_csv(d, threads, c.l);
    EXPECT_TRUE(csv.starts_with(c.csv_start + ",")) << csv;
    EXPECT_EQ(first_line(csv).find('"'), std::string::npos) << "no label needs quoting";
    EXPECT_EQ(fields(first_line(csv)).size(), columns);
    EXPECT_TRUE(has(csv, "\r\nFRA,France," + c.yes + ",")) << csv;
    EXPECT_TRUE(has(csv, "\r\nUSA,United States," + c.no + ",")) << csv;
    const std::string md = exports::debrief_markdown(d, "demo", threads, c.l);
    for (const std::string& words : {c.delegations, c.stage, c.clause, c.removed, c.comments}) {
      EXPECT_TRUE(has(md, words)) << words << "\n" << md;
    }
    EXPECT_TRUE(has(md, "| FRA | France | 2 (2/0/0/0/0/0) |")) << md;
    EXPECT_TRUE(has(md, " | 2 (2/0/0) |\n")) << md;
    EXPECT_TRUE(has(md, " | 0 (0/0/1) |\n")) << md;
    // Not "Commit": the French and Spanish word too (docs/un-terms.md).
    if (c.l != language::en) {
      for (const char* english :
           {"Delegations", "Debrief", "stage", "Words", "removed", "Pending"}) {
        EXPECT_FALSE(has(md, english)) << english << "\n" << md;
      }
    }
  }
  // Without --lang: English, as with --lang en.
  EXPECT_EQ(exports::debrief_markdown(d, "demo", threads),
            exports::debrief_markdown(d, "demo", threads, language::en));
}

// Each language's shares as the debrief page's Intl.NumberFormat(lang, {style: 'percent',
// minimumFractionDigits: 1}) prints them (words.hpp number_format): FRA wrote 10 of the 40
// words (25.0 %), 30 are as tabled (75.0 %). In the Markdown's table and its words line, and in
// the CSV with --lang (quoted where the decimal is a comma); never a bidi mark, in Arabic too.
TEST(DebriefNumbers, EachLanguageWritesItsSharesItsOwnWay) {
  struct number_case {
    const char* name;
    language l;
    std::string fra;     // FRA's share
    std::string tabled;  // the tabled text's share
    std::string csv;     // FRA's share as a CSV field
  };
  const std::vector<number_case> cases = {
      {"ar: Latin digits, no marks", language::ar, "25.0%", "75.0%", "25.0%"},
      {"zh", language::zh, "25.0%", "75.0%", "25.0%"},
      {"en", language::en, "25.0%", "75.0%", "25.0%"},
      {"fr: comma, no-break space", language::fr, "25,0\u00a0%", "75,0\u00a0%", "\"25,0\u00a0%\""},
      {"ru: comma, no-break space", language::ru, "25,0\u00a0%", "75,0\u00a0%", "\"25,0\u00a0%\""},
      {"es: comma, no-break space", language::es, "25,0\u00a0%", "75,0\u00a0%", "\"25,0\u00a0%\""},
  };
  std::vector<storage::comment_thread> threads;
  const auto d = sample(threads);
  for (const number_case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(exports::format_percent(c.l, 250), c.fra);
    EXPECT_EQ(exports::format_percent(c.l, 1000),
              c.l == language::fr || c.l == language::ru || c.l == language::es ? "100,0\u00a0%"
                                                                                : "100.0%");
    const std::string md = exports::debrief_markdown(d, "demo", threads, c.l);
    EXPECT_TRUE(has(md, " | 10 | " + c.fra + " | ")) << md;
    EXPECT_TRUE(has(md, c.tabled)) << md;  // in the words line (in parentheses, ours or zh's)
    const std::string csv = exports::debrief_csv(d, threads, c.l);
    EXPECT_TRUE(has(csv, ",10," + c.csv + ",2,2,0,0\r\n")) << csv;
    for (const std::string& out : {md, csv}) {
      EXPECT_FALSE(has(out, "\u200e")) << "no left-to-right mark";
      EXPECT_FALSE(has(out, "\u200f")) << "no right-to-left mark";
    }
  }
  // Without --lang: the Markdown is English's; the CSV keeps plain numbers for scripts.
  EXPECT_TRUE(has(exports::debrief_markdown(d, "demo", threads), " | 10 | 25.0% | "));
  EXPECT_TRUE(has(exports::debrief_csv(d, threads), ",10,25.0,2,2,0,0\r\n"));
}

// Each language's integers and shares as the debrief page's Intl.NumberFormat prints them
// (words.hpp number_format), the expectations taken from node 20 (ICU 78) with the page's
// locales (`ar-u-nu-latn`, `zh-Hans`, en, fr, ru, es): `new Intl.NumberFormat(locale).format(n)`
// and, for the shares, `{minimumFractionDigits: 1, maximumFractionDigits: 1}` with the sign as
// the percent style places it; Arabic without CLDR's left-to-right marks.
TEST(DebriefNumbers, EachLanguageGroupsItsIntegersAsTheBrowserDoes) {
  struct group_case {
    const char* name;
    language l;
    std::int64_t n;
    std::string text;
  };
  const std::vector<group_case> cases = {
      {"en: three digits stay whole", language::en, 999, "999"},
      {"en: a comma from four digits", language::en, 1234, "1,234"},
      {"en: five digits", language::en, 12345, "12,345"},
      {"en: every group of three", language::en, 1234567, "1,234,567"},
      {"en: zero", language::en, 0, "0"},
      {"en: a minus sign", language::en, -1234, "-1,234"},
      {"zh: a comma", language::zh, 12345, "12,345"},
      {"zh: seven digits", language::zh, 1234567, "1,234,567"},
      {"ar: Latin digits, a comma", language::ar, 12345, "12,345"},
      {"ar: four digits", language::ar, 1234, "1,234"},
      {"ar: no mark before a minus", language::ar, -1234, "-1,234"},
      {"fr: a narrow no-break space", language::fr, 12345, "12\u202f345"},
      {"fr: four digits", language::fr, 1234, "1\u202f234"},
      {"fr: seven digits", language::fr, 1234567, "1\u202f234\u202f567"},
      {"fr: three digits stay whole", language::fr, 999, "999"},
      {"ru: a no-break space", language::ru, 12345, "12\u00a0345"},
      {"ru: four digits", language::ru, 1234, "1\u00a0234"},
      {"ru: seven digits", language::ru, 1234567, "1\u00a0234\u00a0567"},
      {"es: four digits stay whole", language::es, 1234, "1234"},
      {"es: a point from five digits", language::es, 12345, "12.345"},
      {"es: six digits", language::es, 123456, "123.456"},
      {"es: seven digits, every group", language::es, 1234567, "1.234.567"},
      {"es: four digits with a minus", language::es, -1234, "-1234"},
      {"en: the largest int64", language::en, INT64_MAX, "9,223,372,036,854,775,807"},
      {"en: the smallest int64", language::en, INT64_MIN, "-9,223,372,036,854,775,808"},
  };
  for (const group_case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(exports::format_integer(c.l, c.n), c.text);
  }
  struct share_case {
    const char* name;
    language l;
    long tenths;
    std::string text;
  };
  // Over 1000 %: the tabled words' share of a text that has shrunk to a tenth of them.
  const std::vector<share_case> shares = {
      {"ar", language::ar, 12345, "1,234.5%"},
      {"zh", language::zh, 12345, "1,234.5%"},
      {"en", language::en, 12345, "1,234.5%"},
      {"fr: narrow no-break space, then no-break space", language::fr, 12345,
       "1\u202f234,5\u00a0%"},
      {"ru", language::ru, 12345, "1\u00a0234,5\u00a0%"},
      {"es: four whole digits stay whole", language::es, 12345, "1234,5\u00a0%"},
      {"es: five whole digits", language::es, 123456, "12.345,6\u00a0%"},
  };
  for (const share_case& c : shares) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(exports::format_percent(c.l, c.tenths), c.text);
  }
}

// The grouped figures in the files: the Markdown's (with --lang and without, English's) and the
// CSV's with --lang, each field quoted where its group separator is a comma; the CSV without
// --lang keeps plain digits for scripts.
TEST(DebriefNumbers, TheFilesGroupTheirFigures) {
  std::vector<storage::comment_thread> threads;
  storage::debrief d = sample(threads);
  d.words = 12345;
  d.tabled_words = 1234;
  d.commits = 2500;
  d.states[0].words = 12345;
  d.states[0].replace = 1500;
  d.clauses[0].words = 12345;
  d.clauses[0].by_state = {{"FRA", 12345}};
  d.journey.back().words = 12345;
  struct file_case {
    const char* name;
    language l;
    std::string words;        // 12345
    std::string tabled;       // 1234
    std::string csv_words;    // FRA's 12345 as a CSV field
    std::string csv_replace;  // FRA's 1500 as a CSV field
  };
  const std::vector<file_case> cases = {
      {"ar", language::ar, "12,345", "1,234", "\"12,345\"", "\"1,500\""},
      {"zh", language::zh, "12,345", "1,234", "\"12,345\"", "\"1,500\""},
      {"en", language::en, "12,345", "1,234", "\"12,345\"", "\"1,500\""},
      {"fr", language::fr, "12\u202f345", "1\u202f234", "12\u202f345", "1\u202f500"},
      {"ru", language::ru, "12\u00a0345", "1\u00a0234", "12\u00a0345", "1\u00a0500"},
      {"es: 1234 and 1500 whole", language::es, "12.345", "1234", "12.345", "1500"},
  };
  for (const file_case& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string md = exports::debrief_markdown(d, "demo", threads, c.l);
    EXPECT_TRUE(has(md, c.words + " | " + exports::format_percent(c.l, 1000) + " | ")) << md;
    EXPECT_TRUE(has(md, c.tabled)) << md;                     // the words line
    EXPECT_TRUE(has(md, "FRA " + c.words + " |")) << md;      // a clause's words by state
    EXPECT_TRUE(has(md, " | " + c.words + " | 0 | ")) << md;  // the clause's words
    const std::string csv = exports::debrief_csv(d, threads, c.l);
    EXPECT_TRUE(has(csv, "," + c.csv_replace + ",0,0,0,0,0," + c.csv_replace + ",")) << csv;
    EXPECT_TRUE(has(csv, "," + c.csv_words + ",")) << csv;
  }
  EXPECT_EQ(exports::debrief_markdown(d, "demo", threads),
            exports::debrief_markdown(d, "demo", threads, language::en));
  const std::string plain = exports::debrief_csv(d, threads);
  EXPECT_TRUE(has(plain, "\r\nFRA,France,yes,1500,0,0,0,0,0,1500,")) << plain;
  EXPECT_TRUE(has(plain, ",12345,100.0,2,2,0,0\r\n")) << plain;
}

}  // namespace
}  // namespace plenary::test::ops
