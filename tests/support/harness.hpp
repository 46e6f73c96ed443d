// Test harness for the server: runs the real `plenary` binary on an ephemeral port and talks
// to it as a client would, over real sockets (a Beast WebSocket client and HTTP requests).
// Part of plenary_test_support (tests/support/), which every integration test folder links.
// Thread-safety: each object belongs to the thread that made it; the free functions share no
// state. Every child process dies with the test (PR_SET_PDEATHSIG, child.hpp).
#pragma once

#include <rapidjson/document.h>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace plenary::test {

using namespace std::chrono_literals;

// A fresh directory, removed with everything in it when destroyed.
class temp_dir {
 public:
  // Under $TMPDIR (std::filesystem::temp_directory_path()).
  temp_dir();
  // `for_another_user`: mode 0755 and under a parent every user can search ($TMPDIR when all
  // its ancestors have o+x, else /tmp), for a process a root test runs as `nobody`.
  struct for_another_user_t {};
  static constexpr for_another_user_t for_another_user{};
  explicit temp_dir(for_another_user_t);
  ~temp_dir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The `plenary` binary the tests run: $PLENARY_TEST_BIN when set (the `location` test runs a
// copy in a private folder), else the one this build made (PLENARY_BIN).
std::string plenary_bin();

struct run_result {
  int status = -1;
  std::string out;
  std::string err;
};

// Runs `plenary` with the arguments and waits for it.
run_result run_plenary(const std::vector<std::string>& args);

struct codes {
  std::string slug;
  std::string chair;
  std::string observer;
  std::map<std::string, std::string> delegations;
};

// `plenary draft create` of a draft file written from `json`; fails the test on error.
codes create_draft(const std::filesystem::path& data, const std::string& json,
                   const std::string& slug = "");

// A small draft: a heading, a preamble paragraph and three operative clauses, delegations
// RUS, USA, CHN, FRA.
std::string small_draft_json(const std::string& slug = "test-draft");

// How to start `plenary serve` when the defaults (fsync off, a free port, warnings only on
// the test's own standard error) are not what a test needs.
struct server_options {
  std::vector<std::string> extra{};  // more flags
  bool fsync = false;
  unsigned short port = 0;  // 0: any free port; else this one (to restart)
  std::string log_level = "warn";
  std::filesystem::path stderr_file{};  // where the server's log goes; empty: inherited
  // The server's limit of open files, soft and hard (as `prlimit --nofile=N` sets it); 0: the
  // test's own.
  unsigned long open_files = 0;
};

// A running `plenary serve`; stopped (SIGTERM, then SIGKILL) when destroyed.
class server {
 public:
  explicit server(const std::filesystem::path& data, std::vector<std::string> extra = {});
  server(const std::filesystem::path& data, const server_options& options);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  unsigned short port() const { return port_; }
  int pid() const { return pid_; }
  // CPU time the server has used so far, user and system (from /proc/<pid>/stat).
  std::chrono::milliseconds cpu_time() const;
  const std::string& host() const { return host_; }
  std::string url() const { return "http://" + host_ + ":" + std::to_string(port_); }
  bool started() const { return port_ != 0; }
  // Sends SIGTERM and waits; returns the exit status.
  int stop();
  // Kills the server with SIGKILL (a crash: nothing is flushed) and reaps it.
  void kill9();
  const std::string& stdout_text() const { return stdout_; }
  // What the server wrote to `options.stderr_file` so far.
  std::string stderr_text() const;

 private:
  int pid_ = -1;
  int out_fd_ = -1;
  std::string host_ = "127.0.0.1";
  unsigned short port_ = 0;
  std::string stdout_;
  std::filesystem::path stderr_file_;
};

// `git --git-dir=<repo> <args>` through the shell, isolated from the user's git
// configuration: its exit status and what it printed on standard output (and standard
// error too, unless `with_stderr` is false).
run_result run_git(const std::filesystem::path& repo, const std::string& args,
                   bool with_stderr = true);

struct http_response {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
};

http_response http_get(unsigned short port, const std::string& target,
                       const std::string& bearer = "",
                       const std::map<std::string, std::string>& extra_headers = {});

rapidjson::Document parse_json(const std::string& text);

// A WebSocket client with a timeout on every read.
class ws_client {
 public:
  ws_client(unsigned short port, const std::string& path,
            const std::map<std::string, std::string>& headers = {});
  ~ws_client();

  void send(const std::string& text);
  void send_binary(const std::string& bytes);
  // The next text message, or nullopt when none came within `timeout` or the socket closed.
  std::optional<std::string> receive(std::chrono::milliseconds timeout = 5s);
  // Reads until a message of type `type` (and with `id` if given) arrives; others are kept
  // in `seen`. Fails the test on timeout.
  rapidjson::Document expect(const std::string& type, std::optional<long> id = std::nullopt,
                             std::chrono::milliseconds timeout = 5s);
  // Sends {"type":"join","code":...} and returns the welcome (fails the test otherwise).
  rapidjson::Document join(const std::string& code);
  // Waits for the connection to be closed by the server; returns the close code (or -1).
  int wait_closed(std::chrono::milliseconds timeout = 5s);
  bool is_open() const;
  // The Beast stream and its io_context, for tests that drive the protocol by hand.
  boost::beast::websocket::stream<boost::beast::tcp_stream>& stream() { return ws_; }
  boost::asio::io_context& context() { return ioc_; }

  std::vector<std::string> seen;  // messages skipped by expect()

 private:
  boost::asio::io_context ioc_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  bool closed_ = false;
};

std::string member(const rapidjson::Value& v, const char* name);  // a string member or ""

// A plain TCP connection, for peers that misbehave below WebSocket (half-sent requests, peers
// that never answer pings) and for connections from another loopback address.
class raw_connection {
 public:
  raw_connection(unsigned short port, const std::string& from = "127.0.0.1");
  ~raw_connection();
  raw_connection(const raw_connection&) = delete;
  raw_connection& operator=(const raw_connection&) = delete;

  void send(std::string_view bytes);
  // Reads until `marker` has arrived, the server closed, or `timeout`; returns what came.
  std::string read_until(std::string_view marker, std::chrono::milliseconds timeout);
  // Reads until the server closes; nullopt when it is still open after `timeout`.
  std::optional<std::string> read_until_closed(std::chrono::milliseconds timeout);

 private:
  bool read_some(std::chrono::milliseconds timeout, bool& closed);
  int fd_ = -1;
  std::string received_;
};

// The request a browser sends to open a WebSocket on `path`.
std::string upgrade_request(unsigned short port, const std::string& path);

}  // namespace plenary::test
