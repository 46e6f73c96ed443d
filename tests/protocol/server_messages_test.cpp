// What the server sends, read back with RapidJSON field by field (protocol.md, "Server to
// client" and "HTTP").
#include <gtest/gtest.h>

#include <string>

#include "protocol/messages.hpp"
#include "tests/protocol/test_json.hpp"

namespace plenary::protocol {
namespace {

using namespace std::string_literals;
using testing::member;
using testing::read_json;
using testing::str;

const std::string commit_a(40, 'a');
const std::string commit_b(40, 'b');
// NUL, non-ASCII, quotes, backslash and a line break: all must survive a round trip.
const std::string tricky_text = "a\0b \"Ü\" — 日本 😀 \\ \n end"s;

clause operative_clause() {
  return clause{"c3", clause_kind::operative, 3, tricky_text, commit_a, "RUS"};
}

// Checks that `v` is the clause `c` as the contract writes it.
void expect_clause(const rapidjson::Value& v, const clause& c) {
  ASSERT_TRUE(v.IsObject());
  EXPECT_EQ(v.MemberCount(), 6u);
  EXPECT_EQ(str(v, "id"), c.id);
  EXPECT_EQ(str(v, "kind"), to_string(c.kind));
  const auto& number = member(v, "number");
  if (c.kind == clause_kind::operative && c.number) {
    ASSERT_TRUE(number.IsInt());
    EXPECT_EQ(number.GetInt(), *c.number);
  } else {
    EXPECT_TRUE(number.IsNull());
  }
  EXPECT_EQ(str(v, "text"), c.text);
  EXPECT_EQ(str(v, "rev"), c.rev);
  EXPECT_EQ(str(v, "by"), c.by);
}

// Checks the members every log entry has.
void expect_log_members(const rapidjson::Value& v, const log_entry& e) {
  EXPECT_EQ(str(v, "commit"), e.commit);
  EXPECT_EQ(str(member(v, "by"), "state"), e.by.state);
  EXPECT_EQ(str(member(v, "by"), "name"), e.by.name);
  EXPECT_EQ(str(v, "at"), format_time(e.at));
  EXPECT_EQ(str(v, "op"), e.op);
  if (e.clause.empty()) {
    EXPECT_TRUE(member(v, "clause").IsNull());
  } else {
    EXPECT_EQ(str(v, "clause"), e.clause);
  }
  if (e.note.empty()) {
    EXPECT_TRUE(member(v, "note").IsNull());
  } else {
    EXPECT_EQ(str(v, "note"), e.note);
  }
}

std::vector<history_entry> two_history_entries() {
  history_entry created{{commit_a, {"CHAIR", "Chair"}, 1795774500, "open", "c3", ""},
                        "Old text",
                        {{'+', "Old text"}}};
  history_entry deleted{
      {commit_b, {"RUS", "Russian Federation"}, 1795774560, "delete", "c3", "No longer needed"},
      std::nullopt,
      {{'-', "Old text"}}};
  return {created, deleted};
}

void expect_history_entries(const rapidjson::Value& entries) {
  const auto expected = two_history_entries();
  ASSERT_TRUE(entries.IsArray());
  ASSERT_EQ(entries.Size(), 2u);
  for (rapidjson::SizeType i = 0; i < 2; ++i) expect_log_members(entries[i], expected[i].entry);
  EXPECT_EQ(str(entries[0], "text"), "Old text");
  EXPECT_TRUE(member(entries[1], "text").IsNull());
  const auto& diff = member(entries[1], "diff");
  ASSERT_TRUE(diff.IsArray());
  ASSERT_EQ(diff.Size(), 1u);
  EXPECT_EQ(str(diff[0], "op"), "-");
  EXPECT_EQ(str(diff[0], "text"), "Old text");
  EXPECT_EQ(str(member(entries[0], "diff")[0], "op"), "+");
}

std::vector<blame_segment> two_segments() {
  return {{"To comply ", "CHAIR", commit_a}, {"fully\0 "s, "RUS", commit_b}};
}

void expect_segments(const rapidjson::Value& segments) {
  ASSERT_TRUE(segments.IsArray());
  ASSERT_EQ(segments.Size(), 2u);
  EXPECT_EQ(str(segments[0], "text"), "To comply ");
  EXPECT_EQ(str(segments[0], "state"), "CHAIR");
  EXPECT_EQ(str(segments[0], "commit"), commit_a);
  EXPECT_EQ(str(segments[1], "text"), "fully\0 "s);
  EXPECT_EQ(str(segments[1], "state"), "RUS");
}

// ---- replies carry the request's id ----------------------------------------------------------

TEST(ServerMessages, ErrorEchoesIdAsIntegerStringOrNotAtAll) {
  const auto with_int =
      read_json(error(std::int64_t{42}, error_code::bad_request, "`x` is missing."));
  EXPECT_EQ(str(with_int, "type"), "error");
  ASSERT_TRUE(member(with_int, "id").IsInt64());
  EXPECT_EQ(with_int["id"].GetInt64(), 42);
  EXPECT_EQ(str(with_int, "code"), "bad_request");
  EXPECT_EQ(str(with_int, "message"), "`x` is missing.");

  const auto with_max = read_json(error(INT64_MIN, error_code::internal, "m"));
  EXPECT_EQ(with_max["id"].GetInt64(), INT64_MIN);

  const auto with_string = read_json(error(std::string("r\0\"1"s), error_code::forbidden, "no"));
  EXPECT_EQ(str(with_string, "id"), "r\0\"1"s);
  EXPECT_EQ(str(with_string, "code"), "forbidden");

  const auto without = read_json(error({}, error_code::rate_limited, "slow down"));
  EXPECT_FALSE(without.HasMember("id"));
  EXPECT_EQ(str(without, "code"), "rate_limited");
}

TEST(ServerMessages, Ack) {
  const auto doc = read_json(ack(std::string("a-1"), commit_a, "c9", true));
  EXPECT_EQ(str(doc, "type"), "ack");
  EXPECT_EQ(str(doc, "id"), "a-1");
  EXPECT_EQ(str(doc, "commit"), commit_a);
  EXPECT_EQ(str(doc, "clause"), "c9");
  ASSERT_TRUE(member(doc, "merged").IsBool());
  EXPECT_TRUE(doc["merged"].GetBool());
  EXPECT_FALSE(read_json(ack({}, commit_a, "c9", false))["merged"].GetBool());
}

TEST(ServerMessages, Welcome) {
  draft_view draft{
      "code-of-conduct",
      "Code — Ü",
      commit_b,
      {clause{"c1", clause_kind::preamble, std::nullopt, "Recognizing", commit_a, "CHAIR"},
       operative_clause()}};
  std::vector<presence_entry> present{{"s1", "RUS", "Russian Federation", "delegation", "c3"},
                                      {"s2", "CHAIR", "Chair", "chair", std::nullopt}};
  const auto doc = read_json(
      welcome(std::int64_t{1}, {"RUS", "Russian Federation"}, "delegation", draft, present));
  EXPECT_EQ(str(doc, "type"), "welcome");
  EXPECT_EQ(doc["id"].GetInt64(), 1);
  const auto& you = member(doc, "you");
  EXPECT_EQ(str(you, "state"), "RUS");
  EXPECT_EQ(str(you, "name"), "Russian Federation");
  EXPECT_EQ(str(you, "role"), "delegation");
  const auto& d = member(doc, "draft");
  EXPECT_EQ(str(d, "slug"), "code-of-conduct");
  EXPECT_EQ(str(d, "title"), "Code — Ü");
  EXPECT_EQ(str(d, "head"), commit_b);
  ASSERT_EQ(member(d, "clauses").Size(), 2u);
  expect_clause(d["clauses"][0], draft.clauses[0]);
  expect_clause(d["clauses"][1], draft.clauses[1]);
  const auto& p = member(doc, "present");
  ASSERT_EQ(p.Size(), 2u);
  EXPECT_EQ(str(p[0], "session"), "s1");
  EXPECT_EQ(str(p[0], "role"), "delegation");
  EXPECT_EQ(str(p[0], "clause"), "c3");
  EXPECT_TRUE(member(p[1], "clause").IsNull());
}

TEST(ServerMessages, AmendedWithClause) {
  amended_event e{commit_b,           commit_a,  {"RUS", "Russian Federation"},
                  1795774500,         "replace", "Stronger wording",
                  operative_clause(), "",        {"c1", "c3", "c2"}};
  const auto doc = read_json(amended(e));
  EXPECT_EQ(str(doc, "type"), "amended");
  EXPECT_FALSE(doc.HasMember("id"));
  EXPECT_EQ(str(doc, "commit"), commit_b);
  EXPECT_EQ(str(doc, "parent"), commit_a);
  EXPECT_EQ(str(member(doc, "by"), "state"), "RUS");
  EXPECT_EQ(str(member(doc, "by"), "name"), "Russian Federation");
  EXPECT_EQ(str(doc, "at"), "2026-11-27T10:15:00Z");
  EXPECT_EQ(str(doc, "op"), "replace");
  EXPECT_EQ(str(doc, "note"), "Stronger wording");
  expect_clause(member(doc, "clause"), operative_clause());
  const auto& order = member(doc, "order");
  ASSERT_EQ(order.Size(), 3u);
  EXPECT_EQ(std::string(order[1].GetString()), "c3");
}

TEST(ServerMessages, AmendedDeleteWritesOnlyTheIdAndNullNote) {
  amended_event e{commit_b, commit_a, {"USA", "United States"}, 0, "delete", "", std::nullopt,
                  "c7",     {}};
  const auto doc = read_json(amended(e));
  EXPECT_TRUE(member(doc, "note").IsNull());
  const auto& c = member(doc, "clause");
  ASSERT_TRUE(c.IsObject());
  EXPECT_EQ(c.MemberCount(), 1u);
  EXPECT_EQ(str(c, "id"), "c7");
  EXPECT_TRUE(member(doc, "order").IsArray());
  EXPECT_EQ(doc["order"].Size(), 0u);
  EXPECT_EQ(str(doc, "at"), "1970-01-01T00:00:00Z");
}

TEST(ServerMessages, Presence) {
  const auto doc = read_json(presence({{"s9", "GBR", "United Kingdom", "observer", std::nullopt}}));
  EXPECT_EQ(str(doc, "type"), "presence");
  ASSERT_EQ(member(doc, "present").Size(), 1u);
  const auto& p = doc["present"][0];
  EXPECT_EQ(str(p, "session"), "s9");
  EXPECT_EQ(str(p, "state"), "GBR");
  EXPECT_EQ(str(p, "name"), "United Kingdom");
  EXPECT_EQ(str(p, "role"), "observer");
  EXPECT_TRUE(member(p, "clause").IsNull());
  EXPECT_EQ(member(read_json(presence({})), "present").Size(), 0u);
}

TEST(ServerMessages, ConflictCarriesCurrentClauseOrNull) {
  const auto with = read_json(conflict(std::int64_t{5}, "Clause 3 changed.", operative_clause()));
  EXPECT_EQ(str(with, "type"), "error");
  EXPECT_EQ(with["id"].GetInt64(), 5);
  EXPECT_EQ(str(with, "code"), "conflict");
  EXPECT_EQ(str(with, "message"), "Clause 3 changed.");
  expect_clause(member(with, "current"), operative_clause());
  const auto gone = read_json(conflict({}, "Clause 3 was deleted.", std::nullopt));
  EXPECT_TRUE(member(gone, "current").IsNull());
  EXPECT_FALSE(gone.HasMember("id"));
  // A plain error has no `current`.
  EXPECT_FALSE(read_json(error({}, error_code::conflict, "x")).HasMember("current"));
}

TEST(ServerMessages, HistoryOverWebSocketAndHttp) {
  const auto ws = read_json(history(std::string("h"), "c3", two_history_entries()));
  EXPECT_EQ(str(ws, "type"), "history");
  EXPECT_EQ(str(ws, "id"), "h");
  EXPECT_EQ(str(ws, "clause"), "c3");
  expect_history_entries(member(ws, "entries"));
  const auto http = read_json(history_json("c3", two_history_entries()));
  EXPECT_FALSE(http.HasMember("type"));
  EXPECT_FALSE(http.HasMember("id"));
  EXPECT_EQ(str(http, "clause"), "c3");
  expect_history_entries(member(http, "entries"));
}

TEST(ServerMessages, BlameOverWebSocketAndHttp) {
  const auto ws = read_json(blame(std::int64_t{3}, "c3", two_segments()));
  EXPECT_EQ(str(ws, "type"), "blame");
  EXPECT_EQ(str(ws, "clause"), "c3");
  expect_segments(member(ws, "segments"));
  const auto http = read_json(blame_json("c3", two_segments()));
  EXPECT_FALSE(http.HasMember("type"));
  expect_segments(member(http, "segments"));
}

TEST(HttpBodies, Draft) {
  // A number on a non-operative clause is not written.
  clause heading{"h1", clause_kind::heading, 4, "Each State pledges:", commit_a, "CHAIR"};
  const auto doc = read_json(draft_json({"d", "T", commit_a, {heading, operative_clause()}}));
  EXPECT_EQ(doc.MemberCount(), 6u);
  EXPECT_EQ(str(doc, "slug"), "d");
  EXPECT_EQ(str(doc, "stage"), "working");
  EXPECT_TRUE(member(doc, "sponsors").IsArray());
  EXPECT_EQ(member(doc, "sponsors").Size(), 0u);
  EXPECT_EQ(str(doc, "title"), "T");
  EXPECT_EQ(str(doc, "head"), commit_a);
  expect_clause(member(doc, "clauses")[0], heading);
  EXPECT_TRUE(doc["clauses"][0]["number"].IsNull());
  expect_clause(doc["clauses"][1], operative_clause());
}

TEST(HttpBodies, LogWritesEmptyClauseAndNoteAsNull) {
  const std::vector<log_entry> entries{
      {commit_b, {"RUS", "Russian Federation"}, 1709251199, "move", "c2", "Reorder"},
      {commit_a, {"CHAIR", "Chair"}, 1795774500, "open", "", ""}};
  const auto doc = read_json(log_json(entries));
  const auto& e = member(doc, "entries");
  ASSERT_EQ(e.Size(), 2u);
  for (rapidjson::SizeType i = 0; i < 2; ++i) {
    EXPECT_EQ(e[i].MemberCount(), 6u);
    expect_log_members(e[i], entries[i]);
  }
  EXPECT_EQ(str(e[0], "at"), "2024-02-29T23:59:59Z");
  EXPECT_EQ(member(read_json(log_json({})), "entries").Size(), 0u);
}

TEST(HttpBodies, Error) {
  const auto doc = read_json(http_error_json(error_code::not_found, "No draft `x`."));
  EXPECT_EQ(doc.MemberCount(), 1u);
  EXPECT_EQ(str(member(doc, "error"), "code"), "not_found");
  EXPECT_EQ(str(doc["error"], "message"), "No draft `x`.");
}

TEST(ServerMessages, IllFormedUtf8IsRepairedNotWritten) {
  const std::string out = error({}, error_code::internal, "bad \xff\xc0 bytes");
  const auto doc = read_json(out);  // parses with encoding validation
  EXPECT_EQ(str(doc, "message"), "bad \uFFFD\uFFFD bytes");
}

TEST(ServerMessages, NulIsEscapedNotATerminator) {
  const std::string out = error({}, error_code::internal, "a\0b"s);
  EXPECT_NE(out.find(R"("a\u0000b")"), std::string::npos) << out;
  EXPECT_EQ(out.find('\0'), std::string::npos);
}

// ---- vocabulary ------------------------------------------------------------------------------

TEST(Vocabulary, ErrorCodesAndHttpStatuses) {
  const struct {
    error_code code;
    const char* name;
    int status;
  } table[] = {{error_code::bad_request, "bad_request", 400},
               {error_code::unauthorized, "unauthorized", 401},
               {error_code::forbidden, "forbidden", 403},
               {error_code::not_found, "not_found", 404},
               {error_code::conflict, "conflict", 409},
               {error_code::too_large, "too_large", 413},
               {error_code::rate_limited, "rate_limited", 429},
               {error_code::internal, "internal", 500}};
  for (const auto& row : table) {
    EXPECT_STREQ(to_string(row.code), row.name);
    EXPECT_EQ(http_status(row.code), row.status) << row.name;
  }
}

TEST(Vocabulary, ClauseKinds) {
  EXPECT_STREQ(to_string(clause_kind::heading), "heading");
  EXPECT_STREQ(to_string(clause_kind::preamble), "preamble");
  EXPECT_STREQ(to_string(clause_kind::operative), "operative");
}

TEST(Vocabulary, FormatTimeIsRfc3339Utc) {
  const struct {
    std::int64_t seconds;
    const char* text;
  } table[] = {{0, "1970-01-01T00:00:00Z"},           {1795774500, "2026-11-27T10:15:00Z"},
               {1709251199, "2024-02-29T23:59:59Z"},  {-1, "1969-12-31T23:59:59Z"},
               {-2203891200, "1900-03-01T00:00:00Z"}, {253402300799, "9999-12-31T23:59:59Z"},
               {INT64_MAX, "9999-12-31T23:59:59Z"},   // clamped
               {INT64_MIN, "0000-01-01T00:00:00Z"}};  // clamped
  for (const auto& row : table) EXPECT_EQ(format_time(row.seconds), row.text) << row.seconds;
}

}  // namespace
}  // namespace plenary::protocol
