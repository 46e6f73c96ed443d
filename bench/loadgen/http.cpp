// plenary-loadgen http: sequential GETs on one keep-alive connection.
#include <boost/beast/http.hpp>
#include <cstdio>

#include "client.hpp"
#include "modes.hpp"

namespace http = boost::beast::http;

namespace plenary::bench {

int run_http(const http_options& o) {
  const auto server = endpoint_of(o.host, o.port);
  const long requests = o.requests;
  const std::string& bearer = o.bearer;
  const auto& targets = o.targets;
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(server);
  stream.socket().set_option(tcp::no_delay(true));
  // Room for a whole large answer (a long history is megabytes): fewer reads and wake-ups.
  stream.socket().set_option(asio::socket_base::receive_buffer_size(8 << 20));
  beast::flat_buffer buf;
  buf.reserve(1 << 20);
  std::printf("{\"scenario\": \"http\", \"targets\": [");
  bool first_target = true;
  for (const std::string& target : targets) {
    std::vector<double> ms;
    double first = 0;
    std::size_t bytes = 0;
    int status = 0;
    for (long i = 0; i < requests + 1; ++i) {
      http::request<http::empty_body> req{http::verb::get, target, 11};
      req.set(http::field::host, server.address().to_string());
      req.set(http::field::authorization, "Bearer " + bearer);
      req.keep_alive(true);
      http::response_parser<http::string_body> parser;
      parser.body_limit(512 * 1024 * 1024);
      const auto t0 = steady::now();
      http::write(stream, req);
      http::read(stream, buf, parser);
      const double d = ms_since(t0, steady::now());
      status = static_cast<int>(parser.get().result_int());
      bytes = parser.get().body().size();
      if (i == 0) {
        first = d;
      } else {
        ms.push_back(d);
      }
    }
    std::printf(
        "%s{\"target\": \"%s\", \"status\": %d, \"bytes\": %zu, \"first_ms\": %.3f, "
        "\"warm\": %s}",
        first_target ? "" : ", ", escape(target).c_str(), status, bytes, first,
        json(summarise(ms)).c_str());
    first_target = false;
  }
  std::printf("]}\n");
  return 0;
}

}  // namespace plenary::bench
