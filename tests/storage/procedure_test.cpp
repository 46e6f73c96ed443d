// procedure.md in storage: stages and sponsors on main, proposals and their acts on the branch
// `procedure`, adoption (friendly and by vote) on main, the repairs after a crash between the
// two branches, tags; each read back with the real `git` too.
#include "storage/procedure.hpp"

#include <gtest/gtest.h>

#include "storage/commit_message.hpp"
#include "storage/draft.hpp"
#include "storage/draft_json.hpp"
#include "storage_fixture.hpp"

namespace plenary::storage::testing {
namespace {

// The roster of samples/code-of-conduct.json; its sponsors are CHN, RUS, TJK and UZB.
const std::vector<actor> roster = {
    {"CHN", "China"},         {"RUS", "Russian Federation"},
    {"TJK", "Tajikistan"},    {"UZB", "Uzbekistan"},
    {"USA", "United States"}, {"GBR", "United Kingdom"},
    {"FRA", "France"},        {"DEU", "Germany"},
    {"IND", "India"},         {"BRA", "Brazil"},
    {"ZAF", "South Africa"},  {"EST", "Estonia"},
};

actor state(std::string_view code) {
  for (const actor& a : roster) {
    if (a.state == code) return a;
  }
  ADD_FAILURE() << "no delegation " << code;
  return {};
}

draft_spec sample_spec() {
  draft_spec spec = small_spec();
  spec.sponsors = {"CHN", "RUS", "TJK", "UZB"};
  return spec;
}

amendment replace_of(std::string id, std::string base, std::string text, std::string note = {}) {
  amendment a;
  a.op = op_kind::replace;
  a.clause = std::move(id);
  a.base = std::move(base);
  a.text = std::move(text);
  a.note = std::move(note);
  return a;
}

std::string trailers(const fs::path& repo, const std::string& rev) {
  std::string out = git(repo, "log -1 '--format=%(trailers:only,unfold)' " + rev).out;
  if (out.size() >= 2 && out.substr(out.size() - 2) == "\n\n") out.pop_back();
  return out;
}

class procedure_test : public storage_test {
 protected:
  std::unique_ptr<draft> make_sample() { return make(sample_spec()); }

  std::string rev(const draft& d, std::string_view id) { return find(d.head(), id)->rev; }

  // Tables a replace of c3 by `by` on the current text.
  proposal_record table_c3(draft& d, std::string_view by, std::string text) {
    auto t = d.table(state(by), replace_of("c3", rev(d, "c3"), std::move(text)), t0 + 10);
    EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.err().message);
    return t.ok() ? t->record : proposal_record{};
  }

  // Everything a refused act must leave as it was.
  struct snapshot_of_state {
    std::string main, procedure;
    std::vector<std::string> records;
    std::vector<std::string> files;
    bool operator==(const snapshot_of_state&) const = default;
    friend void PrintTo(const snapshot_of_state& s, std::ostream* os) {
      *os << "main " << s.main << ", procedure " << s.procedure << ", " << s.records.size()
          << " records, files:";
      for (const auto& f : s.files) *os << " " << f;
    }
  };
  snapshot_of_state capture(const draft& d) {
    snapshot_of_state s;
    s.main = d.head().head;
    s.procedure = git(repo_path(), "rev-parse -q --verify procedure").out;
    for (const proposal_record& p : d.proposals()) s.records.push_back(write_record(p));
    s.files = tree_listing(repo_path());
    return s;
  }
};

// ---- stages ---------------------------------------------------------------------------------

TEST_F(procedure_test, a_new_draft_is_working_with_the_sponsors_of_its_file) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  EXPECT_EQ(d->head().stage, draft_stage::working);
  EXPECT_EQ(d->head().sponsors, (std::vector<std::string>{"CHN", "RUS", "TJK", "UZB"}));
  const std::string json = git(repo_path(), "show main:draft.json").out;
  EXPECT_NE(json.find("  \"stage\": \"working\",\n  \"sponsors\": [\"CHN\", \"RUS\", \"TJK\", "
                      "\"UZB\"],\n"),
            std::string::npos)
      << json;
  auto again = reopen();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->head().sponsors, d->head().sponsors);
  EXPECT_TRUE(d->proposals().empty());
  EXPECT_EQ(git(repo_path(), "rev-parse -q --verify procedure").status != 0, true);
}

TEST_F(procedure_test, bad_sponsors_in_the_spec_are_refused) {
  for (std::vector<std::string> sponsors :
       {std::vector<std::string>{"CHAIR"}, {"rus"}, {"RUS", "RUS"}, {"R"}}) {
    draft_spec spec = small_spec();
    spec.sponsors = sponsors;
    EXPECT_ERROR(draft::create(repo_path(), spec, chair, t0), error_kind::invalid);
  }
  EXPECT_FALSE(fs::exists(repo_path()));
}

TEST_F(procedure_test, stages_move_forward_each_a_commit_changing_only_draft_json) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  const std::string open = d->head().head;
  auto formal = d->amend(stage_req(chair, draft_stage::formal, t0 + 60));
  ASSERT_OK(formal);
  EXPECT_EQ(formal->entry.op, op_kind::stage);
  EXPECT_EQ(formal->entry.stage, draft_stage::formal);
  EXPECT_EQ(formal->entry.parent, open);
  EXPECT_EQ(formal->entry.clause, "");
  EXPECT_EQ(formal->entry.by.state, "CHAIR");
  EXPECT_FALSE(formal->after);
  EXPECT_FALSE(formal->tag);
  EXPECT_EQ(formal->order, ids(d->head()));
  EXPECT_EQ(d->head().stage, draft_stage::formal);
  EXPECT_EQ(d->head().head, formal->entry.commit);
  EXPECT_EQ(git(repo_path(), "diff --name-only " + open + " main").out, "draft.json\n");
  EXPECT_EQ(trailers(repo_path(), "main"), "Op: stage\nState: CHAIR\nStage: formal\n");
  EXPECT_EQ(git(repo_path(), "log -1 --format=%s main").out,
            "Move the draft to the formal stage\n");
  EXPECT_NE(git(repo_path(), "show main:draft.json").out.find("\"stage\": \"formal\""),
            std::string::npos);

  auto adopted = d->amend(stage_req(chair, draft_stage::adopted, t0 + 120));
  ASSERT_OK(adopted);
  EXPECT_EQ(adopted->entry.parent, formal->entry.commit);
  EXPECT_EQ(adopted->tag, "adopted");
  EXPECT_EQ(git(repo_path(), "diff --name-only " + formal->entry.commit + " main").out,
            "draft.json\n");
  EXPECT_EQ(trailers(repo_path(), "main"), "Op: stage\nState: CHAIR\nStage: adopted\n");
  // The annotated tag `adopted`, tagger = the chair, on the stage commit.
  EXPECT_EQ(git(repo_path(), "cat-file -t adopted").out, "tag\n");
  EXPECT_EQ(git(repo_path(),
                "for-each-ref --format='%(taggername) %(taggeremail) %(taggerdate:unix) "
                "%(*objectname)' refs/tags/adopted")
                .out,
            "Chair <chair@delegations.invalid> " + std::to_string(t0 + 120) + " " +
                adopted->entry.commit + "\n");
  EXPECT_EQ(*d->resolve("adopted"), adopted->entry.commit);

  auto again = reopen();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->head().stage, draft_stage::adopted);
  const auto log = again->log();
  EXPECT_EQ(log[0].op, op_kind::stage);
  EXPECT_EQ(log[0].stage, draft_stage::adopted);
  EXPECT_EQ(log[1].stage, draft_stage::formal);
  EXPECT_FALSE(log[2].stage);
  expect_fsck_clean();
}

TEST_F(procedure_test, the_working_stage_may_go_straight_to_adopted) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  auto adopted = d->amend(stage_req(chair, draft_stage::adopted));
  ASSERT_OK(adopted);
  EXPECT_EQ(adopted->tag, "adopted");
}

struct stage_case {
  const char* name;
  std::vector<draft_stage> before;  // moves made first, by the chair
  actor by;
  draft_stage to;
  error_kind kind;
};

TEST_F(procedure_test, stages_never_move_back_and_only_the_chair_moves_them) {
  using S = draft_stage;
  const std::vector<stage_case> cases = {
      {"working_to_working", {}, chair, S::working, error_kind::conflict},
      {"formal_to_formal", {S::formal}, chair, S::formal, error_kind::conflict},
      {"formal_to_working", {S::formal}, chair, S::working, error_kind::forbidden},
      {"adopted_to_formal", {S::adopted}, chair, S::formal, error_kind::forbidden},
      {"adopted_to_adopted", {S::adopted}, chair, S::adopted, error_kind::forbidden},
      {"delegation_to_formal", {}, rus, S::formal, error_kind::forbidden},
      {"delegation_to_adopted", {S::formal}, fra, S::adopted, error_kind::forbidden},
      {"unknown_stage", {}, chair, static_cast<S>(7), error_kind::invalid},
  };
  for (const stage_case& c : cases) {
    SCOPED_TRACE(c.name);
    std::error_code ec;
    fs::remove_all(repo_path(), ec);
    auto d = make_sample();
    ASSERT_TRUE(d);
    for (S s : c.before) ASSERT_OK(d->amend(stage_req(chair, s)));
    const auto before = capture(*d);
    EXPECT_ERROR(d->amend(stage_req(c.by, c.to)), c.kind);
    EXPECT_EQ(capture(*d), before);
  }
}

