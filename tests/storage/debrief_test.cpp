// The debrief (storage/debrief.hpp): every figure of a session played in the test checked
// against a count made independently on the same repository with plain git (`git log
// --author`, trailers, `git blame --porcelain`, the records on `procedure`), plus the bad
// inputs of issue 17: an unknown version, no amendments, a state gone from the roster, a
// clause deleted and re-inserted, brackets open, 200 states.
#include "storage/debrief.hpp"

#include <cctype>
#include <map>
#include <sstream>

#include "storage_fixture.hpp"

namespace plenary::storage::testing {
namespace {

std::string rev_of(const draft& d, std::string_view id) {
  const clause* c = find(d.head(), id);
  return c == nullptr ? std::string() : c->rev;
}

const debrief_state* row(const debrief& d, std::string_view state) {
  for (const auto& s : d.states) {
    if (s.state == state) return &s;
  }
  return nullptr;
}

const debrief_clause* clause_of(const debrief& d, std::string_view id) {
  for (const auto& c : d.clauses) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

std::string email(const actor& a) {
  std::string e;
  for (char c : a.state) e += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return e + "@delegations.invalid";
}

// Words as a person counts them in these texts (ASCII words and punctuation only): runs of
// letters and digits.
int plain_words(const std::string& text) {
  int n = 0;
  bool in = false;
  for (char c : text) {
    const bool w = std::isalnum(static_cast<unsigned char>(c)) != 0;
    if (w && !in) ++n;
    in = w;
  }
  return n;
}

class debrief_test : public storage_test {
 protected:
  // How many lines of `git log <branch> --author=<state> --format=<format>` equal `value`.
  int git_count(const std::string& branch, const actor& who, const std::string& format,
                const std::string& value) {
    auto out = git(repo_path(), "log " + branch + " --author=" + sh_quote(email(who)) +
                                    " '--format=" + format + "'");
    EXPECT_EQ(out.status, 0);
    int n = 0;
    for (const auto& l : lines(out.out)) n += l == value ? 1 : 0;
    return n;
  }
  // `git blame --porcelain main -- clauses/<id>.txt`: the commit and author-mail of its line.
  std::pair<std::string, std::string> git_blame(const std::string& id) {
    auto out = git(repo_path(), "blame --porcelain main -- clauses/" + id + ".txt");
    EXPECT_EQ(out.status, 0) << id;
    std::string commit = out.out.substr(0, 40);
    std::string mail;
    for (const auto& l : lines(out.out)) {
      if (l.starts_with("author-mail <")) mail = l.substr(13, l.size() - 14);
    }
    return {commit, mail};
  }
  // The status of proposal n, read from its record on procedure.
  std::string git_status(int n) {
    auto out = git(repo_path(), "show procedure:proposals/" + std::to_string(n) + ".json");
    const auto at = out.out.find("\"status\": \"");
    if (at == std::string::npos) return {};
    const auto from = at + 11;
    return out.out.substr(from, out.out.find('"', from) - from);
  }
};

// A session: direct amendments of every op, three proposals (adopted by vote, withdrawn,
// rejected), a tag, the stages, then the figures against git.
TEST_F(debrief_test, every_figure_matches_what_git_says) {
  auto d = make();
  ASSERT_TRUE(d);
  std::int64_t t = t0;
  auto next = [&] { return t += 60; };
  // RUS rewrites c3 whole; FRA inserts and moves; CHN deletes c4 and adds one word to c5.
  ASSERT_OK(d->amend(replace_req(rus, "c3", rev_of(*d, "c3"),
                                 "Uphold every treaty obligation fully;", {}, next())));
  auto inserted = d->amend(
      insert_req(fra, "c5", clause_kind::operative, "Share threat intelligence promptly.", next()));
  ASSERT_OK(inserted);
  const std::string c6 = inserted->after->id;
  ASSERT_OK(d->amend(remove_req(chn, "c4", rev_of(*d, "c4"), next())));
  ASSERT_OK(d->amend(move_req(fra, c6, std::string("c2"), next())));
  ASSERT_OK(d->amend(replace_req(chn, "c5", rev_of(*d, "c5"),
                                 "To cooperate in combating organised crime.", {}, next())));
  ASSERT_OK(d->tag("rev.1", chair, "", next()));
  // Proposal 1 (RUS, c1 rewritten) carried by vote; 2 (CHN) withdrawn; 3 (FRA) rejected.
  amendment p1;
  p1.op = op_kind::replace;
  p1.clause = "c1";
  p1.base = rev_of(*d, "c1");
  p1.text = "Recalling all prior resolutions,";
  ASSERT_OK(d->table(rus, p1, next()));
  ASSERT_OK(d->open_vote(1, vote_threshold::simple, chair, next()));
  ASSERT_OK(d->vote(1, rus, vote_choice::yes, next()));
  ASSERT_OK(d->vote(1, fra, vote_choice::yes, next()));
  ASSERT_OK(d->vote(1, chn, vote_choice::no, next()));
  auto closed = d->close_vote(1, chair, next());
  ASSERT_OK(closed);
  ASSERT_EQ(closed->record.status, proposal_status::adopted);
  amendment p2;
  p2.op = op_kind::replace;
  p2.clause = c6;
  p2.base = rev_of(*d, c6);
  p2.text = "Share nothing.";
  ASSERT_OK(d->table(chn, p2, next()));
  ASSERT_OK(d->support(2, rus, next()));
  ASSERT_OK(d->withdraw(2, chn, next()));
  amendment p3;
  p3.op = op_kind::remove;
  p3.clause = "c3";
  p3.base = rev_of(*d, "c3");
  ASSERT_OK(d->table(fra, p3, next()));
  ASSERT_OK(d->open_vote(3, vote_threshold::simple, chair, next()));
  ASSERT_OK(d->vote(3, fra, vote_choice::yes, next()));
  ASSERT_OK(d->vote(3, rus, vote_choice::no, next()));
  ASSERT_OK(d->vote(3, chn, vote_choice::no, next()));
  ASSERT_OK(d->close_vote(3, chair, next()));
  ASSERT_OK(d->amend(stage_req(chair, draft_stage::formal, next())));
  ASSERT_OK(d->amend(stage_req(chair, draft_stage::adopted, next())));

  // Read from a fresh open: the repository alone.
  d.reset();
  d = reopen();
  ASSERT_TRUE(d);
  auto db = d->debrief_of();
  ASSERT_OK(db);

  // Direct amendments by op, against the trailers of each author's commits (adoptions, which
  // carry `Proposal:`, excluded).
  const std::string ops =
      "%(trailers:key=Op,valueonly,separator=)|%(trailers:key=Proposal,"
      "valueonly,separator=)";
  for (const actor* a : {&rus, &fra, &chn}) {
    SCOPED_TRACE(a->state);
    const debrief_state* s = row(*db, a->state);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->name, a->name);
    EXPECT_EQ(s->replace, git_count("main", *a, ops, "replace|"));
    EXPECT_EQ(s->insert, git_count("main", *a, ops, "insert|"));
    EXPECT_EQ(s->remove, git_count("main", *a, ops, "delete|"));
    EXPECT_EQ(s->move, git_count("main", *a, ops, "move|"));
    EXPECT_EQ(s->bracket, git_count("main", *a, ops, "bracket|"));
    EXPECT_EQ(s->resolve, git_count("main", *a, ops, "resolve|"));
    const std::string act = "%(trailers:key=Act,valueonly,separator=)";
    EXPECT_EQ(s->tabled, git_count("procedure", *a, act, "table"));
    EXPECT_EQ(s->supports, git_count("procedure", *a, act, "support"));
    const std::string choice = "%(trailers:key=Choice,valueonly,separator=)";
    EXPECT_EQ(s->votes_yes, git_count("procedure", *a, choice, "yes"));
    EXPECT_EQ(s->votes_no, git_count("procedure", *a, choice, "no"));
    EXPECT_EQ(s->votes_abstain, git_count("procedure", *a, choice, "abstain"));
    // Clauses touched: the distinct `Clause:` trailers of its commits on main.
    auto touched = git(repo_path(), "log main --author=" + sh_quote(email(*a)) +
                                        " '--format=%(trailers:key=Clause,valueonly,separator=)'"
                                        " | sort -u | grep -c .");
    EXPECT_EQ(std::to_string(s->clauses_touched) + "\n", touched.out);
  }
  // What became of each proposal, per its record on procedure.
  EXPECT_EQ(git_status(1), "adopted");
  EXPECT_EQ(git_status(2), "withdrawn");
  EXPECT_EQ(git_status(3), "rejected");
  EXPECT_EQ(row(*db, "RUS")->adopted, 1);
  EXPECT_EQ(row(*db, "CHN")->withdrawn, 1);
  EXPECT_EQ(row(*db, "FRA")->rejected, 1);
  // Votes against the outcome: 1 carried (RUS yes, FRA yes, CHN no), 3 did not (FRA yes,
  // RUS no, CHN no).
  EXPECT_EQ(row(*db, "RUS")->votes_decided, 2);
  EXPECT_EQ(row(*db, "RUS")->votes_matched, 2);
  EXPECT_EQ(row(*db, "FRA")->votes_matched, 1);
  EXPECT_EQ(row(*db, "CHN")->votes_matched, 1);
  EXPECT_EQ(row(*db, "CHAIR"), nullptr) << "the chair only moved the stage and ran votes";

  // Words, clause by clause, against `git blame --porcelain` of each clause file: a line
  // blamed on the tabling commit is all tabled; one blamed on a state holds that state's words
  // (all of them where the state rewrote the clause whole).
  const std::string tabled = db->tabled_commit;
  EXPECT_EQ(tabled, lines(git(repo_path(), "rev-list --max-parents=0 main").out).at(0));
  std::map<std::string, int> words_by_git;
  int total = 0;
  for (const auto& file : lines(git(repo_path(), "ls-tree --name-only main clauses/").out)) {
    const std::string id = file.substr(8, file.size() - 12);
    SCOPED_TRACE(id);
    const std::string text = git(repo_path(), "show main:" + file).out;
    const debrief_clause* c = clause_of(*db, id);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->words, plain_words(text));
    total += plain_words(text);
    auto [commit, mail] = git_blame(id);
    if (commit == tabled) {
      EXPECT_EQ(c->tabled_words, c->words);
      EXPECT_TRUE(c->by_state.empty());
    } else if (id == "c5") {  // CHN added one word to the tabled five
      ASSERT_EQ(c->by_state.size(), 1u);
      EXPECT_EQ(mail, "chn@delegations.invalid");
      EXPECT_EQ(c->by_state[0].state, "CHN");
      EXPECT_EQ(c->by_state[0].words, 1);
      EXPECT_EQ(c->tabled_words, 5);
      words_by_git["CHN"] += 1;
    } else {
      ASSERT_EQ(c->by_state.size(), 1u);
      EXPECT_EQ(email({c->by_state[0].state, {}}), mail);
      EXPECT_EQ(c->by_state[0].words, plain_words(text));
      EXPECT_EQ(c->tabled_words, 0);
      words_by_git[c->by_state[0].state] += plain_words(text);
    }
  }
  EXPECT_EQ(db->words, total);
  for (const auto& s : db->states) EXPECT_EQ(s.words, words_by_git[s.state]) << s.state;
  EXPECT_EQ(row(*db, "RUS")->words, 9);  // c3 (5) and c1 (4, adopted by vote)

