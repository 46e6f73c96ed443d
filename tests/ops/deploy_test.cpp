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

// A throwaway nginx prefix: a self-signed certificate and a main configuration that includes
// the shipped site (its certificate paths, and optionally its ports, rewritten).
struct nginx_prefix {
  fs::path dir;
  std::string binary;

  bool make(const fs::path& root, unsigned short https = 0, unsigned short http = 0,
            unsigned short upstream = 0) {
    dir = root / "nginx";
    fs::create_directories(dir / "tmp");
    auto cert =
        sh("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost "
           "-addext subjectAltName=DNS:localhost -keyout " +
           quote((dir / "key.pem").string()) + " -out " + quote((dir / "cert.pem").string()));
    EXPECT_EQ(cert.status, 0) << cert.out;
    std::string site = read_file(deploy_dir / "nginx" / "plenary.conf");
    site = std::regex_replace(site, std::regex(R"(ssl_certificate\s+\S+;)"),
                              "ssl_certificate " + (dir / "cert.pem").string() + ";");
    site = std::regex_replace(site, std::regex(R"(ssl_certificate_key\s+\S+;)"),
                              "ssl_certificate_key " + (dir / "key.pem").string() + ";");
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
    std::ofstream(dir / "site.conf") << site;
    const std::string d = dir.string();
    std::ofstream(dir / "nginx.conf")
        << "pid " << d << "/nginx.pid;\nerror_log " << d << "/error.log;\nevents {}\nhttp {\n"
        << "  access_log " << d << "/access.log;\n"
        << "  client_body_temp_path " << d << "/tmp/body;\n  proxy_temp_path " << d
        << "/tmp/proxy;\n"
        << "  fastcgi_temp_path " << d << "/tmp/fcgi;\n  uwsgi_temp_path " << d << "/tmp/uwsgi;\n"
        << "  scgi_temp_path " << d << "/tmp/scgi;\n  include " << d << "/site.conf;\n}\n";
    return cert.status == 0;
  }
  std::string args() const {
    return " -p " + quote(dir.string()) + " -c " + quote((dir / "nginx.conf").string()) + " -e " +
           quote((dir / "error.log").string());
  }
};

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
  const std::string pid_file = (p.dir / "run.pid").string();
  auto started = sh(*nginx + p.args() + " -g 'daemon off;' > " +
                    quote((p.dir / "out.log").string()) + " 2>&1 & echo $! > " + quote(pid_file));
  ASSERT_EQ(started.status, 0);
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

  sh("kill -QUIT $(cat " + quote(pid_file) + ")");
  for (int i = 0; i < 100 && fs::exists(p.dir / "nginx.pid"); ++i)
    std::this_thread::sleep_for(50ms);
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
