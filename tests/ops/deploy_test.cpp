// The files of deploy/: the nginx site passes `nginx -t` and proxies HTTPS and WebSockets to
// plenary, the systemd unit passes `systemd-analyze verify`, plenary.env names every option,
// the container's health check works against a real server, and the Dockerfile's runtime
// stage installs every library the binary needs. (Docker itself cannot run here.)
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "process.hpp"

namespace plenary::test::ops {
namespace {
namespace fs = std::filesystem;

const fs::path deploy_dir = fs::path(PLENARY_SOURCE_DIR) / "deploy";

// A port nobody listens on right now (the kernel's choice).
unsigned short free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

// A throwaway nginx prefix: a self-signed certificate (for `names`) and a main configuration
// that includes a shipped site, its certificate paths rewritten (and more, by the caller).
struct nginx_prefix {
  fs::path dir;
  std::string binary;

  // The folder and the certificate.
  bool prepare(const fs::path& root, const std::string& names = "localhost") {
    dir = root / "nginx";
    fs::create_directories(dir / "tmp");
    std::string san;
    for (std::size_t at = 0; at < names.size();) {
      auto end = names.find(' ', at);
      if (end == std::string::npos) end = names.size();
      san += (san.empty() ? "DNS:" : ",DNS:") + names.substr(at, end - at);
      at = end + 1;
    }
    auto cert =
        sh("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost "
           "-addext subjectAltName=" +
           san + " -keyout " + quote((dir / "key.pem").string()) + " -out " +
           quote((dir / "cert.pem").string()));
    EXPECT_EQ(cert.status, 0) << cert.out;
    return cert.status == 0;
  }

  // `site` with every certificate replaced by the throwaway one.
  std::string with_test_certificate(std::string site) const {
    site = std::regex_replace(site, std::regex(R"(ssl_certificate\s+\S+;)"),
                              "ssl_certificate " + (dir / "cert.pem").string() + ";");
    return std::regex_replace(site, std::regex(R"(ssl_certificate_key\s+\S+;)"),
                              "ssl_certificate_key " + (dir / "key.pem").string() + ";");
  }

  // site.conf, and nginx.conf including it.
  void install(const std::string& site) {
    std::ofstream(dir / "site.conf") << site;
    const std::string d = dir.string();
    std::ofstream(dir / "nginx.conf")
        << "pid " << d << "/nginx.pid;\nerror_log " << d << "/error.log;\nevents {}\nhttp {\n"
        << "  access_log " << d << "/access.log;\n"
        << "  client_body_temp_path " << d << "/tmp/body;\n  proxy_temp_path " << d
        << "/tmp/proxy;\n"
        << "  fastcgi_temp_path " << d << "/tmp/fcgi;\n  uwsgi_temp_path " << d << "/tmp/uwsgi;\n"
        << "  scgi_temp_path " << d << "/tmp/scgi;\n  include " << d << "/site.conf;\n}\n";
  }

  // The single-server site (plenary.conf), optionally on loopback ports to `upstream`.
  bool make(const fs::path& root, unsigned short https = 0, unsigned short http = 0,
            unsigned short upstream = 0) {
    if (!prepare(root)) return false;
    std::string site = with_test_certificate(read_file(deploy_dir / "nginx" / "plenary.conf"));
    if (https) {
      site =
          replace_all(site, "listen 443 ssl", "listen 127.0.0.1:" + std::to_string(https) + " ssl");
      site = replace_all(site, "listen [::]:443 ssl http2;", "");
      site = replace_all(site, "listen 80;", "listen 127.0.0.1:" + std::to_string(http) + ";");
      site = replace_all(site, "listen [::]:80;", "");
      site = replace_all(site, "server 127.0.0.1:8080;",
                         "server 127.0.0.1:" + std::to_string(upstream) + ";");
      site = replace_all(site, "server_name plenary.example.org;", "server_name localhost;");
    }
    install(site);
    return true;
  }

  std::string args() const {
    return " -p " + quote(dir.string()) + " -c " + quote((dir / "nginx.conf").string()) + " -e " +
           quote((dir / "error.log").string());
  }

