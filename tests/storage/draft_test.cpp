// storage::draft: create, open and each amendment on its own.
#include "storage/draft.hpp"

#include <gtest/gtest.h>

#include "storage_fixture.hpp"

namespace plenary::storage::testing {
namespace {

class draft_test : public storage_test {};

TEST_F(draft_test, create_gives_ids_numbers_and_the_open_commit) {
  auto d = make();
  ASSERT_TRUE(d);
  const snapshot& s = d->head();
  EXPECT_EQ(s.title, "Code of conduct");
  EXPECT_EQ(ids(s), (std::vector<std::string>{"c1", "c2", "c3", "c4", "c5"}));
  EXPECT_EQ(s.clauses[0].kind, clause_kind::preamble);
  EXPECT_FALSE(s.clauses[0].number);
  EXPECT_FALSE(s.clauses[1].number);
  EXPECT_EQ(s.clauses[2].number, 1);
  EXPECT_EQ(s.clauses[4].number, 3);
  EXPECT_EQ(s.clauses[3].text, "Not to use networks for hostile acts;");
  for (const auto& c : s.clauses) {
    EXPECT_EQ(c.rev, s.head);
    EXPECT_EQ(c.by, "CHAIR");
  }
  auto log = d->log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].op, op_kind::open);
  EXPECT_EQ(log[0].commit, s.head);
  EXPECT_EQ(log[0].parent, "");
  EXPECT_EQ(log[0].by.state, "CHAIR");
  EXPECT_EQ(log[0].by.name, "Chair");
  EXPECT_EQ(log[0].at, t0);
  EXPECT_EQ(d->path(), repo_path());
}

TEST_F(draft_test, create_writes_readable_files) {
  auto d = make();
  ASSERT_TRUE(d);
  EXPECT_EQ(git(repo_path(), "show main:draft.json").out,
            "{\n"
            "  \"title\": \"Code of conduct\",\n"
            "  \"stage\": \"working\",\n"
            "  \"sponsors\": [],\n"
            "  \"clauses\": [\n"
            "    {\"id\": \"c1\", \"kind\": \"preamble\"},\n"
            "    {\"id\": \"c2\", \"kind\": \"heading\"},\n"
            "    {\"id\": \"c3\", \"kind\": \"operative\"},\n"
            "    {\"id\": \"c4\", \"kind\": \"operative\"},\n"
            "    {\"id\": \"c5\", \"kind\": \"operative\"}\n"
            "  ]\n"
            "}\n");
  EXPECT_EQ(git(repo_path(), "show main:clauses/c1.txt").out,
            "Recognizing the need for security,\n");
  EXPECT_EQ(git(repo_path(), "symbolic-ref HEAD").out, "refs/heads/main\n");
  EXPECT_EQ(git(repo_path(), "rev-parse --is-bare-repository").out, "true\n");
}

TEST_F(draft_test, create_refuses_an_existing_path_and_leaves_no_temporary_files) {
  ASSERT_TRUE(make());
  auto again = draft::create(repo_path(), small_spec(), chair, t0);
  EXPECT_ERROR(again, error_kind::exists);
  fs::create_directories(dir_ / "drafts" / "other.git");
  auto onto_dir = draft::create(dir_ / "drafts" / "other.git", small_spec(), chair, t0);
  EXPECT_ERROR(onto_dir, error_kind::exists);
  std::vector<std::string> entries;
  for (const auto& e : fs::directory_iterator(dir_ / "drafts")) {
    entries.push_back(e.path().filename().string());
  }
  std::sort(entries.begin(), entries.end());
  EXPECT_EQ(entries, (std::vector<std::string>{"other.git", "test.git"}));
}

TEST_F(draft_test, create_validates_before_writing_anything) {
  draft_spec no_title = small_spec();
  no_title.title = "  ";
  draft_spec no_clauses = small_spec();
  no_clauses.clauses.clear();
  draft_spec blank_text = small_spec();
  blank_text.clauses[2].text = "\n\t ";
  draft_spec control = small_spec();
  control.clauses[1].text = "bell\a";
  for (const draft_spec& spec : {no_title, no_clauses, blank_text, control}) {
    auto d = draft::create(repo_path(), spec, chair, t0);
    EXPECT_ERROR(d, error_kind::invalid);
  }
  auto bad_chair = draft::create(repo_path(), small_spec(), actor{"chair", "Chair"}, t0);
  EXPECT_ERROR(bad_chair, error_kind::invalid);
  EXPECT_FALSE(fs::exists(dir_ / "drafts"));
}