  // c4, deleted, is listed as removed with its tabled text.
  const debrief_clause* c4 = clause_of(*db, "c4");
  ASSERT_NE(c4, nullptr);
  EXPECT_TRUE(c4->removed);
  ASSERT_EQ(c4->journey.size(), 1u);
  EXPECT_EQ(c4->journey[0].op, '-');
  // c5's journey: the added word is CHN's.
  const debrief_clause* c5 = clause_of(*db, "c5");
  bool found = false;
  for (const auto& p : c5->journey) {
    if (p.op == '+' && p.text.find("organised") != std::string::npos) {
      found = true;
      EXPECT_EQ(p.state, "CHN");
    }
  }
  EXPECT_TRUE(found);

  // The timeline adds up to the commits and acts git shows.
  int amendments = 0, proposals = 0, supports = 0, votes = 0;
  for (const auto& b : db->timeline) {
    amendments += b.amendments;
    proposals += b.proposals;
    supports += b.supports;
    votes += b.votes;
    EXPECT_GE(b.bucket, 0);
    EXPECT_LT(b.bucket, db->timeline_buckets);
  }
  auto count_lines = [&](const std::string& args) {
    return static_cast<int>(lines(git(repo_path(), args).out).size());
  };
  EXPECT_EQ(amendments,
            count_lines("log main '--format=%(trailers:key=Op,valueonly,separator=)' | grep -v "
                        "-x -e open -e stage -e sponsors"));
  const std::string act = "log procedure '--format=%(trailers:key=Act,valueonly,separator=)' | ";
  EXPECT_EQ(proposals, count_lines(act + "grep -x table"));
  EXPECT_EQ(supports, count_lines(act + "grep -x support"));
  EXPECT_EQ(votes, count_lines(act + "grep -x vote"));
  EXPECT_EQ(db->acts, static_cast<std::size_t>(count_lines("rev-list procedure")));
  EXPECT_EQ(db->commits, static_cast<std::size_t>(count_lines("rev-list main")));
  EXPECT_EQ(db->timeline_step, 300);