  // nginx in the foreground, as a child of this test (stopped by stop()).
  bool start(const std::string& nginx) {
    auto started = sh(nginx + args() + " -g 'daemon off;' > " + quote((dir / "out.log").string()) +
                      " 2>&1 & echo $! > " + quote((dir / "run.pid").string()));
    return started.status == 0;
  }
  void stop() {
    if (!fs::exists(dir / "run.pid")) return;
    sh("kill -QUIT $(cat " + quote((dir / "run.pid").string()) + ")");
    for (int i = 0; i < 100 && fs::exists(dir / "nginx.pid"); ++i)
      std::this_thread::sleep_for(50ms);
    fs::remove(dir / "run.pid");
  }
};

// The multi-instance site (plenary-instances.conf and its snippet), with the snippet's path
// pointed at the prefix. With ports: every `listen 80` on `http`, every `listen 443` on
// `https` (and, for the test's plain WebSocket client, the same server blocks on `plain`),
// the upstreams' 8081 and 8082 on `a` and `b`.
std::string instances_site(const nginx_prefix& p, unsigned short https = 0, unsigned short http = 0,
                           unsigned short plain = 0, unsigned short a = 0, unsigned short b = 0) {
  fs::copy_file(deploy_dir / "nginx" / "plenary-locations.conf", p.dir / "plenary-locations.conf",
                fs::copy_options::overwrite_existing);
  std::string site =
      p.with_test_certificate(read_file(deploy_dir / "nginx" / "plenary-instances.conf"));
  site = replace_all(site, "/etc/nginx/snippets/plenary-locations.conf",
                     (p.dir / "plenary-locations.conf").string());
  if (https) {
    const std::string lo = "listen 127.0.0.1:";
    site = std::regex_replace(site, std::regex(R"(\n\s*listen \[::\]:[0-9]+[^;]*;)"), "");
    site = replace_all(
        site, "listen 443 ssl http2;",
        lo + std::to_string(https) + " ssl http2;\n    " + lo + std::to_string(plain) + ";");
    site = replace_all(site, "listen 443 ssl http2 default_server;",
                       lo + std::to_string(https) + " ssl http2 default_server;");
    site = replace_all(site, "listen 80 default_server;",
                       lo + std::to_string(http) + " default_server;\n    " + lo +
                           std::to_string(plain) + " default_server;");
    site = replace_all(site, "listen 80;", lo + std::to_string(http) + ";");
    site =
        replace_all(site, "server 127.0.0.1:8081;", "server 127.0.0.1:" + std::to_string(a) + ";");
    site =
        replace_all(site, "server 127.0.0.1:8082;", "server 127.0.0.1:" + std::to_string(b) + ";");
  }
  return site;
}

std::optional<std::string> nginx_binary() { return find_program("nginx"); }

#define REQUIRE_NGINX()                                                                    \
  auto nginx = nginx_binary();                                                             \
  if (!nginx || !find_program("openssl")) {                                                \
    GTEST_SKIP() << "nginx or openssl is not installed (scripts/install-deps.sh installs " \
                    "nginx-light and openssl for this test)";                              \
  }

TEST(Deploy, NginxSitePassesNginxT) {
  REQUIRE_NGINX();
  temp_dir tmp;
  nginx_prefix p;
  ASSERT_TRUE(p.make(tmp.path()));
  auto r = sh(*nginx + " -t" + p.args());
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("test is successful"), std::string::npos) << r.out;

  // What the site must say, read from the file.
  const std::string site = read_file(deploy_dir / "nginx" / "plenary.conf");
  EXPECT_NE(site.find("proxy_http_version 1.1;"), std::string::npos);
  EXPECT_NE(site.find("proxy_set_header Upgrade $http_upgrade;"), std::string::npos);
  EXPECT_NE(site.find("map $http_upgrade"), std::string::npos);
  EXPECT_NE(site.find("proxy_set_header X-Forwarded-For"), std::string::npos);
  EXPECT_NE(site.find("return 301 https://"), std::string::npos);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(site, m, std::regex(R"(proxy_read_timeout\s+([0-9]+)s;)")));
  EXPECT_GT(std::stoi(m[1]), 300) << "longer than plenary's --idle-timeout";
  EXPECT_TRUE(std::regex_search(site, std::regex(R"(location = /metrics \{\s*deny all;)")));
}