TEST_F(procedure_test, the_formal_stage_lets_only_the_chair_amend) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  ASSERT_OK(d->amend(stage_req(chair, draft_stage::formal)));
  const auto before = capture(*d);
  auto refused = d->amend(replace_req(rus, "c3", rev(*d, "c3"), "To comply with the UN Charter;"));
  EXPECT_ERROR(refused, error_kind::forbidden);
  EXPECT_NE(refused.err().message.find("proposal"), std::string::npos);
  EXPECT_ERROR(d->amend(insert_req(fra, std::nullopt, clause_kind::preamble, "Noting,")),
               error_kind::forbidden);
  EXPECT_ERROR(d->amend(move_req(chn, "c5", std::nullopt)), error_kind::forbidden);
  EXPECT_ERROR(d->amend(remove_req(rus, "c4", rev(*d, "c4"))), error_kind::forbidden);
  EXPECT_EQ(capture(*d), before);
  ASSERT_OK(d->amend(replace_req(chair, "c3", rev(*d, "c3"), "To comply with the UN Charter;")));
  // Proposals are the delegations' way now.
  EXPECT_EQ(table_c3(*d, "RUS", "To comply fully with the UN Charter;").status,
            proposal_status::tabled);
}

TEST_F(procedure_test, a_batch_is_judged_in_order_across_a_stage_change) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  const std::string open = d->head().head;
  std::vector<request> batch = {
      replace_req(rus, "c3", open, "To comply with the UN Charter;"),
      stage_req(chair, draft_stage::formal),
      replace_req(fra, "c4", open, "Never to use networks for hostile acts;"),
      replace_req(chair, "c5", open, "To cooperate against crime."),
  };
  auto results = d->amend_all(batch);
  ASSERT_OK(results[0]);
  ASSERT_OK(results[1]);
  EXPECT_ERROR(results[2], error_kind::forbidden);
  ASSERT_OK(results[3]);
  EXPECT_EQ(results[1]->entry.parent, results[0]->entry.commit);
  EXPECT_EQ(results[3]->entry.parent, results[1]->entry.commit);
  EXPECT_EQ(d->log().size(), 4u);
}

// ---- sponsors -------------------------------------------------------------------------------

TEST_F(procedure_test, the_chair_sets_the_sponsors_while_working) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  const std::string open = d->head().head;
  auto set = d->amend(sponsors_req(chair, {"USA", "FRA"}, t0 + 30));
  ASSERT_OK(set);
  EXPECT_EQ(set->entry.op, op_kind::sponsors);
  EXPECT_EQ(set->entry.parent, open);
  EXPECT_EQ(set->sponsors, (std::vector<std::string>{"USA", "FRA"}));
  EXPECT_EQ(d->head().sponsors, set->sponsors);
  EXPECT_EQ(trailers(repo_path(), "main"), "Op: sponsors\nState: CHAIR\n");
  EXPECT_EQ(git(repo_path(), "log -1 --format=%s main").out, "Set the sponsors: USA, FRA\n");
  EXPECT_EQ(git(repo_path(), "diff --name-only " + open + " main").out, "draft.json\n");
  EXPECT_NE(git(repo_path(), "show main:draft.json").out.find("\"sponsors\": [\"USA\", \"FRA\"]"),
            std::string::npos);
  // The snapshot at the first commit still has the old sponsors.
  EXPECT_EQ(d->at(open)->sponsors, (std::vector<std::string>{"CHN", "RUS", "TJK", "UZB"}));
  auto cleared = d->amend(sponsors_req(chair, {}));
  ASSERT_OK(cleared);
  EXPECT_TRUE(d->head().sponsors.empty());
  EXPECT_EQ(git(repo_path(), "log -1 --format=%s main").out, "Clear the sponsors\n");
  auto again = reopen();
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->head().sponsors.empty());
}

TEST_F(procedure_test, bad_sponsors_changes_are_refused_and_change_nothing) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  const auto before = capture(*d);
  struct bad_case {
    const char* name;
    request req;
    error_kind kind;
  };
  const std::vector<bad_case> cases = {
      {"delegation", sponsors_req(rus, {"RUS"}), error_kind::forbidden},
      {"same_list", sponsors_req(chair, {"CHN", "RUS", "TJK", "UZB"}), error_kind::invalid},
      {"chair_listed", sponsors_req(chair, {"CHAIR"}), error_kind::invalid},
      {"lower_case", sponsors_req(chair, {"rus"}), error_kind::invalid},
      {"twice", sponsors_req(chair, {"FRA", "USA", "FRA"}), error_kind::invalid},
      {"too_many", sponsors_req(chair, std::vector<std::string>(max_sponsors + 1, "AA")),
       error_kind::invalid},
  };
  for (const bad_case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_ERROR(d->amend(c.req), c.kind);
  }
  EXPECT_EQ(capture(*d), before);
  ASSERT_OK(d->amend(stage_req(chair, draft_stage::formal)));
  EXPECT_ERROR(d->amend(sponsors_req(chair, {"FRA"})), error_kind::forbidden);
}

TEST_F(procedure_test, a_draft_json_without_stage_or_sponsors_reads_as_working) {
  auto d = make();
  ASSERT_TRUE(d);
  d.reset();
  // Rewrite draft.json as drafts made before procedure.md had it, with plain git.
  std::vector<clause> clauses;
  for (int i = 1; i <= 5; ++i) {
    clause c;
    c.id = "c" + std::to_string(i);
    c.kind = small_spec().clauses[static_cast<std::size_t>(i - 1)].kind;
    clauses.push_back(c);
  }
  const std::string old_json = draft_json::write("Code of conduct", clauses);
  ASSERT_EQ(old_json.find("stage"), std::string::npos);
  ASSERT_EQ(
      commit_with_plain_git(repo_path(),
                            "blob=$(printf %s " + sh_quote(old_json) +
                                " | git hash-object -w --stdin); "
                                "git update-index --cacheinfo 100644,$blob,draft.json",
                            "-m 'Old layout' -m 'Op: move'", {"Chair", "chair@delegations.invalid"},
                            {"plenary", "server@plenary.invalid"}),
      0);
  d = reopen();
  ASSERT_TRUE(d);
  EXPECT_EQ(d->head().stage, draft_stage::working);
  EXPECT_TRUE(d->head().sponsors.empty());
  ASSERT_OK(d->amend(stage_req(chair, draft_stage::formal)));
  EXPECT_NE(git(repo_path(), "show main:draft.json").out.find("\"sponsors\": []"),
            std::string::npos);
}

// ---- tabling ----------------------------------------------------------------------------------

TEST_F(procedure_test, table_stores_the_change_as_a_commit_under_refs_proposals) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  const std::string head = d->head().head;
  const std::string base = rev(*d, "c3");
  auto t =
      d->table(rus, replace_of("c3", base, "To comply with the UN Charter;", "Clearer."), t0 + 10);
  ASSERT_OK(t);
  const proposal_record& p = t->record;
  EXPECT_EQ(p.n, 1);
  EXPECT_EQ(p.by.state, "RUS");
  EXPECT_EQ(p.by.name, "Russian Federation");
  EXPECT_EQ(p.op, op_kind::replace);
  EXPECT_EQ(p.clause, "c3");
  EXPECT_FALSE(p.after);
  EXPECT_FALSE(p.kind);
  EXPECT_EQ(p.text, "To comply with the UN Charter;");
  EXPECT_EQ(p.note, "Clearer.");
  EXPECT_EQ(p.base, base);
  EXPECT_EQ(p.status, proposal_status::tabled);
  EXPECT_TRUE(p.supporters.empty());
  EXPECT_FALSE(p.vote);
  EXPECT_FALSE(p.result);
  EXPECT_FALSE(t->adopted);
  // main did not move; the proposal is a commit on top of it.
  EXPECT_EQ(d->head().head, head);
  EXPECT_EQ(git(repo_path(), "rev-parse refs/proposals/1").out, p.commit + "\n");
  EXPECT_EQ(git(repo_path(), "rev-parse refs/proposals/1^").out, head + "\n");
  EXPECT_EQ(git(repo_path(), "log -1 --format='%an <%ae>|%s' refs/proposals/1").out,
            "Russian Federation <rus@delegations.invalid>|Proposal 1: Replace operative clause "
            "1\n");
  EXPECT_EQ(trailers(repo_path(), "refs/proposals/1"),
            "Op: replace\nClause: c3\nState: RUS\nProposal: 1\n");
  EXPECT_EQ(git(repo_path(), "show refs/proposals/1:clauses/c3.txt").out,
            "To comply with the UN Charter;\n");
  // The record on `procedure`, exactly.
  EXPECT_EQ(git(repo_path(), "show procedure:proposals/1.json").out,
            "{\n"
            "  \"n\": 1,\n"
            "  \"by\": {\n"
            "    \"state\": \"RUS\",\n"
            "    \"name\": \"Russian Federation\"\n"
            "  },\n"
            "  \"op\": \"replace\",\n"
            "  \"clause\": \"c3\",\n"
            "  \"after\": null,\n"
            "  \"kind\": null,\n"
            "  \"text\": \"To comply with the UN Charter;\",\n"
            "  \"note\": \"Clearer.\",\n"
            "  \"base\": \"" +
                base +
                "\",\n"
                "  \"commit\": \"" +
                p.commit +
                "\",\n"
                "  \"status\": \"tabled\",\n"
                "  \"supporters\": [],\n"
                "  \"vote\": null,\n"
                "  \"result\": null\n"
                "}\n");
  EXPECT_EQ(git(repo_path(), "log --format=%s%n%b procedure").out,
            "Table proposal 1: Replace operative clause 1\n"
            "Clearer.\n\n"
            "Act: table\nProposal: 1\nState: RUS\n\n");
  EXPECT_EQ(git(repo_path(), "rev-list --count procedure").out, "1\n");
  EXPECT_EQ(git(repo_path(), "rev-list --max-parents=0 procedure").out, t->procedure_commit + "\n");
  expect_fsck_clean();
}