TEST_F(draft_test, open_of_a_missing_or_foreign_directory_fails_cleanly) {
  EXPECT_ERROR(draft::open(dir_ / "nothing.git"), error_kind::not_found);
  fs::create_directories(dir_ / "empty.git");
  auto empty = draft::open(dir_ / "empty.git");
  EXPECT_FALSE(empty.ok());
  // A git repository without main is not a draft.
  ASSERT_EQ(run("git init -q --bare " + sh_quote((dir_ / "bare.git").string())).status, 0);
  EXPECT_ERROR(draft::open(dir_ / "bare.git"), error_kind::io);
}

TEST_F(draft_test, replace_with_the_current_base_commits_the_text) {
  auto d = make();
  ASSERT_TRUE(d);
  const std::string base = d->head().clauses[3].rev;
  auto a = d->amend(replace_req(rus, "c4", base, "Not to use ICTs for hostile acts;", "Clearer."));
  ASSERT_OK(a);
  EXPECT_FALSE(a->merged);
  EXPECT_EQ(a->entry.op, op_kind::replace);
  EXPECT_EQ(a->entry.clause, "c4");
  EXPECT_EQ(a->entry.parent, base);
  EXPECT_EQ(a->entry.by.state, "RUS");
  EXPECT_EQ(a->entry.by.name, "Russian Federation");
  EXPECT_EQ(a->entry.note, "Clearer.");
  ASSERT_TRUE(a->after);
  EXPECT_EQ(a->after->text, "Not to use ICTs for hostile acts;");
  EXPECT_EQ(a->after->rev, a->entry.commit);
  EXPECT_EQ(a->after->by, "RUS");
  EXPECT_EQ(a->after->number, 2);
  EXPECT_EQ(a->order, ids(d->head()));
  EXPECT_EQ(d->head().head, a->entry.commit);
  EXPECT_EQ(find(d->head(), "c4")->text, "Not to use ICTs for hostile acts;");
  EXPECT_EQ(find(d->head(), "c3")->rev, base);  // untouched clauses keep their rev
  EXPECT_EQ(git(repo_path(), "show main:clauses/c4.txt").out,
            "Not to use ICTs for hostile acts;\n");
  EXPECT_EQ(git(repo_path(), "log -1 --format=%s main").out, "Replace operative clause 2\n");
}

TEST_F(draft_test, replace_with_the_same_text_is_refused) {
  auto d = make();
  ASSERT_TRUE(d);
  const snapshot before = d->head();
  auto a = d->amend(replace_req(rus, "c3", before.head, "To comply with the Charter;"));
  EXPECT_ERROR(a, error_kind::invalid);
  EXPECT_NE(a.err().message.find("already reads like this"), std::string::npos);
  EXPECT_EQ(d->head().head, before.head);
}

TEST_F(draft_test, insert_at_the_top_and_after_a_clause) {
  auto d = make();
  ASSERT_TRUE(d);
  auto top =
      d->amend(insert_req(fra, std::nullopt, clause_kind::preamble, "Noting the work done,"));
  ASSERT_OK(top);
  EXPECT_EQ(top->after->id, "c6");
  EXPECT_EQ(top->order.front(), "c6");
  EXPECT_EQ(top->entry.op, op_kind::insert);
  EXPECT_EQ(top->entry.clause, "c6");
  EXPECT_EQ(git(repo_path(), "log -1 --format=%s main").out, "Insert preambular paragraph 1\n");
  auto mid = d->amend(insert_req(chn, "c3", clause_kind::operative, "To respect sovereignty;"));
  ASSERT_OK(mid);
  EXPECT_EQ(mid->after->id, "c7");
  EXPECT_EQ(mid->after->number, 2);
  EXPECT_EQ(mid->after->rev, mid->entry.commit);
  EXPECT_EQ(mid->after->by, "CHN");
  EXPECT_EQ(ids(d->head()), (std::vector<std::string>{"c6", "c1", "c2", "c3", "c7", "c4", "c5"}));
  EXPECT_EQ(find(d->head(), "c4")->number, 3);
  EXPECT_EQ(git(repo_path(), "log -1 --format=%s main").out, "Insert operative clause 2\n");
  EXPECT_ERROR(d->amend(insert_req(chn, "c99", clause_kind::operative, "x")),
               error_kind::not_found);
}

