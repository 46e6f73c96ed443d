#include "harness.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "child.hpp"

namespace plenary::test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace fs = std::filesystem;
using tcp = asio::ip::tcp;

namespace {

fs::path fresh_dir_under(const fs::path& parent) {
  std::random_device rd;
  fs::path p = parent / ("plenary-test-" + std::to_string(rd()) + std::to_string(rd()));
  fs::create_directories(p);
  return p;
}

// Whether a user other than the owner can reach `p`: every ancestor has o+x.
bool searchable_by_others(fs::path p) {
  p = fs::weakly_canonical(p);
  for (;;) {
    std::error_code ec;
    const auto st = fs::status(p, ec);
    if (ec || (st.permissions() & fs::perms::others_exec) == fs::perms::none) return false;
    if (p == p.root_path()) return true;
    p = p.parent_path();
  }
}

}  // namespace

temp_dir::temp_dir() : path_(fresh_dir_under(fs::temp_directory_path())) {}

temp_dir::temp_dir(for_another_user_t) {
  // A checkout's own TMPDIR may be private (a CI runner's work folder, /root/...): /tmp is
  // world-searchable (mode 1777) on every Linux system.
  const fs::path tmp = fs::temp_directory_path();
  path_ = fresh_dir_under(searchable_by_others(tmp) ? tmp : fs::path("/tmp"));
  fs::permissions(path_,
                  fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                      fs::perms::others_read | fs::perms::others_exec,
                  fs::perm_options::replace);
}

std::string plenary_bin() {
  const char* env = std::getenv("PLENARY_TEST_BIN");
  return env != nullptr && *env != '\0' ? env : PLENARY_BIN;
}

temp_dir::~temp_dir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

namespace {

std::string read_all(int fd) {
  std::string s;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    s.append(buf, static_cast<std::size_t>(n));
  }
  return s;
}

}  // namespace

run_result run_plenary(const std::vector<std::string>& args) {
  std::vector<std::string> full{plenary_bin()};
  full.insert(full.end(), args.begin(), args.end());
  int out[2], err[2];
  EXPECT_EQ(::pipe(out), 0);
  EXPECT_EQ(::pipe(err), 0);
  const child::command cmd(std::move(full));
  const pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    ::close(out[0]);
    ::close(err[0]);
    cmd.exec_in_child(-1, parent);
  }
  ::close(out[1]);
  ::close(err[1]);
  run_result r;
  // Small outputs: read stdout then stderr (both fit in the pipe buffers).
  r.out = read_all(out[0]);
  r.err = read_all(err[0]);
  ::close(out[0]);
  ::close(err[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

std::string small_draft_json(const std::string& slug) {
  return R"({"slug": ")" + slug + R"(", "title": "Test Code of Conduct",
  "clauses": [
    {"kind": "heading", "text": "Each State subscribing to this Code pledges:"},
    {"kind": "preamble", "text": "Recognizing the need to prevent misuse of information technologies,"},
    {"kind": "operative", "text": "To comply with the Charter of the United Nations and universally recognized norms."},
    {"kind": "operative", "text": "Not to use information technologies to carry out hostile activities."},
    {"kind": "operative", "text": "To settle any dispute through peaceful means."}
  ],
  "delegations": [
    {"code": "RUS", "name": "Russian Federation"},
    {"code": "USA", "name": "United States"},
    {"code": "CHN", "name": "China"},
    {"code": "FRA", "name": "France"}
  ]})";
}

