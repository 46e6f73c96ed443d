// procedure.md, "Versions", in storage: compare() as a pure function of two snapshots (inserts,
// deletions, moves, changes, renumbering, where removed clauses are placed), then through a
// draft (tags and commits resolved, unknown versions), and draft::versions() (every tag,
// `adopted` included, in order, the same after reopening, tags made with plain git).
#include "storage/versions.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "storage/draft.hpp"
#include "tests/storage/storage_fixture.hpp"

namespace plenary::storage::testing {
namespace {

using K = clause_kind;
using C = clause_change;

// A snapshot of the clauses {id, kind, text}, with the numbers a draft would give them.
snapshot snap(std::string head, std::vector<std::tuple<std::string, K, std::string>> clauses) {
  snapshot s;
  s.head = std::move(head);
  int next = 1;
  for (auto& [id, kind, text] : clauses) {
    clause c;
    c.id = id;
    c.kind = kind;
    c.text = text;
    if (kind == K::operative) c.number = next++;
    s.clauses.push_back(std::move(c));
  }
  return s;
}

// The comparison as "id:change" strings, in its order.
std::vector<std::string> summary(const comparison& cmp) {
  std::vector<std::string> out;
  for (const compared_clause& c : cmp.clauses) out.push_back(c.id + ":" + to_string(c.change));
  return out;
}

const compared_clause* entry(const comparison& cmp, std::string_view id) {
  for (const compared_clause& c : cmp.clauses) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

// Joining '=' and '-' gives the old text, '=' and '+' the new one.
std::string side(const std::vector<diff_piece>& diff, char keep) {
  std::string out;
  for (const diff_piece& p : diff) {
    if (p.op == '=' || p.op == keep) out += p.text;
  }
  return out;
}

// A diff as "op:text" strings, to compare with an expected one.
std::vector<std::string> pieces(const std::vector<diff_piece>& diff) {
  std::vector<std::string> out;
  for (const diff_piece& p : diff) out.push_back(std::string(1, p.op) + ":" + p.text);
  return out;
}

const std::string A = "Recognizing the need for security,";
const std::string B = "To comply with the Charter;";
const std::string Cx = "Not to use networks for hostile acts;";
const std::string D = "To cooperate in combating crime.";
const std::string E = "To respect human rights.";

snapshot base() {
  return snap("from", {{"p1", K::preamble, A},
                       {"c1", K::operative, B},
                       {"c2", K::operative, Cx},
                       {"c3", K::operative, D}});
}

// ---- compare: pure ------------------------------------------------------------------------

TEST(compare, the_same_version_is_all_same_with_one_equal_piece_each) {
  const snapshot s = base();
  const comparison cmp = compare(s, s);
  EXPECT_EQ(cmp.from, "from");
  EXPECT_EQ(cmp.to, "from");
  EXPECT_EQ(summary(cmp), (std::vector<std::string>{"p1:same", "c1:same", "c2:same", "c3:same"}));
  for (const compared_clause& c : cmp.clauses) {
    ASSERT_EQ(c.diff.size(), 1u);
    EXPECT_EQ(c.diff[0].op, '=');
    EXPECT_EQ(c.number_from, c.number_to);
  }
  EXPECT_EQ(entry(cmp, "p1")->number_from, std::nullopt);
  EXPECT_EQ(entry(cmp, "p1")->kind, K::preamble);
  EXPECT_EQ(entry(cmp, "c2")->number_from, 2);
}

TEST(compare, insert_delete_move_and_change_together) {
  // c3 moved to the top of the operative clauses, c2 deleted, c1 changed, c9 inserted at the end.
  const snapshot to = snap("to", {{"p1", K::preamble, A},
                                  {"c3", K::operative, D},
                                  {"c1", K::operative, "To comply fully with the Charter;"},
                                  {"c9", K::operative, E}});
  const comparison cmp = compare(base(), to);
  EXPECT_EQ(cmp.to, "to");
  EXPECT_EQ(summary(cmp), (std::vector<std::string>{"p1:same", "c3:moved", "c1:changed",
                                                    "c2:removed", "c9:added"}));
  const compared_clause& moved = *entry(cmp, "c3");
  EXPECT_EQ(moved.number_from, 3);
  EXPECT_EQ(moved.number_to, 1);
  const compared_clause& changed = *entry(cmp, "c1");
  EXPECT_EQ(changed.number_from, 1);
  EXPECT_EQ(changed.number_to, 2);
  EXPECT_EQ(side(changed.diff, '-'), B);
  EXPECT_EQ(side(changed.diff, '+'), "To comply fully with the Charter;");
  EXPECT_EQ(pieces(changed.diff),
            (std::vector<std::string>{"=:To comply ", "+:fully ", "=:with the Charter;"}));
  const compared_clause& removed = *entry(cmp, "c2");
  EXPECT_EQ(removed.number_from, 2);
  EXPECT_EQ(removed.number_to, std::nullopt);
  EXPECT_EQ(removed.kind, K::operative);
  EXPECT_EQ(pieces(removed.diff), (std::vector<std::string>{"-:" + Cx}));
  const compared_clause& added = *entry(cmp, "c9");
  EXPECT_EQ(added.number_from, std::nullopt);
  EXPECT_EQ(added.number_to, 3);
  EXPECT_EQ(pieces(added.diff), (std::vector<std::string>{"+:" + E}));
}

TEST(compare, a_move_and_a_change_of_one_clause_is_changed) {
  const snapshot to = snap("to", {{"p1", K::preamble, A},
                                  {"c1", K::operative, B},
                                  {"c3", K::operative, "To cooperate against crime."},
                                  {"c2", K::operative, Cx}});
  const comparison cmp = compare(base(), to);
  EXPECT_EQ(summary(cmp),
            (std::vector<std::string>{"p1:same", "c1:same", "c3:changed", "c2:same"}));
  EXPECT_EQ(entry(cmp, "c3")->number_from, 3);
  EXPECT_EQ(entry(cmp, "c3")->number_to, 2);
}

TEST(compare, renumbering_by_an_insert_or_a_delete_moves_nothing) {
  // A new first operative clause: every other number goes up by one, nothing moved.
  const snapshot inserted = snap("to", {{"p1", K::preamble, A},
                                        {"c9", K::operative, E},
                                        {"c1", K::operative, B},
                                        {"c2", K::operative, Cx},
                                        {"c3", K::operative, D}});
  const comparison up = compare(base(), inserted);
  EXPECT_EQ(summary(up),
            (std::vector<std::string>{"p1:same", "c9:added", "c1:same", "c2:same", "c3:same"}));
  EXPECT_EQ(entry(up, "c1")->number_from, 1);
  EXPECT_EQ(entry(up, "c1")->number_to, 2);
  EXPECT_EQ(entry(up, "c3")->number_from, 3);
  EXPECT_EQ(entry(up, "c3")->number_to, 4);
  // And back: the first one deleted, every number down by one.
  const comparison down = compare(inserted, base());
  EXPECT_EQ(summary(down),
            (std::vector<std::string>{"p1:same", "c9:removed", "c1:same", "c2:same", "c3:same"}));
  EXPECT_EQ(entry(down, "c9")->number_from, 1);
  EXPECT_EQ(entry(down, "c3")->number_to, 3);
}

TEST(compare, a_clause_moved_far_is_the_only_one_moved) {
  // c3 from the end to the very top: the others kept their relative order.
  const snapshot to = snap("to", {{"c3", K::operative, D},
                                  {"p1", K::preamble, A},
                                  {"c1", K::operative, B},
                                  {"c2", K::operative, Cx}});
  EXPECT_EQ(summary(compare(base(), to)),
            (std::vector<std::string>{"c3:moved", "p1:same", "c1:same", "c2:same"}));
  // And c1 from the top to the end.
  const snapshot down = snap("to", {{"p1", K::preamble, A},
                                    {"c2", K::operative, Cx},
                                    {"c3", K::operative, D},
                                    {"c1", K::operative, B}});
  EXPECT_EQ(summary(compare(base(), down)),
            (std::vector<std::string>{"p1:same", "c2:same", "c3:same", "c1:moved"}));
}

TEST(compare, two_neighbours_swapped_make_one_move) {
  const snapshot to = snap("to", {{"p1", K::preamble, A},
                                  {"c2", K::operative, Cx},
                                  {"c1", K::operative, B},
                                  {"c3", K::operative, D}});
  const comparison cmp = compare(base(), to);
  int moved = 0;
  for (const compared_clause& c : cmp.clauses) moved += c.change == C::moved ? 1 : 0;
  EXPECT_EQ(moved, 1);
  EXPECT_EQ(cmp.clauses.size(), 4u);
}

TEST(compare, two_neighbours_swapped_mark_the_clause_the_commits_moved) {
  const snapshot to = snap("to", {{"p1", K::preamble, A},
                                  {"c2", K::operative, Cx},
                                  {"c1", K::operative, B},
                                  {"c3", K::operative, D}});
  EXPECT_EQ(summary(compare(base(), to, {"c1"})),
            (std::vector<std::string>{"p1:same", "c2:same", "c1:moved", "c3:same"}));
  EXPECT_EQ(summary(compare(base(), to, {"c2"})),
            (std::vector<std::string>{"p1:same", "c2:moved", "c1:same", "c3:same"}));
  // A clause moved away and back again (named, but in its place) is the same.
  EXPECT_EQ(summary(compare(base(), base(), {"c2", "c2"})),
            (std::vector<std::string>{"p1:same", "c1:same", "c2:same", "c3:same"}));
  // A named id that is not there changes nothing.
  EXPECT_EQ(summary(compare(base(), to, {"c9"})), summary(compare(base(), to)));
}

TEST(compare, removed_clauses_stand_where_they_stood) {
  // The first clause removed: at the top. A run of two removed: together, in order, after the
  // clause before them, which kept its place.
  const snapshot from = snap("from", {{"p1", K::preamble, A},
                                      {"c1", K::operative, B},
                                      {"c2", K::operative, Cx},
                                      {"c3", K::operative, D},
                                      {"c4", K::operative, E},
                                      {"c5", K::operative, "Last."}});
  const snapshot to = snap(
      "to", {{"c1", K::operative, B}, {"c5", K::operative, "Last."}, {"c2", K::operative, Cx}});
  // Common ids: from c1 c2 c5, to c1 c5 c2; the longest common subsequence chosen is c1 c2,
  // so c5 moved and c2 kept its place: c3 and c4, which stood after c2, follow it.
  EXPECT_EQ(summary(compare(from, to)),
            (std::vector<std::string>{"p1:removed", "c1:same", "c5:moved", "c2:same", "c3:removed",
                                      "c4:removed"}));
}

TEST(compare, a_removed_clause_follows_its_anchor_not_a_clause_that_moved_away) {
  // c1 moves to the end, c2 (after it) is removed: c2 stays after p1, where it stood, not
  // after c1 at the end.
  const snapshot from = snap("from", {{"p1", K::preamble, A},
                                      {"c1", K::operative, B},
                                      {"c2", K::operative, Cx},
                                      {"c3", K::operative, D},
                                      {"c4", K::operative, E}});
  const snapshot to = snap("to", {{"p1", K::preamble, A},
                                  {"c3", K::operative, D},
                                  {"c4", K::operative, E},
                                  {"c1", K::operative, B}});
  EXPECT_EQ(summary(compare(from, to)),
            (std::vector<std::string>{"p1:same", "c2:removed", "c3:same", "c4:same", "c1:moved"}));
}

TEST(compare, a_replacement_reads_removed_then_added) {
  const snapshot to = snap("to", {{"p1", K::preamble, A},
                                  {"c1", K::operative, B},
                                  {"c9", K::operative, E},
                                  {"c3", K::operative, D}});
  EXPECT_EQ(summary(compare(base(), to)),
            (std::vector<std::string>{"p1:same", "c1:same", "c2:removed", "c9:added", "c3:same"}));
}

TEST(compare, everything_replaced_and_empty_sides) {
  const snapshot to = snap("to", {{"x1", K::heading, "Each State pledges:"}});
  EXPECT_EQ(summary(compare(base(), to)),
            (std::vector<std::string>{"p1:removed", "c1:removed", "c2:removed", "c3:removed",
                                      "x1:added"}));
  const snapshot empty = snap("none", {});
  EXPECT_EQ(summary(compare(empty, to)), (std::vector<std::string>{"x1:added"}));
  EXPECT_EQ(summary(compare(to, empty)), (std::vector<std::string>{"x1:removed"}));
  EXPECT_TRUE(compare(empty, empty).clauses.empty());
}

// ---- version_from_tag: pure ---------------------------------------------------------------

TEST(version_from_tag, reads_back_the_note_draft_tag_writes) {
  const version v =
      version_from_tag("rev.1", std::string(40, 'a'), "Chair", "chair@delegations.invalid", t0,
                       "Version rev.1\n\nAfter the first reading.\nTwo lines.\n");
  EXPECT_EQ(v.name, "rev.1");
  EXPECT_EQ(v.commit, std::string(40, 'a'));
  EXPECT_EQ(v.at, t0);
  EXPECT_EQ(v.note, "After the first reading.\nTwo lines.");
  ASSERT_TRUE(v.by);
  EXPECT_EQ(v.by->state, "CHAIR");
  EXPECT_EQ(v.by->name, "Chair");

  EXPECT_EQ(
      version_from_tag("L.3", "", "Chair", "chair@delegations.invalid", t0, "Version L.3\n").note,
      "");
  // Another summary line, or another name's: the whole message is the note.
  EXPECT_EQ(version_from_tag("adopted", "", "Chair", "chair@delegations.invalid", t0,
                             "The text as adopted.\n")
                .note,
            "The text as adopted.");
  EXPECT_EQ(version_from_tag("v2", "", "", "", t0, "Version v20\n").note, "Version v20");
  // A tagger that is not one of plenary's e-mails: no `by`.
  EXPECT_FALSE(version_from_tag("v2", "", "Someone", "someone@example.org", t0, "x\n").by);
}

// ---- through a draft ------------------------------------------------------------------------

class versions_test : public storage_test {};

TEST_F(versions_test, compare_a_tag_with_a_later_commit) {
  auto d = make();  // c1 preamble, c2 heading, c3..c5 operative 1..3
  ASSERT_TRUE(d);
  ASSERT_OK(d->tag("rev.1", chair, "First reading", t0 + 10));
  const std::string rev1 = d->head().head;
  const snapshot& s = d->head();
  ASSERT_OK(d->amend(replace_req(rus, "c3", find(s, "c3")->rev, "To comply with the UN Charter;")));
  ASSERT_OK(d->amend(insert_req(fra, "c5", clause_kind::operative, "To share information.")));
  ASSERT_OK(d->amend(remove_req(chn, "c4", d->head().clauses[3].rev)));
  ASSERT_OK(d->amend(move_req(rus, "c5", "c2")));  // c5 to the top of the operative clauses
  const std::string later = d->head().head;

  auto cmp = d->compare("rev.1", later);
  ASSERT_OK(cmp);
  EXPECT_EQ(cmp->from, rev1);
  EXPECT_EQ(cmp->to, later);
  // to: c1 c2 c5 c3 c6 ; from: c1 c2 c3 c4 c5 ; c4 removed after c3 (where it stood).
  EXPECT_EQ(summary(*cmp), (std::vector<std::string>{"c1:same", "c2:same", "c5:moved", "c3:changed",
                                                     "c4:removed", "c6:added"}));
  EXPECT_EQ(entry(*cmp, "c5")->number_from, 3);
  EXPECT_EQ(entry(*cmp, "c5")->number_to, 1);
  EXPECT_EQ(entry(*cmp, "c3")->number_from, 1);
  EXPECT_EQ(entry(*cmp, "c3")->number_to, 2);
  EXPECT_EQ(side(entry(*cmp, "c3")->diff, '+'), "To comply with the UN Charter;");
  EXPECT_EQ(entry(*cmp, "c4")->number_from, 2);
  EXPECT_EQ(entry(*cmp, "c6")->number_to, 3);
  EXPECT_EQ(entry(*cmp, "c1")->number_to, std::nullopt);
  EXPECT_EQ(entry(*cmp, "c2")->kind, clause_kind::heading);

  // A commit id, abbreviated, works as well as the tag; the head compared with itself is same.
  auto by_prefix = d->compare(rev1.substr(0, 10), later);
  ASSERT_OK(by_prefix);
  EXPECT_EQ(summary(*by_prefix), summary(*cmp));
  auto itself = d->compare(later, later);
  ASSERT_OK(itself);
  for (const compared_clause& c : itself->clauses) EXPECT_EQ(c.change, clause_change::same);
  EXPECT_EQ(itself->clauses.size(), 5u);
  auto tag_itself = d->compare("rev.1", "rev.1");
  ASSERT_OK(tag_itself);
  EXPECT_EQ(summary(*tag_itself),
            (std::vector<std::string>{"c1:same", "c2:same", "c3:same", "c4:same", "c5:same"}));
  // Backwards: what was added is removed.
  auto back = d->compare(later, "rev.1");
  ASSERT_OK(back);
  EXPECT_EQ(entry(*back, "c6")->change, clause_change::removed);
  EXPECT_EQ(entry(*back, "c4")->change, clause_change::added);
}

TEST_F(versions_test, a_swap_of_neighbours_marks_the_clause_that_was_moved) {
  auto d = make();  // c1 preamble, c2 heading, c3..c5 operative 1..3
  ASSERT_TRUE(d);
  ASSERT_OK(d->tag("rev.1", chair, "", t0 + 10));
  ASSERT_OK(d->amend(move_req(rus, "c4", "c2")));  // c4 up, above c3: c1 c2 c4 c3 c5
  ASSERT_OK(d->tag("rev.2", chair, "", t0 + 20));
  ASSERT_OK(d->amend(move_req(fra, "c4", "c3")));  // c4 down again, below c3: c1 c2 c3 c4 c5
  ASSERT_OK(d->tag("rev.3", chair, "", t0 + 30));
  // The same swap each time; the commits say which clause moved, first above, then below
  // its neighbour (the LCS alone would name the same side both times).
  auto up = d->compare("rev.1", "rev.2");
  ASSERT_OK(up);
  EXPECT_EQ(summary(*up),
            (std::vector<std::string>{"c1:same", "c2:same", "c4:moved", "c3:same", "c5:same"}));
  auto down = d->compare("rev.2", "rev.3");
  ASSERT_OK(down);
  EXPECT_EQ(summary(*down),
            (std::vector<std::string>{"c1:same", "c2:same", "c3:same", "c4:moved", "c5:same"}));
  auto backwards = d->compare("rev.2", "rev.1");
  ASSERT_OK(backwards);
  EXPECT_EQ(entry(*backwards, "c4")->change, clause_change::moved);
  EXPECT_EQ(entry(*backwards, "c3")->change, clause_change::same);
  // There and back: nothing moved.
  auto round = d->compare("rev.1", "rev.3");
  ASSERT_OK(round);
  for (const compared_clause& c : round->clauses) EXPECT_EQ(c.change, clause_change::same);
}

TEST_F(versions_test, a_swap_written_by_plain_git_falls_back_to_the_lcs) {
  auto d = make();
  ASSERT_TRUE(d);
  const std::string before = d->head().head;
  d.reset();
  // Someone swaps c3 and c4 in draft.json with plain git: a commit without trailers.
  ASSERT_EQ(commit_with_plain_git(repo_path(),
                                  "blob=$(git show main:draft.json | sed 's/\"c3\"/\"cX\"/; "
                                  "s/\"c4\"/\"c3\"/; s/\"cX\"/\"c4\"/' | git hash-object -w "
                                  "--stdin); git update-index --cacheinfo 100644,$blob,draft.json",
                                  "-m 'Reorder'"),
            0);
  auto again = reopen();
  ASSERT_TRUE(again);
  const std::string after = again->head().head;
  ASSERT_NE(after, before);
  std::vector<std::string> order;
  for (const clause& c : again->head().clauses) order.push_back(c.id);
  ASSERT_EQ(order, (std::vector<std::string>{"c1", "c2", "c4", "c3", "c5"}));
  auto cmp = again->compare(before, after);
  ASSERT_OK(cmp);
  int moved = 0;
  for (const compared_clause& c : cmp->clauses) moved += c.change == clause_change::moved ? 1 : 0;
  EXPECT_EQ(moved, 1);  // one of the two, as the LCS chooses
  EXPECT_EQ(cmp->clauses.size(), 5u);
}

TEST_F(versions_test, unknown_versions_are_not_found_and_nonsense_invalid) {
  auto d = make();
  ASSERT_TRUE(d);
  const std::string head = d->head().head;
  auto missing = d->compare("rev.9", head);
  EXPECT_ERROR(missing, error_kind::not_found);
  if (!missing.ok()) {
    EXPECT_NE(missing.err().message.find("rev.9"), std::string::npos);
  }
  EXPECT_ERROR(d->compare(head, "rev.9"), error_kind::not_found);
  EXPECT_ERROR(d->compare(head, std::string(40, 'f')), error_kind::not_found);
  EXPECT_ERROR(d->compare("../main", head), error_kind::invalid);
  EXPECT_ERROR(d->compare(head, ""), error_kind::invalid);
}

TEST_F(versions_test, versions_lists_every_tag_in_order_and_after_reopening) {
  auto d = make();
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->versions().empty());
  ASSERT_OK(d->tag("rev.1", chair, "After the first reading.", t0 + 100));
  const std::string first = d->head().head;
  ASSERT_OK(d->amend(replace_req(rus, "c3", find(d->head(), "c3")->rev, "New text;")));
  // Two at one time: by name. One made earlier in time, later in order of calls: first.
  ASSERT_OK(d->tag("rev.2", chair, "", t0 + 200));
  ASSERT_OK(d->tag("L.3", chair, "Line one\nline two", t0 + 200));
  ASSERT_OK(d->tag("early", chair, "", t0 + 50));
  const std::string second = d->head().head;
  request adopt{chair, {}, t0 + 300};
  adopt.change.op = op_kind::stage;
  adopt.change.stage = draft_stage::adopted;
  auto adopted = d->amend(adopt);
  ASSERT_OK(adopted);
  ASSERT_EQ(adopted->tag, "adopted");

  auto check = [&](const std::vector<version>& v) {
    ASSERT_EQ(v.size(), 5u);
    EXPECT_EQ(v[0].name, "early");
    EXPECT_EQ(v[0].commit, second);
    EXPECT_EQ(v[0].note, "");
    EXPECT_EQ(v[1].name, "rev.1");
    EXPECT_EQ(v[1].commit, first);
    EXPECT_EQ(v[1].at, t0 + 100);
    EXPECT_EQ(v[1].note, "After the first reading.");
    ASSERT_TRUE(v[1].by);
    EXPECT_EQ(v[1].by->state, "CHAIR");
    EXPECT_EQ(v[1].by->name, "Chair");
    EXPECT_EQ(v[2].name, "L.3");  // "L" < "r"
    EXPECT_EQ(v[2].note, "Line one\nline two");
    EXPECT_EQ(v[3].name, "rev.2");
    EXPECT_EQ(v[3].commit, second);
    EXPECT_EQ(v[4].name, "adopted");
    EXPECT_EQ(v[4].commit, adopted->entry.commit);
    EXPECT_EQ(v[4].at, t0 + 300);
    EXPECT_EQ(v[4].note, "The text as adopted.");
    ASSERT_TRUE(v[4].by);
    EXPECT_EQ(v[4].by->state, "CHAIR");
  };
  check(d->versions());
  const std::vector<version> in_memory = d->versions();
  d.reset();
  auto again = reopen();
  ASSERT_TRUE(again);
  check(again->versions());
  // What was kept in memory is exactly what the refs hold.
  ASSERT_EQ(again->versions().size(), in_memory.size());
  for (std::size_t i = 0; i < in_memory.size(); ++i) {
    const version& a = in_memory[i];
    const version& b = again->versions()[i];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.commit, b.commit);
    EXPECT_EQ(a.at, b.at);
    EXPECT_EQ(a.note, b.note);
    EXPECT_EQ(a.by.has_value(), b.by.has_value());
    if (a.by && b.by) {
      EXPECT_EQ(a.by->state, b.by->state);
      EXPECT_EQ(a.by->name, b.by->name);
    }
  }
  // A refused tag adds nothing.
  EXPECT_ERROR(again->tag("rev.1", chair, "", t0 + 400), error_kind::exists);
  EXPECT_EQ(again->versions().size(), 5u);
}

TEST_F(versions_test, tags_made_with_plain_git_show_after_reopening_when_they_are_versions) {
  auto d = make();
  ASSERT_TRUE(d);
  const std::string head = d->head().head;
  ASSERT_OK(d->tag("rev.1", chair, "", t0 + 10));
  d.reset();
  // A lightweight tag on main's head, an annotated one by someone else, a nested name.
  ASSERT_EQ(git(repo_path(), "tag light main").status, 0);
  ASSERT_EQ(git(repo_path(),
                "-c user.name=Clerk -c user.email=clerk@example.org "
                "tag -a -m 'By hand' manual main")
                .status,
            0);
  ASSERT_EQ(git(repo_path(), "tag nested/name main").status, 0);
  auto again = reopen();
  ASSERT_TRUE(again);
  std::vector<std::string> names;
  for (const version& v : again->versions()) names.push_back(v.name);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"light", "manual", "rev.1"}));
  for (const version& v : again->versions()) {
    EXPECT_EQ(v.commit, head);
    if (v.name == "light") {
      EXPECT_EQ(v.at, t0);  // the commit's time
      ASSERT_TRUE(v.by);
      EXPECT_EQ(v.by->state, "CHAIR");
      EXPECT_EQ(v.note, "");
    }
    if (v.name == "manual") {
      EXPECT_EQ(v.note, "By hand");
      EXPECT_FALSE(v.by);
    }
  }
  // Each listed version can be compared.
  for (const version& v : again->versions()) EXPECT_TRUE(again->compare(v.name, head).ok());
}

