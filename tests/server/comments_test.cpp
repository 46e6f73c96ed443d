// Comments (docs/extensions.md, "Comments") over real WebSockets and HTTP: every message and
// its `thread` event, every refusal (nothing stored, nobody else told), the anchor of a span
// carried live across an amendment, the open threads after a welcome, and the branch
// `comments` read with plain git.
#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "fixtures.hpp"

namespace plenary::test {
namespace {

class CommentsTest : public served_draft_test {
 protected:
  void SetUp() override {
    serve();
    chair = connect(codes_.chair);
    fra = connect(codes_.delegations["FRA"]);
    usa = connect(codes_.delegations["USA"]);
  }
  // A comment on bytes [start, end) of the third clause ("To comply with the Charter of ...").
  std::string on_span(long id, int start, int end, const std::string& text = "\"Which Charter?\"") {
    return msg("comment", id,
               R"("clause":")" + clause_id + R"(","base":")" + clause_rev + R"(","start":)" +
                   std::to_string(start) + R"(,"end":)" + std::to_string(end) + R"(,"text":)" +
                   text);
  }
  std::string comment_count() {
    auto r = run_git(repo(), "rev-list --count comments", false);
    return r.status == 0 ? r.out : "none";
  }

  std::unique_ptr<ws_client> chair, fra, usa;
};

TEST_F(CommentsTest, ACommentOnASpanReachesEveryoneAndPlainGitReadsIt) {
  fra->send(on_span(1, 19, 26));
  auto mine = fra->expect("thread", 1);
  EXPECT_EQ(member(mine, "act"), "comment");
  const rapidjson::Value& t = mine["thread"];
  EXPECT_EQ(t["n"].GetInt(), 1);
  EXPECT_EQ(member(t["anchor"], "kind"), "span");
  EXPECT_EQ(member(t["anchor"], "quote"), "Charter");
  EXPECT_EQ(member(t["now"], "state"), "exact");
  EXPECT_EQ(t["now"]["start"].GetInt(), 19);
  EXPECT_EQ(member(t, "status"), "open");
  EXPECT_EQ(member(t["comments"][0]["by"], "state"), "FRA");
  EXPECT_EQ(member(t["comments"][0], "text"), "Which Charter?");
  EXPECT_EQ(member(mine["by"], "state"), "FRA");
  for (ws_client* other : {usa.get(), chair.get()}) {
    auto ev = next_of_type(*other, "thread", 5s);
    ASSERT_TRUE(ev);
    EXPECT_FALSE(ev->HasMember("id"));
    EXPECT_EQ(member(*ev, "commit"), member(mine, "commit"));
  }
  auto log = run_git(repo(), "log --format='%an|%s' comments", false);
  EXPECT_EQ(log.out, "France|Comment on operative clause 1: \"Charter\"\n");
  auto body = run_git(repo(), "log -1 --format=%b comments", false);
  EXPECT_NE(body.out.find("Which Charter?\n\nAct: comment\nThread: 1\nClause: " + clause_id),
            std::string::npos)
      << body.out;
  auto fsck = run_git(repo(), "fsck --strict --no-dangling");
  EXPECT_EQ(fsck.status, 0) << fsck.out;
  EXPECT_EQ(run_git(repo(), "rev-list --count main").out, "1\n") << "main does not move";
}

TEST_F(CommentsTest, RepliesAndOnlyTheAuthorOrTheChairResolveAndReopen) {
  fra->send(msg("comment", 1, R"("clause":")" + clause_id + R"(","text":"Too vague.")"));
  fra->expect("thread", 1);
  usa->send(msg("reply", 2, R"("thread":1,"text":"We disagree.")"));
  auto reply = usa->expect("thread", 2);
  EXPECT_EQ(member(reply, "act"), "reply");
  EXPECT_EQ(reply["thread"]["comments"].Size(), 2u);
  usa->send(msg("resolve_thread", 3, R"("thread":1)"));
  auto refused = usa->expect("error", 3);
  EXPECT_EQ(member(refused, "code"), "forbidden");
  EXPECT_NE(member(refused, "message").find("Only FRA"), std::string::npos);
  fra->send(msg("resolve_thread", 4, R"("thread":1)"));
  auto resolved = fra->expect("thread", 4);
  EXPECT_EQ(member(resolved["thread"], "status"), "resolved");
  EXPECT_EQ(member(resolved["thread"]["resolved_by"], "state"), "FRA");
  chair->send(msg("reopen_thread", 5, R"("thread":1)"));
  auto reopened = chair->expect("thread", 5);
  EXPECT_EQ(member(reopened, "act"), "reopen");
  EXPECT_EQ(member(reopened["thread"], "status"), "open");
  EXPECT_EQ(comment_count(), "4\n");
  auto authors = run_git(repo(), "log --reverse --format=%an%x20%ae comments", false);
  EXPECT_EQ(authors.out,
            "France fra@delegations.invalid\nUnited States usa@delegations.invalid\n"
            "France fra@delegations.invalid\nChair chair@delegations.invalid\n");
}

struct refusal {
  const char* name;
  std::string who;  // "FRA" or "observer"
  std::function<std::string()> frame;
  const char* code;
  const char* says;
};

TEST_F(CommentsTest, RefusalsAreExactStoreNothingAndTellNobodyElse) {
  // A bracket in the fourth clause to comment across, and thread 1 by FRA.
  const rapidjson::Value& c4 = welcome["draft"]["clauses"][3];
  chair->send(msg("amend", 1,
                  R"("op":"replace","clause":")" + member(c4, "id") + R"(","base":")" +
                      member(c4, "rev") +
                      R"(","text":"Not to use ⟦FRA: any ‖ USA: some⟧ means.")"));
  chair->expect("ack", 1);
  const std::string c4_rev = member(chair->expect("amended")["clause"], "rev");
  fra->send(on_span(2, 0, 2));
  fra->expect("thread", 2);
  usa->expect("thread");
  chair->expect("thread");
  const std::string c4_id = member(c4, "id");
  const std::string too_long = "\"" + std::string(2049, 'x') + "\"";
  std::unique_ptr<ws_client> observer = connect(codes_.observer);
  const refusal cases[] = {
      {"past the end of the text", "FRA", [&]() { return on_span(10, 80, 200); }, "bad_request",
       "past the end of the text"},
      {"across a bracket", "FRA",
       [&]() {
         return msg("comment", 11,
                    R"("clause":")" + c4_id + R"(","base":")" + c4_rev +
                        R"(","start":4,"end":16,"text":"Hm.")");
       },
       "bad_request", "crosses the edge of the bracket"},
      {"a base that is not a text of the clause", "FRA",
       [&]() {
         return msg("comment", 12,
                    R"("clause":")" + clause_id + R"(","base":")" + c4_rev +
                        R"(","start":0,"end":2,"text":"Hm.")");
       },
       "not_found", "is not a text of clause"},
      {"a clause that does not exist", "FRA",
       [&]() { return msg("comment", 13, R"("clause":"c99","text":"Hm.")"); }, "not_found",
       "no clause c99"},
      {"a proposal that does not exist", "FRA",
       [&]() { return msg("comment", 14, R"("proposal":4,"text":"Hm.")"); }, "not_found",
       "no proposal 4"},
      {"a reply to a thread that does not exist", "FRA",
       [&]() { return msg("reply", 15, R"("thread":9,"text":"Yes.")"); }, "not_found",
       "no thread 9"},
      {"resolving someone else's thread", "USA",
       [&]() { return msg("resolve_thread", 16, R"("thread":1)"); }, "forbidden", "Only FRA"},
      {"reopening an open thread", "FRA",
       [&]() { return msg("reopen_thread", 17, R"("thread":1)"); }, "conflict", "already open"},
      {"an observer", "observer",
       [&]() { return msg("reply", 18, R"("thread":1,"text":"Me too.")"); }, "forbidden",
       "Observers read the comments"},
      {"a blank text", "FRA", [&]() { return msg("reply", 19, R"("thread":1,"text":"  \n ")"); },
       "bad_request", "empty"},
      {"a text over 2,048 bytes", "FRA",
       [&]() { return msg("reply", 20, R"("thread":1,"text":)" + too_long); }, "bad_request",
       "2,048"},
      {"a start without an end", "FRA",
       [&]() {
         return msg("comment", 21,
                    R"("clause":")" + clause_id + R"(","base":")" + clause_rev +
                        R"(","start":3,"text":"Hm.")");
       },
       "bad_request", "`end`"},
      {"a thread number that is not one", "FRA",
       [&]() { return msg("resolve_thread", 22, R"("thread":"1")"); }, "bad_request", "`thread`"},
  };
  const std::string before = comment_count();
  for (const refusal& c : cases) {
    SCOPED_TRACE(c.name);
    ws_client& sender = c.who == "observer" ? *observer : c.who == "USA" ? *usa : *fra;
    const std::string frame = c.frame();
    sender.send(frame);
    auto err = sender.expect("error");
    EXPECT_EQ(member(err, "code"), c.code);
    EXPECT_NE(member(err, "message").find(c.says), std::string::npos) << member(err, "message");
    EXPECT_EQ(comment_count(), before);
  }
  EXPECT_FALSE(next_of_type(*chair, "thread", 300ms)) << "nobody else heard of any refusal";
}

