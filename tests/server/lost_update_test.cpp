// No lost update: twenty writers amend the SAME clause at once, each from the base it last
// saw (its own ack, or the latest `amended`). The clause is twenty words; a writer either
// changes its own word (concurrent changes of different words merge) or rewrites the whole
// sentence (which overlaps everything, so a stale one is a conflict). Then, with git:
//   - every acknowledged amendment is in the log exactly once, and the log holds nothing else;
//   - every refusal was a `conflict`;
//   - each acknowledged commit holds exactly what its writer meant applied to its parent:
//     its own text when the parent is what the writer saw, otherwise the parent with the
//     writer's words changed (merged) — never a text that drops a change the writer had
//     not seen;
//   - the final text is the text of the last acknowledged amendment's commit.
#include <gtest/gtest.h>

#include <latch>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include "fixtures.hpp"
#include "git_check.hpp"
#include "harness.hpp"

namespace plenary::test {
namespace {

constexpr int writers = 20;
constexpr int attempts_each = 12;
constexpr int words = 20;

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

std::string join_words(const std::vector<std::string>& ws) {
  std::string out;
  for (const auto& w : ws) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::string initial_text() {
  std::vector<std::string> ws;
  for (int i = 0; i < words; ++i) ws.push_back("word" + std::to_string(i));
  return join_words(ws);
}

std::string draft_json() {
  return R"({"slug": "same-clause", "title": "Lost updates",
    "clauses": [{"kind": "operative", "text": ")" +
         initial_text() + R"("}],
    "delegations": [{"code": "RUS", "name": "Russian Federation"}, {"code": "USA", "name": "United States"},
                    {"code": "CHN", "name": "China"}, {"code": "FRA", "name": "France"}]})";
}

struct attempt {
  int writer = 0;
  std::string base, base_text, text;  // what the writer saw, and what it sent
  bool acked = false;
  bool merged = false;
  std::string commit;
  std::string refusal;  // the error code when refused
};

// What the commit of `a` must hold given its parent's text, or nullopt when the change
// overlaps a change the writer had not seen (it must then have been refused).
std::optional<std::string> expected_text(const attempt& a, const std::string& parent_text) {
  if (parent_text == a.base_text) return a.text;
  auto base = split_words(a.base_text), parent = split_words(parent_text),
       mine = split_words(a.text);
  if (base.size() != parent.size() || base.size() != mine.size()) return std::nullopt;
  std::vector<std::string> merged = parent;
  for (std::size_t i = 0; i < base.size(); ++i) {
    if (mine[i] == base[i]) continue;
    if (parent[i] != base[i]) return std::nullopt;  // both changed this word
    merged[i] = mine[i];
  }
  return join_words(merged);
}

void run_writer(int w, unsigned short port, const std::string& code, std::latch& ready,
                std::vector<attempt>& out) {
  ws_client c(port, "/d/same-clause/ws");
  auto welcome = c.join(code);
  std::string rev = member(welcome["draft"]["clauses"][0], "rev");
  std::string text = member(welcome["draft"]["clauses"][0], "text");
  ready.arrive_and_wait();
  std::mt19937 rng(1000 + static_cast<unsigned>(w));
  // The clause's rev and text as the latest `amended` event shows them.
  auto seen = [&](const rapidjson::Document& d) {
    if (member(d, "type") == "amended" && d["clause"].IsObject() &&
        member(d["clause"], "id") == "c1") {
      rev = member(d, "commit");
      text = member(d["clause"], "text");
    }
  };
  for (int k = 0; k < attempts_each; ++k) {
    attempt a{w, rev, text, "", false, false, "", ""};
    auto ws = split_words(text);
    if (rng() % 10 < 3) {
      for (int i = 0; i < words; ++i) {
        ws[static_cast<std::size_t>(i)] =
            "r" + std::to_string(w) + "k" + std::to_string(k) + "n" + std::to_string(i);
      }
    } else {
      ws[static_cast<std::size_t>(w)] = "e" + std::to_string(w) + "k" + std::to_string(k);
    }
    a.text = join_words(ws);
    const long id = 100 + k;
    c.send(
        msg("amend", id,
            R"("op":"replace","clause":"c1","base":")" + a.base + R"(","text":")" + a.text + "\""));
    for (;;) {
      auto m = c.receive(20s);
      if (!m) {
        ADD_FAILURE() << "writer " << w << " got no answer";
        return;
      }
      auto d = parse_json(*m);
      seen(d);
      auto it = d.FindMember("id");
      if (it == d.MemberEnd() || !it->value.IsInt64() || it->value.GetInt64() != id) continue;
      if (member(d, "type") == "ack") {
        a.acked = true;
        a.commit = member(d, "commit");
        a.merged = d["merged"].GetBool();
        rev = a.commit;  // the base it last saw: its own ack...
        text = a.text;
        // ...whose `amended` (with the merged text, if merged) comes next on this connection.
        for (;;) {
          auto ev = c.receive(20s);
          if (!ev) break;
          auto e = parse_json(*ev);
          seen(e);
          if (member(e, "type") == "amended" && member(e, "commit") == a.commit) break;
        }
      } else {
        a.refusal = member(d, "code");
      }
      break;
    }
    out.push_back(std::move(a));
  }
}