TEST(Deploy, NginxInstancesSitePassesNginxTWithTheLimitsOfTheSingleSite) {
  REQUIRE_NGINX();
  temp_dir tmp;
  nginx_prefix p;
  ASSERT_TRUE(p.prepare(tmp.path(), "un2027.example.org school.example.org"));
  p.install(instances_site(p));
  auto r = sh(*nginx + " -t" + p.args());
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("test is successful"), std::string::npos) << r.out;

  const std::string single = read_file(deploy_dir / "nginx" / "plenary.conf");
  const std::string both = read_file(deploy_dir / "nginx" / "plenary-instances.conf") +
                           read_file(deploy_dir / "nginx" / "plenary-locations.conf");
  // Every limit, timeout and header of the single site holds for each instance too.
  std::regex directive(
      R"((limit_req_zone|limit_conn_zone|limit_req|limit_conn|client_max_body_size|proxy_read_timeout|proxy_send_timeout|proxy_buffering|proxy_http_version|proxy_set_header|ssl_protocols|ssl_session_tickets|add_header)\s[^;]*;)");
  int n = 0;
  for (std::sregex_iterator it(single.begin(), single.end(), directive), end; it != end;
       ++it, ++n) {
    EXPECT_NE(both.find((*it)[0].str()), std::string::npos)
        << (*it)[0] << " (deploy/nginx/plenary.conf) is missing from the instances' site";
  }
  EXPECT_GE(n, 15);
  EXPECT_TRUE(std::regex_search(both, std::regex(R"(location = /metrics \{\s*deny all;)")));
  EXPECT_TRUE(std::regex_search(both, std::regex(R"(map \$host \$plenary_instance \{)")));
  EXPECT_NE(both.find("return 301 https://"), std::string::npos);
  EXPECT_NE(both.find("ssl_reject_handshake on;"), std::string::npos);
  // Each server block of a conference includes the shared locations.
  std::regex named_https(R"(server_name (\S+);\s*ssl_certificate)");
  int servers = 0;
  for (std::sregex_iterator it(both.begin(), both.end(), named_https), end; it != end; ++it) {
    ++servers;
    EXPECT_NE(both.find(std::string("    ") + (*it)[1].str() + "  plenary_"), std::string::npos)
        << (*it)[1] << " has no instance in the map";
  }
  EXPECT_EQ(servers, 2);
}

TEST(Deploy, NginxProxiesHttpsAndWebSocketsToPlenary) {
  REQUIRE_NGINX();
  if (!find_program("curl")) GTEST_SKIP() << "curl is not installed";
  temp_dir tmp;
  auto data = tmp.path() / "data";
  auto codes = create_draft(data, small_draft_json());
  server srv(data);
  const unsigned short https = free_port(), http = free_port();
  nginx_prefix p;
  ASSERT_TRUE(p.make(tmp.path(), https, http, srv.port()));
  // nginx in the foreground, as a child of this test, on loopback ports only.
  ASSERT_TRUE(p.start(*nginx));
  const std::string base = "https://localhost:" + std::to_string(https);
  auto curl = [&](const std::string& args) { return sh("curl -sk --max-time 5 " + args); };
  std::string health;
  for (int i = 0; i < 100 && health.find("200") == std::string::npos; ++i) {
    std::this_thread::sleep_for(50ms);
    health = curl("-o /dev/null -w '%{http_code}' " + base + "/healthz").out;
  }
  EXPECT_EQ(health, "200") << read_file(p.dir / "error.log");
  EXPECT_EQ(curl("-o /dev/null -w '%{http_code}' " + base + "/metrics").out, "403");
  EXPECT_EQ(curl("-o /dev/null -w '%{http_code}' http://localhost:" + std::to_string(http) +
                 "/d/test-draft")
                .out,
            "301");
  auto api =
      curl("-H 'Authorization: Bearer " + codes.observer + "' " + base + "/api/drafts/test-draft");
  EXPECT_NE(api.out.find("\"slug\":\"test-draft\""), std::string::npos) << api.out;

  // The WebSocket handshake through the proxy, with the Origin a browser on that page sends.
  auto upgrade = [&](const std::string& origin) {
    return curl(
               "--http1.1 -i -N --max-time 2 -H 'Connection: Upgrade' -H 'Upgrade: websocket' "
               "-H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' "
               "-H 'Origin: " +
               origin + "' " + base + "/d/test-draft/ws")
        .out;
  };
  EXPECT_NE(upgrade(base).find("HTTP/1.1 101 Switching Protocols"), std::string::npos)
      << upgrade(base);
  EXPECT_NE(upgrade("https://evil.example").find("HTTP/1.1 403"), std::string::npos);

  p.stop();
}