TEST_F(draft_test, delete_removes_the_clause_and_its_file) {
  auto d = make();
  ASSERT_TRUE(d);
  auto a = d->amend(remove_req(fra, "c2", d->head().head));
  ASSERT_OK(a);
  EXPECT_FALSE(a->after);
  EXPECT_EQ(a->entry.op, op_kind::remove);
  EXPECT_EQ(a->order, (std::vector<std::string>{"c1", "c3", "c4", "c5"}));
  EXPECT_EQ(find(d->head(), "c2"), nullptr);
  EXPECT_EQ(git(repo_path(), "log -1 --format=%s main").out, "Delete heading\n");
  EXPECT_NE(git(repo_path(), "cat-file -e main:clauses/c2.txt 2>/dev/null").status, 0);
  // Gone now: changing or deleting it again is a conflict without a current clause.
  auto again = d->amend(remove_req(fra, "c2", a->entry.commit));
  EXPECT_ERROR(again, error_kind::conflict);
  EXPECT_FALSE(again.err().current);
}

TEST_F(draft_test, stale_delete_is_a_conflict_with_the_current_clause) {
  auto d = make();
  ASSERT_TRUE(d);
  const std::string old = d->head().head;
  ASSERT_OK(d->amend(replace_req(rus, "c5", old, "To cooperate against crime.")));
  const std::string head = d->head().head;
  auto stale = d->amend(remove_req(fra, "c5", old));
  EXPECT_ERROR(stale, error_kind::conflict);
  ASSERT_TRUE(stale.err().current);
  EXPECT_EQ(stale.err().current->text, "To cooperate against crime.");
  EXPECT_EQ(stale.err().current->rev, head);
  EXPECT_EQ(d->head().head, head);
}

TEST_F(draft_test, move_keeps_ids_and_renumbers) {
  auto d = make();
  ASSERT_TRUE(d);
  const std::string rev5 = find(d->head(), "c5")->rev;
  auto a = d->amend(move_req(rus, "c5", "c2"));
  ASSERT_OK(a);
  EXPECT_EQ(a->order, (std::vector<std::string>{"c1", "c2", "c5", "c3", "c4"}));
  EXPECT_EQ(a->after->id, "c5");
  EXPECT_EQ(a->after->number, 1);
  EXPECT_EQ(a->after->rev, rev5);  // a move does not change the text's rev
  EXPECT_EQ(a->after->text, "To cooperate in combating crime.");
  EXPECT_EQ(git(repo_path(), "log -1 --format=%s main").out, "Move operative clause 3 to 1\n");
  auto top = d->amend(move_req(rus, "c4", std::nullopt));
  ASSERT_OK(top);
  EXPECT_EQ(top->order.front(), "c4");
  EXPECT_EQ(find(d->head(), "c4")->number, 1);
  EXPECT_EQ(find(d->head(), "c5")->number, 2);
  EXPECT_EQ(find(d->head(), "c3")->number, 3);
  auto reopened = reopen();
  ASSERT_TRUE(reopened);
  EXPECT_EQ(ids(reopened->head()), (std::vector<std::string>{"c4", "c1", "c2", "c5", "c3"}));
}

