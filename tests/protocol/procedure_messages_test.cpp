// procedure.md on the wire: the new client messages (each field validated, each malformed
// variant refused naming the field) and the new server messages and HTTP bodies, read back.
#include <gtest/gtest.h>

#include <string>

#include "protocol/messages.hpp"
#include "tests/protocol/test_json.hpp"

namespace plenary::protocol {
namespace {

using testing::message_of;

using namespace std::string_literals;
using testing::member;
using testing::read_json;
using testing::str;

const std::string rev(40, 'a');
const std::string commit_b(40, 'b');

// ---- malformed frames ------------------------------------------------------------------------

struct malformed {
  const char* name;
  std::string frame;
  std::string message;  // the exact error
};

class ProcedureMalformed : public ::testing::TestWithParam<malformed> {};

TEST_P(ProcedureMalformed, IsRefusedNamingTheField) {
  const malformed& c = GetParam();
  const parse_result r = parse_client_message(c.frame);
  const auto* f = std::get_if<parse_failure>(&r);
  ASSERT_NE(f, nullptr) << "accepted: " << c.frame.substr(0, 200);
  EXPECT_EQ(f->code, error_code::bad_request);
  EXPECT_EQ(f->message, c.message);
  EXPECT_EQ(f->id, message_id{std::int64_t{9}});  // the id still travels with the error
}

std::string with_id(const std::string& body) { return R"({"id":9,)" + body.substr(1); }

std::string sponsors_list(std::size_t n) {
  std::string out = "[";
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) out += ",";
    out += "\"S" + std::to_string(100 + i) + "\"";
  }
  return out + "]";
}

const std::string not_a_proposal_number =
    "`proposal` must be a proposal number (an integer from 1 to 2,147,483,647), not ";

