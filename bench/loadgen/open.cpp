// plenary-loadgen open: time from starting the server to the first welcome.
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <regex>

#include "client.hpp"
#include "modes.hpp"

namespace plenary::bench {

int run_open(const open_options& o) {
  std::vector<std::string> cmd = o.command;
  std::vector<char*> argv;
  for (auto& s : cmd) argv.push_back(s.data());
  argv.push_back(nullptr);
  int out[2];
  if (::pipe(out) != 0) die("pipe");
  const auto t0 = steady::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::close(out[0]);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  std::string text;
  std::smatch m;
  static const std::regex listening(R"(listening on http://([0-9.]+):([0-9]+))");
  unsigned short port = 0;
  while (steady::now() - t0 < std::chrono::seconds(120)) {
    pollfd pf{out[0], POLLIN, 0};
    if (::poll(&pf, 1, 100) <= 0) continue;
    char buf[4096];
    ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    if (std::regex_search(text, m, listening)) {
      port = static_cast<unsigned short>(std::stoi(m[2]));
      break;
    }
  }
  if (port == 0) die("the server did not start: " + text);
  const auto t_listen = steady::now();
  asio::io_context ioc;
  websocket::stream<beast::tcp_stream> ws(ioc);
  beast::get_lowest_layer(ws).connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  ws.handshake("127.0.0.1:" + std::to_string(port), "/d/" + o.slug + "/ws");
  ws.write(asio::buffer(join_frame(o.code)));
  beast::flat_buffer b;
  std::string msg;
  do {
    b.consume(b.size());
    ws.read(b);
    msg = beast::buffers_to_string(b.data());
  } while (!is_type(msg, "welcome") && !is_type(msg, "error"));
  const auto t_welcome = steady::now();
  const bool ok = is_type(msg, "welcome");
  beast::error_code ec;
  beast::get_lowest_layer(ws).socket().close(ec);
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(out[0]);
  std::printf(
      "{\"scenario\": \"open\", \"ok\": %s, \"listening_ms\": %.1f, \"welcome_ms\": %.1f, "
      "\"welcome_bytes\": %zu}\n",
      ok ? "true" : "false", ms_since(t0, t_listen), ms_since(t0, t_welcome), msg.size());
  return ok ? 0 : 1;
}

}  // namespace plenary::bench