// Issue 21: a tag `main` shadowed the text in `git log main`, `procedure` the minutes, and a
// hex name the commits it abbreviates in compare and export. Such names are refused, saying
// why; a hex tag made by hand before is not listed, and its name reads as a commit prefix.
TEST_F(versions_test, names_git_reads_as_something_else_are_refused) {
  auto d = make();
  ASSERT_TRUE(d);
  struct refused_name {
    const char* name;
    const char* says;
  };
  for (const refused_name& c : {refused_name{"main", "reserved"},
                                {"MAIN", "reserved"},
                                {"procedure", "reserved"},
                                {"HEAD", "reserved"},
                                {"FETCH_HEAD", "reserved"},
                                {"proposals", "reserved"},
                                {"comments", "reserved"},
                                {"refs", "reserved"},
                                {"deadbee", "commit id"},
                                {"DEADBEEF00", "commit id"},
                                {"20110912", "commit id"}}) {
    auto made = d->tag(c.name, chair, "", t0 + 10);
    EXPECT_FALSE(made.ok()) << c.name;
    if (!made.ok()) {
      EXPECT_EQ(made.err().kind, error_kind::invalid) << c.name;
      EXPECT_NE(made.err().message.find(c.says), std::string::npos) << made.err().message;
      EXPECT_NE(made.err().message.find(std::string("`") + c.name + "`"), std::string::npos)
          << made.err().message;
    }
  }
  // Near misses are fine: six hex digits, hex with a letter past f, a dotted name.
  for (const char* fine : {"abc123", "rev.1", "mainline", "deadbeeg", "v20110912", "head.1"}) {
    EXPECT_TRUE(d->tag(fine, chair, "", t0 + 10).ok()) << fine;
  }
  EXPECT_EQ(d->versions().size(), 6u);
  EXPECT_NE(git(repo_path(), "rev-parse --verify -q refs/tags/main").status, 0);

  // A hex tag made with plain git on an older commit: the prefix still names the commit.
  const std::string first = d->head().head;
  const snapshot& s = d->head();
  ASSERT_OK(d->amend(replace_req(rus, "c3", find(s, "c3")->rev, "To comply with the UN Charter;")));
  const std::string later = d->head().head;
  d.reset();
  const std::string prefix = later.substr(0, 8);
  ASSERT_EQ(git(repo_path(), "tag " + prefix + " " + first).status, 0);
  auto again = reopen();
  ASSERT_TRUE(again);
  for (const version& v : again->versions()) EXPECT_NE(v.name, prefix);
  auto cmp = again->compare(prefix, later);
  ASSERT_OK(cmp);
  EXPECT_EQ(cmp->from, later);  // the commit, not the tag
}