codes create_draft(const fs::path& data, const std::string& json, const std::string& slug) {
  fs::path file = data.parent_path() / ("draft-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(std::random_device{}()) + ".json");
  std::ofstream(file) << json;
  std::vector<std::string> args{"draft",  "create",      "--data",  data.string(),
                                "--from", file.string(), "--fsync", "off"};
  if (!slug.empty()) {
    args.push_back("--slug");
    args.push_back(slug);
  }
  auto r = run_plenary(args);
  fs::remove(file);
  EXPECT_EQ(r.status, 0) << r.err;
  codes c;
  auto doc = parse_json(r.out);
  if (!doc.IsObject()) return c;
  c.slug = member(doc, "slug");
  const auto& k = doc["codes"];
  c.chair = member(k, "chair");
  c.observer = member(k, "observer");
  for (auto& d : k["delegations"].GetObject())
    c.delegations[d.name.GetString()] = d.value.GetString();
  return c;
}

server::server(const fs::path& data, std::vector<std::string> extra)
    : server(data, server_options{.extra = std::move(extra)}) {}

server::server(const fs::path& data, const server_options& options)
    : stderr_file_(options.stderr_file) {
  std::vector<std::string> args{plenary_bin(), "serve",
                                "--data",      data.string(),
                                "--listen",    "127.0.0.1:" + std::to_string(options.port),
                                "--web",       PLENARY_WEB_DIR,
                                "--fsync",     options.fsync ? "on" : "off",
                                "--log-level", options.log_level};
  args.insert(args.end(), options.extra.begin(), options.extra.end());
  int out[2];
  EXPECT_EQ(::pipe(out), 0);
  // Opened before fork: the child only makes async-signal-safe calls.
  const int err =
      options.stderr_file.empty()
          ? -1
          : ::open(options.stderr_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  const child::command cmd(std::move(args));
  const pid_t parent = ::getpid();
  const rlim_t open_files = options.open_files;
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(out[1], 1);
    ::close(out[0]);
    if (err >= 0) ::dup2(err, 2);
    if (open_files > 0) {  // setrlimit is async-signal-safe
      const rlimit rl{open_files, open_files};
      if (::setrlimit(RLIMIT_NOFILE, &rl) != 0) ::_exit(126);
    }
    cmd.exec_in_child(-1, parent);
  }
  if (err >= 0) ::close(err);
  ::close(out[1]);
  out_fd_ = out[0];
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{out_fd_, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    char buf[4096];
    ssize_t n = ::read(out_fd_, buf, sizeof buf);
    if (n <= 0) break;
    stdout_.append(buf, static_cast<std::size_t>(n));
    if (auto at = child::find_listening(stdout_)) {
      host_ = at->host;
      port_ = at->port;
      return;
    }
  }
  ADD_FAILURE() << "the server did not start; it printed: " << stdout_ << stderr_text();
}

std::chrono::milliseconds server::cpu_time() const {
  std::ifstream in("/proc/" + std::to_string(pid_) + "/stat");
  std::string stat{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  // After "pid (comm) ": state is field 3; utime and stime are fields 14 and 15, in ticks.
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string skip;
  for (int i = 3; i < 14; ++i) fields >> skip;
  long long utime = 0, stime = 0;
  fields >> utime >> stime;
  return std::chrono::milliseconds((utime + stime) * 1000 / ::sysconf(_SC_CLK_TCK));
}

std::string server::stderr_text() const {
  if (stderr_file_.empty()) return "";
  std::ifstream in(stderr_file_, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void server::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

run_result run_git(const fs::path& repo, const std::string& args, bool with_stderr) {
  std::string cmd = "GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null git --git-dir='" +
                    repo.string() + "' " + args + (with_stderr ? " 2>&1" : " 2>/dev/null");
  run_result r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = ::pclose(p);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

int server::stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 200; ++i) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(50ms);
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return 137;
}

server::~server() {
  // A server that does not stop cleanly on SIGTERM fails the test that ran it; so does one
  // whose sanitizers found something (a leak found at exit makes it exit with 23).
  if (pid_ > 0) {
    EXPECT_EQ(stop(), 0) << "plenary did not stop cleanly";
  }
  if (out_fd_ >= 0) ::close(out_fd_);
}

http_response http_get(unsigned short port, const std::string& target, const std::string& bearer,
                       const std::map<std::string, std::string>& extra_headers) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  http::request<http::empty_body> req{http::verb::get, target, 11};
  req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  if (!bearer.empty()) req.set(http::field::authorization, "Bearer " + bearer);
  for (const auto& [k, v] : extra_headers) req.set(k, v);
  http::write(stream, req);
  beast::flat_buffer buf;
  http::response<http::string_body> res;
  http::read(stream, buf, res);
  http_response out;
  out.status = static_cast<int>(res.result_int());
  out.body = res.body();
  for (const auto& f : res) {
    std::string name(f.name_string());
    for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    out.headers[name] = std::string(f.value());
  }
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  return out;
}

rapidjson::Document parse_json(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.data(), text.size());
  EXPECT_FALSE(d.HasParseError()) << "not JSON: " << text.substr(0, 300);
  return d;
}

std::string member(const rapidjson::Value& v, const char* name) {
  if (!v.IsObject()) return "";
  auto it = v.FindMember(name);
  if (it == v.MemberEnd() || !it->value.IsString()) return "";
  return {it->value.GetString(), it->value.GetStringLength()};
}

ws_client::ws_client(unsigned short port, const std::string& path,
                     const std::map<std::string, std::string>& headers)
    : ws_(ioc_) {
  beast::get_lowest_layer(ws_).connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  ws_.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
    for (const auto& [k, v] : headers) req.set(k, v);
  }));
  ws_.read_message_max(64 * 1024 * 1024);
  ws_.handshake("127.0.0.1:" + std::to_string(port), path);
}