INSTANTIATE_TEST_SUITE_P(
    Frames, ProcedureMalformed,
    ::testing::Values(
        // -- stage --
        malformed{"StageMissing", with_id(R"({"type":"stage"})"), "`stage` is missing."},
        malformed{"StageUnknown", with_id(R"({"type":"stage","stage":"final"})"),
                  "`stage` is `final`; expected one of working, formal, adopted."},
        malformed{"StageNumber", with_id(R"({"type":"stage","stage":2})"),
                  "`stage` must be a string, not a number."},
        malformed{"StageCase", with_id(R"({"type":"stage","stage":"Formal"})"),
                  "`stage` is `Formal`; expected one of working, formal, adopted."},
        // -- sponsors --
        malformed{"SponsorsMissing", with_id(R"({"type":"sponsors"})"), "`sponsors` is missing."},
        malformed{"SponsorsNull", with_id(R"({"type":"sponsors","sponsors":null})"),
                  "`sponsors` must be an array, not null."},
        malformed{"SponsorsString", with_id(R"({"type":"sponsors","sponsors":"RUS"})"),
                  "`sponsors` must be an array, not a string."},
        malformed{"SponsorLowerCase", with_id(R"({"type":"sponsors","sponsors":["RUS","fra"]})"),
                  "`sponsors[1]` must be a state code (2 to 8 of A-Z and 0-9)."},
        malformed{"SponsorNumber", with_id(R"({"type":"sponsors","sponsors":[7]})"),
                  "`sponsors[0]` must be a state code, not a number."},
        malformed{"SponsorChair", with_id(R"({"type":"sponsors","sponsors":["CHAIR"]})"),
                  "`sponsors[0]` is the chair's code; the chair sponsors nothing."},
        malformed{"SponsorTwice", with_id(R"({"type":"sponsors","sponsors":["RUS","CHN","RUS"]})"),
                  "`sponsors[2]` `RUS` is listed twice."},
        malformed{"SponsorTooLong", with_id(R"({"type":"sponsors","sponsors":["ABCDEFGHI"]})"),
                  "`sponsors[0]` must be a state code (2 to 8 of A-Z and 0-9)."},
        malformed{"SponsorsTooMany",
                  with_id(R"({"type":"sponsors","sponsors":)" + sponsors_list(257) + "}"),
                  "`sponsors` lists 257 states; the limit is 256."},
        // -- propose: op and the fields of each op, as amend --
        malformed{"ProposeWithoutOp", with_id(R"({"type":"propose","clause":"c1"})"),
                  "`op` is missing."},
        malformed{"ProposeUnknownOp", with_id(R"({"type":"propose","op":"stage"})"),
                  "`op` is `stage`; expected one of replace, insert, delete, move, resolve, "
                  "bracket."},
        malformed{"ProposeBracketWithoutEnd",
                  with_id(R"({"type":"propose","op":"bracket","clause":"c1","base":")" + rev +
                          R"(","start":0,"text":"x"})"),
                  "`end` is missing."},
        malformed{"RestartVoteMissing", with_id(R"({"type":"restart_vote"})"),
                  "`proposal` is missing."},
        malformed{"ProposeResolveWithoutChoose",
                  with_id(R"({"type":"propose","op":"resolve","clause":"c1","bracket":0})"),
                  "`choose` is missing."},
        malformed{"ProposeReplaceWithoutBase",
                  with_id(R"({"type":"propose","op":"replace","clause":"c1","text":"t"})"),
                  "`base` is missing."},
        malformed{
            "ProposeReplaceBadBase",
            with_id(R"({"type":"propose","op":"replace","clause":"c1","base":"HEAD","text":"t"})"),
            "`base` must be a commit id (40 lower-case hex digits)."},
        malformed{"ProposeReplaceBlankText",
                  with_id(R"({"type":"propose","op":"replace","clause":"c1","base":")" + rev +
                          R"(","text":"  "})"),
                  "`text` is blank (only white space)."},
        malformed{"ProposeInsertWithoutAfter",
                  with_id(R"({"type":"propose","op":"insert","kind":"preamble","text":"t"})"),
                  "`after` is missing."},
        malformed{"ProposeInsertBadKind",
                  with_id(R"({"type":"propose","op":"insert","after":null,"kind":"x","text":"t"})"),
                  "`kind` is `x`; expected one of heading, preamble, operative."},
        malformed{
            "ProposeDeleteBadClause",
            with_id(R"({"type":"propose","op":"delete","clause":"../x","base":")" + rev + "\"}"),
            "`clause` must be a clause id (1 to 32 of a-z, 0-9 and -)."},
        malformed{"ProposeMoveAfterItself",
                  with_id(R"({"type":"propose","op":"move","clause":"c2","after":"c2"})"),
                  "`after` must not be the clause being moved (`clause`)."},
        malformed{"ProposeNoteTooLong",
                  with_id(R"({"type":"propose","op":"move","clause":"c2","after":null,"note":")" +
                          std::string(2049, 'n') + "\"}"),
                  "`note` is 2,049 bytes; the limit is 2,048."},
        malformed{
            "ProposeNoteControl",
            with_id(
                R"({"type":"propose","op":"move","clause":"c2","after":null,"note":"a\u001bb"})"),
            "`note` contains a control character (U+001B) at byte 1; only line breaks "
            "and tabs are allowed."},
        // -- proposal numbers (support, withdraw, open_vote, vote, close_vote) --
        malformed{"SupportMissing", with_id(R"({"type":"support"})"), "`proposal` is missing."},
        malformed{"SupportString", with_id(R"({"type":"support","proposal":"1"})"),
                  not_a_proposal_number + "a string."},
        malformed{"SupportNull", with_id(R"({"type":"support","proposal":null})"),
                  not_a_proposal_number + "null."},
        malformed{"SupportFraction", with_id(R"({"type":"support","proposal":1.5})"),
                  not_a_proposal_number + "a number with a fraction or exponent."},
        malformed{"SupportExponent", with_id(R"({"type":"support","proposal":1e2})"),
                  not_a_proposal_number + "a number with a fraction or exponent."},
        malformed{"SupportZero", with_id(R"({"type":"support","proposal":0})"),
                  "`proposal` is 0; it must be an integer from 1 to 2,147,483,647."},
        malformed{"SupportNegative", with_id(R"({"type":"support","proposal":-3})"),
                  "`proposal` is -3; it must be an integer from 1 to 2,147,483,647."},
        malformed{"SupportTooBig", with_id(R"({"type":"support","proposal":2147483648})"),
                  "`proposal` is 2147483648; it must be an integer from 1 to 2,147,483,647."},
        malformed{"SupportBeyondInt64",
                  with_id(R"({"type":"support","proposal":18446744073709551615})"),
                  not_a_proposal_number + "an integer outside the 64-bit range."},
        malformed{"SupportTwice", with_id(R"({"type":"support","proposal":1,"proposal":2})"),
                  "`proposal` appears more than once."},
        malformed{"WithdrawArray", with_id(R"({"type":"withdraw","proposal":[1]})"),
                  not_a_proposal_number + "an array."},
        malformed{"CloseVoteMissing", with_id(R"({"type":"close_vote"})"),
                  "`proposal` is missing."},
        // -- open_vote --
        malformed{"OpenVoteWithoutThreshold", with_id(R"({"type":"open_vote","proposal":1})"),
                  "`threshold` is missing."},
        malformed{"OpenVoteBadThreshold",
                  with_id(R"({"type":"open_vote","proposal":1,"threshold":"majority"})"),
                  "`threshold` is `majority`; expected one of simple, two-thirds, "
                  "two-thirds-present."},
        malformed{"OpenVoteThresholdUnderscore",
                  with_id(R"({"type":"open_vote","proposal":1,"threshold":"two_thirds"})"),
                  "`threshold` is `two_thirds`; expected one of simple, two-thirds, "
                  "two-thirds-present."},
        malformed{"OpenVoteWithoutProposal",
                  with_id(R"({"type":"open_vote","threshold":"simple"})"),
                  "`proposal` is missing."},
        // -- vote --
        malformed{"VoteWithoutChoice", with_id(R"({"type":"vote","proposal":1})"),
                  "`choice` is missing."},
        malformed{"VoteBadChoice", with_id(R"({"type":"vote","proposal":1,"choice":"maybe"})"),
                  "`choice` is `maybe`; expected one of yes, no, abstain."},
        malformed{"VoteChoiceBool", with_id(R"({"type":"vote","proposal":1,"choice":true})"),
                  "`choice` must be a string, not a boolean."},
        // -- tag --
        malformed{"TagWithoutName", with_id(R"({"type":"tag"})"), "`name` is missing."},
        malformed{"TagNameEmpty", with_id(R"({"type":"tag","name":""})"), "`name` is empty."},
        malformed{"TagNameTooLong",
                  with_id(R"({"type":"tag","name":")" + std::string(33, 'r') + "\"}"),
                  "`name` is 33 characters; the limit is 32."},
        malformed{"TagNameLeadingDot", with_id(R"({"type":"tag","name":".rev"})"),
                  "`name` must start with a letter or a digit."},
        malformed{"TagNameSlash", with_id(R"({"type":"tag","name":"rev/1"})"),
                  "`name` may hold only letters, digits, `.`, `_` and `-`."},
        malformed{"TagNameNonAscii", with_id(R"({"type":"tag","name":"révision"})"),
                  "`name` may hold only letters, digits, `.`, `_` and `-`."},
        malformed{"TagNameDotDot", with_id(R"({"type":"tag","name":"a..b"})"),
                  "`name` must not contain `..`."},
        malformed{"TagNameLock", with_id(R"({"type":"tag","name":"rev.lock"})"),
                  "`name` must not end with `.` or `.lock`."},
        malformed{"TagNameTrailingDot", with_id(R"({"type":"tag","name":"rev."})"),
                  "`name` must not end with `.` or `.lock`."},
        // Names git reads as something else (issue 21): branches, HEAD, commit ids.
        malformed{"TagNameMain", with_id(R"({"type":"tag","name":"main"})"),
                  "`name` is reserved: git would read `main` as a branch or a part of the "
                  "repository; choose another, such as rev.1."},
        malformed{"TagNameProcedure", with_id(R"({"type":"tag","name":"Procedure"})"),
                  "`name` is reserved: git would read `Procedure` as a branch or a part of the "
                  "repository; choose another, such as rev.1."},
        malformed{"TagNameHead", with_id(R"({"type":"tag","name":"HEAD"})"),
                  "`name` is reserved: git would read `HEAD` as a branch or a part of the "
                  "repository; choose another, such as rev.1."},
        malformed{"TagNameOrigHead", with_id(R"({"type":"tag","name":"ORIG_HEAD"})"),
                  "`name` is reserved: git would read `ORIG_HEAD` as a branch or a part of the "
                  "repository; choose another, such as rev.1."},
        malformed{"TagNameProposals", with_id(R"({"type":"tag","name":"proposals"})"),
                  "`name` is reserved: git would read `proposals` as a branch or a part of the "
                  "repository; choose another, such as rev.1."},
        malformed{"TagNameHex7", with_id(R"({"type":"tag","name":"deadbee"})"),
                  "`name` is `deadbee`, which looks like a commit id (7 or more hex digits) and "
                  "would hide the commits it abbreviates; add a letter, such as vdeadbee."},
        malformed{"TagNameDate", with_id(R"({"type":"tag","name":"20110912"})"),
                  "`name` is `20110912`, which looks like a commit id (7 or more hex digits) and "
                  "would hide the commits it abbreviates; add a letter, such as v20110912."},
        malformed{"TagNameNumber", with_id(R"({"type":"tag","name":1})"),
                  "`name` must be a version name, not a number."},
        malformed{"TagNoteNumber", with_id(R"({"type":"tag","name":"rev.1","note":5})"),
                  "`note` must be a string or null, not a number."}),
    [](const ::testing::TestParamInfo<malformed>& param) { return param.param.name; });

