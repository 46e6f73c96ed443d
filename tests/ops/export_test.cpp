// `plenary draft export`: Markdown, printable HTML and Akoma Ntoso, at the head or at a
// version, while a server runs on the same data directory; and the renderers on their own.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <regex>

#include "export_document.hpp"
#include "exports/render.hpp"
#include "git_check.hpp"
#include "process.hpp"

namespace plenary::test::ops {
namespace {
namespace fs = std::filesystem;

int count(const std::string& s, const std::string& needle) {
  int n = 0;
  for (auto at = s.find(needle); at != std::string::npos; at = s.find(needle, at + 1)) ++n;
  return n;
}

// xmllint --noout: well-formed XML. nullopt when xmllint is missing.
std::optional<command_result> xmllint(const fs::path& dir, const std::string& xml,
                                      const std::string& args = "--noout") {
  if (!find_program("xmllint")) return std::nullopt;
  fs::path file = dir / "export.xml";
  std::ofstream(file, std::ios::binary) << xml;
  return sh("xmllint " + args + " " + quote(file.string()));
}

// An XPath over AKN without namespace prefixes ("//*[local-name()='paragraph']").
std::string xpath(const fs::path& dir, const std::string& xml, const std::string& expr) {
  auto r = xmllint(dir, xml, "--xpath " + quote(expr));
  if (!r) return "";
  std::string out = r->out;
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// Markdown, HTML and XML in its title and clauses; opened, then amended a day later.
exports::document small_document() {
  using k = storage::clause_kind;
  return demo_document(
      "Code <of> Conduct & \"Friends\"",
      {
          make_clause("c1", k::preamble, std::nullopt, "Recognizing *the* need,"),
          make_clause("c2", k::heading, std::nullopt, "Each State pledges:"),
          make_clause("c3", k::operative, 1, "<script>alert('x')</script> & comply;"),
          make_clause("c4", k::operative, 2, "1999. Was a year\nand a second line;"),
          make_clause("c5", k::operative, 3, "# Not a heading."),
          make_clause("c6", k::heading, std::nullopt, "Final provisions"),
      });
}

TEST(ExportRender, MarkdownNumbersOperativeClausesAndEscapesText) {
  const auto md = exports::render_markdown(small_document(), exports::text_form::clean);
  EXPECT_TRUE(md.starts_with("# Code \\<of\\> Conduct & \"Friends\"\n\n")) << md;
  EXPECT_NE(md.find("\nRecognizing \\*the\\* need,\n"), std::string::npos) << md;
  EXPECT_NE(md.find("\n**Each State pledges:**\n"), std::string::npos) << md;
  EXPECT_NE(md.find("\n1. \\<script\\>alert('x')\\</script\\> & comply;\n"), std::string::npos)
      << md;
  // A line break inside a clause stays one, indented under its item; "1999." is no list.
  EXPECT_NE(md.find("\n2. 1999\\. Was a year\\\n   and a second line;\n"), std::string::npos) << md;
  EXPECT_NE(md.find("\n3. \\# Not a heading.\n"), std::string::npos) << md;
  EXPECT_NE(md.find("**Final provisions**\n"), std::string::npos) << md;
  EXPECT_NE(md.find("2026-11-28 10:15 UTC"), std::string::npos) << md;
  EXPECT_TRUE(md.ends_with("**Final provisions**\n")) << md;
}

TEST(ExportRender, HtmlIsSelfContainedAndEscapesEverything) {
  const auto html = exports::render_html(small_document(), exports::text_form::clean);
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>\n")) << html;
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; comply;"),
            std::string::npos);
  EXPECT_NE(html.find("<title>Code &lt;of&gt; Conduct &amp; &quot;Friends&quot;</title>"),
            std::string::npos);
  EXPECT_NE(html.find("<span class=\"num\">2.</span>1999. Was a year<br>\nand a second line;"),
            std::string::npos)
      << html;
  EXPECT_EQ(count(html, "class=\"operative\""), 3);
  EXPECT_NE(html.find("<style>"), std::string::npos);
  // Self-contained: nothing is fetched when it is opened or printed.
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos);
}

TEST(ExportRender, AkomaNtosoIsWellFormedAndStructured) {
  temp_dir tmp;
  const auto doc = small_document();
  const auto xml = exports::render_akn(doc, exports::text_form::clean);
  auto lint = xmllint(tmp.path(), xml);
  if (!lint) GTEST_SKIP() << "xmllint is missing: apt-get install libxml2-utils";
  EXPECT_EQ(lint->status, 0) << lint->out << xml;
  EXPECT_EQ(xpath(tmp.path(), xml, "namespace-uri(/*)"),
            "http://docs.oasis-open.org/legaldocml/ns/akn/3.0");
  EXPECT_EQ(xpath(tmp.path(), xml, "count(//*[local-name()='paragraph'])"), "3");
  EXPECT_EQ(xpath(tmp.path(), xml, "string((//*[local-name()='paragraph'])[1]/@eId)"), "para_1");
  EXPECT_EQ(
      xpath(tmp.path(), xml, "string((//*[local-name()='paragraph'])[2]/*[local-name()='num'])"),
      "2.");
  EXPECT_EQ(
      xpath(tmp.path(), xml, "string((//*[local-name()='paragraph'])[1]//*[local-name()='p'])"),
      "<script>alert('x')</script> & comply;");
  EXPECT_EQ(
      xpath(tmp.path(), xml, "count((//*[local-name()='paragraph'])[2]//*[local-name()='p'])"),
      "2");
  EXPECT_EQ(xpath(tmp.path(), xml, "string(//*[local-name()='docTitle'])"),
            "Code <of> Conduct & \"Friends\"");
  EXPECT_EQ(
      xpath(tmp.path(), xml, "count(//*[local-name()='preamble']//*[local-name()='recital'])"),
      "1");
  EXPECT_EQ(xpath(tmp.path(), xml,
                  "normalize-space(//*[local-name()='hcontainer'][@name='chapeau']/"
                  "*[local-name()='intro'])"),
            "Each State pledges:");
  EXPECT_EQ(
      xpath(tmp.path(), xml,
            "count(//*[local-name()='hcontainer'][@name='chapeau']/*[local-name()='paragraph'])"),
      "3");
  EXPECT_EQ(xpath(tmp.path(), xml, "string(//*[local-name()='identification']/@source)"),
            "#plenary");
  EXPECT_EQ(
      xpath(tmp.path(), xml, "count(//*[local-name()='lifecycle']/*[local-name()='eventRef'])"),
      "2");
  EXPECT_EQ(xpath(tmp.path(), xml, "string((//*[local-name()='eventRef'])[2]/@source)"), "#rus");
  EXPECT_EQ(xpath(tmp.path(), xml, "string((//*[local-name()='eventRef'])[2]/@date)"),
            "2026-11-28");
  // Every source and author points at a TLC of the references.
  for (const char* who : {"plenary", "chair", "rus", "fra"}) {
    EXPECT_EQ(xpath(tmp.path(), xml,
                    std::string("count(//*[local-name()='references']/*[@eId='") + who + "'])"),
              "1")
        << who;
  }
  for (const char* el : {"FRBRWork", "FRBRExpression", "FRBRManifestation"}) {
    EXPECT_EQ(
        xpath(tmp.path(), xml,
              std::string("count(//*[local-name()='") + el + "']/*[local-name()='FRBRthis'])"),
        "1")
        << el;
  }
}

TEST(ExportRender, CleanAndCompilationAreEqualWithoutBrackets) {
  const auto doc = small_document();
  for (auto f : {exports::format::markdown, exports::format::html, exports::format::akn}) {
    EXPECT_EQ(exports::render(doc, f, exports::text_form::clean),
              exports::render(doc, f, exports::text_form::compilation));
  }
  EXPECT_EQ(exports::parse_format("md"), exports::format::markdown);
  EXPECT_EQ(exports::parse_format("pdf"), std::nullopt);
  EXPECT_EQ(exports::parse_text_form("compilation"), exports::text_form::compilation);
}

class ExportCli : public ::testing::Test {
 protected:
  void SetUp() override {
    data = tmp.path() / "data";
    std::ifstream sample(PLENARY_SAMPLE);
    std::string json((std::istreambuf_iterator<char>(sample)), std::istreambuf_iterator<char>());
    codes_ = create_draft(data, json);
    srv = std::make_unique<server>(data);
    ws_client c(srv->port(), "/d/code-of-conduct/ws");
    auto w = c.join(codes_.delegations["RUS"]);
    open_commit = member(w["draft"], "head");
    amended_commit =
        replace_clause(c, 2, "c3", member(w["draft"]["clauses"][2], "rev"),
                       "To comply with the UN Charter <script>alert(1)</script> & more;");
    ASSERT_FALSE(amended_commit.empty());
    // `draft export` reads git, which trails the acknowledgements by up to 50 ms (issue 20).
    wait_until_main_settles(data / "drafts" / "code-of-conduct.git");
  }
  run_result run_export(std::vector<std::string> extra) {
    std::vector<std::string> args{"draft", "export", "code-of-conduct", "--data", data.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_plenary(args);
  }
  temp_dir tmp;
  fs::path data;
  codes codes_;
  std::unique_ptr<server> srv;
  std::string open_commit, amended_commit;
};

TEST_F(ExportCli, MarkdownOfTheSampleWhileTheServerRuns) {
  auto r = run_export({"--format", "md"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  EXPECT_TRUE(r.out.starts_with("# International Code of Conduct for Information Security\n"))
      << r.out;
  for (int n = 1; n <= 5; ++n) {
    EXPECT_EQ(count(r.out, "\n" + std::to_string(n) + ". "), 1) << n << "\n" << r.out;
  }
  EXPECT_EQ(count(r.out, "\n6. "), 0);
  EXPECT_NE(
      r.out.find("\n1. To comply with the UN Charter \\<script\\>alert(1)\\</script\\> & more;\n"),
      std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("**Each State voluntarily subscribing to this Code pledges:**"),
            std::string::npos);
  EXPECT_NE(r.out.find(amended_commit.substr(0, 7)), std::string::npos);
}

TEST_F(ExportCli, HtmlEscapesAScriptClause) {
  auto r = run_export({"--format", "html"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.find("<script"), std::string::npos);
  EXPECT_NE(
      r.out.find("To comply with the UN Charter &lt;script&gt;alert(1)&lt;/script&gt; &amp; more;"),
      std::string::npos);
  EXPECT_EQ(count(r.out, "class=\"operative\""), 5);
}

TEST_F(ExportCli, AkomaNtosoIsWellFormedWithALifecycleEventPerCommit) {
  auto r = run_export({"--format", "akn"});
  ASSERT_EQ(r.status, 0) << r.err;
  auto lint = xmllint(tmp.path(), r.out);
  if (!lint) GTEST_SKIP() << "xmllint is missing: apt-get install libxml2-utils";
  EXPECT_EQ(lint->status, 0) << lint->out;
  EXPECT_EQ(xpath(tmp.path(), r.out, "count(//*[local-name()='paragraph'])"), "5");
  EXPECT_EQ(xpath(tmp.path(), r.out, "count(//*[local-name()='eventRef'])"), "2");
  EXPECT_EQ(xpath(tmp.path(), r.out, "string((//*[local-name()='eventRef'])[1]/@source)"),
            "#chair");
  EXPECT_EQ(xpath(tmp.path(), r.out, "string((//*[local-name()='eventRef'])[2]/@source)"), "#rus");
  EXPECT_EQ(xpath(tmp.path(), r.out, "count(//*[local-name()='TLCOrganization'])"),
            "13");  // 12 + plenary
  EXPECT_EQ(
      xpath(tmp.path(), r.out, "string(//*[local-name()='TLCOrganization'][@eId='est']/@showAs)"),
      "Estonia");
}

TEST_F(ExportCli, AtACommitAPrefixOrATag) {
  auto at_open = run_export({"--format", "md", "--version", open_commit});
  ASSERT_EQ(at_open.status, 0) << at_open.err;
  EXPECT_NE(at_open.out.find("\n1. To comply with the UN Charter and universally"),
            std::string::npos);
  EXPECT_EQ(at_open.out.find("script"), std::string::npos);
  auto prefix = run_export({"--format", "md", "--version", open_commit.substr(0, 8)});
  EXPECT_EQ(prefix.out, at_open.out);
  auto akn = run_export({"--format", "akn", "--version", open_commit});
  EXPECT_EQ(count(akn.out, "<eventRef "), 1);  // the history up to that version only

  // A tag, as procedure.md's `tag` will make them (made with git here).
  const fs::path repo = data / "drafts" / "code-of-conduct.git";
  ASSERT_EQ(
      git(repo,
          "-c user.name=Chair -c user.email=chair@delegations.invalid tag -a -m 'First' rev.1 " +
              open_commit)
          .status,
      0);
  auto tagged = run_export({"--format", "md", "--version", "rev.1"});
  ASSERT_EQ(tagged.status, 0) << tagged.err;
  EXPECT_NE(tagged.out.find("version rev.1"), std::string::npos) << tagged.out;
  EXPECT_NE(tagged.out.find("\n1. To comply with the UN Charter and universally"),
            std::string::npos);
  auto compilation = run_export({"--format", "md", "--version", "rev.1", "--text", "compilation"});
  EXPECT_EQ(compilation.out, tagged.out);
}

TEST_F(ExportCli, UnknownVersionDraftOrFormatFailWithOneLine) {
  struct bad {
    std::vector<std::string> args;
    std::string says;
  };
  const std::vector<bad> cases = {
      {{"--format", "md", "--version", "rev.9"}, "no version `rev.9`"},
      {{"--format", "md", "--version", std::string(40, 'f')}, "no version"},
      {{"--format", "md", "--version", "HEAD~1"}, "tag name or a commit id"},
      {{"--format", "pdf"}, "format"},
      {{"--format", "md", "--text", "fancy"}, "text"},
      {{}, "format"},
  };
  for (const auto& bc : cases) {
    SCOPED_TRACE(bc.says);
    auto r = run_export(bc.args);
    EXPECT_NE(r.status, 0);
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_EQ(count(r.err, "\n"), 1) << r.err;
    EXPECT_NE(r.err.find(bc.says), std::string::npos) << r.err;
  }
  auto none =
      run_plenary({"draft", "export", "no-such", "--data", data.string(), "--format", "md"});
  EXPECT_NE(none.status, 0);
  EXPECT_EQ(count(none.err, "\n"), 1) << none.err;
  EXPECT_NE(none.err.find("no draft named `no-such`"), std::string::npos) << none.err;
}

TEST_F(ExportCli, AsRootOfDataThatBelongsToTheServicesUser) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root (to hand the data to another user)";
  // Under systemd (DynamicUser) the data belongs to the service; an administrator exports as root.
  ASSERT_EQ(sh("chown -R 65534:65534 " + quote(data.string())).status, 0);
  auto r = run_export({"--format", "md"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("\n1. To comply with the UN Charter"), std::string::npos) << r.out;
}

TEST_F(ExportCli, NeverTouchesALockTheServerMayHold) {
  // What the server's ref update holds for a moment: the export must not take it for a
  // crashed writer's leftover and delete it (storage::open_options{.repair = false}).
  const fs::path lock = data / "drafts" / "code-of-conduct.git" / "refs" / "heads" / "main.lock";
  std::ofstream(lock) << "held\n";
  auto r = run_export({"--format", "md"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(fs::exists(lock));
  fs::remove(lock);
  // And the server still commits afterwards.
  ws_client c(srv->port(), "/d/code-of-conduct/ws");
  auto w = c.join(codes_.chair);
  EXPECT_FALSE(replace_clause(c, 3, "c4", member(w["draft"]["clauses"][3], "rev"),
                              "Not to use ICTs for hostile acts;")
                   .empty());
}

}  // namespace
}  // namespace plenary::test::ops