TEST_F(draft_test, move_refusals) {
  auto d = make();
  ASSERT_TRUE(d);
  const std::string head = d->head().head;
  EXPECT_ERROR(d->amend(move_req(rus, "c3", "c3")), error_kind::invalid);
  EXPECT_ERROR(d->amend(move_req(rus, "c3", "c2")), error_kind::invalid);  // already there
  EXPECT_ERROR(d->amend(move_req(rus, "c1", std::nullopt)), error_kind::invalid);
  EXPECT_ERROR(d->amend(move_req(rus, "c42", "c2")), error_kind::not_found);
  EXPECT_ERROR(d->amend(move_req(rus, "c3", "c42")), error_kind::not_found);
  EXPECT_EQ(d->head().head, head);
  EXPECT_EQ(d->log().size(), 1u);
}

TEST_F(draft_test, new_ids_never_reuse_a_deleted_one) {
  auto d = make();
  ASSERT_TRUE(d);
  ASSERT_OK(d->amend(remove_req(fra, "c5", d->head().head)));
  auto a = d->amend(insert_req(fra, "c4", clause_kind::operative, "Replacement."));
  ASSERT_OK(a);
  EXPECT_EQ(a->after->id, "c6");
  ASSERT_OK(d->amend(remove_req(fra, "c6", d->head().head)));
  // The highest id ever used is gone from the head; reopening must still remember it.
  auto reopened = reopen();
  ASSERT_TRUE(reopened);
  auto b = reopened->amend(insert_req(fra, std::nullopt, clause_kind::heading, "Title"));
  ASSERT_OK(b);
  EXPECT_EQ(b->after->id, "c7");
}

TEST_F(draft_test, summaries_name_clauses_as_people_do) {
  auto d = make();
  ASSERT_TRUE(d);
  ASSERT_OK(d->amend(replace_req(rus, "c1", d->head().head, "Recognizing the need,")));
  ASSERT_OK(d->amend(replace_req(rus, "c2", d->head().head, "Each State:")));
  ASSERT_OK(d->amend(move_req(rus, "c1", "c2")));
  ASSERT_OK(d->amend(move_req(rus, "c3", "c4")));
  EXPECT_EQ(git(repo_path(), "log --format=%s main").out,
            "Move operative clause 1 to 2\n"
            "Move preambular paragraph 1 after heading\n"
            "Replace heading\n"
            "Replace preambular paragraph 1\n"
            "Open draft: Code of conduct\n");
}

TEST_F(draft_test, texts_in_many_scripts_round_trip) {
  draft_spec spec;
  spec.title = "Кодекс поведения — 行为准则";
  spec.clauses = {{clause_kind::preamble, "Признавая необходимость безопасности,"},
                  {clause_kind::operative, "各国承诺遵守《联合国宪章》。"},
                  {clause_kind::operative, "تتعهد كل دولة بالتعاون."},
                  {clause_kind::operative, "Cooperate 🤝 in good faith 🌍."}};
  auto d = make(spec);
  ASSERT_TRUE(d);
  ASSERT_OK(d->amend(
      replace_req(chn, "c2", d->head().head, "各国承诺遵守《联合国宪章》和国际法。", "补充说明")));
  ASSERT_OK(d->amend(replace_req(rus, "c1", d->head().head,
                                 "Признавая настоятельную необходимость безопасности,")));
  ASSERT_OK(d->amend(
      replace_req(fra, "c4", d->head().head, "Cooperate 🤝🏽 in good faith 🌍🌏.")));
  auto reopened = reopen();
  ASSERT_TRUE(reopened);
  EXPECT_EQ(reopened->head().title, "Кодекс поведения — 行为准则");
  EXPECT_EQ(find(reopened->head(), "c2")->text, "各国承诺遵守《联合国宪章》和国际法。");
  EXPECT_EQ(find(reopened->head(), "c3")->text, "تتعهد كل دولة بالتعاون.");
  EXPECT_EQ(find(reopened->head(), "c4")->text, "Cooperate 🤝🏽 in good faith 🌍🌏.");
  EXPECT_EQ(reopened->log()[2].note, "补充说明");
  EXPECT_EQ(git(repo_path(), "show main:clauses/c1.txt").out,
            "Признавая настоятельную необходимость безопасности,\n");
  for (const char* id : {"c1", "c2", "c4"}) {
    auto blame = reopened->blame(id);
    ASSERT_OK(blame);
    std::string joined;
    for (const auto& seg : *blame) joined += seg.text;
    EXPECT_EQ(joined, find(reopened->head(), id)->text);
  }
}