ws_client::~ws_client() {
  if (closed_ || !ws_.is_open()) return;
  beast::error_code ec;
  beast::get_lowest_layer(ws_).socket().close(ec);
}

bool ws_client::is_open() const { return !closed_ && ws_.is_open(); }

void ws_client::send(const std::string& text) {
  ws_.text(true);
  ws_.write(asio::buffer(text));
}

void ws_client::send_binary(const std::string& bytes) {
  ws_.binary(true);
  ws_.write(asio::buffer(bytes));
}

std::optional<std::string> ws_client::receive(std::chrono::milliseconds timeout) {
  if (closed_) return std::nullopt;
  std::optional<beast::error_code> result;
  ws_.async_read(buffer_, [&](beast::error_code ec, std::size_t) { result = ec; });
  ioc_.restart();
  ioc_.run_for(timeout);
  if (!result) {
    // Timed out: cancel the read and let it finish.
    beast::get_lowest_layer(ws_).socket().cancel();
    ioc_.restart();
    ioc_.run_for(1s);
    closed_ = true;  // a cancelled websocket read leaves the stream unusable
    return std::nullopt;
  }
  if (*result) {
    closed_ = true;
    return std::nullopt;
  }
  std::string s = beast::buffers_to_string(buffer_.data());
  buffer_.consume(buffer_.size());
  return s;
}

rapidjson::Document ws_client::expect(const std::string& type, std::optional<long> id,
                                      std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    auto msg = receive(left);
    if (!msg) break;
    rapidjson::Document d;
    d.Parse(msg->data(), msg->size());
    if (!d.HasParseError() && d.IsObject() && member(d, "type") == type) {
      if (!id) return d;
      auto it = d.FindMember("id");
      if (it != d.MemberEnd() && it->value.IsInt64() && it->value.GetInt64() == *id) return d;
    }
    seen.push_back(*msg);
  }
  std::string last = seen.empty() ? "(nothing)" : seen.back();
  ADD_FAILURE() << "no `" << type << "` message" << (id ? " with id " + std::to_string(*id) : "")
                << " arrived; last seen: " << last.substr(0, 500);
  rapidjson::Document empty;
  empty.SetObject();
  return empty;
}

rapidjson::Document ws_client::join(const std::string& code) {
  send(R"({"type":"join","id":1,"code":")" + code + R"("})");
  return expect("welcome", 1);
}

int ws_client::wait_closed(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!closed_ && std::chrono::steady_clock::now() < deadline) {
    std::optional<beast::error_code> result;
    ws_.async_read(buffer_, [&](beast::error_code ec, std::size_t) { result = ec; });
    ioc_.restart();
    ioc_.run_for(std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now()));
    if (!result) break;
    buffer_.consume(buffer_.size());
    if (*result) {
      closed_ = true;
      return ws_.reason().code ? static_cast<int>(ws_.reason().code) : -1;
    }
  }
  return closed_ ? static_cast<int>(ws_.reason().code) : -2;  // -2: still open
}

raw_connection::raw_connection(unsigned short port, const std::string& from) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  ::inet_pton(AF_INET, from.c_str(), &local.sin_addr);
  EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local), 0) << from;
  sockaddr_in server{};
  server.sin_family = AF_INET;
  server.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
  EXPECT_EQ(::connect(fd_, reinterpret_cast<sockaddr*>(&server), sizeof server), 0)
      << std::strerror(errno);
}

raw_connection::~raw_connection() {
  if (fd_ >= 0) ::close(fd_);
}

void raw_connection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

bool raw_connection::read_some(std::chrono::milliseconds timeout, bool& closed) {
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
  char buf[4096];
  ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
  if (n <= 0) {
    closed = true;  // EOF, or reset
    return true;
  }
  received_.append(buf, static_cast<std::size_t>(n));
  return true;
}

std::string raw_connection::read_until(std::string_view marker, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool closed = false;
  while (received_.find(marker) == std::string::npos && !closed) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !read_some(left, closed)) break;
  }
  std::string out;
  auto at = received_.find(marker);
  std::size_t n = at == std::string::npos ? received_.size() : at + marker.size();
  out = received_.substr(0, n);
  received_.erase(0, n);
  return out;
}

std::optional<std::string> raw_connection::read_until_closed(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool closed = false;
  while (!closed) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !read_some(left, closed)) return std::nullopt;
  }
  return std::exchange(received_, {});
}

std::string upgrade_request(unsigned short port, const std::string& path) {
  return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
         "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
}

}  // namespace plenary::test