TEST_F(procedure_test, every_amend_op_can_be_tabled) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  amendment insert;
  insert.op = op_kind::insert;
  insert.after = "c3";
  insert.kind = clause_kind::operative;
  insert.text = "To respect human rights;";
  amendment remove;
  remove.op = op_kind::remove;
  remove.clause = "c4";
  remove.base = rev(*d, "c4");
  amendment move;
  move.op = op_kind::move;
  move.clause = "c5";
  move.after = std::nullopt;
  auto i = d->table(fra, insert, t0);
  auto r = d->table(state("USA"), remove, t0);
  auto m = d->table(chair, move, t0);
  ASSERT_OK(i);
  ASSERT_OK(r);
  ASSERT_OK(m);
  EXPECT_EQ(i->record.n, 1);
  EXPECT_EQ(r->record.n, 2);
  EXPECT_EQ(m->record.n, 3);
  EXPECT_EQ(i->record.op, op_kind::insert);
  EXPECT_FALSE(i->record.clause);
  EXPECT_EQ(i->record.after, "c3");
  EXPECT_EQ(i->record.kind, clause_kind::operative);
  EXPECT_EQ(i->record.text, "To respect human rights;");
  EXPECT_FALSE(i->record.base);
  EXPECT_EQ(r->record.op, op_kind::remove);
  EXPECT_EQ(r->record.clause, "c4");
  EXPECT_EQ(r->record.base, rev(*d, "c4"));
  EXPECT_FALSE(r->record.text);
  EXPECT_EQ(m->record.op, op_kind::move);
  EXPECT_EQ(m->record.clause, "c5");
  EXPECT_FALSE(m->record.after);
  EXPECT_EQ(m->record.by.state, "CHAIR");
  EXPECT_EQ(git(repo_path(), "show refs/proposals/1:clauses/c6.txt").out,
            "To respect human rights;\n");
  EXPECT_EQ(git(repo_path(), "cat-file -e refs/proposals/2:clauses/c4.txt 2>/dev/null").status != 0,
            true);
  EXPECT_NE(git(repo_path(), "show procedure:proposals/2.json").out.find("\"op\": \"delete\""),
            std::string::npos);
  // Every record stays in the tree.
  EXPECT_EQ(git(repo_path(), "ls-tree --name-only procedure proposals/").out,
            "proposals/1.json\nproposals/2.json\nproposals/3.json\n");
  EXPECT_EQ(d->proposals().size(), 3u);
  EXPECT_EQ(d->head().head, d->log().front().commit);
  EXPECT_EQ(d->log().size(), 1u);
}

TEST_F(procedure_test, a_bad_proposal_is_refused_like_a_bad_amendment) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  ASSERT_OK(d->amend(replace_req(fra, "c3", rev(*d, "c3"), "To comply with the Charter of 1945;")));
  const std::string open = d->log().back().commit;
  const auto before = capture(*d);
  amendment stage;
  stage.op = op_kind::stage;
  stage.stage = draft_stage::formal;
  amendment open_op = replace_of("c3", open, "x y");
  open_op.op = op_kind::open;
  struct bad_case {
    const char* name;
    actor by;
    amendment change;
    error_kind kind;
  };
  const std::vector<bad_case> cases = {
      {"unknown_clause", rus, replace_of("c42", open, "x"), error_kind::not_found},
      {"bad_id", rus, replace_of("../x", open, "x"), error_kind::invalid},
      {"empty_text", rus, replace_of("c4", rev(*d, "c4"), ""), error_kind::invalid},
      {"long_note", rus, replace_of("c4", rev(*d, "c4"), "x", std::string(max_note_bytes + 1, 'n')),
       error_kind::invalid},
      {"same_text", rus, replace_of("c4", rev(*d, "c4"), "Not to use networks for hostile acts;"),
       error_kind::invalid},
      {"overlapping_stale_base", rus, replace_of("c3", open, "To comply with the Charter of 1946;"),
       error_kind::conflict},
      {"stage_op", rus, stage, error_kind::invalid},
      {"open_op", rus, open_op, error_kind::invalid},
      {"bad_state", actor{"rus", "Russia"}, replace_of("c4", rev(*d, "c4"), "x"),
       error_kind::invalid},
      {"bad_name", actor{"RUS", "Evil <x@y>"}, replace_of("c4", rev(*d, "c4"), "x"),
       error_kind::invalid},
  };
  for (const bad_case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_ERROR(d->table(c.by, c.change, t0), c.kind);
  }
  EXPECT_ERROR(d->table(rus, replace_of("c4", rev(*d, "c4"), "x"), -5), error_kind::invalid);
  EXPECT_EQ(capture(*d), before);
  EXPECT_EQ(git(repo_path(), "for-each-ref refs/proposals").out, "");
}

// ---- friendly amendments ---------------------------------------------------------------------

TEST_F(procedure_test, a_proposal_every_sponsor_supports_is_adopted_at_once) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  const std::string head = d->head().head;
  // RUS is a sponsor: tabling counts as its support.
  const proposal_record p = table_c3(*d, "RUS", "To comply with the UN Charter;");
  for (const char* code : {"CHN", "USA", "TJK"}) {
    auto s = d->support(p.n, state(code), t0 + 20);
    ASSERT_OK(s);
    EXPECT_EQ(s->record.status, proposal_status::tabled) << code;
    EXPECT_FALSE(s->adopted);
  }
  EXPECT_EQ(d->head().head, head);
  auto last = d->support(p.n, state("UZB"), t0 + 30);
  ASSERT_OK(last);
  const proposal_record& r = last->record;
  EXPECT_EQ(r.status, proposal_status::adopted);
  EXPECT_EQ(r.supporters, (std::vector<std::string>{"CHN", "USA", "TJK", "UZB"}));
  ASSERT_TRUE(r.result);
  EXPECT_EQ(r.result->outcome, proposal_outcome::adopted);
  ASSERT_TRUE(last->adopted);
  const applied& a = *last->adopted;
  EXPECT_EQ(r.result->commit, a.entry.commit);
  EXPECT_EQ(a.entry.parent, head);
  EXPECT_EQ(a.entry.by.state, "RUS");  // authored by the proposer
  EXPECT_EQ(a.entry.op, op_kind::replace);
  EXPECT_EQ(a.entry.clause, "c3");
  EXPECT_EQ(a.entry.proposal, 1);
  EXPECT_EQ(a.entry.adopted, adoption_kind::friendly);
  EXPECT_FALSE(a.entry.vote);
  ASSERT_TRUE(a.after);
  EXPECT_EQ(a.after->text, "To comply with the UN Charter;");
  EXPECT_EQ(d->head().head, a.entry.commit);
  EXPECT_EQ(find(d->head(), "c3")->by, "RUS");
  EXPECT_EQ(git(repo_path(), "log -1 --format='%an|%s' main").out,
            "Russian Federation|Replace operative clause 1\n");
  EXPECT_EQ(trailers(repo_path(), "main"),
            "Op: replace\nClause: c3\nState: RUS\nProposal: 1\nAdopted: friendly\n");
  EXPECT_EQ(git(repo_path(), "log -1 --format=%s procedure").out,
            "Support proposal 1: adopted as a friendly amendment\n");
  // The clause history marks it, before and after a reopen.
  for (int pass = 0; pass < 2; ++pass) {
    auto h = d->history("c3");
    ASSERT_OK(h);
    EXPECT_EQ(h->back().entry.proposal, 1);
    EXPECT_EQ(h->back().entry.adopted, adoption_kind::friendly);
    EXPECT_EQ(d->log().front().proposal, 1);
    EXPECT_FALSE(h->front().entry.proposal);
    d = reopen();
    ASSERT_TRUE(d);
  }
  EXPECT_EQ(d->proposal(1)->status, proposal_status::adopted);
  // A further support is too late.
  EXPECT_ERROR(d->support(1, state("FRA"), t0), error_kind::conflict);
  expect_fsck_clean();
}

TEST_F(procedure_test, a_proposer_that_is_no_sponsor_needs_every_sponsor) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  const proposal_record p = table_c3(*d, "USA", "To comply with the UN Charter;");
  for (const char* code : {"CHN", "RUS", "TJK"}) {
    ASSERT_OK(d->support(p.n, state(code), t0));
  }
  EXPECT_EQ(d->proposal(1)->status, proposal_status::tabled);
  auto last = d->support(p.n, state("UZB"), t0);
  ASSERT_OK(last);
  EXPECT_EQ(last->record.status, proposal_status::adopted);
  ASSERT_TRUE(last->adopted);
  EXPECT_EQ(last->adopted->entry.by.state, "USA");
}

TEST_F(procedure_test, a_draft_without_sponsors_has_no_friendly_amendments) {
  auto d = make();  // no sponsors
  ASSERT_TRUE(d);
  const proposal_record p = table_c3(*d, "RUS", "To comply with the UN Charter;");
  for (const actor& a : roster) {
    if (a.state == "RUS") continue;
    ASSERT_OK(d->support(p.n, a, t0));
  }
  EXPECT_EQ(d->proposal(1)->status, proposal_status::tabled);
  EXPECT_EQ(d->proposal(1)->supporters.size(), roster.size() - 1);
}

TEST_F(procedure_test, a_sole_sponsor_tabling_is_friendly_at_once) {
  draft_spec spec = small_spec();
  spec.sponsors = {"RUS"};
  auto d = make(spec);
  ASSERT_TRUE(d);
  auto t = d->table(rus, replace_of("c3", rev(*d, "c3"), "To comply with the UN Charter;"), t0);
  ASSERT_OK(t);
  EXPECT_EQ(t->record.status, proposal_status::adopted);
  ASSERT_TRUE(t->adopted);
  EXPECT_EQ(d->head().head, t->adopted->entry.commit);
  EXPECT_EQ(git(repo_path(), "log -1 --format=%s procedure").out,
            "Table proposal 1: Replace operative clause 1 (adopted as a friendly amendment)\n");
}