TEST(LostUpdate, TwentyWritersOnOneClauseLoseNothing) {
  temp_dir tmp;
  auto data = tmp.path() / "data";
  codes c = create_draft(data, draft_json());
  server srv(data, {"--amend-rate", "0"});
  const std::vector<std::string> states{"RUS", "USA", "CHN", "FRA"};

  std::latch ready(writers);
  std::vector<std::vector<attempt>> per_writer(writers);
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      run_writer(w, srv.port(), c.delegations[states[static_cast<std::size_t>(w) % 4]], ready,
                 per_writer[static_cast<std::size_t>(w)]);
    });
  }
  for (auto& t : threads) t.join();

  std::vector<attempt> all;
  for (auto& v : per_writer) all.insert(all.end(), v.begin(), v.end());
  ASSERT_EQ(all.size(), static_cast<std::size_t>(writers * attempts_each));
  std::set<std::string> acked;
  int merged = 0, conflicts = 0;
  for (const auto& a : all) {
    if (a.acked) {
      EXPECT_TRUE(acked.insert(a.commit).second) << "two acks for " << a.commit;
      merged += a.merged;
    } else {
      EXPECT_EQ(a.refusal, "conflict")
          << "writer " << a.writer << " was refused with " << a.refusal;
      ++conflicts;
    }
  }
  // The log: the open commit, then exactly the acknowledged amendments, each once.
  auto log = parse_json(http_get(srv.port(), "/api/drafts/same-clause/log", c.chair).body);
  std::map<std::string, int> times;
  std::string newest;
  for (const auto& e : log["entries"].GetArray()) {
    if (member(e, "op") == "open") continue;
    if (newest.empty()) newest = member(e, "commit");
    ++times[member(e, "commit")];
  }
  EXPECT_EQ(times.size(), acked.size());
  for (const auto& commit : acked) EXPECT_EQ(times[commit], 1) << commit;

  // Each acknowledged commit against its parent, read with git.
  const auto repo = data / "drafts" / "same-clause.git";
  wait_until_main_settles(repo);
  std::vector<std::pair<std::string, std::string>> want;
  for (const auto& a : all) {
    if (!a.acked) continue;
    want.emplace_back(a.commit, "clauses/c1.txt");
    want.emplace_back(a.commit + "^", "clauses/c1.txt");
    want.emplace_back(a.base, "clauses/c1.txt");
  }
  auto files = read_files(repo, want);
  auto text_of = [&](const std::string& commit) {
    std::string t = files[{commit, "clauses/c1.txt"}];
    if (!t.empty() && t.back() == '\n') t.pop_back();
    return t;
  };
  for (const auto& a : all) {
    if (!a.acked) continue;
    SCOPED_TRACE("writer " + std::to_string(a.writer) + ", commit " + a.commit);
    EXPECT_EQ(text_of(a.base), a.base_text) << "the writer's base is not what it saw";
    const std::string parent = text_of(a.commit + "^");
    auto expected = expected_text(a, parent);
    ASSERT_TRUE(expected)
        << "accepted over a change its writer had not seen (a lost update): base `" << a.base_text
        << "`, parent `" << parent << "`, sent `" << a.text << "`";
    EXPECT_EQ(text_of(a.commit), *expected);
    EXPECT_EQ(a.merged, parent != a.base_text);
  }
  // The final text is that of the last acknowledged amendment.
  auto draft = parse_json(http_get(srv.port(), "/api/drafts/same-clause", c.chair).body);
  ASSERT_FALSE(newest.empty());
  EXPECT_EQ(member(draft, "head"), newest);
  EXPECT_EQ(member(draft["clauses"][0], "text"), text_of(newest));
  EXPECT_EQ(fsck_problems(repo), "");
  std::printf("lost-update test: %zu acknowledged (%d merged), %d conflicts\n", acked.size(),
              merged, conflicts);
  EXPECT_GT(merged, 0);
  EXPECT_GT(conflicts, 0);
}

}  // namespace
}  // namespace plenary::test