// The loopback version of deploy/README.md's "Several conferences on one machine": two plenary
// instances behind the shipped nginx site, chosen by Host; a crash of one leaves the other's
// rooms alone, and the crashed instance's draft comes back on the other from its mirror.
TEST(Deploy, TwoInstancesBehindNginxByHostSurviveAKillAndRestoreFromTheMirror) {
  REQUIRE_NGINX();
  if (!find_program("curl")) GTEST_SKIP() << "curl is not installed";
  temp_dir tmp;
  const fs::path data_a = tmp.path() / "a", data_b = tmp.path() / "b";
  auto codes_a = create_draft(data_a, small_draft_json("un-first"));
  auto codes_b = create_draft(data_b, small_draft_json("school-first"));
  auto instance = [&](const fs::path& data, const std::string& mirrors) {
    server_options o;
    o.extra = {"--mirror", (tmp.path() / mirrors).string() + "/{slug}.git", "--trusted-proxy",
               "127.0.0.1"};
    return std::make_unique<server>(data, o);
  };
  auto a = instance(data_a, "mirror-a");
  auto b = instance(data_b, "mirror-b");
  const unsigned short https = free_port(), http = free_port(), plain = free_port();
  nginx_prefix p;
  ASSERT_TRUE(p.prepare(tmp.path(), "un2027.example.org school.example.org"));
  p.install(instances_site(p, https, http, plain, a->port(), b->port()));
  ASSERT_TRUE(p.start(*nginx));
  struct stop_nginx {
    nginx_prefix& p;
    ~stop_nginx() { p.stop(); }
  } stopper{p};

  // HTTPS by name, as a browser would reach each conference.
  auto curl = [&](const std::string& host, const std::string& args) {
    return sh("curl -sk --max-time 5 --resolve " + host + ":" + std::to_string(https) +
              ":127.0.0.1 " + args)
        .out;
  };
  auto status_of = [&](const std::string& host, const std::string& path,
                       const std::string& code = "") {
    return curl(host,
                "-o /dev/null -w '%{http_code}' " +
                    (code.empty() ? std::string() : "-H 'Authorization: Bearer " + code + "' ") +
                    "https://" + host + ":" + std::to_string(https) + path);
  };
  const std::string un = "un2027.example.org", school = "school.example.org";
  std::string health;
  for (int i = 0; i < 100 && health != "200"; ++i) {
    std::this_thread::sleep_for(50ms);
    health = status_of(un, "/healthz");
  }
  ASSERT_EQ(health, "200") << read_file(p.dir / "error.log");
  // Host chooses the instance: each draft is found on its own name only.
  EXPECT_EQ(status_of(un, "/api/drafts/un-first", codes_a.observer), "200");
  EXPECT_EQ(status_of(school, "/api/drafts/school-first", codes_b.observer), "200");
  EXPECT_EQ(status_of(school, "/api/drafts/un-first", codes_a.observer), "404");
  EXPECT_EQ(status_of(un, "/metrics"), "403");
  // A name that is no conference here gets no TLS handshake (curl fails: no status at all).
  EXPECT_EQ(curl("other.example.org", "-o /dev/null -w '%{http_code}' https://other.example.org:" +
                                          std::to_string(https) + "/healthz"),
            "000");
  // The WebSocket upgrade over TLS, on each name.
  for (const auto& [host, slug] : {std::pair{un, "un-first"}, std::pair{school, "school-first"}}) {
    auto up =
        curl(host,
             "--http1.1 -i -N --max-time 2 -H 'Connection: Upgrade' -H 'Upgrade: websocket' "
             "-H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' "
             "-H 'Origin: https://" +
                 host + ":" + std::to_string(https) + "' https://" + host + ":" +
                 std::to_string(https) + "/d/" + slug + "/ws");
    EXPECT_NE(up.find("HTTP/1.1 101 Switching Protocols"), std::string::npos) << host << up;
  }

  // Delegations join and amend through nginx (the same server blocks, on a plain port for the
  // test's WebSocket client), with the Host of their conference.
  auto through = [&](const std::string& host, const std::string& slug) {
    return std::make_unique<ws_client>(
        plain, "/d/" + slug + "/ws",
        std::map<std::string, std::string>{{"Host", host + ":" + std::to_string(plain)}});
  };
  auto usa_a = through(un, "un-first");
  auto w_a = usa_a->join(codes_a.delegations["USA"]);
  const std::string clause = member(w_a["draft"]["clauses"][2], "id");
  const std::string acked =
      replace_clause(*usa_a, 1, clause, member(w_a["draft"]["clauses"][2], "rev"),
                     "To comply with the Charter, as amended in 2027.");
  ASSERT_FALSE(acked.empty());
  usa_a->send(R"({"type":"propose","id":2,"op":"replace","clause":")" + clause + R"(","base":")" +
              acked + R"(","text":"A proposal for later.","note":"Later."})");
  ASSERT_EQ(usa_a->expect("proposed", 2)["proposal"].GetInt(), 1);

  auto fra_b = through(school, "school-first");
  auto w_b = fra_b->join(codes_b.delegations["FRA"]);
  auto watcher_b = through(school, "school-first");
  watcher_b->join(codes_b.observer);
  std::string base_b = replace_clause(*fra_b, 1, clause, member(w_b["draft"]["clauses"][2], "rev"),
                                      "Before the crash next door.");
  ASSERT_FALSE(base_b.empty());
  watcher_b->expect("amended");

  // The mirror follows every commit on its own thread: wait until it has the proposal's too.
  const fs::path mirror_a = tmp.path() / "mirror-a" / "un-first.git";
  const fs::path repo_a = data_a / "drafts" / "un-first.git";
  auto ref_list = [&](const fs::path& repo) {
    return git(repo, "for-each-ref --format='%(objectname) %(refname)'").out;
  };
  for (int i = 0; i < 200 && ref_list(mirror_a) != ref_list(repo_a); ++i)
    std::this_thread::sleep_for(25ms);
  ASSERT_EQ(ref_list(mirror_a), ref_list(repo_a));

  a->kill9();
  EXPECT_EQ(status_of(un, "/healthz"), "502");
  // The other instance's room never noticed: same connections, amendments go on.
  base_b = replace_clause(*fra_b, 3, clause, base_b, "After the crash next door.");
  ASSERT_FALSE(base_b.empty());
  auto seen = watcher_b->expect("amended");
  EXPECT_EQ(member(seen, "commit"), base_b);
  EXPECT_EQ(status_of(school, "/healthz"), "200");

  // The crashed instance's draft, restored on the other from its mirror, beside the running
  // server: served at once through nginx under the other name, with fresh codes.
  auto r = run_plenary(
      {"draft", "restore", "un-first", "--from", mirror_a.string(), "--data", data_b.string()});
  ASSERT_EQ(r.status, 0) << r.err;
  // Commit by commit the repository the killed instance left on its disk.
  EXPECT_EQ(ref_list(data_b / "drafts" / "un-first.git"), ref_list(repo_a));
  EXPECT_EQ(git(data_b / "drafts" / "un-first.git", "log --format='%H %an %s' main procedure").out,
            git(repo_a, "log --format='%H %an %s' main procedure").out);
  auto fresh = parse_json(r.out);
  auto usa_again = through(school, "un-first");
  auto w = usa_again->join(member(fresh["codes"]["delegations"], "USA"));
  EXPECT_EQ(member(w["draft"], "head"), acked) << "the last acknowledged amendment";
  EXPECT_EQ(member(w["draft"]["clauses"][2], "text"),
            "To comply with the Charter, as amended in 2027.");
  EXPECT_EQ(member(w["draft"]["clauses"][2], "by"), "USA");
  const std::string observer = member(fresh["codes"], "observer");
  auto api = [&](const std::string& path) {
    return curl(school, "-H 'Authorization: Bearer " + observer + "' https://" + school + ":" +
                            std::to_string(https) + "/api/drafts/un-first" + path);
  };
  auto history = parse_json(api("/clauses/" + clause + "/history"));
  ASSERT_TRUE(history.IsObject());
  ASSERT_EQ(history["entries"].Size(), 2u);  // the open commit, then the amendment
  EXPECT_EQ(member(history["entries"][1], "commit"), acked);
  EXPECT_EQ(member(history["entries"][1]["by"], "state"), "USA");
  EXPECT_EQ(member(history["entries"][1]["by"], "name"), "United States");
  EXPECT_NE(api("/proposals").find("A proposal for later."), std::string::npos);
  // And the instance that kept running still serves its own draft.
  EXPECT_EQ(status_of(school, "/api/drafts/school-first", codes_b.observer), "200");
}