TEST_F(procedure_test, support_refusals) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  const proposal_record p = table_c3(*d, "USA", "To comply with the UN Charter;");
  ASSERT_OK(d->support(p.n, state("FRA"), t0));
  const auto before = capture(*d);
  EXPECT_ERROR(d->support(p.n, chair, t0), error_kind::forbidden);
  EXPECT_ERROR(d->support(p.n, state("FRA"), t0), error_kind::conflict);  // second support
  EXPECT_ERROR(d->support(p.n, state("USA"), t0), error_kind::conflict);  // its proposer
  EXPECT_ERROR(d->support(2, state("GBR"), t0), error_kind::not_found);
  EXPECT_ERROR(d->support(0, state("GBR"), t0), error_kind::not_found);
  EXPECT_ERROR(d->support(-1, state("GBR"), t0), error_kind::not_found);
  EXPECT_ERROR(d->support(p.n, actor{"GBR", ""}, t0), error_kind::invalid);
  EXPECT_EQ(capture(*d), before);
}

// ---- withdraw ---------------------------------------------------------------------------------

TEST_F(procedure_test, only_the_proposer_withdraws_and_only_while_tabled) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  const proposal_record p = table_c3(*d, "FRA", "To comply with the UN Charter;");
  auto before = capture(*d);
  EXPECT_ERROR(d->withdraw(p.n, state("USA"), t0), error_kind::forbidden);
  EXPECT_ERROR(d->withdraw(p.n, chair, t0), error_kind::forbidden);
  EXPECT_ERROR(d->withdraw(9, state("FRA"), t0), error_kind::not_found);
  EXPECT_EQ(capture(*d), before);
  auto w = d->withdraw(p.n, state("FRA"), t0 + 5);
  ASSERT_OK(w);
  EXPECT_EQ(w->record.status, proposal_status::withdrawn);
  EXPECT_FALSE(w->record.result);
  before = capture(*d);
  EXPECT_ERROR(d->withdraw(p.n, state("FRA"), t0), error_kind::conflict);
  EXPECT_ERROR(d->support(p.n, state("USA"), t0), error_kind::conflict);
  EXPECT_ERROR(d->open_vote(p.n, vote_threshold::simple, chair, t0), error_kind::conflict);
  EXPECT_EQ(capture(*d), before);
  // Once a vote is open, it cannot be withdrawn either.
  const proposal_record q = table_c3(*d, "FRA", "To comply fully with the UN Charter;");
  ASSERT_OK(d->open_vote(q.n, vote_threshold::simple, chair, t0));
  EXPECT_ERROR(d->withdraw(q.n, state("FRA"), t0), error_kind::conflict);
}

// ---- votes ------------------------------------------------------------------------------------

TEST_F(procedure_test, vote_acts_and_their_refusals) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  const proposal_record p = table_c3(*d, "FRA", "To comply with the UN Charter;");
  const proposal_record q = table_c3(*d, "USA", "To comply fully with the Charter;");
  auto before = capture(*d);
  EXPECT_ERROR(d->vote(p.n, state("RUS"), vote_choice::yes, t0), error_kind::conflict);  // not open
  EXPECT_ERROR(d->close_vote(p.n, chair, t0), error_kind::conflict);
  EXPECT_ERROR(d->open_vote(p.n, vote_threshold::simple, state("RUS"), t0), error_kind::forbidden);
  EXPECT_ERROR(d->open_vote(p.n, static_cast<vote_threshold>(9), chair, t0), error_kind::invalid);
  EXPECT_ERROR(d->open_vote(7, vote_threshold::simple, chair, t0), error_kind::not_found);
  EXPECT_EQ(capture(*d), before);

  auto opened = d->open_vote(p.n, vote_threshold::two_thirds, chair, t0 + 1);
  ASSERT_OK(opened);
  EXPECT_EQ(opened->record.status, proposal_status::voting);
  ASSERT_TRUE(opened->record.vote);
  EXPECT_EQ(opened->record.vote->threshold, vote_threshold::two_thirds);
  before = capture(*d);
  EXPECT_ERROR(d->open_vote(q.n, vote_threshold::simple, chair, t0), error_kind::conflict);
  EXPECT_ERROR(d->open_vote(p.n, vote_threshold::simple, chair, t0), error_kind::conflict);
  EXPECT_ERROR(d->vote(p.n, chair, vote_choice::yes, t0), error_kind::forbidden);
  EXPECT_ERROR(d->vote(p.n, state("RUS"), static_cast<vote_choice>(5), t0), error_kind::invalid);
  EXPECT_ERROR(d->vote(q.n, state("RUS"), vote_choice::yes, t0), error_kind::conflict);
  EXPECT_ERROR(d->vote(99, state("RUS"), vote_choice::yes, t0), error_kind::not_found);
  EXPECT_ERROR(d->support(p.n, state("RUS"), t0), error_kind::conflict);
  EXPECT_ERROR(d->close_vote(p.n, state("RUS"), t0), error_kind::forbidden);
  EXPECT_EQ(capture(*d), before);

  ASSERT_OK(d->vote(p.n, state("RUS"), vote_choice::yes, t0 + 2));
  ASSERT_OK(d->vote(p.n, state("FRA"), vote_choice::abstain, t0 + 2));
  auto no = d->vote(p.n, state("USA"), vote_choice::no, t0 + 2);
  ASSERT_OK(no);
  EXPECT_EQ(no->record.vote->yes, (std::vector<std::string>{"RUS"}));
  EXPECT_EQ(no->record.vote->no, (std::vector<std::string>{"USA"}));
  EXPECT_EQ(no->record.vote->abstain, (std::vector<std::string>{"FRA"}));
  before = capture(*d);
  for (vote_choice c : {vote_choice::yes, vote_choice::no, vote_choice::abstain}) {
    EXPECT_ERROR(d->vote(p.n, state("USA"), c, t0), error_kind::conflict);  // votes once
  }
  EXPECT_EQ(capture(*d), before);

  auto closed = d->close_vote(p.n, chair, t0 + 3);  // 1-1-1 fails two-thirds
  ASSERT_OK(closed);
  EXPECT_EQ(closed->record.status, proposal_status::rejected);
  ASSERT_TRUE(closed->record.result);
  EXPECT_EQ(closed->record.result->outcome, proposal_outcome::rejected);
  EXPECT_EQ(closed->record.result->commit, "");
  EXPECT_FALSE(closed->adopted);
  before = capture(*d);
  EXPECT_ERROR(d->close_vote(p.n, chair, t0), error_kind::conflict);
  EXPECT_ERROR(d->vote(p.n, state("GBR"), vote_choice::yes, t0), error_kind::conflict);
  EXPECT_EQ(capture(*d), before);
  // The next vote may open now.
  ASSERT_OK(d->open_vote(q.n, vote_threshold::simple, chair, t0 + 4));
}

TEST(vote_threshold, boundaries_in_integer_arithmetic) {
  struct threshold_case {
    vote_threshold t;
    vote_count count;
    bool carries;
  };
  using T = vote_threshold;
  const std::vector<threshold_case> cases = {
      {T::two_thirds, {8, 4, 0}, true},
      {T::two_thirds, {7, 4, 0}, false},
      {T::two_thirds, {8, 4, 9}, true},
      {T::two_thirds, {2, 1, 0}, true},
      {T::two_thirds, {1, 1, 0}, false},
      {T::two_thirds, {0, 0, 0}, false},
      {T::two_thirds, {0, 0, 5}, false},
      {T::two_thirds_present, {8, 4, 0}, true},
      {T::two_thirds_present, {8, 3, 1}, true},
      {T::two_thirds_present, {8, 4, 1}, false},
      {T::two_thirds_present, {2, 0, 1}, true},
      {T::two_thirds_present, {2, 0, 2}, false},
      {T::simple, {1, 0, 0}, true},
      {T::simple, {2, 2, 0}, false},
      {T::simple, {3, 2, 9}, true},
      {T::simple, {0, 0, 3}, false},
      {T::simple, {0, 0, 0}, false},
      {T::two_thirds, {200, 100, 0}, true},
      {T::two_thirds, {199, 100, 0}, false},
  };
  for (const threshold_case& c : cases) {
    EXPECT_EQ(vote_carries(c.t, c.count), c.carries)
        << to_string(c.t) << " " << c.count.yes << "-" << c.count.no << "-" << c.count.abstain;
  }
}

struct vote_case {
  const char* name;
  vote_threshold threshold;
  int yes, no, abstain;
  proposal_status status;
};

class vote_outcome_test : public procedure_test, public ::testing::WithParamInterface<vote_case> {};

TEST_P(vote_outcome_test, the_outcome_follows_the_threshold) {
  const vote_case& c = GetParam();
  auto d = make_sample();
  ASSERT_TRUE(d);
  const std::string head = d->head().head;
  const proposal_record p = table_c3(*d, "FRA", "To comply with the UN Charter;");
  ASSERT_OK(d->open_vote(p.n, c.threshold, chair, t0 + 1));
  std::size_t next = 0;
  auto cast = [&](int times, vote_choice choice) {
    for (int i = 0; i < times; ++i) ASSERT_OK(d->vote(p.n, roster.at(next++), choice, t0 + 2));
  };
  cast(c.yes, vote_choice::yes);
  cast(c.no, vote_choice::no);
  cast(c.abstain, vote_choice::abstain);
  auto closed = d->close_vote(p.n, chair, t0 + 3);
  ASSERT_OK(closed);
  EXPECT_EQ(closed->record.status, c.status);
  const std::string tally =
      std::to_string(c.yes) + "-" + std::to_string(c.no) + "-" + std::to_string(c.abstain);
  if (c.status == proposal_status::adopted) {
    ASSERT_TRUE(closed->adopted);
    const log_entry& e = closed->adopted->entry;
    EXPECT_EQ(e.parent, head);
    EXPECT_EQ(e.by.state, "FRA");
    EXPECT_EQ(e.adopted, adoption_kind::vote);
    EXPECT_EQ(e.vote, (vote_count{c.yes, c.no, c.abstain}));
    EXPECT_EQ(closed->record.result->commit, e.commit);
    EXPECT_EQ(
        trailers(repo_path(), "main"),
        "Op: replace\nClause: c3\nState: FRA\nProposal: 1\nAdopted: vote\nVote: " + tally + "\n");
    EXPECT_EQ(git(repo_path(), "log -1 --format=%s procedure").out,
              "Close the vote on proposal 1: adopted, " + tally + "\n");
    auto again = reopen();
    ASSERT_TRUE(again);
    EXPECT_EQ(again->log().front().vote, (vote_count{c.yes, c.no, c.abstain}));
  } else {
    EXPECT_FALSE(closed->adopted);
    EXPECT_EQ(d->head().head, head);
    EXPECT_EQ(closed->record.result->outcome, proposal_outcome::rejected);
    EXPECT_EQ(git(repo_path(), "log -1 --format=%s procedure").out,
              "Close the vote on proposal 1: rejected, " + tally + "\n");
  }
}