TEST_F(draft_test, reopening_gives_the_same_snapshot_log_and_history) {
  auto d = make();
  ASSERT_TRUE(d);
  ASSERT_OK(
      d->amend(replace_req(rus, "c3", d->head().head, "To comply with the UN Charter;", "n1")));
  ASSERT_OK(d->amend(insert_req(fra, "c3", clause_kind::operative, "To respect human rights;")));
  ASSERT_OK(d->amend(move_req(chn, "c5", std::nullopt)));
  ASSERT_OK(d->amend(remove_req(fra, "c2", find(d->head(), "c2")->rev)));
  ASSERT_OK(
      d->amend(replace_req(chn, "c6", find(d->head(), "c6")->rev, "To respect all human rights;")));
  auto r = reopen();
  ASSERT_TRUE(r);
  const snapshot& a = d->head();
  const snapshot& b = r->head();
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.head, b.head);
  ASSERT_EQ(a.clauses.size(), b.clauses.size());
  for (std::size_t i = 0; i < a.clauses.size(); ++i) {
    EXPECT_EQ(a.clauses[i].id, b.clauses[i].id);
    EXPECT_EQ(a.clauses[i].kind, b.clauses[i].kind);
    EXPECT_EQ(a.clauses[i].number, b.clauses[i].number);
    EXPECT_EQ(a.clauses[i].text, b.clauses[i].text);
    EXPECT_EQ(a.clauses[i].rev, b.clauses[i].rev);
    EXPECT_EQ(a.clauses[i].by, b.clauses[i].by);
  }
  auto la = d->log();
  auto lb = r->log();
  ASSERT_EQ(la.size(), lb.size());
  for (std::size_t i = 0; i < la.size(); ++i) {
    EXPECT_EQ(la[i].commit, lb[i].commit);
    EXPECT_EQ(la[i].parent, lb[i].parent);
    EXPECT_EQ(la[i].by.state, lb[i].by.state);
    EXPECT_EQ(la[i].by.name, lb[i].by.name);
    EXPECT_EQ(la[i].at, lb[i].at);
    EXPECT_EQ(la[i].op, lb[i].op);
    EXPECT_EQ(la[i].clause, lb[i].clause);
    EXPECT_EQ(la[i].note, lb[i].note);
  }
  for (const char* id : {"c1", "c2", "c3", "c5", "c6"}) {
    auto ha = d->history(id);
    auto hb = r->history(id);
    ASSERT_OK(ha);
    ASSERT_OK(hb);
    ASSERT_EQ(ha->size(), hb->size()) << id;
    for (std::size_t i = 0; i < ha->size(); ++i) {
      EXPECT_EQ((*ha)[i].entry.commit, (*hb)[i].entry.commit);
      EXPECT_EQ((*ha)[i].text, (*hb)[i].text);
    }
  }
  EXPECT_EQ(d->log(2).size(), 2u);
  EXPECT_EQ(d->log(2)[0].commit, a.head);
}

TEST_F(draft_test, works_with_fsync_on) {
  {
    // libgit2 setup is reference-counted: this turns fsync on for the block.
    library durable({.fsync = true});
    auto d = make();
    ASSERT_TRUE(d);
    ASSERT_OK(d->amend(replace_req(rus, "c3", d->head().head, "To comply with the UN Charter;")));
    std::vector<request> batch = {insert_req(fra, std::nullopt, clause_kind::heading, "Heading"),
                                  move_req(chn, "c5", std::nullopt)};
    for (auto& r : d->amend_all(batch)) ASSERT_OK(r);
  }
  library relaxed({.fsync = false});  // back to what tests/storage/main.cpp asked for
  auto d = reopen();
  ASSERT_TRUE(d);
  EXPECT_EQ(d->log().size(), 4u);
  EXPECT_EQ(git(repo_path(), "fsck --strict --no-dangling 2>&1").status, 0);
}

}  // namespace
}  // namespace plenary::storage::testing