// ---- valid frames ------------------------------------------------------------------------------

TEST(ParseProcedure, Stage) {
  for (auto [name, value] :
       {std::pair{"working", stage_name::working}, std::pair{"formal", stage_name::formal},
        std::pair{"adopted", stage_name::adopted}}) {
    const auto m = message_of<stage_msg>(
        parse_client_message(R"({"type":"stage","stage":")" + std::string(name) + "\"}"));
    EXPECT_EQ(m.stage, value);
    EXPECT_STREQ(to_string(m.stage), name);
  }
}

TEST(ParseProcedure, Sponsors) {
  const auto m = message_of<sponsors_msg>(
      parse_client_message(R"({"type":"sponsors","sponsors":["CHN","RUS","TJK","UZB"]})"));
  EXPECT_EQ(m.sponsors, (std::vector<std::string>{"CHN", "RUS", "TJK", "UZB"}));
  EXPECT_TRUE(message_of<sponsors_msg>(parse_client_message(R"({"type":"sponsors","sponsors":[]})"))
                  .sponsors.empty());
  EXPECT_EQ(message_of<sponsors_msg>(parse_client_message(R"({"type":"sponsors","sponsors":)" +
                                                          sponsors_list(256) + "}"))
                .sponsors.size(),
            256u);
}