INSTANTIATE_TEST_SUITE_P(
    thresholds, vote_outcome_test,
    ::testing::Values(vote_case{"two_thirds_8_4_passes", vote_threshold::two_thirds, 8, 4, 0,
                                proposal_status::adopted},
                      vote_case{"two_thirds_7_4_fails", vote_threshold::two_thirds, 7, 4, 0,
                                proposal_status::rejected},
                      vote_case{"two_thirds_ignores_abstentions", vote_threshold::two_thirds, 6, 3,
                                3, proposal_status::adopted},
                      vote_case{"present_counts_abstentions", vote_threshold::two_thirds_present, 6,
                                3, 3, proposal_status::rejected},
                      vote_case{"present_8_3_1_passes", vote_threshold::two_thirds_present, 8, 3, 1,
                                proposal_status::adopted},
                      vote_case{"present_8_4_0_passes", vote_threshold::two_thirds_present, 8, 4, 0,
                                proposal_status::adopted},
                      vote_case{"simple_needs_more_yes", vote_threshold::simple, 5, 5, 2,
                                proposal_status::rejected},
                      vote_case{"simple_6_5_passes", vote_threshold::simple, 6, 5, 1,
                                proposal_status::adopted},
                      vote_case{"simple_needs_one_yes", vote_threshold::simple, 0, 0, 4,
                                proposal_status::rejected},
                      vote_case{"nobody_voted", vote_threshold::two_thirds_present, 0, 0, 0,
                                proposal_status::rejected}),
    [](const ::testing::TestParamInfo<vote_case>& param) { return param.param.name; });

// ---- adoption against a text that moved on ----------------------------------------------------

TEST_F(procedure_test, adoption_merges_when_the_clause_moved_on_elsewhere) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  const proposal_record p = table_c3(*d, "FRA", "To strictly comply with the Charter;");
  // Meanwhile the clause changes in another place.
  ASSERT_OK(d->amend(replace_req(state("USA"), "c3", rev(*d, "c3"),
                                 "To comply with the Charter of the United Nations;")));
  const std::string head = d->head().head;
  ASSERT_OK(d->open_vote(p.n, vote_threshold::simple, chair, t0));
  ASSERT_OK(d->vote(p.n, state("RUS"), vote_choice::yes, t0));
  auto closed = d->close_vote(p.n, chair, t0);
  ASSERT_OK(closed);
  EXPECT_EQ(closed->record.status, proposal_status::adopted);
  ASSERT_TRUE(closed->adopted);
  EXPECT_TRUE(closed->adopted->merged);
  EXPECT_EQ(closed->adopted->entry.parent, head);
  EXPECT_EQ(find(d->head(), "c3")->text,
            "To strictly comply with the Charter of the United Nations;");
  EXPECT_EQ(git(repo_path(), "show main:clauses/c3.txt").out,
            "To strictly comply with the Charter of the United Nations;\n");
}

TEST_F(procedure_test, adoption_that_overlaps_is_a_conflict_and_main_does_not_move) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  const proposal_record p = table_c3(*d, "FRA", "To respect the Charter;");
  ASSERT_OK(d->amend(replace_req(state("USA"), "c3", rev(*d, "c3"), "To uphold the Charter;")));
  const std::string head = d->head().head;
  ASSERT_OK(d->open_vote(p.n, vote_threshold::simple, chair, t0));
  ASSERT_OK(d->vote(p.n, state("RUS"), vote_choice::yes, t0));
  auto closed = d->close_vote(p.n, chair, t0);
  ASSERT_OK(closed);
  EXPECT_EQ(closed->record.status, proposal_status::conflict);
  ASSERT_TRUE(closed->record.result);
  EXPECT_EQ(closed->record.result->outcome, proposal_outcome::conflict);
  EXPECT_EQ(closed->record.result->commit, "");
  EXPECT_FALSE(closed->adopted);
  EXPECT_FALSE(closed->adoption_problem.empty());
  EXPECT_EQ(d->head().head, head);
  EXPECT_EQ(git(repo_path(), "rev-parse main").out, head + "\n");
  EXPECT_EQ(git(repo_path(), "log -1 --format=%s procedure").out,
            "Close the vote on proposal 1: carried, but it no longer applies to the text, "
            "1-0-0\n");
  EXPECT_NE(
      git(repo_path(), "show procedure:proposals/1.json")
          .out.find("\"result\": {\n    \"outcome\": \"conflict\",\n    \"commit\": null\n  }"),
      std::string::npos);
  // A deleted clause is a conflict too, for a friendly amendment.
  const proposal_record q = table_c3(*d, "RUS", "To uphold the UN Charter;");
  ASSERT_OK(d->amend(remove_req(state("USA"), "c3", rev(*d, "c3"))));
  for (const char* code : {"CHN", "TJK"}) ASSERT_OK(d->support(q.n, state(code), t0));
  auto last = d->support(q.n, state("UZB"), t0);
  ASSERT_OK(last);
  EXPECT_EQ(last->record.status, proposal_status::conflict);
  EXPECT_EQ(d->proposal(q.n)->status, proposal_status::conflict);
}

// ---- the effective change (docs/extensions.md) ---------------------------------------------

TEST_F(procedure_test, the_effective_change_follows_the_text_and_is_what_adoption_applies) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  const proposal_record p = table_c3(*d, "FRA", "To strictly comply with the Charter;");
  auto e = d->effective(p.n);
  ASSERT_OK(e);
  ASSERT_TRUE(*e);
  EXPECT_EQ((*e)->text, "To strictly comply with the Charter;");
  EXPECT_FALSE((*e)->conflict);
  EXPECT_EQ((*e)->computed_at, d->head().head);
  // The clause changes elsewhere before the vote: the effective change is the merge.
  ASSERT_OK(d->amend(replace_req(state("USA"), "c3", rev(*d, "c3"),
                                 "To comply with the Charter of the United Nations;")));
  e = d->effective(p.n);
  ASSERT_OK(e);
  EXPECT_EQ((*e)->text, "To strictly comply with the Charter of the United Nations;");
  EXPECT_EQ((*e)->computed_at, d->head().head);
  auto opened = d->open_vote(p.n, vote_threshold::simple, chair, t0);
  ASSERT_OK(opened);
  ASSERT_TRUE(opened->record.vote && opened->record.vote->opened_on);
  EXPECT_EQ(opened->record.vote->opened_on->text, (*e)->text);
  ASSERT_TRUE(opened->effective);
  EXPECT_TRUE(opened->effective->same_change(**e));
  // And during the vote: the effective change moves, what was opened on stays.
  ASSERT_OK(d->amend(replace_req(state("USA"), "c3", rev(*d, "c3"),
                                 "To comply with the Charter of the United Nations in full;")));
  e = d->effective(p.n);
  ASSERT_OK(e);
  const std::string shown = "To strictly comply with the Charter of the United Nations in full;";
  EXPECT_EQ((*e)->text, shown);
  EXPECT_EQ(d->proposal(p.n)->vote->opened_on->text,
            "To strictly comply with the Charter of the United Nations;");
  ASSERT_OK(d->vote(p.n, state("RUS"), vote_choice::yes, t0));
  auto closed = d->close_vote(p.n, chair, t0);
  ASSERT_OK(closed);
  EXPECT_EQ(closed->record.status, proposal_status::adopted);
  EXPECT_EQ(find(d->head(), "c3")->text, shown);  // exactly the effective text at closing
  EXPECT_FALSE(closed->effective);
  e = d->effective(p.n);
  ASSERT_OK(e);
  EXPECT_FALSE(*e);  // closed proposals have none
  EXPECT_ERROR(d->effective(9), error_kind::not_found);
}

TEST_F(procedure_test, an_overlapping_change_makes_the_effective_change_a_conflict) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  const proposal_record p = table_c3(*d, "FRA", "To respect the Charter;");
  amendment del;
  del.op = op_kind::remove;
  del.clause = "c4";
  del.base = rev(*d, "c4");
  auto q = d->table(state("GBR"), del, t0);
  ASSERT_OK(q);
  EXPECT_EQ(d->effective(q->record.n)->value().text, std::nullopt);  // deleted, no conflict
  EXPECT_FALSE(d->effective(q->record.n)->value().conflict);
  ASSERT_OK(d->amend(replace_req(state("USA"), "c3", rev(*d, "c3"), "To uphold the Charter;")));
  auto e = d->effective(p.n);
  ASSERT_OK(e);
  EXPECT_TRUE((*e)->conflict);
  EXPECT_EQ((*e)->text, std::nullopt);
  EXPECT_NE((*e)->problem.find("in the same place"), std::string::npos) << (*e)->problem;
  // Adoption agrees: carried, but a conflict.
  ASSERT_OK(d->open_vote(p.n, vote_threshold::simple, chair, t0));
  EXPECT_TRUE(d->proposal(p.n)->vote->opened_on->conflict);
  ASSERT_OK(d->vote(p.n, state("RUS"), vote_choice::yes, t0));
  auto closed = d->close_vote(p.n, chair, t0);
  ASSERT_OK(closed);
  EXPECT_EQ(closed->record.status, proposal_status::conflict);
}

