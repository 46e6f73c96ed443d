// Observability: GET /metrics in the Prometheus text format, /healthz failing when the data
// directory cannot be written, and one log line per important event with no secret in any.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "git_check.hpp"
#include "process.hpp"

namespace plenary::test::ops {
namespace {
namespace fs = std::filesystem;

// "name{labels} value" lines of an exposition, by "name{labels}".
std::map<std::string, double> samples(const std::string& text) {
  std::map<std::string, double> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    auto space = line.rfind(' ');
    out[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return out;
}

std::string amend_key(const std::string& op, const std::string& result) {
  return "plenary_amendments_total{op=\"" + op + "\",result=\"" + result + "\"}";
}

std::string rev_of(const rapidjson::Document& welcome, int index) {
  return member(welcome["draft"]["clauses"][index], "rev");
}

TEST(Metrics, CountAmendmentsByOpAndResultAndTimeEachGroupCommit) {
  temp_dir tmp;
  auto data = tmp.path() / "data";
  auto codes = create_draft(data, small_draft_json());
  server srv(data);

  auto empty = http_get(srv.port(), "/metrics");
  ASSERT_EQ(empty.status, 200);
  EXPECT_EQ(empty.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(samples(empty.body)["plenary_drafts_open"], 0);

  ws_client rus(srv.port(), "/d/test-draft/ws");
  auto w = rus.join(codes.delegations["RUS"]);
  ws_client fra(srv.port(), "/d/test-draft/ws");
  fra.join(codes.delegations["FRA"]);
  ws_client obs(srv.port(), "/d/test-draft/ws");
  obs.join(codes.observer);
  {
    ws_client intruder(srv.port(), "/d/test-draft/ws");
    intruder.send(R"({"type":"join","id":1,"code":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})");
    intruder.expect("error", 1);
  }

  const std::string c3 = rev_of(w, 2);
  // ok: one of each operation.
  rus.send(R"({"type":"amend","id":10,"op":"replace","clause":"c3","base":")" + c3 +
           R"(","text":"To comply with the Charter."})");
  rus.expect("ack", 10);
  rus.send(
      R"({"type":"amend","id":11,"op":"insert","after":"c5","kind":"operative","text":"To meet again."})");
  auto ins = rus.expect("ack", 11);
  rus.send(R"({"type":"amend","id":12,"op":"move","clause":"c4","after":null})");
  rus.expect("ack", 12);
  rus.send(R"({"type":"amend","id":13,"op":"delete","clause":")" + member(ins, "clause") +
           R"(","base":")" + member(ins, "commit") + R"("})");
  rus.expect("ack", 13);
  // conflict: FRA rewrites all of c3 from the text it saw before RUS did.
  fra.send(R"({"type":"amend","id":20,"op":"replace","clause":"c3","base":")" + c3 +
           R"(","text":"Entirely different words here."})");
  fra.expect("error", 20);
  // not_found, from storage.
  fra.send(R"({"type":"amend","id":21,"op":"replace","clause":"c99","base":")" + c3 +
           R"(","text":"Nothing."})");
  fra.expect("error", 21);
  // forbidden: observers read only.
  obs.send(R"({"type":"amend","id":30,"op":"insert","after":null,"kind":"preamble","text":"No."})");
  obs.expect("error", 30);

  auto r = http_get(srv.port(), "/metrics");
  ASSERT_EQ(r.status, 200);
  auto m = samples(r.body);
  EXPECT_EQ(m[amend_key("replace", "ok")], 1);
  EXPECT_EQ(m[amend_key("insert", "ok")], 1);
  EXPECT_EQ(m[amend_key("move", "ok")], 1);
  EXPECT_EQ(m[amend_key("delete", "ok")], 1);
  EXPECT_EQ(m[amend_key("replace", "conflict")], 1);
  EXPECT_EQ(m[amend_key("replace", "not_found")], 1);
  EXPECT_EQ(m[amend_key("insert", "forbidden")], 1);
  EXPECT_EQ(m[amend_key("move", "rate_limited")], 0);  // present, zero
  EXPECT_TRUE(m.count(amend_key("delete", "internal")));
  // Six amendments reached storage, one group commit or more; each histogram is consistent.
  const double commits = m["plenary_commit_seconds_count"];
  EXPECT_GE(commits, 1);
  EXPECT_LE(commits, 6);
  EXPECT_EQ(m["plenary_commit_seconds_bucket{le=\"+Inf\"}"], commits);
  EXPECT_LE(m["plenary_commit_seconds_bucket{le=\"0.0005\"}"], commits);
  EXPECT_GT(m["plenary_commit_seconds_sum"], 0);
  EXPECT_EQ(m["plenary_commit_batch_size_count"], commits);
  EXPECT_EQ(m["plenary_commit_batch_size_sum"], 6);
  EXPECT_EQ(m["plenary_connections"], 3);
  EXPECT_EQ(m["plenary_drafts_open"], 1);
  EXPECT_EQ(m["plenary_join_failures_total"], 1);
  EXPECT_EQ(m["plenary_fanout_drops_total"], 0);
  for (const char* name : {"plenary_connections", "plenary_drafts_open", "plenary_amendments_total",
                           "plenary_commit_seconds", "plenary_commit_batch_size",
                           "plenary_fanout_drops_total", "plenary_join_failures_total"}) {
    EXPECT_NE(r.body.find(std::string("# TYPE ") + name + " "), std::string::npos) << name;
    EXPECT_NE(r.body.find(std::string("# HELP ") + name + " "), std::string::npos) << name;
  }
  // Prometheus' own linter, where it is installed (Debian's `prometheus` package).
  if (auto promtool = find_program("promtool")) {
    const fs::path file = tmp.path() / "metrics.txt";
    std::ofstream(file) << r.body;
    auto lint = sh(*promtool + " check metrics < " + quote(file.string()));
    EXPECT_EQ(lint.status, 0) << lint.out;
  }
  // Cumulative buckets never decrease.
  double previous = 0;
  std::regex bucket(R"(plenary_commit_seconds_bucket\{le="[^"]+"\} ([0-9]+))");
  for (std::sregex_iterator it(r.body.begin(), r.body.end(), bucket), end; it != end; ++it) {
    double v = std::stod((*it)[1]);
    EXPECT_GE(v, previous);
    previous = v;
  }

  // A closed connection leaves the gauge.
  obs.send(R"({"type":"focus","clause":null})");
  { ws_client gone(srv.port(), "/d/test-draft/ws"); }
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (samples(http_get(srv.port(), "/metrics").body)["plenary_connections"] != 3 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(samples(http_get(srv.port(), "/metrics").body)["plenary_connections"], 3);
}