TEST(ParseProcedure, ProposeEveryAmendOp) {
  const auto replace = message_of<propose_msg>(parse_client_message(
      R"({"id":"p1","type":"propose","op":"replace","clause":"c3","base":")" + rev +
      R"(","text":"To comply with the UN Charter;","note":"Clearer."})"));
  EXPECT_EQ(replace.change.op, amend_op::replace);
  EXPECT_EQ(replace.change.clause, "c3");
  EXPECT_EQ(replace.change.base, rev);
  EXPECT_EQ(replace.change.text, "To comply with the UN Charter;");
  EXPECT_EQ(replace.change.note, "Clearer.");
  const auto insert = message_of<propose_msg>(parse_client_message(
      R"({"type":"propose","op":"insert","after":null,"kind":"preamble","text":"Noting,"})"));
  EXPECT_EQ(insert.change.op, amend_op::insert);
  EXPECT_FALSE(insert.change.after);
  EXPECT_EQ(insert.change.kind, clause_kind::preamble);
  EXPECT_EQ(insert.change.note, "");
  const auto del = message_of<propose_msg>(parse_client_message(
      R"({"type":"propose","op":"delete","clause":"c4","base":")" + rev + "\"}"));
  EXPECT_EQ(del.change.op, amend_op::remove);
  EXPECT_EQ(del.change.clause, "c4");
  const auto move = message_of<propose_msg>(
      parse_client_message(R"({"type":"propose","op":"move","clause":"c5","after":"c1"})"));
  EXPECT_EQ(move.change.op, amend_op::move);
  EXPECT_EQ(move.change.after, "c1");
  // Extension: a bracket tabled as a proposal, with the fields of `bracket`.
  const auto bracket = message_of<propose_msg>(
      parse_client_message(R"({"type":"propose","op":"bracket","clause":"c2","base":")" + rev +
                           R"(","start":3,"end":9,"text":"","note":"Delete."})"));
  ASSERT_TRUE(bracket.bracket);
  EXPECT_FALSE(bracket.resolve);
  EXPECT_EQ(bracket.bracket->clause, "c2");
  EXPECT_EQ(bracket.bracket->start, 3);
  EXPECT_EQ(bracket.bracket->end, 9);
  EXPECT_EQ(bracket.bracket->text, "");
  EXPECT_EQ(bracket.bracket->note, "Delete.");
}