TEST_F(CommentsTest, AnAmendmentElsewhereInTheClauseCarriesTheSpanLive) {
  fra->send(on_span(1, 19, 26));  // "Charter"
  fra->expect("thread", 1);
  usa->expect("thread");
  usa->send(msg(
      "amend", 2,
      R"("op":"replace","clause":")" + clause_id + R"(","base":")" + clause_rev +
          R"(","text":"To comply fully with the Charter of the United Nations and universally recognized norms.")"));
  usa->expect("ack", 2);
  auto moved = next_of_type(*fra, "thread", 5s);
  ASSERT_TRUE(moved);
  EXPECT_EQ(member(*moved, "act"), "anchor");
  EXPECT_FALSE(moved->HasMember("commit"));
  EXPECT_EQ(member((*moved)["thread"]["now"], "state"), "exact");
  EXPECT_EQ((*moved)["thread"]["now"]["start"].GetInt(), 25);
  EXPECT_EQ((*moved)["thread"]["now"]["end"].GetInt(), 32);
  EXPECT_EQ((*moved)["thread"]["anchor"]["start"].GetInt(), 19) << "as written";
  // Replacing the words themselves: the thread says so and stays on the clause.
  const std::string rev = member((*moved)["thread"]["now"], "rev");
  usa->send(msg(
      "amend", 3,
      R"("op":"replace","clause":")" + clause_id + R"(","base":")" + rev +
          R"(","text":"To comply fully with the Covenant of the United Nations and universally recognized norms.")"));
  usa->expect("ack", 3);
  auto gone = next_of_type(*fra, "thread", 5s);
  ASSERT_TRUE(gone);
  EXPECT_EQ(member((*gone)["thread"]["now"], "state"), "words_gone");
  EXPECT_TRUE((*gone)["thread"]["now"]["start"].IsNull());
}