TEST(Metrics, RateLimitedAndSlowClientsAreCounted) {
  temp_dir tmp;
  auto data = tmp.path() / "data";
  auto codes = create_draft(data, small_draft_json());
  {
    server srv(data);  // default rate: 20/s, bursts of 40
    ws_client c(srv.port(), "/d/test-draft/ws");
    c.join(codes.delegations["CHN"]);
    for (int i = 0; i < 60; ++i) {
      c.send(R"({"type":"amend","op":"replace","clause":"c99","base":")" + std::string(40, 'a') +
             R"(","text":"Nothing."})");
    }
    auto deadline = std::chrono::steady_clock::now() + 10s;
    std::map<std::string, double> m;
    while (std::chrono::steady_clock::now() < deadline) {
      m = samples(http_get(srv.port(), "/metrics").body);
      if (m[amend_key("replace", "not_found")] + m[amend_key("replace", "rate_limited")] >= 60)
        break;
      std::this_thread::sleep_for(20ms);
    }
    EXPECT_GE(m[amend_key("replace", "rate_limited")], 1);
    EXPECT_GE(m[amend_key("replace", "not_found")], 40);
    EXPECT_EQ(m[amend_key("replace", "not_found")] + m[amend_key("replace", "rate_limited")], 60);
  }
  {
    // A queue limit smaller than the welcome: since issue 21 a client's first message (and any
    // single message within the frame limit) is never cut, so the join still gets its welcome
    // and nothing is counted as dropped. A client that stops reading while events pile up is
    // still cut (server/ws_session.cpp), but no test reproduces that case any more: to do.
    process p(tmp.path(), {"serve", "--data", data.string(), "--listen", "127.0.0.1:0", "--fsync",
                           "off", "--max-queue-bytes", "64"});
    auto port = p.wait_listening();
    ASSERT_TRUE(port) << p.err();
    ws_client c(*port, "/d/test-draft/ws");
    c.send(R"({"type":"join","id":1,"code":")" + codes.delegations["CHN"] + R"("})");
    auto welcome = c.receive(5s);
    ASSERT_TRUE(welcome.has_value());
    EXPECT_NE(welcome->find("\"type\":\"welcome\""), std::string::npos) << *welcome;
    EXPECT_EQ(samples(http_get(*port, "/metrics").body)["plenary_fanout_drops_total"], 0);
    EXPECT_EQ(p.terminate(), 0);
    EXPECT_EQ(p.err().find("event=slow_client_cut"), std::string::npos) << p.err();
  }
}

TEST(Healthz, FailsWhileTheDataDirectoryIsGoneAndRecovers) {
  temp_dir tmp;
  auto data = tmp.path() / "data";
  create_draft(data, small_draft_json());
  server srv(data);
  EXPECT_EQ(http_get(srv.port(), "/healthz").status, 200);
  // A disk unmounted or a folder moved away by mistake.
  fs::rename(data, tmp.path() / "elsewhere");
  auto r = http_get(srv.port(), "/healthz");
  EXPECT_EQ(r.status, 500);
  EXPECT_NE(r.body.find("not writable"), std::string::npos) << r.body;
  fs::rename(tmp.path() / "elsewhere", data);
  EXPECT_EQ(http_get(srv.port(), "/healthz").status, 200);
}