TEST(ParseProcedure, ActsOnProposals) {
  EXPECT_EQ(
      message_of<support_msg>(parse_client_message(R"({"type":"support","proposal":3})")).proposal,
      3);
  EXPECT_EQ(message_of<withdraw_msg>(parse_client_message(R"({"type":"withdraw","proposal":1})"))
                .proposal,
            1);
  EXPECT_EQ(message_of<close_vote_msg>(
                parse_client_message(R"({"type":"close_vote","proposal":2147483647})"))
                .proposal,
            2147483647);
  EXPECT_EQ(
      message_of<restart_vote_msg>(parse_client_message(R"({"type":"restart_vote","proposal":6})"))
          .proposal,
      6);
  for (auto [name, value] : {std::pair{"simple", vote_threshold::simple},
                             std::pair{"two-thirds", vote_threshold::two_thirds},
                             std::pair{"two-thirds-present", vote_threshold::two_thirds_present}}) {
    const auto m = message_of<open_vote_msg>(parse_client_message(
        R"({"type":"open_vote","proposal":4,"threshold":")" + std::string(name) + "\"}"));
    EXPECT_EQ(m.proposal, 4);
    EXPECT_EQ(m.threshold, value);
    EXPECT_STREQ(to_string(value), name);
  }
  for (auto [name, value] : {std::pair{"yes", vote_choice::yes}, std::pair{"no", vote_choice::no},
                             std::pair{"abstain", vote_choice::abstain}}) {
    const auto m = message_of<vote_msg>(parse_client_message(
        R"({"type":"vote","proposal":5,"choice":")" + std::string(name) + "\"}"));
    EXPECT_EQ(m.proposal, 5);
    EXPECT_EQ(m.choice, value);
    EXPECT_STREQ(to_string(value), name);
  }
}

TEST(ParseProcedure, ForgedIdentityInActsIsIgnored) {
  const auto m = message_of<vote_msg>(parse_client_message(
      R"({"type":"vote","proposal":1,"choice":"yes","state":"USA","by":{"state":"USA"}})"));
  EXPECT_EQ(m.choice, vote_choice::yes);
}

TEST(ParseProcedure, Tag) {
  const auto m =
      message_of<tag_msg>(parse_client_message(R"({"type":"tag","name":"L.3","note":"Third"})"));
  EXPECT_EQ(m.name, "L.3");
  EXPECT_EQ(m.note, "Third");
  for (const std::string& name :
       std::vector<std::string>{"rev.1", "A", "0_x-y.z", std::string(32, 'v')}) {
    EXPECT_EQ(message_of<tag_msg>(
                  parse_client_message(R"({"type":"tag","name":")" + name + R"(","note":null})"))
                  .name,
              name);
  }
}

// ---- server messages ------------------------------------------------------------------------

proposal_view sample_record() {
  proposal_view p;
  p.n = 3;
  p.by = {"RUS", "Russian Federation"};
  p.op = "replace";
  p.clause = "c3";
  p.text = "To comply — \"fully\" — with the UN Charter;\n";
  p.note = "Clearer.";
  p.base = rev;
  p.commit = commit_b;
  p.status = "voting";
  p.supporters = {"CHN", "TJK"};
  p.vote = vote_view{"two-thirds",
                     {"CHN"},
                     {"USA", "GBR"},
                     {},
                     effective_view{"To comply fully with the UN Charter;", false, "", rev}};
  p.effective = effective_view{std::nullopt, true, "Clause c3 was changed by USA.", commit_b};
  return p;
}