TEST(Deploy, SystemdUnitPassesSystemdAnalyzeVerify) {
  auto analyze = find_program("systemd-analyze");
  if (!analyze) GTEST_SKIP() << "systemd-analyze is not installed (normal in containers)";
  temp_dir tmp;
  // Verified as installed: ExecStart must name an executable, so point it at this build.
  std::string unit = read_file(deploy_dir / "plenary.service");
  unit = replace_all(unit, "ExecStart=/usr/local/bin/plenary", "ExecStart=" + plenary_bin());
  std::ofstream(tmp.path() / "plenary.service") << unit;
  auto r = sh(*analyze + " verify " + quote((tmp.path() / "plenary.service").string()));
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(r.out, "") << "warnings from systemd-analyze";
  const std::string original = read_file(deploy_dir / "plenary.service");
  for (const char* line :
       {"DynamicUser=yes", "StateDirectory=plenary", "ProtectSystem=strict", "ProtectHome=yes",
        "PrivateTmp=yes", "NoNewPrivileges=yes", "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
        "SystemCallFilter=@system-service", "CapabilityBoundingSet=\n", "Restart=on-failure",
        "EnvironmentFile=-/etc/plenary/plenary.env", "KillSignal=SIGTERM", "TimeoutStopSec=20"}) {
    EXPECT_NE(original.find(line), std::string::npos) << line;
  }
}