// Issue 21: 5,400 distinct ideographs replaced by their reverse cost 73 ms of word diff per
// clause. Past words::diff_budget, compare shows the change whole and says so; an ordinary
// edit of the same long clause is still diffed word by word.
TEST_F(versions_test, a_diff_past_the_budget_is_shown_whole) {
  auto d = make();
  ASSERT_TRUE(d);
  const auto ideographs = [](std::size_t n, bool reversed) {
    std::string out;
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = reversed ? n - 1 - k : k;
      const char32_t cp = 0x4E00 + static_cast<char32_t>(i);
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return out;
  };
  const std::string forward = ideographs(5400, false);
  ASSERT_OK(d->amend(replace_req(rus, "c3", find(d->head(), "c3")->rev, forward)));
  const std::string before = d->head().head;
  ASSERT_OK(d->amend(replace_req(rus, "c3", find(d->head(), "c3")->rev, ideographs(5400, true))));
  const std::string reversed = d->head().head;
  ASSERT_OK(d->amend(replace_req(rus, "c3", find(d->head(), "c3")->rev, forward + "。")));
  const std::string edited = d->head().head;

  auto whole = d->compare(before, reversed);
  ASSERT_OK(whole);
  const compared_clause* c3 = entry(*whole, "c3");
  ASSERT_NE(c3, nullptr);
  EXPECT_TRUE(c3->whole);
  ASSERT_EQ(c3->diff.size(), 2u);
  EXPECT_EQ(c3->diff[0].op, '-');
  EXPECT_EQ(c3->diff[0].text, forward);
  EXPECT_EQ(c3->diff[1].op, '+');

  auto small = d->compare(before, edited);
  ASSERT_OK(small);
  EXPECT_FALSE(entry(*small, "c3")->whole);
  const auto& pieces = entry(*small, "c3")->diff;
  ASSERT_EQ(pieces.size(), 2u);
  EXPECT_EQ(pieces[0].op, '=');
  EXPECT_EQ(pieces[1].op, '+');
  EXPECT_EQ(pieces[1].text, "。");
}

}  // namespace
}  // namespace plenary::storage::testing