TEST_F(procedure_test, the_chair_restarts_a_vote_on_the_effective_change_now) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  const proposal_record p = table_c3(*d, "FRA", "To strictly comply with the Charter;");
  ASSERT_OK(d->open_vote(p.n, vote_threshold::two_thirds, chair, t0));
  ASSERT_OK(d->vote(p.n, state("RUS"), vote_choice::yes, t0));
  ASSERT_OK(d->vote(p.n, state("USA"), vote_choice::no, t0));
  ASSERT_OK(d->amend(replace_req(state("USA"), "c3", rev(*d, "c3"),
                                 "To comply with the Charter of the United Nations;")));
  EXPECT_ERROR(d->restart_vote(p.n, state("RUS"), t0), error_kind::forbidden);
  EXPECT_ERROR(d->restart_vote(7, chair, t0), error_kind::not_found);
  auto restarted = d->restart_vote(p.n, chair, t0 + 5);
  ASSERT_OK(restarted);
  const proposal_record& rec = restarted->record;
  EXPECT_EQ(rec.status, proposal_status::voting);
  ASSERT_TRUE(rec.vote);
  EXPECT_EQ(rec.vote->threshold, vote_threshold::two_thirds);
  EXPECT_TRUE(rec.vote->yes.empty() && rec.vote->no.empty() && rec.vote->abstain.empty());
  EXPECT_EQ(rec.vote->opened_on->text,
            "To strictly comply with the Charter of the United Nations;");
  EXPECT_EQ(rec.vote->opened_on->computed_at, d->head().head);
  EXPECT_EQ(git(repo_path(), "log -1 --format=%s procedure").out,
            "Restart the vote on proposal 1: the text changed during the vote\n");
  EXPECT_EQ(trailers(repo_path(), "procedure"), "Act: restart\nProposal: 1\nState: CHAIR\n");
  // Those who voted vote again; the record reads back the same.
  ASSERT_OK(d->vote(p.n, state("USA"), vote_choice::yes, t0));
  auto again = reopen();
  ASSERT_TRUE(again);
  EXPECT_EQ(write_record(*again->proposal(p.n)), write_record(*d->proposal(p.n)));
  ASSERT_OK(d->close_vote(p.n, chair, t0));
  EXPECT_ERROR(d->restart_vote(p.n, chair, t0), error_kind::conflict);
}

TEST_F(procedure_test, a_bracket_is_tabled_in_the_formal_stage_and_adopted_by_vote) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  ASSERT_OK(d->amend(stage_req(chair, draft_stage::formal)));
  amendment b;
  b.op = op_kind::bracket;
  b.clause = "c3";
  b.base = rev(*d, "c3");
  b.start = 3;  // "To comply with the Charter;": "comply with"
  b.end = 14;
  b.text = "conform to";
  // Directly: forbidden in the formal stage; as a proposal: tabled, the text unchanged.
  EXPECT_ERROR(d->amend(request{state("FRA"), b, t0}), error_kind::forbidden);
  auto t = d->table(state("FRA"), b, t0);
  ASSERT_OK(t);
  const proposal_record& rec = t->record;
  EXPECT_EQ(rec.op, op_kind::bracket);
  EXPECT_EQ(rec.start, std::optional<std::size_t>(3));
  EXPECT_EQ(rec.end, std::optional<std::size_t>(14));
  EXPECT_EQ(rec.text, "conform to");
  EXPECT_EQ(find(d->head(), "c3")->text, "To comply with the Charter;");
  const std::string bracketed =
      "To \u27E6TABLED: comply with \u2016 FRA: conform to\u27E7 the Charter;";  // as tabled
  ASSERT_TRUE(t->effective);
  EXPECT_EQ(t->effective->text, bracketed);
  EXPECT_NE(write_record(rec).find("\"start\": 3,\n  \"end\": 14,"), std::string::npos)
      << write_record(rec);
  auto again = reopen();
  ASSERT_TRUE(again);
  EXPECT_EQ(write_record(*again->proposal(rec.n)), write_record(rec));
  ASSERT_OK(d->open_vote(rec.n, vote_threshold::simple, chair, t0));
  ASSERT_OK(d->vote(rec.n, state("RUS"), vote_choice::yes, t0));
  auto closed = d->close_vote(rec.n, chair, t0);
  ASSERT_OK(closed);
  EXPECT_EQ(closed->record.status, proposal_status::adopted);
  EXPECT_EQ(find(d->head(), "c3")->text, bracketed);
  EXPECT_EQ(closed->adopted->entry.op, op_kind::bracket);
  EXPECT_EQ(closed->adopted->entry.by.state, "FRA");
  // Offsets only mean something in the text they were counted in: a change makes it a conflict.
  b.base = rev(*d, "c4");
  b.clause = "c4";
  b.start = 0;
  b.end = 3;
  b.text = "Never";
  auto u = d->table(state("USA"), b, t0);
  ASSERT_OK(u);
  ASSERT_OK(d->amend(
      replace_req(chair, "c4", rev(*d, "c4"), "Not to use networks for any hostile acts;")));
  auto e = d->effective(u->record.n);
  ASSERT_OK(e);
  EXPECT_TRUE((*e)->conflict);
}

// ---- the audit trail ---------------------------------------------------------------------------

TEST_F(procedure_test, git_log_procedure_is_the_minutes) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  const proposal_record p = table_c3(*d, "FRA", "To comply with the UN Charter;");
  const proposal_record q = table_c3(*d, "USA", "To comply fully with the Charter;");
  ASSERT_OK(d->support(q.n, state("GBR"), t0 + 20));
  ASSERT_OK(d->withdraw(q.n, state("USA"), t0 + 30));
  ASSERT_OK(d->open_vote(p.n, vote_threshold::two_thirds, chair, t0 + 40));
  ASSERT_OK(d->vote(p.n, state("RUS"), vote_choice::yes, t0 + 50));
  ASSERT_OK(d->vote(p.n, state("EST"), vote_choice::abstain, t0 + 51));
  auto closed = d->close_vote(p.n, chair, t0 + 60);
  ASSERT_OK(closed);
  auto log = git(repo_path(),
                 "log --reverse --format='%an <%ae>|%(trailers:key=Act,valueonly,separator=)|"
                 "%(trailers:key=Proposal,valueonly,separator=)|"
                 "%(trailers:key=State,valueonly,separator=)|"
                 "%(trailers:key=Choice,valueonly,separator=)|%s' procedure");
  ASSERT_EQ(log.status, 0);
  EXPECT_EQ(log.out,
            "France <fra@delegations.invalid>|table|1|FRA||Table proposal 1: Replace operative "
            "clause 1\n"
            "United States <usa@delegations.invalid>|table|2|USA||Table proposal 2: Replace "
            "operative clause 1\n"
            "United Kingdom <gbr@delegations.invalid>|support|2|GBR||Support proposal 2\n"
            "United States <usa@delegations.invalid>|withdraw|2|USA||Withdraw proposal 2\n"
            "Chair <chair@delegations.invalid>|open|1|CHAIR||Open the vote on proposal 1 "
            "(two-thirds)\n"
            "Russian Federation <rus@delegations.invalid>|vote|1|RUS|yes|Vote yes on proposal 1\n"
            "Estonia <est@delegations.invalid>|vote|1|EST|abstain|Vote abstain on proposal 1\n"
            "Chair <chair@delegations.invalid>|close|1|CHAIR||Close the vote on proposal 1: "
            "adopted, 1-0-1\n");
  EXPECT_EQ(git(repo_path(), "log --format='%cn <%ce>' procedure | sort -u").out,
            "plenary <server@plenary.invalid>\n");
  EXPECT_EQ(git(repo_path(), "log --format=%at -1 procedure").out, std::to_string(t0 + 60) + "\n");
  EXPECT_EQ(git(repo_path(), "rev-list --max-parents=0 procedure").out,
            git(repo_path(), "rev-list --reverse procedure | head -1").out);
  EXPECT_EQ(git(repo_path(), "rev-list --merges --count procedure").out, "0\n");
  // Each record is the file of the tip, and each commit holds every record as it stood.
  EXPECT_EQ(git(repo_path(), "show procedure:proposals/1.json").out, write_record(*d->proposal(1)));
  EXPECT_EQ(git(repo_path(), "show procedure:proposals/2.json").out, write_record(*d->proposal(2)));
  EXPECT_NE(
      git(repo_path(), "show procedure~1:proposals/1.json").out.find("\"status\": \"voting\""),
      std::string::npos);
  EXPECT_NE(
      git(repo_path(), "show procedure:proposals/1.json")
          .out.find("\"vote\": {\n    \"threshold\": \"two-thirds\",\n    \"yes\": [\"RUS\"],\n"
                    "    \"no\": [],\n    \"abstain\": [\"EST\"],\n"
                    // plenary keeps what the vote was opened on (docs/extensions.md)
                    "    \"effective\": {\n      \"text\": "),
      std::string::npos);
  // The procedure branch never touches main's files.
  EXPECT_EQ(git(repo_path(), "ls-tree --name-only procedure").out, "proposals\n");
  expect_fsck_clean();
}

TEST_F(procedure_test, reopening_gives_the_same_proposals) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  const proposal_record p = table_c3(*d, "FRA", "To comply with the UN Charter;");
  const proposal_record q = table_c3(*d, "RUS", "To comply fully with the UN Charter;");
  amendment insert;
  insert.op = op_kind::insert;
  insert.after = std::nullopt;
  insert.kind = clause_kind::preamble;
  insert.text = "Noting — «quoted» \"text\"\twith a tab,\nand a new line";
  insert.note = "Ünïcödé note";
  ASSERT_OK(d->table(state("IND"), insert, t0));
  ASSERT_OK(d->support(q.n, state("CHN"), t0));
  ASSERT_OK(d->open_vote(p.n, vote_threshold::two_thirds_present, chair, t0));
  ASSERT_OK(d->vote(p.n, state("BRA"), vote_choice::no, t0));
  std::vector<std::string> before;
  for (const auto& r : d->proposals()) before.push_back(write_record(r));
  auto again = reopen();
  ASSERT_TRUE(again);
  std::vector<std::string> after;
  for (const auto& r : again->proposals()) after.push_back(write_record(r));
  EXPECT_EQ(after, before);
  EXPECT_EQ(again->proposal(3)->text, insert.text);
  EXPECT_EQ(again->proposal(3)->note, insert.note);
  EXPECT_ERROR(again->proposal(4), error_kind::not_found);
  EXPECT_ERROR(again->proposal(0), error_kind::not_found);
  // And the acts go on from there.
  ASSERT_OK(again->vote(p.n, state("ZAF"), vote_choice::yes, t0));
  auto t =
      again->table(state("DEU"), replace_of("c4", rev(*again, "c4"), "Never hostile acts;"), t0);
  ASSERT_OK(t);
  EXPECT_EQ(t->record.n, 4);
}