// An effective change (docs/extensions.md): {text, conflict, computed_at} and, on conflict,
// problem.
void expect_effective(const rapidjson::Value& v, const std::optional<effective_view>& e) {
  if (!e) {
    EXPECT_TRUE(v.IsNull());
    return;
  }
  ASSERT_TRUE(v.IsObject());
  EXPECT_EQ(v.MemberCount(), e->conflict ? 4u : 3u);
  if (e->text) {
    EXPECT_EQ(str(v, "text"), *e->text);
  } else {
    EXPECT_TRUE(member(v, "text").IsNull());
  }
  EXPECT_EQ(member(v, "conflict").GetBool(), e->conflict);
  if (e->conflict) EXPECT_EQ(str(v, "problem"), e->problem);
  EXPECT_EQ(str(v, "computed_at"), e->computed_at);
}

// Checks that `v` is the record `p`, every field of procedure.md present.
void expect_record(const rapidjson::Value& v, const proposal_view& p) {
  ASSERT_TRUE(v.IsObject());
  EXPECT_EQ(v.MemberCount(), 15u);  // procedure.md's 14 and plenary's `effective`
  EXPECT_EQ(member(v, "n").GetInt(), p.n);
  EXPECT_EQ(str(member(v, "by"), "state"), p.by.state);
  EXPECT_EQ(str(member(v, "by"), "name"), p.by.name);
  EXPECT_EQ(str(v, "op"), p.op);
  auto optional = [&](const char* name, const std::optional<std::string>& value) {
    if (value) {
      EXPECT_EQ(str(v, name), *value) << name;
    } else {
      EXPECT_TRUE(member(v, name).IsNull()) << name;
    }
  };
  optional("clause", p.clause);
  optional("after", p.after);
  optional("kind", p.kind ? std::optional<std::string>(to_string(*p.kind)) : std::nullopt);
  optional("text", p.text);
  optional("note", p.note.empty() ? std::nullopt : std::optional<std::string>(p.note));
  optional("base", p.base);
  EXPECT_EQ(str(v, "commit"), p.commit);
  EXPECT_EQ(str(v, "status"), p.status);
  const auto& supporters = member(v, "supporters");
  ASSERT_TRUE(supporters.IsArray());
  ASSERT_EQ(supporters.Size(), p.supporters.size());
  for (rapidjson::SizeType i = 0; i < supporters.Size(); ++i) {
    EXPECT_EQ(std::string(supporters[i].GetString()), p.supporters[i]);
  }
  const auto& vote = member(v, "vote");
  if (p.vote) {
    ASSERT_TRUE(vote.IsObject());
    EXPECT_EQ(vote.MemberCount(), p.vote->effective ? 5u : 4u);
    if (p.vote->effective) expect_effective(member(vote, "effective"), p.vote->effective);
    EXPECT_EQ(str(vote, "threshold"), p.vote->threshold);
    auto list = [&](const char* name, const std::vector<std::string>& codes) {
      const auto& a = member(vote, name);
      ASSERT_TRUE(a.IsArray()) << name;
      ASSERT_EQ(a.Size(), codes.size()) << name;
      for (rapidjson::SizeType i = 0; i < a.Size(); ++i) EXPECT_EQ(a[i].GetString(), codes[i]);
    };
    list("yes", p.vote->yes);
    list("no", p.vote->no);
    list("abstain", p.vote->abstain);
  } else {
    EXPECT_TRUE(vote.IsNull());
  }
  const auto& result = member(v, "result");
  if (p.result) {
    ASSERT_TRUE(result.IsObject());
    EXPECT_EQ(str(result, "outcome"), p.result->outcome);
    if (p.result->commit.empty()) {
      EXPECT_TRUE(member(result, "commit").IsNull());
    } else {
      EXPECT_EQ(str(result, "commit"), p.result->commit);
    }
  } else {
    EXPECT_TRUE(result.IsNull());
  }
  expect_effective(member(v, "effective"), p.effective);
}

TEST(ProcedureServerMessages, Proposed) {
  const auto doc = read_json(proposed(message_id{std::int64_t{4}}, 12));
  EXPECT_EQ(doc.MemberCount(), 3u);
  EXPECT_EQ(str(doc, "type"), "proposed");
  EXPECT_EQ(member(doc, "id").GetInt64(), 4);
  EXPECT_EQ(member(doc, "proposal").GetInt(), 12);
}

