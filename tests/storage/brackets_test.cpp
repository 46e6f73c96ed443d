// Bracketed text (procedure.md, "Bracketed text"): the notation (storage/brackets.hpp) on its
// own, then the `bracket` and `resolve` ops of a draft, blame per proponent, and proposals of
// op `resolve`.
#include "storage/brackets.hpp"

#include <gtest/gtest.h>

#include "storage/draft.hpp"
#include "storage_fixture.hpp"

namespace plenary::storage::testing {
namespace {

using brackets::alternative;

// ---- the notation ------------------------------------------------------------------------------

TEST(bracket_notation, parses_brackets_with_their_offsets) {
  const std::string text = "To ⟦CHN: comply ‖ USA: act⟧ with ⟦RUS: the Charter ‖ FRA: ⟧;";
  auto parsed = brackets::parse(text);
  ASSERT_OK(parsed);
  ASSERT_EQ(parsed->size(), 2u);
  const auto& first = (*parsed)[0];
  EXPECT_EQ(first.start, 3u);
  EXPECT_EQ(text.substr(first.start, first.end - first.start), "⟦CHN: comply ‖ USA: act⟧");
  ASSERT_EQ(first.alternatives.size(), 2u);
  EXPECT_EQ(first.alternatives[0].state, "CHN");
  EXPECT_EQ(first.alternatives[0].wording, "comply");
  EXPECT_EQ(text.substr(first.alternatives[0].start, 6), "comply");
  EXPECT_EQ(first.alternatives[1].state, "USA");
  EXPECT_EQ(first.alternatives[1].wording, "act");
  EXPECT_EQ(text.substr(first.alternatives[1].start, 3), "act");
  const auto& second = (*parsed)[1];
  EXPECT_EQ(second.alternatives[1].state, "FRA");
  EXPECT_EQ(second.alternatives[1].wording, "");  // "delete this"
  EXPECT_EQ(text.substr(second.end), ";");
  EXPECT_EQ(brackets::format(first.alternatives), "⟦CHN: comply ‖ USA: act⟧");
  EXPECT_EQ(brackets::format(second.alternatives), "⟦RUS: the Charter ‖ FRA: ⟧");
}

TEST(bracket_notation, a_text_without_marks_has_no_brackets) {
  auto parsed = brackets::parse("Plain text [with square brackets] / and | bars.");
  ASSERT_OK(parsed);
  EXPECT_TRUE(parsed->empty());
  EXPECT_FALSE(brackets::has_marks("Plain [text]"));
  EXPECT_TRUE(brackets::has_marks("a ‖ b"));
}

TEST(bracket_notation, every_malformed_notation_is_refused_with_a_sentence) {
  const std::pair<std::string, std::string> cases[] = {
      {"a ⟦CHN: b", "never closed"},
      {"a ⟧ b", "closes no bracket"},
      {"a ‖ b", "outside a bracket"},
      {"a ⟦⟧ b", "is empty"},
      {"⟦CHN: a ⟦RUS: b⟧⟧", "do not nest"},
      {"⟦CHN: a‖RUS: b⟧", "joined by ` ‖ `"},
      {"⟦CHN: a ‖RUS: b⟧", "joined by ` ‖ `"},
      {"⟦CHN: a ‖ b⟧", "does not name its proponent"},
      {"⟦chn: a⟧", "does not name its proponent"},
      {"⟦CHN:a⟧", "does not name its proponent"},
      {"⟦CHN: a ‖ ‖ RUS: b⟧", "does not name its proponent"},
      {"⟦ CHN: a⟧", "does not name its proponent"},
      {"⟦CHN: a⟧ ⟧", "closes no bracket"},
  };
  for (const auto& [text, words] : cases) {
    auto parsed = brackets::parse(text, {}, "Clause c3");
    EXPECT_ERROR(parsed, error_kind::invalid);
    if (!parsed) {
      EXPECT_NE(parsed.err().message.find(words), std::string::npos)
          << text << " -> " << parsed.err().message;
      EXPECT_EQ(parsed.err().message.rfind("Clause c3: ", 0), 0u) << parsed.err().message;
    }
  }
}

TEST(bracket_notation, codes_must_be_delegations_or_the_chair_when_the_roster_is_known) {
  const std::vector<std::string> roster = {"CHN", "USA"};
  EXPECT_TRUE(brackets::parse("⟦CHN: a ‖ CHAIR: b ‖ USA: ⟧", roster).ok());
  // The text as tabled is a proponent too (docs/extensions.md).
  EXPECT_TRUE(brackets::parse("⟦TABLED: a ‖ USA: b⟧", roster).ok());
  auto refused = brackets::parse("x ⟦CHN: a⟧ y ⟦USA: b ‖ XYZ: c⟧", roster, "Clause c3");
  EXPECT_ERROR(refused, error_kind::invalid);
  EXPECT_EQ(refused.err().message,
            "Clause c3: bracket 2 names `XYZ`, which is not a delegation of this draft (nor the "
            "chair, `CHAIR`, nor the text as tabled, `TABLED`).");
  // Without a roster only the structure is checked.
  EXPECT_TRUE(brackets::parse("⟦XYZ: c⟧").ok());
}

// The one state blame gives every byte of the first `needle` in the text, or "mixed".
std::string only_state(const std::vector<blame_segment>& segments, const std::string& needle) {
  std::string text;
  for (const auto& s : segments) text += s.text;
  const std::size_t at = text.find(needle);
  if (at == std::string::npos) return "(not found)";
  std::string state;
  std::size_t offset = 0;
  for (const auto& s : segments) {
    const std::size_t end = offset + s.text.size();
    if (end > at && offset < at + needle.size()) {
      if (!state.empty() && state != s.state) return "mixed";
      state = s.state;
    }
    offset = end;
  }
  return state;
}

// ---- bracket_span and resolve ------------------------------------------------------------------

std::vector<blame_segment> one_author(const std::string& text, const std::string& state) {
  return {{text, state, std::string(40, 'a')}};
}

TEST(bracket_span, makes_a_bracket_of_plain_text_attributed_by_blame) {
  const std::string text = "To comply with the Charter;";
  const std::vector<blame_segment> blame = {{"To comply with ", "CHAIR", std::string(40, 'a')},
                                            {"the Charter", "FRA", std::string(40, 'b')},
                                            {";", "CHAIR", std::string(40, 'a')}};
  auto made = brackets::bracket_span(text, 15, 26, "RUS", "international law", blame);
  ASSERT_OK(made);
  EXPECT_EQ(made->text, "To comply with ⟦FRA: the Charter ‖ RUS: international law⟧;");
  EXPECT_EQ(made->index, 0u);
  EXPECT_FALSE(made->added_to_existing);
  // Most bytes decide: "with the Cha" is 5 bytes of CHAIR's and 7 of FRA's.
  auto mixed = brackets::bracket_span(text, 10, 22, "RUS", "under the", blame);
  ASSERT_OK(mixed);
  EXPECT_EQ(mixed->text, "To comply ⟦FRA: with the Cha ‖ RUS: under the⟧rter;");
}

TEST(bracket_span, words_still_as_tabled_are_the_tabled_texts) {
  // The chair's first commit is the text as tabled; a later commit of the chair is the chair's.
  const std::string tabled(40, 'a');
  const std::string later(40, 'c');
  const std::string text = "To comply with the Charter at all times;";
  const std::vector<blame_segment> raw = {{"To comply with the Charter", "CHAIR", tabled},
                                          {" at all times", "CHAIR", later},
                                          {";", "CHAIR", tabled}};
  const auto blame = brackets::as_tabled(raw, tabled);
  EXPECT_EQ(blame[0].state, "TABLED");
  EXPECT_EQ(blame[1].state, "CHAIR");
  EXPECT_EQ(blame[2].state, "TABLED");
  struct span_case {
    const char* name;
    std::size_t start, end;
    const char* expected;
  };
  const span_case cases[] = {
      {"all tabled", 15, 26, "To comply with ⟦TABLED: the Charter ‖ RUS: law⟧ at all times;"},
      {"all the chair's", 27, 39, "To comply with the Charter ⟦CHAIR: at all times ‖ RUS: law⟧;"},
      // "Charter at all" is 7 bytes as tabled, 7 of the chair's: the tie goes to the first.
      {"a tie", 19, 33, "To comply with the ⟦TABLED: Charter at all ‖ RUS: law⟧ times;"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto made = brackets::bracket_span(text, c.start, c.end, "RUS", "law", blame);
    ASSERT_OK(made);
    EXPECT_EQ(made->text, c.expected);
  }
  // Without the tabled commit the raw blame names the committer, as before.
  auto raw_made = brackets::bracket_span(text, 15, 26, "RUS", "law", brackets::as_tabled(raw, ""));
  ASSERT_OK(raw_made);
  EXPECT_EQ(raw_made->text, "To comply with ⟦CHAIR: the Charter ‖ RUS: law⟧ at all times;");
}

TEST(bracket_span, a_span_covering_a_bracket_adds_an_alternative) {
  const std::string text = "To ⟦CHN: comply ‖ USA: act⟧ now ⟦RUS: a ‖ FRA: b⟧.";
  auto parsed = brackets::parse(text);
  ASSERT_OK(parsed);
  const auto& second = (*parsed)[1];
  auto made =
      brackets::bracket_span(text, second.start, second.end, "GBR", "", one_author(text, "CHAIR"));
  ASSERT_OK(made);
  EXPECT_EQ(made->text, "To ⟦CHN: comply ‖ USA: act⟧ now ⟦RUS: a ‖ FRA: b ‖ GBR: ⟧.");
  EXPECT_EQ(made->index, 1u);
  EXPECT_TRUE(made->added_to_existing);
  // The same alternative twice changes nothing.
  auto again = brackets::bracket_span(made->text, second.start, second.end + 10, "GBR", "",
                                      one_author(made->text, "CHAIR"));
  EXPECT_ERROR(again, error_kind::invalid);
}

TEST(bracket_span, bad_spans_are_refused) {
  const std::string text = "To ⟦CHN: comply ‖ USA: act⟧ now.";  // the bracket is bytes 3..33
  const auto blame = one_author(text, "CHAIR");
  auto parsed = brackets::parse(text);
  ASSERT_OK(parsed);
  const std::size_t b_start = (*parsed)[0].start;
  const std::size_t b_end = (*parsed)[0].end;
  const std::pair<std::size_t, std::size_t> bad[] = {
      {5, 5},                      // empty
      {6, 2},                      // reversed
      {0, text.size() + 1},        // past the end
      {b_start + 1, b_end},        // cuts ⟦
      {b_start + 3, b_start + 6},  // inside the bracket
      {0, b_start + 6},            // partly overlapping
      {b_start + 6, b_end + 2},    // partly overlapping
      {0, b_end + 1},              // containing it
  };
  for (const auto& [start, end] : bad) {
    SCOPED_TRACE(std::to_string(start) + ".." + std::to_string(end));
    EXPECT_ERROR(brackets::bracket_span(text, start, end, "RUS", "x", blame), error_kind::invalid);
  }
  EXPECT_ERROR(brackets::bracket_span(text, 0, 2, "RUS", "a ⟧ b", blame), error_kind::invalid);
  EXPECT_ERROR(brackets::bracket_span(text, 0, 2, "RUS", "To", blame), error_kind::invalid);
  EXPECT_TRUE(brackets::bracket_span(text, b_end, b_end + 4, "RUS", "today", blame).ok());
}

TEST(bracket_span, byte_offsets_in_cyrillic_and_chinese_text) {
  // Cyrillic letters are 2 bytes each; "Каждое " is 13 bytes.
  const std::string ru = "Каждое государство обязуется";
  const auto ru_blame = one_author(ru, "RUS");
  auto cut = brackets::bracket_span(ru, 13, 14, "CHN", "x", ru_blame);
  EXPECT_ERROR(cut, error_kind::invalid);
  EXPECT_NE(cut.err().message.find("falls inside a UTF-8 character"), std::string::npos);
  EXPECT_ERROR(brackets::bracket_span(ru, 1, 12, "CHN", "x", ru_blame), error_kind::invalid);
  auto whole = brackets::bracket_span(ru, 13, 35, "CHN", "страна", ru_blame);
  ASSERT_OK(whole);
  EXPECT_EQ(whole->text, "Каждое ⟦RUS: государство ‖ CHN: страна⟧ обязуется");

  // CJK characters are 3 bytes each: "各国承诺遵守宪章".
  const std::string zh = "各国承诺遵守宪章";
  const auto zh_blame = one_author(zh, "CHN");
  for (std::size_t end : {13u, 14u}) {
    EXPECT_ERROR(brackets::bracket_span(zh, 12, end, "USA", "x", zh_blame), error_kind::invalid);
  }
  auto two = brackets::bracket_span(zh, 12, 18, "USA", "尊重", zh_blame);
  ASSERT_OK(two);
  EXPECT_EQ(two->text, "各国承诺⟦CHN: 遵守 ‖ USA: 尊重⟧宪章");
}

TEST(bracket_resolve, keeps_one_alternative) {
  const std::string text = "To ⟦CHN: comply ‖ USA: act⟧ now ⟦RUS: with law ‖ FRA: ⟧.";
  auto first = brackets::resolve(text, 0, 1);
  ASSERT_OK(first);
  EXPECT_EQ(*first, "To act now ⟦RUS: with law ‖ FRA: ⟧.");
  auto deleted = brackets::resolve(text, 1, 1);
  ASSERT_OK(deleted);
  EXPECT_EQ(*deleted, "To ⟦CHN: comply ‖ USA: act⟧ now .");
  EXPECT_ERROR(brackets::resolve(text, 2, 0), error_kind::invalid);
  EXPECT_ERROR(brackets::resolve(text, 0, 2), error_kind::invalid);
}

TEST(bracket_blame, each_alternative_goes_to_its_proponent) {
  const std::string c1(40, '1');
  const std::string c2(40, '2');
  std::vector<blame_segment> raw = {{"To comply with ", "CHAIR", c1},
                                    {"⟦FRA: the Charter ‖ RUS: international law⟧", "RUS", c2},
                                    {";", "CHAIR", c1}};
  const auto out = brackets::attribute_proponents(raw);
  std::string joined;
  for (const auto& s : out) joined += s.text;
  EXPECT_EQ(joined, "To comply with ⟦FRA: the Charter ‖ RUS: international law⟧;");
  EXPECT_EQ(only_state(out, "the Charter"), "FRA");
  EXPECT_EQ(only_state(out, "international law"), "RUS");
  EXPECT_EQ(only_state(out, "⟦FRA: "), "RUS");  // the marks stay with the commit that wrote them
  EXPECT_EQ(only_state(out, "To comply with "), "CHAIR");
  // A text without brackets comes back as it was.
  EXPECT_EQ(brackets::attribute_proponents({{"plain", "CHN", c1}}).size(), 1u);
}

// `tabled` of the piece holding `needle` (which must lie in one piece).
std::optional<bool> tabled_at(const std::vector<blame_segment>& segments,
                              const std::string& needle) {
  for (const auto& s : segments) {
    if (s.text.find(needle) != std::string::npos) return s.tabled;
  }
  return std::nullopt;
}

TEST(bracket_blame, the_words_as_tabled_are_marked) {
  const std::string c1(40, '1');  // the tabled text (the chair's first commit)
  const std::string c2(40, '2');  // RUS's bracket
  const std::string c3(40, '3');  // a later amendment by the chair
  // c2 bracketed "the Charter" (tabled); "the Charter" of USA's alternative happens to be
  // aligned with c1's words by the diff: it is still USA's, not the tabled text's.
  const std::vector<blame_segment> raw = {{"To comply with ", "CHAIR", c1},
                                          {"⟦TABLED: ", "RUS", c2},
                                          {"the Charter", "CHAIR", c1},
                                          {" ‖ RUS: international law ‖ USA: ", "RUS", c2},
                                          {"the Charter", "CHAIR", c1},
                                          {"⟧ always", "RUS", c2},
                                          {" now", "CHAIR", c3},
                                          {";", "CHAIR", c1}};
  const auto out = brackets::attribute_proponents(raw, c1);
  std::string joined;
  for (const auto& s : out) joined += s.text;
  EXPECT_EQ(joined,
            "To comply with ⟦TABLED: the Charter ‖ RUS: international law ‖ USA: the Charter⟧ "
            "always now;");
  struct expectation {
    const char* needle;
    const char* state;
    bool tabled;
  };
  const expectation cases[] = {
      {"To comply with ", "CHAIR", true},   // plain words as tabled: still the chair's commit
      {"⟦TABLED: ", "RUS", false},          // the notation is the bracketer's
      {"international law", "RUS", false},  // an alternative is its proponent's
      {" now", "CHAIR", false},             // the chair's own later words
  };
  for (const auto& e : cases) {
    SCOPED_TRACE(e.needle);
    EXPECT_EQ(only_state(out, e.needle), e.state);
    EXPECT_EQ(tabled_at(out, e.needle), e.tabled);
  }
  // The TABLED alternative's wording is the tabled text's; USA's identical wording is USA's.
  std::vector<std::pair<std::string, bool>> charters;
  for (const auto& s : out) {
    if (s.text == "the Charter") charters.emplace_back(s.state, s.tabled);
  }
  ASSERT_EQ(charters.size(), 2u);
  EXPECT_EQ(charters[0], std::make_pair(std::string("TABLED"), true));
  EXPECT_EQ(charters[1], std::make_pair(std::string("USA"), false));
  // Without brackets: only the flag.
  const auto plain = brackets::attribute_proponents({{"a ", "CHAIR", c1}, {"b", "FRA", c2}}, c1);
  ASSERT_EQ(plain.size(), 2u);
  EXPECT_TRUE(plain[0].tabled);
  EXPECT_FALSE(plain[1].tabled);
  // Without the tabled commit only the TABLED alternative's wording is marked.
  for (const auto& s : brackets::attribute_proponents(raw)) {
    EXPECT_EQ(s.tabled, s.state == "TABLED") << s.text;
  }
}

// ---- the ops of a draft -------------------------------------------------------------------------

const actor usa{"USA", "United States"};

std::string trailers_of(const fs::path& repo, const std::string& rev) {
  return git(repo, "log -1 '--format=%(trailers:only,unfold)' " + rev).out;
}

class bracket_ops_test : public storage_test {
 protected:
  // c3 = "To comply with universal principles;" where FRA wrote "universal principles".
  std::unique_ptr<draft> make_bracketable() {
    auto d = make();
    if (!d) return d;
    d->set_delegations({"CHN", "FRA", "RUS", "USA"});
    auto r = d->amend(
        replace_req(fra, "c3", rev(*d, "c3"), "To comply with universal principles;", {}, t0 + 10));
    EXPECT_TRUE(r.ok());
    return d;
  }
  static std::string rev(const draft& d, std::string_view id) { return find(d.head(), id)->rev; }
  static std::string text(const draft& d, std::string_view id) { return find(d.head(), id)->text; }
  // Every refusal leaves main and the files as they were.
  void expect_nothing_committed(draft& d, const request& r, error_kind kind) {
    const std::string head = d.head().head;
    const auto files = tree_listing(repo_path());
    EXPECT_ERROR(d.amend(r), kind);
    EXPECT_EQ(d.head().head, head);
    EXPECT_EQ(git(repo_path(), "rev-parse main").out, head + "\n");
    EXPECT_EQ(tree_listing(repo_path()), files);
  }
};

TEST_F(bracket_ops_test, bracket_then_another_alternative_then_resolve) {
  auto d = make_bracketable();
  ASSERT_TRUE(d);
  const std::string c3 = text(*d, "c3");
  const std::size_t start = c3.find("universal principles");
  const std::size_t end = start + std::string("universal principles").size();

  auto first = d->amend(bracket_req(rus, "c3", rev(*d, "c3"), start, end, "international law"));
  ASSERT_OK(first);
  EXPECT_EQ(first->entry.op, op_kind::bracket);
  EXPECT_EQ(first->entry.clause, "c3");
  EXPECT_EQ(first->entry.by.state, "RUS");
  EXPECT_EQ(text(*d, "c3"), "To comply with ⟦FRA: universal principles ‖ RUS: international law⟧;");
  EXPECT_EQ(first->after->text, text(*d, "c3"));
  EXPECT_EQ(first->after->rev, first->entry.commit);
  EXPECT_EQ(trailers_of(repo_path(), "main"), "Op: bracket\nClause: c3\nState: RUS\n\n");
  EXPECT_EQ(git(repo_path(), "log -1 --format=%s main").out,
            "Bracket wording in operative clause 1\n");
  EXPECT_EQ(git(repo_path(), "show main:clauses/c3.txt").out, text(*d, "c3") + "\n");

  // CHN adds a third alternative: the span is the whole bracket.
  const std::string now = text(*d, "c3");
  const std::size_t b_start = now.find("⟦");
  const std::size_t b_end = now.find("⟧") + 3;
  auto second = d->amend(bracket_req(chn, "c3", rev(*d, "c3"), b_start, b_end, ""));
  ASSERT_OK(second);
  EXPECT_EQ(text(*d, "c3"),
            "To comply with ⟦FRA: universal principles ‖ RUS: international law ‖ CHN: ⟧;");
  EXPECT_EQ(git(repo_path(), "log -1 --format=%s main").out,
            "Add an alternative to a bracket in operative clause 1\n");

  // Only the chair resolves directly.
  expect_nothing_committed(*d, resolve_req(rus, "c3", 0, 1), error_kind::forbidden);
  auto resolved = d->amend(resolve_req(chair, "c3", 0, 1));
  ASSERT_OK(resolved);
  EXPECT_EQ(resolved->entry.op, op_kind::resolve);
  EXPECT_EQ(text(*d, "c3"), "To comply with international law;");
  EXPECT_EQ(trailers_of(repo_path(), "main"), "Op: resolve\nClause: c3\nState: CHAIR\n\n");

  // Reopened (index from git, then from the cache), the ops read back.
  d.reset();
  auto again = reopen();
  ASSERT_TRUE(again);
  auto log = again->log(3);
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].op, op_kind::resolve);
  EXPECT_EQ(log[1].op, op_kind::bracket);
  EXPECT_EQ(log[2].op, op_kind::bracket);
  EXPECT_EQ(text(*again, "c3"), "To comply with international law;");
}

TEST_F(bracket_ops_test, blame_gives_each_alternative_to_its_proponent) {
  auto d = make_bracketable();
  ASSERT_TRUE(d);
  const std::string c3 = text(*d, "c3");
  const std::size_t start = c3.find("universal principles");
  ASSERT_OK(
      d->amend(bracket_req(rus, "c3", rev(*d, "c3"), start, start + 20, "international law")));
  const std::string now = text(*d, "c3");
  ASSERT_OK(d->amend(
      bracket_req(chn, "c3", rev(*d, "c3"), now.find("⟦"), now.find("⟧") + 3, "the Charter")));
  auto blame = d->blame("c3");
  ASSERT_OK(blame);
  std::string joined;
  for (const auto& s : *blame) joined += s.text;
  EXPECT_EQ(joined, text(*d, "c3"));
  EXPECT_EQ(only_state(*blame, "universal principles"), "FRA");
  EXPECT_EQ(only_state(*blame, "international law"), "RUS");
  EXPECT_EQ(only_state(*blame, "the Charter"), "CHN");
  EXPECT_EQ(only_state(*blame, "To comply with "), "CHAIR");
  // The same after reopening (blame computed from the history, not carried forward).
  d.reset();
  auto again = reopen();
  ASSERT_TRUE(again);
  auto reread = again->blame("c3");
  ASSERT_OK(reread);
  ASSERT_EQ(reread->size(), blame->size());
  for (std::size_t i = 0; i < blame->size(); ++i) {
    EXPECT_EQ((*reread)[i].text, (*blame)[i].text);
    EXPECT_EQ((*reread)[i].state, (*blame)[i].state);
    EXPECT_EQ((*reread)[i].commit, (*blame)[i].commit);
  }
}

TEST_F(bracket_ops_test, wording_as_tabled_is_the_tabled_texts_and_the_commit_the_bracketers) {
  auto d = make_bracketable();  // c3: "To comply with " as tabled, "universal principles" FRA's
  ASSERT_TRUE(d);
  // The chair's own amendment of c4 after the draft was tabled stays the chair's.
  ASSERT_OK(
      d->amend(replace_req(chair, "c4", rev(*d, "c4"),
                           "Not to use networks for hostile acts of any kind;", {}, t0 + 20)));
  ASSERT_OK(d->amend(bracket_req(rus, "c3", rev(*d, "c3"), 3, 9, "abide")));  // "comply"
  EXPECT_EQ(text(*d, "c3"), "To ⟦TABLED: comply ‖ RUS: abide⟧ with universal principles;");
  // Git authorship is honest: the bracket is RUS's commit; the tabled text's is the chair's.
  EXPECT_EQ(trailers_of(repo_path(), "main"), "Op: bracket\nClause: c3\nState: RUS\n\n");
  EXPECT_EQ(git(repo_path(), "log -1 --format=%an main").out, "Russian Federation\n");
  const std::string c4 = text(*d, "c4");
  const std::size_t kind = c4.find("of any kind");
  ASSERT_OK(d->amend(bracket_req(chn, "c4", rev(*d, "c4"), kind, kind + 11, "")));
  EXPECT_EQ(text(*d, "c4"), "Not to use networks for hostile acts ⟦CHAIR: of any kind ‖ CHN: ⟧;");
  ASSERT_OK(d->amend(bracket_req(chn, "c4", rev(*d, "c4"), 0, 3, "Never")));
  EXPECT_EQ(text(*d, "c4"),
            "⟦TABLED: Not ‖ CHN: Never⟧ to use networks for hostile acts ⟦CHAIR: of any kind ‖ "
            "CHN: ⟧;");

  // Blame: the tabled words, in the bracket or not, are marked; the rest is not.
  for (int pass = 0; pass < 2; ++pass) {
    SCOPED_TRACE(pass == 0 ? "carried forward" : "after reopening");
    auto blame = d->blame("c3");
    ASSERT_OK(blame);
    EXPECT_EQ(only_state(*blame, "comply"), "TABLED");
    EXPECT_EQ(tabled_at(*blame, "comply"), true);
    EXPECT_EQ(only_state(*blame, "To "), "CHAIR");
    EXPECT_EQ(tabled_at(*blame, "To "), true);
    EXPECT_EQ(tabled_at(*blame, "abide"), false);
    EXPECT_EQ(tabled_at(*blame, "universal principles"), false);
    auto b4 = d->blame("c4");
    ASSERT_OK(b4);
    EXPECT_EQ(tabled_at(*b4, "of any kind"), false);
    EXPECT_EQ(only_state(*b4, "of any kind"), "CHAIR");
    EXPECT_EQ(tabled_at(*b4, "hostile acts"), true);
    d.reset();
    d = reopen();
    ASSERT_TRUE(d);
  }
}

TEST_F(bracket_ops_test, malformed_notation_is_refused_and_nothing_is_committed) {
  auto d = make_bracketable();
  ASSERT_TRUE(d);
  const std::string base = rev(*d, "c3");
  for (const std::string bad :
       {"To comply ⟦FRA: with", "To comply ⟧ with", "To ‖ comply", "To ⟦FRA: a ⟦RUS: b⟧⟧",
        "To ⟦FRA: a‖RUS: b⟧", "To ⟦comply⟧", "To ⟦XYZ: comply⟧"}) {
    expect_nothing_committed(*d, replace_req(rus, "c3", base, bad), error_kind::invalid);
    expect_nothing_committed(*d, insert_req(rus, "c3", clause_kind::operative, bad),
                             error_kind::invalid);
  }
  auto named = d->amend(replace_req(rus, "c3", base, "To ⟦XYZ: comply⟧"));
  EXPECT_NE(named.err().message.find("`XYZ`, which is not a delegation"), std::string::npos)
      << named.err().message;
  // Well-formed, with roster codes and CHAIR, goes in.
  ASSERT_OK(d->amend(replace_req(rus, "c3", base, "To ⟦RUS: comply ‖ CHAIR: act⟧;")));
}

TEST_F(bracket_ops_test, bad_bracket_requests_are_refused_and_nothing_is_committed) {
  auto d = make_bracketable();
  ASSERT_TRUE(d);
  const std::string base = rev(*d, "c3");
  const std::size_t size = text(*d, "c3").size();
  expect_nothing_committed(*d, bracket_req(rus, "c3", base, 3, 3, "x"), error_kind::invalid);
  expect_nothing_committed(*d, bracket_req(rus, "c3", base, 3, size + 1, "x"), error_kind::invalid);
  expect_nothing_committed(*d, bracket_req(rus, "c3", base, 0, 2, "a ‖ b"), error_kind::invalid);
  expect_nothing_committed(*d, bracket_req(rus, "c9", base, 0, 2, "x"), error_kind::not_found);
  expect_nothing_committed(*d, bracket_req(rus, "c3", "nope", 0, 2, "x"), error_kind::invalid);
  // A proponent that is not on the roster.
  expect_nothing_committed(*d, bracket_req({"XYZ", "Nowhere"}, "c3", base, 0, 2, "x"),
                           error_kind::invalid);
  // A bad bracket is refused as a proposal too (plenary tables brackets: docs/extensions.md).
  const std::string head = d->head().head;
  EXPECT_ERROR(d->table(rus, bracket_req(rus, "c3", base, 3, 3, "x").change, t0 + 50),
               error_kind::invalid);
  EXPECT_EQ(d->head().head, head);
  EXPECT_TRUE(d->proposals().empty());
}

TEST_F(bracket_ops_test, a_stale_base_is_a_conflict_carrying_the_clause) {
  auto d = make_bracketable();
  ASSERT_TRUE(d);
  const std::string seen = rev(*d, "c3");
  ASSERT_OK(d->amend(
      replace_req(chn, "c3", seen, "To comply fully with universal principles;", {}, t0 + 20)));
  ASSERT_OK(d->amend(replace_req(chn, "c4", rev(*d, "c4"), "Never to use networks;", {}, t0 + 21)));
  const std::string head = d->head().head;
  auto stale = d->amend(bracket_req(rus, "c3", seen, 0, 2, "Shall"));
  EXPECT_ERROR(stale, error_kind::conflict);
  ASSERT_TRUE(stale.err().current);
  EXPECT_EQ(stale.err().current->text, "To comply fully with universal principles;");
  EXPECT_EQ(d->head().head, head);
  // A base after the clause's last change (the head) is the same text: fine.
  ASSERT_OK(d->amend(bracket_req(rus, "c3", head, 0, 2, "Shall")));
  EXPECT_EQ(text(*d, "c3"), "⟦TABLED: To ‖ RUS: Shall⟧ comply fully with universal principles;");
}

TEST_F(bracket_ops_test, stages_apply_to_brackets_as_to_amendments) {
  auto d = make_bracketable();
  ASSERT_TRUE(d);
  request formal{chair, {}, t0 + 30};
  formal.change.op = op_kind::stage;
  formal.change.stage = draft_stage::formal;
  ASSERT_OK(d->amend(formal));
  expect_nothing_committed(*d, bracket_req(rus, "c3", rev(*d, "c3"), 0, 2, "Shall"),
                           error_kind::forbidden);
  ASSERT_OK(d->amend(bracket_req(chair, "c3", rev(*d, "c3"), 0, 2, "Shall")));
  request adopted{chair, {}, t0 + 40};
  adopted.change.op = op_kind::stage;
  adopted.change.stage = draft_stage::adopted;
  ASSERT_OK(d->amend(adopted));
  expect_nothing_committed(*d, bracket_req(chair, "c4", rev(*d, "c4"), 0, 3, "Never"),
                           error_kind::forbidden);
  expect_nothing_committed(*d, resolve_req(chair, "c3", 0, 0), error_kind::forbidden);
}

TEST_F(bracket_ops_test, resolving_to_nothing_or_out_of_range_is_refused) {
  auto d = make_bracketable();
  ASSERT_TRUE(d);
  ASSERT_OK(
      d->amend(replace_req(chair, "c3", rev(*d, "c3"), "⟦FRA: To comply ‖ RUS: ⟧", {}, t0 + 20)));
  expect_nothing_committed(*d, resolve_req(chair, "c3", 0, 1), error_kind::invalid);
  expect_nothing_committed(*d, resolve_req(chair, "c3", 1, 0), error_kind::invalid);
  expect_nothing_committed(*d, resolve_req(chair, "c3", 0, 2), error_kind::invalid);
  expect_nothing_committed(*d, resolve_req(chair, "c4", 0, 0), error_kind::invalid);
  ASSERT_OK(d->amend(resolve_req(chair, "c3", 0, 0)));
  EXPECT_EQ(text(*d, "c3"), "To comply");
}

// ---- proposals of op resolve --------------------------------------------------------------------

class resolve_proposal_test : public bracket_ops_test {
 protected:
  // A formal-stage draft whose c3 holds one bracket of FRA and RUS; sponsors CHN and RUS.
  std::unique_ptr<draft> make_formal() {
    draft_spec spec = small_spec();
    spec.sponsors = {"CHN", "RUS"};
    auto d = make(spec);
    if (!d) return d;
    d->set_delegations({"CHN", "FRA", "RUS", "USA"});
    EXPECT_TRUE(
        d->amend(replace_req(fra, "c3", rev(*d, "c3"),
                             "To comply with ⟦FRA: universal principles ‖ RUS: law⟧;", {}, t0 + 10))
            .ok());
    request formal{chair, {}, t0 + 30};
    formal.change.op = op_kind::stage;
    formal.change.stage = draft_stage::formal;
    EXPECT_TRUE(d->amend(formal).ok());
    return d;
  }
  static amendment resolve_of(std::size_t bracket, std::size_t choose) {
    return resolve_req(chair, "c3", bracket, choose).change;
  }
};

TEST_F(resolve_proposal_test, adopted_by_vote_in_the_formal_stage) {
  auto d = make_formal();
  ASSERT_TRUE(d);
  const std::string tabled_on = rev(*d, "c3");
  auto t = d->table(fra, resolve_of(0, 1), t0 + 40);
  ASSERT_OK(t);
  const proposal_record& rec = t->record;
  EXPECT_EQ(rec.op, op_kind::resolve);
  EXPECT_EQ(rec.clause, "c3");
  EXPECT_EQ(rec.base, tabled_on);
  EXPECT_EQ(rec.bracket, 0u);
  EXPECT_EQ(rec.choose, 1u);
  EXPECT_FALSE(rec.text);
  const std::string json = git(repo_path(), "show procedure:proposals/1.json").out;
  EXPECT_NE(json.find("\"op\": \"resolve\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"bracket\": 0,\n  \"choose\": 1,"), std::string::npos) << json;
  // The proposal's own commit holds the resolved text.
  EXPECT_EQ(git(repo_path(), "show refs/proposals/1:clauses/c3.txt").out, "To comply with law;\n");

  // Meanwhile the chair changes another part of the clause: adoption still applies (merged).
  ASSERT_OK(d->amend(replace_req(chair, "c3", rev(*d, "c3"),
                                 "Always to comply with ⟦FRA: universal principles ‖ RUS: law⟧;",
                                 {}, t0 + 50)));
  ASSERT_OK(d->open_vote(1, vote_threshold::simple, chair, t0 + 60));
  ASSERT_OK(d->vote(1, usa, vote_choice::yes, t0 + 61));
  auto closed = d->close_vote(1, chair, t0 + 62);
  ASSERT_OK(closed);
  EXPECT_EQ(closed->record.status, proposal_status::adopted);
  ASSERT_TRUE(closed->adopted);
  EXPECT_EQ(closed->adopted->entry.op, op_kind::resolve);
  EXPECT_EQ(closed->adopted->entry.by.state, "FRA");  // authored by the proposer
  EXPECT_TRUE(closed->adopted->merged);
  EXPECT_EQ(text(*d, "c3"), "Always to comply with law;");
  EXPECT_EQ(trailers_of(repo_path(), "main"),
            "Op: resolve\nClause: c3\nState: FRA\nProposal: 1\nAdopted: vote\nVote: 1-0-0\n\n");

  // The records read back after reopening.
  d.reset();
  auto again = reopen();
  ASSERT_TRUE(again);
  auto back = again->proposal(1);
  ASSERT_OK(back);
  EXPECT_EQ(back->bracket, 0u);
  EXPECT_EQ(back->choose, 1u);
  EXPECT_EQ(back->status, proposal_status::adopted);
}

TEST_F(resolve_proposal_test, adopted_as_a_friendly_amendment) {
  auto d = make_formal();
  ASSERT_TRUE(d);
  auto t = d->table(rus, resolve_of(0, 0), t0 + 40);
  ASSERT_OK(t);
  EXPECT_EQ(t->record.status, proposal_status::tabled);
  auto s = d->support(1, chn, t0 + 41);
  ASSERT_OK(s);
  EXPECT_EQ(s->record.status, proposal_status::adopted);
  ASSERT_TRUE(s->adopted);
  EXPECT_EQ(s->adopted->entry.by.state, "RUS");
  EXPECT_EQ(text(*d, "c3"), "To comply with universal principles;");
}

TEST_F(resolve_proposal_test, a_bad_resolve_proposal_is_refused_and_a_stale_one_conflicts) {
  auto d = make_formal();
  ASSERT_TRUE(d);
  EXPECT_ERROR(d->table(rus, resolve_of(1, 0), t0 + 40), error_kind::invalid);
  EXPECT_ERROR(d->table(rus, resolve_of(0, 5), t0 + 40), error_kind::invalid);
  EXPECT_TRUE(d->proposals().empty());
  ASSERT_OK(d->table(usa, resolve_of(0, 1), t0 + 41));
  // The chair resolves the bracket the other way first: the proposal no longer applies.
  ASSERT_OK(d->amend(resolve_req(chair, "c3", 0, 0, t0 + 42)));
  ASSERT_OK(d->open_vote(1, vote_threshold::simple, chair, t0 + 43));
  ASSERT_OK(d->vote(1, fra, vote_choice::yes, t0 + 44));
  const std::string head = d->head().head;
  auto closed = d->close_vote(1, chair, t0 + 45);
  ASSERT_OK(closed);
  EXPECT_EQ(closed->record.status, proposal_status::conflict);
  EXPECT_FALSE(closed->adopted);
  EXPECT_EQ(d->head().head, head);
}

}  // namespace
}  // namespace plenary::storage::testing