  // Markers: both stages and the tag, in time order.
  ASSERT_EQ(db->markers.size(), 3u);
  EXPECT_EQ(db->markers[0].name, "rev.1");
  EXPECT_EQ(db->markers[1].name, "formal");
  EXPECT_EQ(db->markers[2].name, "adopted");
  // The journey: tabled, rev.1, the head (adopted is the head's own tag).
  ASSERT_EQ(db->journey.size(), 3u);
  EXPECT_EQ(db->journey[0].name, "tabled");
  EXPECT_EQ(db->journey[0].tabled_words, db->journey[0].words);
  EXPECT_EQ(db->journey[1].name, "rev.1");
  EXPECT_EQ(db->journey[2].words, db->words);

  // A chosen version: the text of rev.1 (before the adoption of proposal 1): c1 still tabled.
  auto at_rev1 = d->debrief_of("rev.1");
  ASSERT_OK(at_rev1);
  EXPECT_EQ(at_rev1->version, "rev.1");
  EXPECT_EQ(row(*at_rev1, "RUS")->words, 5);
  EXPECT_EQ(clause_of(*at_rev1, "c1")->tabled_words, clause_of(*at_rev1, "c1")->words);
  EXPECT_EQ(row(*at_rev1, "RUS")->adopted, 1) << "the activity covers the whole record";
  ASSERT_EQ(at_rev1->journey.size(), 2u);
  EXPECT_EQ(at_rev1->journey[1].words, at_rev1->words);
  // The same version named by its commit gives the same text figures.
  auto by_commit = d->debrief_of(d->resolve("rev.1").value());
  ASSERT_OK(by_commit);
  EXPECT_EQ(by_commit->words, at_rev1->words);
}

TEST_F(debrief_test, unknown_or_malformed_version_is_refused_by_name) {
  auto d = make();
  ASSERT_TRUE(d);
  auto unknown = d->debrief_of("rev.9");
  EXPECT_ERROR(unknown, error_kind::not_found);
  EXPECT_NE(unknown.err().message.find("rev.9"), std::string::npos);
  EXPECT_ERROR(d->debrief_of("../x"), error_kind::invalid);
}

TEST_F(debrief_test, a_draft_without_amendments_is_all_tabled) {
  auto d = make();
  ASSERT_TRUE(d);
  auto db = d->debrief_of();
  ASSERT_OK(db);
  EXPECT_TRUE(db->states.empty());
  EXPECT_TRUE(db->timeline.empty());
  EXPECT_GT(db->words, 0);
  EXPECT_EQ(db->tabled_words, db->words);
  ASSERT_EQ(db->journey.size(), 2u);  // tabled, and the head (the same commit)
  EXPECT_EQ(db->timeline_buckets, 1);
  // The roster brings every delegation in, each with nothing.
  const std::vector<actor> roster{rus, fra};
  debrief_add_roster(*db, roster);
  ASSERT_EQ(db->states.size(), 2u);
  EXPECT_EQ(db->states[0].state, "FRA");
  EXPECT_EQ(db->states[0].amendments(), 0);
  EXPECT_EQ(db->states[0].in_roster, true);
}

TEST_F(debrief_test, a_state_removed_from_the_roster_keeps_its_figures) {
  auto d = make();
  ASSERT_TRUE(d);
  ASSERT_OK(d->amend(replace_req(chn, "c3", rev_of(*d, "c3"), "Respect sovereignty;")));
  auto db = d->debrief_of();
  ASSERT_OK(db);
  const std::vector<actor> roster{rus, {"FRA", "République française"}};
  debrief_add_roster(*db, roster);
  ASSERT_EQ(db->states.size(), 3u);
  const debrief_state* gone = row(*db, "CHN");
  ASSERT_NE(gone, nullptr);
  EXPECT_EQ(gone->in_roster, false);
  EXPECT_EQ(gone->replace, 1);
  EXPECT_EQ(gone->words, 2);
  EXPECT_EQ(row(*db, "FRA")->name, "République française");
}

TEST_F(debrief_test, a_clause_deleted_and_inserted_again_is_two_clauses) {
  auto d = make();
  ASSERT_TRUE(d);
  const std::string text = find(d->head(), "c4")->text;
  ASSERT_OK(d->amend(remove_req(rus, "c4", rev_of(*d, "c4"))));
  auto again = d->amend(insert_req(fra, "c3", clause_kind::operative, text));
  ASSERT_OK(again);
  auto db = d->debrief_of();
  ASSERT_OK(db);
  const debrief_clause* old = clause_of(*db, "c4");
  ASSERT_NE(old, nullptr);
  EXPECT_TRUE(old->removed);
  const debrief_clause* now = clause_of(*db, again->after->id);
  ASSERT_NE(now, nullptr);
  EXPECT_FALSE(now->removed);
  // The same words, now FRA's: the blame of a new clause starts from nothing.
  ASSERT_EQ(now->by_state.size(), 1u);
  EXPECT_EQ(now->by_state[0].state, "FRA");
  EXPECT_EQ(now->words, plain_words(text));
  EXPECT_EQ(row(*db, "FRA")->words, plain_words(text));
  EXPECT_EQ(row(*db, "RUS")->words, 0);
  EXPECT_EQ(row(*db, "RUS")->remove, 1);
}

TEST_F(debrief_test, open_brackets_are_counted_and_each_wording_is_its_proponents) {
  auto d = make();
  ASSERT_TRUE(d);
  const std::string c3 = find(d->head(), "c3")->text;  // "To comply with the Charter;"
  const std::size_t start = c3.find("the Charter");
  ASSERT_OK(d->amend(
      bracket_req(rus, "c3", rev_of(*d, "c3"), start, start + 11, "international law", t0 + 60)));
  auto db = d->debrief_of();
  ASSERT_OK(db);
  EXPECT_EQ(db->open_brackets, 1);
  EXPECT_EQ(clause_of(*db, "c3")->open_brackets, 1);
  // RUS's alternative ("international law") is RUS's: 2 words. The marks are not words.
  EXPECT_EQ(row(*db, "RUS")->words, 2);
  EXPECT_EQ(row(*db, "RUS")->bracket, 1);
}

TEST_F(debrief_test, two_hundred_states_each_get_their_row) {
  auto d = make();
  ASSERT_TRUE(d);
  std::vector<request> batch;
  std::vector<actor> roster;
  for (int i = 0; i < 200; ++i) {
    std::ostringstream code;
    code << "S" << (100 + i);
    actor a{code.str(), "State " + std::to_string(i)};
    roster.push_back(a);
    if (i % 2 == 0) {
      batch.push_back(insert_req(a, std::nullopt, clause_kind::operative,
                                 "Clause of state " + std::to_string(i), t0 + i * 30));
    }
  }
  for (const auto& r : d->amend_all(batch)) ASSERT_OK(r);
  auto db = d->debrief_of();
  ASSERT_OK(db);
  EXPECT_EQ(db->states.size(), 100u);
  debrief_add_roster(*db, roster);
  ASSERT_EQ(db->states.size(), 200u);
  int with_words = 0;
  for (const auto& s : db->states) {
    if (s.words > 0) {
      ++with_words;
      EXPECT_EQ(s.words, 4) << s.state;
      EXPECT_EQ(s.insert, 1);
    }
  }
  EXPECT_EQ(with_words, 100);
  EXPECT_EQ(db->timeline_step, 300);  // 100 minutes
  EXPECT_EQ(db->timeline_buckets, 20);
}

TEST_F(debrief_test, kept_per_head_and_recomputed_when_main_moves) {
  auto d = make();
  ASSERT_TRUE(d);
  auto before = d->debrief_of();
  ASSERT_OK(before);
  EXPECT_EQ(before->states.size(), 0u);
  ASSERT_OK(d->amend(replace_req(rus, "c3", rev_of(*d, "c3"), "Respect sovereignty;")));
  auto after = d->debrief_of();
  ASSERT_OK(after);
  EXPECT_EQ(after->head, d->head().head);
  ASSERT_EQ(after->states.size(), 1u);
  EXPECT_EQ(after->states[0].words, 2);
  ASSERT_OK(d->tag("rev.1", chair, "", t0 + 60));
  auto tagged = d->debrief_of();
  ASSERT_OK(tagged);
  EXPECT_EQ(tagged->markers.size(), 1u);
}

TEST(debrief_words, count_words_skips_spaces_punctuation_and_marks) {
  struct {
    const char* name;
    std::string text;
    int words;
  } cases[] = {
      {"plain", "To comply with the Charter;", 5},
      {"empty", "", 0},
      {"punctuation only", " ; , — « » ", 0},
      {"bracket marks", "\u27E6RUS: a b \u2016 CHN: \u27E7", 4},  // RUS, a, b, CHN
      {"cjk ideographs", "\u5404\u56FD", 2},
      {"accented", "l'Organisation des Nations unies", 4},
  };
  for (const auto& c : cases) EXPECT_EQ(count_words(c.text), c.words) << c.name;
}

}  // namespace
}  // namespace plenary::storage::testing