TEST(ProcedureServerMessages, ProposalEventAndTheSendersCopy) {
  const proposal_view p = sample_record();
  const auto everyone = read_json(proposal({}, p));
  EXPECT_EQ(str(everyone, "type"), "proposal");
  EXPECT_FALSE(everyone.HasMember("id"));
  expect_record(member(everyone, "proposal"), p);
  const auto mine = read_json(proposal(message_id{std::string("v-1")}, p));
  EXPECT_EQ(str(mine, "id"), "v-1");
  expect_record(member(mine, "proposal"), p);
}

TEST(ProcedureServerMessages, RecordsOfEveryShape) {
  proposal_view insert;
  insert.n = 1;
  insert.by = {"FRA", "France"};
  insert.op = "insert";
  insert.kind = clause_kind::heading;
  insert.text = "Pledges:";
  insert.commit = rev;
  insert.status = "adopted";
  insert.result = proposal_result_view{"adopted", commit_b};
  proposal_view move;
  move.n = 2;
  move.by = {"CHAIR", "Chair"};
  move.op = "move";
  move.clause = "c5";
  move.after = "c1";
  move.commit = rev;
  move.status = "conflict";
  move.result = proposal_result_view{"conflict", ""};
  proposal_view del;
  del.n = 3;
  del.by = {"USA", "United States"};
  del.op = "delete";
  del.clause = "c4";
  del.base = rev;
  del.commit = commit_b;
  del.status = "withdrawn";
  const std::vector<proposal_view> all{insert, move, del, sample_record()};
  const auto doc = read_json(proposals_json(all));
  EXPECT_EQ(doc.MemberCount(), 1u);
  const auto& list = member(doc, "proposals");
  ASSERT_TRUE(list.IsArray());
  ASSERT_EQ(list.Size(), all.size());
  for (rapidjson::SizeType i = 0; i < list.Size(); ++i) expect_record(list[i], all[i]);
  EXPECT_EQ(read_json(proposals_json({})).MemberCount(), 1u);
  EXPECT_EQ(member(read_json(proposals_json({})), "proposals").Size(), 0u);
  const auto single = read_json(proposal_json(move));
  EXPECT_FALSE(single.HasMember("type"));
  expect_record(single, move);
}

TEST(ProcedureServerMessages, StagedSponsoredTagged) {
  const auto staged_doc = read_json(staged(
      message_id{std::int64_t{1}}, {"formal", commit_b, rev, {"CHAIR", "Chair"}, 1795774500}));
  EXPECT_EQ(str(staged_doc, "type"), "staged");
  EXPECT_EQ(member(staged_doc, "id").GetInt64(), 1);
  EXPECT_EQ(str(staged_doc, "stage"), "formal");
  EXPECT_EQ(str(staged_doc, "commit"), commit_b);
  EXPECT_EQ(str(staged_doc, "parent"), rev);
  EXPECT_EQ(str(member(staged_doc, "by"), "state"), "CHAIR");
  EXPECT_EQ(str(member(staged_doc, "by"), "name"), "Chair");
  EXPECT_EQ(str(staged_doc, "at"), "2026-11-27T10:15:00Z");
  EXPECT_FALSE(
      read_json(staged({}, {"adopted", commit_b, rev, {"CHAIR", "Chair"}, 0})).HasMember("id"));

  const auto sponsored_doc =
      read_json(sponsored({}, {{"CHN", "RUS"}, commit_b, rev, {"CHAIR", "Chair"}, 1795774500}));
  EXPECT_EQ(str(sponsored_doc, "type"), "sponsored");
  EXPECT_FALSE(sponsored_doc.HasMember("id"));
  const auto& sponsors = member(sponsored_doc, "sponsors");
  ASSERT_EQ(sponsors.Size(), 2u);
  EXPECT_EQ(std::string(sponsors[1].GetString()), "RUS");
  EXPECT_EQ(str(sponsored_doc, "commit"), commit_b);
  EXPECT_EQ(str(sponsored_doc, "parent"), rev);
  EXPECT_EQ(member(read_json(sponsored({}, {{}, commit_b, rev, {"CHAIR", "Chair"}, 0})), "sponsors")
                .Size(),
            0u);

  const auto tagged_doc = read_json(tagged(message_id{std::string("t")}, "rev.1", commit_b));
  EXPECT_EQ(tagged_doc.MemberCount(), 4u);
  EXPECT_EQ(str(tagged_doc, "type"), "tagged");
  EXPECT_EQ(str(tagged_doc, "id"), "t");
  EXPECT_EQ(str(tagged_doc, "name"), "rev.1");
  EXPECT_EQ(str(tagged_doc, "commit"), commit_b);
}