TEST(Deploy, SystemdTemplatePassesSystemdAnalyzeVerifyWithTheSameHardening) {
  auto analyze = find_program("systemd-analyze");
  if (!analyze) GTEST_SKIP() << "systemd-analyze is not installed (normal in containers)";
  temp_dir tmp;
  const std::string original = read_file(deploy_dir / "plenary@.service");
  std::string unit =
      replace_all(original, "ExecStart=/usr/local/bin/plenary", "ExecStart=" + plenary_bin());
  std::ofstream(tmp.path() / "plenary@.service") << unit;
  // An instance of the template, as `systemctl start plenary@un2027` would load it.
  auto r = sh(*analyze + " verify " + quote((tmp.path() / "plenary@un2027.service").string()));
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(r.out, "") << "warnings from systemd-analyze";

  // Every hardening, limit and stop setting of plenary.service, word for word.
  const std::string single = read_file(deploy_dir / "plenary.service");
  const std::string from = single.substr(single.find("UMask="));
  std::istringstream lines(from.substr(0, from.find("[Install]")));
  int n = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    ++n;
    EXPECT_NE(original.find(line + "\n"), std::string::npos)
        << line << " is not in plenary@.service";
  }
  EXPECT_GE(n, 30);
  for (const char* line :
       {"DynamicUser=yes\n", "User=plenary-%i\n", "StateDirectory=plenary/%i\n",
        "StateDirectoryMode=0700\n", "Environment=PLENARY_DATA=/var/lib/plenary/%i\n",
        "EnvironmentFile=/etc/plenary/%i.env\n", "ExecStart=/usr/local/bin/plenary serve\n"}) {
    EXPECT_NE(original.find(line), std::string::npos) << line;
  }
}

TEST(Deploy, EnvFileDocumentsEveryServeOption) {
  const std::string env = read_file(deploy_dir / "plenary.env");
  auto h = run_plenary({"serve", "--help"});
  std::regex var(R"(\(Env:(PLENARY_[A-Z_]+)\))");
  int n = 0;
  for (std::sregex_iterator it(h.out.begin(), h.out.end(), var), end; it != end; ++it, ++n) {
    EXPECT_NE(env.find((*it)[1].str() + "="), std::string::npos)
        << (*it)[1] << " is not in deploy/plenary.env";
  }
  EXPECT_GE(n, 12);
}