TEST_F(procedure_test, acts_in_one_batch_are_one_pack_and_refused_ones_are_skipped) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  const proposal_record p = table_c3(*d, "USA", "To comply with the UN Charter;");
  auto count_packs = [&] {
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(repo_path() / "objects" / "pack")) {
      if (e.path().extension() == ".pack") ++n;
    }
    return n;
  };
  const std::size_t packs = count_packs();
  const std::string procedure = git(repo_path(), "rev-parse procedure").out;
  std::vector<act_request> acts = {
      {act_kind::support, state("CHN"), t0, p.n, {}, {}, {}},
      {act_kind::support, state("CHN"), t0, p.n, {}, {}, {}},  // second: conflict
      {act_kind::support, state("RUS"), t0, 42, {}, {}, {}},   // unknown: not_found
      {act_kind::support, state("RUS"), t0, p.n, {}, {}, {}},
      {act_kind::support, state("TJK"), t0, p.n, {}, {}, {}},
      {act_kind::support, state("UZB"), t0, p.n, {}, {}, {}},   // friendly: adopted
      {act_kind::withdraw, state("USA"), t0, p.n, {}, {}, {}},  // too late: conflict
  };
  auto results = d->act_all(acts);
  ASSERT_EQ(results.size(), acts.size());
  ASSERT_OK(results[0]);
  EXPECT_ERROR(results[1], error_kind::conflict);
  EXPECT_ERROR(results[2], error_kind::not_found);
  ASSERT_OK(results[3]);
  ASSERT_OK(results[4]);
  ASSERT_OK(results[5]);
  EXPECT_ERROR(results[6], error_kind::conflict);
  EXPECT_EQ(results[5]->record.status, proposal_status::adopted);
  EXPECT_EQ(results[0]->record.supporters, (std::vector<std::string>{"CHN"}));
  EXPECT_EQ(count_packs(), packs + 1);
  EXPECT_EQ(git(repo_path(), "rev-list --count " + procedure.substr(0, 40) + "..procedure").out,
            "4\n");
  EXPECT_EQ(git(repo_path(), "rev-parse main").out, results[5]->adopted->entry.commit + "\n");
  expect_fsck_clean();
}

// ---- adopted freezes everything ---------------------------------------------------------------

TEST_F(procedure_test, the_adopted_stage_freezes_everything) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  const proposal_record p = table_c3(*d, "FRA", "To comply with the UN Charter;");
  const proposal_record q = table_c3(*d, "USA", "To comply fully with the Charter;");
  ASSERT_OK(d->open_vote(q.n, vote_threshold::simple, chair, t0));
  ASSERT_OK(d->amend(stage_req(chair, draft_stage::adopted)));
  const auto before = capture(*d);
  const std::string c3 = rev(*d, "c3");
  EXPECT_ERROR(d->amend(replace_req(chair, "c3", c3, "Changed.")), error_kind::forbidden);
  EXPECT_ERROR(d->amend(replace_req(rus, "c3", c3, "Changed.")), error_kind::forbidden);
  EXPECT_ERROR(d->amend(insert_req(chair, std::nullopt, clause_kind::heading, "New")),
               error_kind::forbidden);
  EXPECT_ERROR(d->amend(sponsors_req(chair, {"FRA"})), error_kind::forbidden);
  EXPECT_ERROR(d->amend(stage_req(chair, draft_stage::formal)), error_kind::forbidden);
  EXPECT_ERROR(d->table(rus, replace_of("c3", c3, "Changed."), t0), error_kind::forbidden);
  EXPECT_ERROR(d->table(chair, replace_of("c3", c3, "Changed."), t0), error_kind::forbidden);
  EXPECT_ERROR(d->support(p.n, state("CHN"), t0), error_kind::forbidden);
  EXPECT_ERROR(d->withdraw(p.n, state("FRA"), t0), error_kind::forbidden);
  EXPECT_ERROR(d->open_vote(p.n, vote_threshold::simple, chair, t0), error_kind::forbidden);
  EXPECT_ERROR(d->vote(q.n, state("RUS"), vote_choice::yes, t0), error_kind::forbidden);
  EXPECT_ERROR(d->close_vote(q.n, chair, t0), error_kind::forbidden);
  EXPECT_EQ(capture(*d), before);
  // Naming a version changes no text: allowed.
  ASSERT_OK(d->tag("final", chair, "", t0));
}

// ---- crashes between the two branches --------------------------------------------------------

TEST_F(procedure_test, a_crash_between_procedure_and_main_is_finished_on_open) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  const std::string head = d->head().head;
  const proposal_record p = table_c3(*d, "FRA", "To comply with the UN Charter;");
  ASSERT_OK(d->open_vote(p.n, vote_threshold::simple, chair, t0));
  ASSERT_OK(d->vote(p.n, state("RUS"), vote_choice::yes, t0));
  auto closed = d->close_vote(p.n, chair, t0);
  ASSERT_OK(closed);
  const std::string adopting = closed->adopted->entry.commit;
  d.reset();
  // The state a crash after the update of procedure leaves: main still at its old head, and
  // (a crash a step earlier for the table) no refs/proposals/1.
  ASSERT_EQ(git(repo_path(), "update-ref refs/heads/main " + head).status, 0);
  ASSERT_EQ(git(repo_path(), "update-ref -d refs/proposals/1").status, 0);
  d = reopen();
  ASSERT_TRUE(d);
  EXPECT_EQ(d->head().head, adopting);
  EXPECT_EQ(git(repo_path(), "rev-parse main").out, adopting + "\n");
  EXPECT_EQ(find(d->head(), "c3")->text, "To comply with the UN Charter;");
  EXPECT_EQ(d->log().front().proposal, 1);
  EXPECT_EQ(git(repo_path(), "rev-parse refs/proposals/1").out, p.commit + "\n");
  EXPECT_EQ(d->proposal(1)->status, proposal_status::adopted);
  // Nothing was added to procedure: the record was already right.
  EXPECT_EQ(git(repo_path(), "rev-list --count procedure").out, "4\n");
  // A reader that may not repair sees the disk as it is.
  ASSERT_EQ(git(repo_path(), "update-ref refs/heads/main " + head).status, 0);
  auto reader = draft::open(repo_path(), {.repair = false});
  ASSERT_OK(reader);
  EXPECT_EQ((*reader)->head().head, head);
  EXPECT_EQ(git(repo_path(), "rev-parse main").out, head + "\n");
  expect_fsck_clean();
}

TEST_F(procedure_test, two_adoptions_of_one_batch_are_both_finished) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  const std::string head = d->head().head;
  auto t1 =
      d->table(state("USA"), replace_of("c3", rev(*d, "c3"), "To comply with the UN Charter;"), t0);
  auto t2 = d->table(state("USA"), replace_of("c4", rev(*d, "c4"), "Never hostile acts;"), t0);
  ASSERT_OK(t1);
  ASSERT_OK(t2);
  std::vector<act_request> acts;
  for (int n : {1, 2}) {
    for (const char* code : {"CHN", "RUS", "TJK", "UZB"}) {
      acts.push_back({act_kind::support, state(code), t0, n, {}, {}, {}});
    }
  }
  auto results = d->act_all(acts);
  for (auto& r : results) ASSERT_OK(r);
  const std::string last = results.back()->adopted->entry.commit;
  EXPECT_EQ(results.back()->adopted->entry.parent, results[3]->adopted->entry.commit);
  d.reset();
  ASSERT_EQ(git(repo_path(), "update-ref refs/heads/main " + head).status, 0);
  d = reopen();
  ASSERT_TRUE(d);
  EXPECT_EQ(d->head().head, last);
  EXPECT_EQ(d->log().size(), 3u);
}

TEST_F(procedure_test, an_adoption_main_no_longer_follows_becomes_a_conflict_on_open) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  const std::string head = d->head().head;
  const proposal_record p = table_c3(*d, "USA", "To comply with the UN Charter;");
  for (const char* code : {"CHN", "RUS", "TJK", "UZB"}) ASSERT_OK(d->support(p.n, state(code), t0));
  ASSERT_EQ(d->proposal(1)->status, proposal_status::adopted);
  d.reset();
  // main lost the adopting commit and someone else committed on it with plain git.
  const std::string script =
      "set -e; export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_DIR=" +
      sh_quote(repo_path().string()) +
      "; c=$(GIT_AUTHOR_NAME=Admin GIT_AUTHOR_EMAIL=admin@example.org GIT_COMMITTER_NAME=Admin "
      "GIT_COMMITTER_EMAIL=admin@example.org git commit-tree " +
      head + "^{tree} -p " + head +
      " -m 'Touch' -m 'State: CHAIR'); git update-ref refs/heads/main $c";
  ASSERT_EQ(run("sh -c " + sh_quote(script)).status, 0);
  const std::string moved = git(repo_path(), "rev-parse main").out;
  d = reopen();
  ASSERT_TRUE(d);
  EXPECT_EQ(d->head().head + "\n", moved);
  EXPECT_EQ(d->proposal(1)->status, proposal_status::conflict);
  EXPECT_EQ(d->proposal(1)->result->outcome, proposal_outcome::conflict);
  EXPECT_EQ(git(repo_path(),
                "log -1 --format='%an|%(trailers:key=Act,valueonly,separator=)' "
                "procedure")
                .out,
            "plenary|reconcile\n");
  EXPECT_EQ(git(repo_path(), "show procedure:proposals/1.json").out, write_record(*d->proposal(1)));
  auto again = reopen();  // stable: nothing more to do
  ASSERT_TRUE(again);
  EXPECT_EQ(git(repo_path(), "rev-list --count procedure").out, "6\n");
  expect_fsck_clean();
}