TEST(ProcedureServerMessages, DraftAndWelcomeCarryStageAndSponsors) {
  draft_view d;
  d.slug = "code-of-conduct";
  d.title = "Code";
  d.head = rev;
  d.stage = "formal";
  d.sponsors = {"CHN", "RUS", "TJK", "UZB"};
  const auto body = read_json(draft_json(d));
  EXPECT_EQ(str(body, "stage"), "formal");
  ASSERT_EQ(member(body, "sponsors").Size(), 4u);
  EXPECT_EQ(std::string(body["sponsors"][3].GetString()), "UZB");
  const auto w = read_json(welcome({}, {"RUS", "Russian Federation"}, "delegation", d, {}));
  EXPECT_EQ(str(member(w, "draft"), "stage"), "formal");
  EXPECT_EQ(member(member(w, "draft"), "sponsors").Size(), 4u);
}

TEST(ProcedureServerMessages, LogAndHistoryEntriesMarkAdoptedProposals) {
  log_entry plain{commit_b, {"RUS", "Russian Federation"}, 1795774500, "replace", "c3", ""};
  log_entry friendly = plain;
  friendly.proposal = 2;
  friendly.adopted = "friendly";
  log_entry by_vote = plain;
  by_vote.proposal = 3;
  by_vote.adopted = "vote";
  by_vote.vote = vote_tally{8, 4, 0};
  log_entry stage{rev, {"CHAIR", "Chair"}, 1795774500, "stage", "", ""};
  stage.stage = "formal";
  const auto doc = read_json(log_json({plain, friendly, by_vote, stage}));
  const auto& e = member(doc, "entries");
  ASSERT_EQ(e.Size(), 4u);
  EXPECT_EQ(e[0].MemberCount(), 6u);  // unchanged when there is nothing to add
  EXPECT_EQ(e[1].MemberCount(), 8u);
  EXPECT_EQ(member(e[1], "proposal").GetInt(), 2);
  EXPECT_EQ(str(e[1], "adopted"), "friendly");
  EXPECT_FALSE(e[1].HasMember("vote"));
  EXPECT_EQ(e[2].MemberCount(), 9u);
  EXPECT_EQ(str(e[2], "adopted"), "vote");
  EXPECT_EQ(member(member(e[2], "vote"), "yes").GetInt(), 8);
  EXPECT_EQ(member(member(e[2], "vote"), "no").GetInt(), 4);
  EXPECT_EQ(member(member(e[2], "vote"), "abstain").GetInt(), 0);
  EXPECT_EQ(e[3].MemberCount(), 7u);
  EXPECT_EQ(str(e[3], "op"), "stage");
  EXPECT_EQ(str(e[3], "stage"), "formal");
  EXPECT_TRUE(member(e[3], "clause").IsNull());
  const auto history =
      read_json(history_json("c3", {history_entry{by_vote, "New", {{'+', "New"}}}}));
  const auto& h = member(history, "entries")[0];
  EXPECT_EQ(member(h, "proposal").GetInt(), 3);
  EXPECT_EQ(str(h, "text"), "New");
}

TEST(ProcedureServerMessages, AmendedOfAnAdoptedProposal) {
  amended_event e;
  e.commit = commit_b;
  e.parent = rev;
  e.by = {"FRA", "France"};
  e.op = "replace";
  e.changed = clause{"c3", clause_kind::operative, 1, "Text", commit_b, "FRA"};
  e.order = {"c3"};
  EXPECT_FALSE(read_json(amended(e)).HasMember("proposal"));
  e.proposal = 7;
  e.adopted = "vote";
  e.vote = vote_tally{2, 1, 0};
  const auto doc = read_json(amended(e));
  EXPECT_EQ(member(doc, "proposal").GetInt(), 7);
  EXPECT_EQ(str(doc, "adopted"), "vote");
  EXPECT_EQ(member(member(doc, "vote"), "yes").GetInt(), 2);
}

}  // namespace
}  // namespace plenary::protocol
