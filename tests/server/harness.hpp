// Test harness for the server: runs the real `plenary` binary on an ephemeral port and talks
// to it as a client would, over real sockets (a Beast WebSocket client and HTTP requests).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <rapidjson/document.h>

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
  temp_dir();
  ~temp_dir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

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

// A running `plenary serve`; stopped (SIGTERM, then SIGKILL) when destroyed.
class server {
 public:
  explicit server(const std::filesystem::path& data, std::vector<std::string> extra = {});
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  unsigned short port() const { return port_; }
  const std::string& host() const { return host_; }
  std::string url() const { return "http://" + host_ + ":" + std::to_string(port_); }
  // Sends SIGTERM and waits; returns the exit status.
  int stop();
  const std::string& stdout_text() const { return stdout_; }

 private:
  int pid_ = -1;
  int out_fd_ = -1;
  std::string host_ = "127.0.0.1";
  unsigned short port_ = 0;
  std::string stdout_;
};

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

  std::vector<std::string> seen;  // messages skipped by expect()

 private:
  boost::asio::io_context ioc_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  bool closed_ = false;
};

std::string member(const rapidjson::Value& v, const char* name);  // a string member or ""

}  // namespace plenary::test