TEST(Deploy, ContainerHealthCheckAgainstARealServer) {
  temp_dir tmp;
  auto data = tmp.path() / "data";
  create_draft(data, small_draft_json());
  const std::string check = (deploy_dir / "healthcheck.sh").string();
  unsigned short port = 0;
  {
    server srv(data);
    port = srv.port();
    auto ok = sh("PLENARY_LISTEN=0.0.0.0:" + std::to_string(port) + " " + quote(check));
    EXPECT_EQ(ok.status, 0) << ok.out;
    fs::rename(data, tmp.path() / "moved");  // /healthz answers 500 now
    auto sick = sh("PLENARY_LISTEN=0.0.0.0:" + std::to_string(port) + " " + quote(check));
    EXPECT_EQ(sick.status, 1) << sick.out;
    EXPECT_NE(sick.out.find("500"), std::string::npos) << sick.out;
    fs::rename(tmp.path() / "moved", data);
  }
  auto down = sh("PLENARY_LISTEN=0.0.0.0:" + std::to_string(port) + " " + quote(check));
  EXPECT_EQ(down.status, 1) << down.out;
}

TEST(Deploy, DockerRuntimeStageHasEveryLibraryTheBinaryLinks) {
  if (!find_program("dpkg") || !find_program("objdump"))
    GTEST_SKIP() << "needs dpkg and objdump (Debian)";
  const std::string dockerfile = read_file(deploy_dir / "Dockerfile");
  // The runtime stage: after the second FROM.
  auto second = dockerfile.find("FROM debian:bookworm-slim");
  ASSERT_NE(second, std::string::npos);
  const std::string runtime = dockerfile.substr(second);
  EXPECT_NE(dockerfile.find("FROM debian:bookworm AS build"), std::string::npos);
  for (const char* must :
       {"USER plenary", "VOLUME [\"/var/lib/plenary\"]", "EXPOSE 8080", "HEALTHCHECK",
        "PLENARY_DATA=/var/lib/plenary", "PLENARY_LISTEN=0.0.0.0:8080"}) {
    EXPECT_NE(runtime.find(must), std::string::npos) << must;
  }
  EXPECT_EQ(runtime.find("-dev"), std::string::npos) << "no -dev package at run time";

  // Each library the binary asks for (DT_NEEDED), by the Debian package that ships it.
  const std::string bin = quote(plenary_bin());
  auto pkgs = sh("for lib in $(objdump -p " + bin +
                 " | awk '/NEEDED/{print $2}'); do "
                 "p=$(ldd " +
                 bin +
                 " | awk -v l=\"$lib\" '$1==l{print $3}'); r=$(readlink -f \"$p\"); "
                 "{ dpkg -S \"$r\" || dpkg -S \"${r#/usr}\" || dpkg -S \"$p\"; } 2>/dev/null | "
                 "head -1 | cut -d: -f1; done | sort -u");
  ASSERT_EQ(pkgs.status, 0) << pkgs.out;
  if (pkgs.out.find("libasan") != std::string::npos ||
      pkgs.out.find("libubsan") != std::string::npos) {
    GTEST_SKIP() << "a sanitizer build links libasan/libubsan; the release image does not";
  }
  const std::set<std::string> in_base{"libc6", "libstdc++6",
                                      "libgcc-s1"};  // bookworm-slim has them
  int checked = 0;
  std::istringstream in(pkgs.out);
  for (std::string pkg; std::getline(in, pkg);) {
    if (pkg.empty() || in_base.count(pkg)) continue;
    ++checked;
    EXPECT_TRUE(std::regex_search(
        runtime,
        std::regex("\\s" + std::regex_replace(pkg, std::regex(R"([.+])"), R"(\$&)") + "(\\s|$)")))
        << pkg << " (linked by plenary) is not installed by the runtime stage";
  }
  EXPECT_GE(checked, 3) << pkgs.out;  // libgit2, libsodium, spdlog, fmt
}

TEST(Deploy, ComposeFileParsesWhereDockerComposeExists) {
  // `config` parses and validates without an engine: the plugin, or Debian's docker-compose.
  std::string compose;
  if (sh("docker compose version").status == 0) {
    compose = "docker compose";
  } else if (auto v1 = find_program("docker-compose")) {
    compose = *v1;
  } else {
    GTEST_SKIP() << "neither `docker compose` nor docker-compose is installed "
                    "(apt-get install docker-compose): compose.yaml is reviewed by reading";
  }
  auto r = sh(compose + " -f " + quote((deploy_dir / "compose.yaml").string()) + " config");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("dockerfile: deploy/Dockerfile"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("plenary-data:/var/lib/plenary"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace plenary::test::ops