TEST_F(CommentsTest, AJoiningMemberGetsTheOpenThreadsAfterItsWelcomeAlsoAfterARestart) {
  fra->send(on_span(1, 19, 26));
  fra->expect("thread", 1);
  fra->send(msg("comment", 2, R"("clause":")" + clause_id + R"(","text":"Second.")"));
  fra->expect("thread", 2);
  fra->send(msg("resolve_thread", 3, R"("thread":2)"));
  fra->expect("thread", 3);
  for (int round = 0; round < 2; ++round) {
    SCOPED_TRACE(round == 0 ? "running" : "restarted");
    auto late = std::make_unique<ws_client>(srv->port(), "/d/test-draft/ws");
    late->join(codes_.delegations["CHN"]);
    auto list = late->expect("threads");
    ASSERT_EQ(list["threads"].Size(), 1u) << "the open ones";
    EXPECT_EQ(member(list["threads"][0]["anchor"], "quote"), "Charter");
    ASSERT_EQ(list["resolved"].Size(), 1u) << "the resolved one, as what it is on";
    EXPECT_EQ(list["resolved"][0]["n"].GetInt(), 2);
    EXPECT_EQ(member(list["resolved"][0]["anchor"], "kind"), "clause");
    EXPECT_EQ(member(list["resolved"][0]["anchor"], "clause"), clause_id);
    EXPECT_FALSE(list["resolved"][0].HasMember("comments")) << "no comments: read with GET";
    late.reset();
    if (round == 0) {
      chair.reset();
      fra.reset();
      usa.reset();
      srv.reset();
      srv = std::make_unique<server>(data);
    }
  }
}