TEST_F(procedure_test, a_missing_adopted_tag_is_made_again_on_open) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  auto adopted = d->amend(stage_req(chair, draft_stage::adopted, t0 + 99));
  ASSERT_OK(adopted);
  const std::string tag = git(repo_path(), "rev-parse refs/tags/adopted").out;
  d.reset();
  ASSERT_EQ(git(repo_path(), "update-ref -d refs/tags/adopted").status, 0);
  d = reopen();
  ASSERT_TRUE(d);
  EXPECT_EQ(git(repo_path(), "rev-parse refs/tags/adopted").out, tag);  // the very same object
  EXPECT_EQ(git(repo_path(), "rev-parse adopted^{commit}").out, adopted->entry.commit + "\n");
}

TEST_F(procedure_test, adopting_refuses_a_foreign_adopted_tag) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  ASSERT_EQ(git(repo_path(), "tag adopted main").status, 0);  // a lightweight tag by hand
  const auto before = capture(*d);
  EXPECT_ERROR(d->amend(stage_req(chair, draft_stage::adopted)), error_kind::conflict);
  EXPECT_EQ(capture(*d), before);
}

// ---- versions ---------------------------------------------------------------------------------

TEST_F(procedure_test, the_chair_names_versions_with_annotated_tags) {
  auto d = make_sample();
  ASSERT_TRUE(d);
  auto v = d->tag("rev.1", chair, "First revision.", t0 + 7);
  ASSERT_OK(v);
  EXPECT_EQ(v->name, "rev.1");
  EXPECT_EQ(v->commit, d->head().head);
  EXPECT_EQ(git(repo_path(), "cat-file -t rev.1").out, "tag\n");
  EXPECT_EQ(git(repo_path(), "rev-parse rev.1").out, v->object + "\n");
  EXPECT_EQ(git(repo_path(),
                "for-each-ref --format='%(taggername)|%(taggerdate:unix)|%(*objectname)|"
                "%(contents)' refs/tags/rev.1")
                .out,
            "Chair|" + std::to_string(t0 + 7) + "|" + v->commit +
                "|Version rev.1\n\nFirst revision.\n\n");
  EXPECT_EQ(*d->resolve("rev.1"), v->commit);
  const auto before = capture(*d);
  struct bad_case {
    const char* name;
    std::string tag;
    actor by;
    error_kind kind;
  };
  const std::vector<bad_case> cases = {
      {"exists", "rev.1", chair, error_kind::exists},
      {"delegation", "L.3", rus, error_kind::forbidden},
      {"reserved", "adopted", chair, error_kind::invalid},
      {"empty", "", chair, error_kind::invalid},
      {"too_long", std::string(33, 'a'), chair, error_kind::invalid},
      {"leading_dot", ".rev", chair, error_kind::invalid},
      {"leading_dash", "-rev", chair, error_kind::invalid},
      {"slash", "a/b", chair, error_kind::invalid},
      {"space", "rev 1", chair, error_kind::invalid},
      {"dot_dot", "a..b", chair, error_kind::invalid},
      {"trailing_dot", "rev.", chair, error_kind::invalid},
      {"lock", "rev.lock", chair, error_kind::invalid},
      {"at_brace", "a@{1}", chair, error_kind::invalid},
      {"non_ascii", "révision", chair, error_kind::invalid},
  };
  for (const bad_case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_ERROR(d->tag(c.tag, c.by, "", t0), c.kind);
  }
  EXPECT_ERROR(d->tag("ok", chair, std::string(max_note_bytes + 1, 'n'), t0), error_kind::invalid);
  EXPECT_EQ(capture(*d), before);
  ASSERT_OK(d->tag(std::string(32, 'z'), chair, "", t0));
  EXPECT_EQ(git(repo_path(), "tag -l").out, "rev.1\n" + std::string(32, 'z') + "\n");
  expect_fsck_clean();
}

// ---- formats ------------------------------------------------------------------------------------

TEST(procedure_format, trailers_round_trip) {
  message::procedure_trailers t;
  t.stage = draft_stage::formal;
  EXPECT_EQ(
      message::compose("Move the draft to the formal stage", "", op_kind::stage, "", "CHAIR", t),
      "Move the draft to the formal stage\n\nOp: stage\nState: CHAIR\nStage: formal\n");
  message::procedure_trailers a;
  a.proposal = 12;
  a.adopted = adoption_kind::vote;
  a.vote = vote_count{8, 4, 0};
  const std::string m =
      message::compose("Replace operative clause 1", "Why.", op_kind::replace, "c3", "FRA", a);
  EXPECT_EQ(m,
            "Replace operative clause 1\n\nWhy.\n\nOp: replace\nClause: c3\nState: FRA\n"
            "Proposal: 12\nAdopted: vote\nVote: 8-4-0\n");
  const message::parts p = message::parse(m);
  EXPECT_EQ(p.note, "Why.");
  EXPECT_EQ(p.procedure.proposal, 12);
  EXPECT_EQ(p.procedure.adopted, adoption_kind::vote);
  EXPECT_EQ(p.procedure.vote, (vote_count{8, 4, 0}));
  EXPECT_FALSE(p.procedure.stage);
  EXPECT_EQ(
      message::parse(message::compose("S", "", op_kind::stage, "", "CHAIR", t)).procedure.stage,
      draft_stage::formal);
  // Unreadable values are left out, never guessed.
  const message::parts odd =
      message::parse("S\n\nOp: replace\nState: RUS\nProposal: x\nAdopted: maybe\nVote: 1-2\n");
  EXPECT_FALSE(odd.procedure.proposal);
  EXPECT_FALSE(odd.procedure.adopted);
  EXPECT_FALSE(odd.procedure.vote);
  EXPECT_EQ(message::compose_act("Vote no on proposal 2", "", "vote", 2, "EST", vote_choice::no),
            "Vote no on proposal 2\n\nAct: vote\nProposal: 2\nState: EST\nChoice: no\n");
}

TEST(procedure_format, draft_json_with_stage_and_sponsors) {
  std::vector<clause> clauses(1);
  clauses[0].id = "c1";
  const std::string json = draft_json::write("T", draft_stage::formal, {"CHN", "RUS"}, clauses);
  EXPECT_EQ(json,
            "{\n  \"title\": \"T\",\n  \"stage\": \"formal\",\n  \"sponsors\": [\"CHN\", "
            "\"RUS\"],\n  \"clauses\": [\n    {\"id\": \"c1\", \"kind\": \"operative\"}\n  ]\n}\n");
  auto parsed = draft_json::parse(json);
  ASSERT_OK(parsed);
  EXPECT_EQ(parsed->stage, draft_stage::formal);
  EXPECT_EQ(parsed->sponsors, (std::vector<std::string>{"CHN", "RUS"}));
  for (const char* bad : {R"({"title": "t", "stage": "final", "clauses": []})",
                          R"({"title": "t", "stage": 1, "clauses": []})",
                          R"({"title": "t", "sponsors": "RUS", "clauses": []})",
                          R"({"title": "t", "sponsors": ["rus"], "clauses": []})",
                          R"({"title": "t", "sponsors": ["RUS", "RUS"], "clauses": []})"}) {
    EXPECT_ERROR(draft_json::parse(bad), error_kind::io);
  }
}

TEST(procedure_format, records_round_trip_and_damage_is_refused) {
  proposal_record p;
  p.n = 3;
  p.by = {"RUS", "Russian \"Federation\""};
  p.op = op_kind::insert;
  p.after = "c2";
  p.kind = clause_kind::preamble;
  p.text = "Noting\nwith a line break — ü,";
  p.commit = std::string(40, 'a');
  p.status = proposal_status::adopted;
  p.supporters = {"CHN", "TJK"};
  p.vote = vote_record{vote_threshold::two_thirds_present, {"CHN"}, {"USA"}, {"FRA", "DEU"}};
  p.result = proposal_result{proposal_outcome::adopted, std::string(40, 'b')};
  const std::string json = write_record(p);
  auto back = parse_record(json);
  ASSERT_OK(back);
  EXPECT_EQ(write_record(*back), json);
  EXPECT_EQ(back->text, p.text);
  EXPECT_EQ(back->vote->abstain, p.vote->abstain);
  for (const char* bad : {
           "",
           "[]",
           "{}",
           R"({"n": 0})",
           R"({"n": 1, "by": {"state": "RUS", "name": "R"}, "op": "stage", "clause": null,
               "after": null, "kind": null, "text": null, "note": null, "base": null,
               "commit": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "status": "tabled",
               "supporters": [], "vote": null, "result": null})",
           R"({"n": 1, "by": {"state": "RUS", "name": "R"}, "op": "move", "clause": null,
               "after": null, "kind": null, "text": null, "note": null, "base": null,
               "commit": "nope", "status": "tabled",
               "supporters": [], "vote": null, "result": null})",
           R"({"n": 1, "by": {"state": "RUS", "name": "R"}, "op": "move", "clause": null,
               "after": null, "kind": null, "text": null, "note": null, "base": null,
               "commit": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "status": "pending",
               "supporters": [], "vote": null, "result": null})",
           R"({"n": 1, "by": {"state": "RUS", "name": "R"}, "op": "move", "clause": null,
               "after": null, "kind": null, "text": null, "note": null, "base": null,
               "commit": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "status": "tabled",
               "supporters": ["x"], "vote": null, "result": null})",
       }) {
    EXPECT_ERROR(parse_record(bad), error_kind::io);
  }
}

}  // namespace
}  // namespace plenary::storage::testing