TEST(Healthz, FailsWhenTheDataDirectoryIsReadOnly) {
  // Permission bits do not stop root: as root, the server runs as `nobody` (65534), from a
  // folder `nobody` reaches wherever the checkout is.
  temp_dir tmp(temp_dir::for_another_user);
  auto data = tmp.path() / "data";
  create_draft(data, small_draft_json());
  int run_as = -1;
  if (::geteuid() == 0) {
    run_as = 65534;
    ASSERT_EQ(sh("chown -R 65534:65534 " + quote(data.string())).status, 0);
  }
  process p(tmp.path(),
            {"serve", "--data", data.string(), "--listen", "127.0.0.1:0", "--fsync", "off"}, {},
            run_as);
  auto port = p.wait_listening();
  ASSERT_TRUE(port) << p.err();
  EXPECT_EQ(http_get(*port, "/healthz").status, 200);
  fs::permissions(data, fs::perms::owner_read | fs::perms::owner_exec, fs::perm_options::replace);
  auto r = http_get(*port, "/healthz");
  EXPECT_EQ(r.status, 500);
  EXPECT_NE(r.body.find("not writable"), std::string::npos) << r.body;
  fs::permissions(data, fs::perms::owner_all, fs::perm_options::replace);
  EXPECT_EQ(http_get(*port, "/healthz").status, 200);
  EXPECT_EQ(p.terminate(), 0);
}

TEST(Logs, OneLinePerEventAndNoSecretInAny) {
  temp_dir tmp;
  auto data = tmp.path() / "data";
  auto codes = create_draft(data, small_draft_json());
  const std::string bad_code = "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ";
  std::string blocked_commit;
  process p(tmp.path(), {"serve", "--data", data.string(), "--listen", "127.0.0.1:0", "--fsync",
                         "off", "--log-level", "trace"});
  auto port = p.wait_listening();
  ASSERT_TRUE(port) << p.err();
  {
    ws_client good(*port, "/d/test-draft/ws");
    auto w = good.join(codes.delegations["RUS"]);
    ws_client bad(*port, "/d/test-draft/ws");
    bad.send(R"({"type":"join","id":1,"code":")" + bad_code + R"("})");
    bad.expect("error", 1);
    ws_client nowhere(*port, "/d/no-such-draft/ws");
    nowhere.send(R"({"type":"join","id":1,"code":")" + codes.chair + R"("})");
    nowhere.expect("error", 1);
    EXPECT_EQ(http_get(*port, "/api/drafts/test-draft", codes.chair).status, 200);
    EXPECT_EQ(http_get(*port, "/api/drafts/test-draft", bad_code).status, 401);

    // git's main held by "someone else" (a lock file): the amendment is durable in the
    // write-ahead log and acknowledged all the same (issue 20); git holds it once the lock is
    // gone, at the latest when the server stops.
    const fs::path lock = data / "drafts" / "test-draft.git" / "refs" / "heads" / "main.lock";
    std::ofstream(lock) << "busy\n";
    good.send(R"({"type":"amend","id":5,"op":"replace","clause":"c3","base":")" +
              member(w["draft"]["clauses"][2], "rev") + R"(","text":"Locked out of git."})");
    blocked_commit = member(good.expect("ack", 5), "commit");
    fs::remove(lock);
    auto m = samples(http_get(*port, "/metrics").body);
    EXPECT_EQ(m[amend_key("replace", "ok")], 1);
  }
  EXPECT_EQ(p.terminate(), 0);
  EXPECT_EQ(run_git(data / "drafts" / "test-draft.git", "rev-parse main", false).out,
            blocked_commit + "\n");
  const std::string log = p.err();
  const std::string all = log + p.out();

  std::vector<std::string> secrets{codes.chair, codes.observer, bad_code};
  for (const auto& [state, code] : codes.delegations) secrets.push_back(code);
  for (const auto& s : secrets) EXPECT_EQ(all.find(s), std::string::npos) << "a code is in the log";
  EXPECT_EQ(all.find("Bearer"), std::string::npos);
  EXPECT_EQ(all.find("uthorization"), std::string::npos);

  // Each event is one line that starts with a time and a level, then key=value pairs.
  auto count = [&](const std::string& needle) {
    int n = 0;
    for (auto at = log.find(needle); at != std::string::npos; at = log.find(needle, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("event=listening "), 1);
  EXPECT_EQ(count("event=draft_opened draft=test-draft "), 1);
  EXPECT_EQ(count("event=join draft=test-draft state=RUS role=delegation"), 1);
  EXPECT_EQ(count("event=join_refused draft=test-draft "), 1);
  EXPECT_EQ(count("event=join_refused draft=no-such-draft "), 1);
  EXPECT_EQ(count("event=stopping signal=15"), 1);
  EXPECT_EQ(count("event=stopped"), 1);
  static const std::regex line_shape(
      R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (trace|debug|info|warning|error|critical) event=[a-z_]+( |$).*)");
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    EXPECT_TRUE(std::regex_match(line, line_shape)) << line;
  }
}

}  // namespace
}  // namespace plenary::test::ops