TEST_F(CommentsTest, TheHttpReadListsEveryThreadOrOneClauses) {
  fra->send(on_span(1, 19, 26));
  fra->expect("thread", 1);
  const rapidjson::Value& other = welcome["draft"]["clauses"][4];
  fra->send(msg("comment", 2, R"("clause":")" + member(other, "id") + R"(","text":"Fine.")"));
  fra->expect("thread", 2);
  auto all = http_get(srv->port(), "/api/drafts/test-draft/comments", codes_.observer);
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(parse_json(all.body)["threads"].Size(), 2u);
  auto one =
      http_get(srv->port(), "/api/drafts/test-draft/comments?clause=" + clause_id, codes_.observer);
  ASSERT_EQ(one.status, 200) << one.body;
  auto doc = parse_json(one.body);
  ASSERT_EQ(doc["threads"].Size(), 1u);
  EXPECT_EQ(member(doc["threads"][0]["anchor"], "clause"), clause_id);
  EXPECT_EQ(
      http_get(srv->port(), "/api/drafts/test-draft/comments?clause=C%203", codes_.observer).status,
      400);
  EXPECT_EQ(http_get(srv->port(), "/api/drafts/test-draft/comments").status, 401);
}

}  // namespace
}  // namespace plenary::test

namespace plenary::test {
namespace {

TEST_F(CommentsTest, TheCompilationExportWritesTheOpenThreadsAsNotes) {
  fra->send(on_span(1, 19, 26));
  fra->expect("thread", 1);
  usa->send(msg("reply", 2, R"("thread":1,"text":"The UN one.")"));
  usa->expect("thread", 2);
  fra->send(msg("comment", 3, R"("clause":")" + clause_id + R"(","text":"Settled.")"));
  fra->expect("thread", 3);
  fra->send(msg("resolve_thread", 4, R"("thread":2)"));
  fra->expect("thread", 4);
  const std::vector<std::string> base{"draft", "export", "test-draft", "--data", data.string()};
  auto with = [&](std::vector<std::string> more) {
    std::vector<std::string> args = base;
    args.insert(args.end(), more.begin(), more.end());
    return run_plenary(args);
  };
  auto md = with({"--format", "md", "--text", "compilation", "--comments"});
  ASSERT_EQ(md.status, 0) << md.err;
  EXPECT_NE(md.out.find("> *Note 1 (France, on \u201CCharter\u201D): Which Charter?*  \n"
                        "> *Reply by United States: The UN one.*\n"),
            std::string::npos)
      << md.out;
  EXPECT_EQ(md.out.find("Settled."), std::string::npos) << "resolved threads are not notes";
  auto html = with({"--format", "html", "--text", "compilation", "--comments"});
  ASSERT_EQ(html.status, 0) << html.err;
  EXPECT_NE(html.out.find("<aside class=\"note\" id=\"note-1\" dir=\"auto\">Note 1 (France, on "
                          "\u201CCharter\u201D): Which Charter?<br>\nReply by United States: The "
                          "UN one.</aside>"),
            std::string::npos)
      << html.out;
  // Akoma Ntoso: a <note> in <meta>, referred to from the end of its clause; in French too.
  auto akn = with({"--format", "akn", "--text", "compilation", "--comments", "--lang", "fr"});
  ASSERT_EQ(akn.status, 0) << akn.err;
  EXPECT_NE(akn.out.find("<note eId=\"note_1\" class=\"comment\" marker=\"1\">\n"
                         "          <p refersTo=\"#fra\">Note 1 (France, sur les mots "
                         "«\u00a0Charter\u00a0»)\u00a0: Which Charter?</p>\n"
                         "          <p refersTo=\"#usa\">Réponse (United States)\u00a0: The UN "
                         "one.</p>"),
            std::string::npos)
      << akn.out;
  // The thread is on words still there at the head: the reference follows them.
  EXPECT_NE(
      akn.out.find("the Charter<noteRef href=\"#note_1\" marker=\"1\" class=\"comment\"/> of"),
      std::string::npos)
      << akn.out;
  EXPECT_EQ(akn.out.find("Settled."), std::string::npos);
  auto plain = with({"--format", "md", "--text", "compilation"});
  EXPECT_EQ(plain.out.find("Note 1"), std::string::npos) << "only with --comments";
  for (auto refused : {std::vector<std::string>{"--format", "md", "--comments"},
                       std::vector<std::string>{"--format", "akn", "--comments"}}) {
    auto r = with(refused);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("--comments goes with --text compilation"), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace plenary::test

namespace plenary::test {
namespace {

// The last `n` comma-separated fields of the CSV row of `state` ("" when there is none).
std::string last_fields(const std::string& csv, const std::string& state, int n) {
  const auto at = csv.find("\r\n" + state + ",");
  if (at == std::string::npos) return "";
  std::string row = csv.substr(at + 2, csv.find("\r\n", at + 2) - at - 2);
  std::size_t cut = row.size();
  for (int i = 0; i < n && cut != std::string::npos; ++i) cut = row.rfind(',', cut - 1);
  return cut == std::string::npos ? "" : row.substr(cut + 1);
}

// `plenary draft debrief` counts each state's part in the discussion, the figures the branch
// `comments` holds (git log --author, by its `Act:` trailer): comments and replies written,
// threads opened, replies, threads resolved; in JSON (the CLI and the API), CSV and Markdown,
// and in the language asked for.
TEST_F(CommentsTest, TheDebriefCountsEachStatesCommentsInEveryFormat) {
  fra->send(on_span(1, 19, 26));
  fra->expect("thread", 1);
  usa->send(msg("reply", 2, R"("thread":1,"text":"The UN one.")"));
  usa->expect("thread", 2);
  fra->send(msg("comment", 3, R"("clause":")" + clause_id + R"(","text":"Settled.")"));
  fra->expect("thread", 3);
  fra->send(msg("resolve_thread", 4, R"("thread":2)"));
  fra->expect("thread", 4);
  chair->send(msg("resolve_thread", 5, R"("thread":1)"));
  chair->expect("thread", 5);
  // What git says, act by act.
  const auto acts = [&](const std::string& who, const std::string& act) {
    auto r = run_git(repo(),
                     "rev-list --count --author=" + who +
                         "@delegations.invalid --grep='^Act: " + act + "$' comments",
                     false);
    return r.out;
  };
  ASSERT_EQ(acts("fra", "comment"), "2\n");
  ASSERT_EQ(acts("fra", "reply"), "0\n");
  ASSERT_EQ(acts("fra", "resolve"), "1\n");
  ASSERT_EQ(acts("usa", "reply"), "1\n");
  ASSERT_EQ(acts("chair", "resolve"), "1\n");

  const std::vector<std::string> base{"draft", "debrief", "test-draft", "--data", data.string()};
  auto with = [&](std::vector<std::string> more) {
    std::vector<std::string> args = base;
    args.insert(args.end(), more.begin(), more.end());
    return run_plenary(args);
  };
  // CSV: the stable column ids without --lang; comments, threads opened, replies, resolved.
  auto csv = with({"--format", "csv"});
  ASSERT_EQ(csv.status, 0) << csv.err;
  EXPECT_TRUE(csv.out.starts_with("state,name,in_roster,replace,")) << csv.out;
  EXPECT_NE(
      csv.out.find(",words,words_percent,comments,threads_opened,replies,threads_resolved\r\n"),
      std::string::npos)
      << csv.out;
  EXPECT_EQ(last_fields(csv.out, "FRA", 4), "2,2,0,1") << csv.out;
  EXPECT_EQ(last_fields(csv.out, "USA", 4), "1,0,1,0") << csv.out;
  EXPECT_EQ(last_fields(csv.out, "CHAIR", 4), "0,0,0,1") << csv.out;
  EXPECT_NE(csv.out.find("\r\nFRA,France,yes,"), std::string::npos) << csv.out;
  // With --lang: the page's labels in that language, the same columns.
  auto csv_fr = with({"--format", "csv", "--lang", "fr"});
  ASSERT_EQ(csv_fr.status, 0) << csv_fr.err;
  EXPECT_TRUE(csv_fr.out.starts_with("État,Nom,Dans la liste,Remplacement,")) << csv_fr.out;
  EXPECT_NE(csv_fr.out.find(",Commentaires rédigés,Fils ouverts,Réponses,Fils clos\r\n"),
            std::string::npos)
      << csv_fr.out;
  EXPECT_NE(csv_fr.out.find("\r\nFRA,France,oui,"), std::string::npos) << csv_fr.out;
  EXPECT_EQ(last_fields(csv_fr.out, "FRA", 4), "2,2,0,1");
  // Markdown in Spanish and in Chinese.
  auto md = with({"--format", "md", "--lang", "es"});
  ASSERT_EQ(md.status, 0) << md.err;
  EXPECT_NE(md.out.find("## Delegaciones\n"), std::string::npos) << md.out;
  EXPECT_NE(md.out.find("| Comentarios escritos (Hilos abiertos/Respuestas/Hilos resueltos) |\n"),
            std::string::npos)
      << md.out;
  EXPECT_NE(md.out.find("| FRA | France | "), std::string::npos) << md.out;
  EXPECT_NE(md.out.find(" | 2 (2/0/1) |\n"), std::string::npos) << md.out;
  EXPECT_NE(md.out.find(" | 1 (0/1/0) |\n"), std::string::npos) << md.out;
  EXPECT_EQ(md.out.find("Delegations"), std::string::npos) << "no English heading";
  auto md_zh = with({"--format", "md", "--lang", "zh"});
  ASSERT_EQ(md_zh.status, 0) << md_zh.err;
  EXPECT_NE(md_zh.out.find("## 代表团\n"), std::string::npos) << md_zh.out;
  auto md_en = with({"--format", "md"});
  EXPECT_NE(md_en.out.find("## Delegations\n"), std::string::npos) << md_en.out;
  EXPECT_NE(md_en.out.find("| Proposals tabled/Adopted/Rejected/Withdrawn/Could not apply/Pending "
                           "| Supports given | Votes yes/Votes no/Abstentions |"),
            std::string::npos)
      << md_en.out;
  EXPECT_NE(md_en.out.find("| Comments written (Threads opened/Replies/Threads resolved) |\n"),
            std::string::npos)
      << md_en.out;
  // JSON: the same figures from the command line and from the API.
  auto json = with({"--format", "json"});
  ASSERT_EQ(json.status, 0) << json.err;
  auto api = http_get(srv->port(), "/api/drafts/test-draft/debrief", codes_.chair);
  ASSERT_EQ(api.status, 200) << api.body;
  for (const std::string& body : {json.out, api.body}) {
    auto doc = parse_json(body);
    std::map<std::string, std::vector<int>> figures;
    for (const auto& s : doc["states"].GetArray()) {
      figures[member(s, "state")] = {s["comments"].GetInt(), s["threads_opened"].GetInt(),
                                     s["replies"].GetInt(), s["threads_resolved"].GetInt()};
    }
    EXPECT_EQ(figures["FRA"], (std::vector<int>{2, 2, 0, 1}));
    EXPECT_EQ(figures["USA"], (std::vector<int>{1, 0, 1, 0}));
    EXPECT_EQ(figures["CHAIR"], (std::vector<int>{0, 0, 0, 1}));
  }
  // --lang is the export's: the same refusal naming the six.
  auto bad = with({"--format", "md", "--lang", "de"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("--lang `de` is not one of the six languages of the United Nations: "
                         "ar, zh, en, fr, ru, es"),
            std::string::npos)
      << bad.err;
}

}  // namespace
}  // namespace plenary::test
