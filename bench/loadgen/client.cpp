#include "client.hpp"

#include <rapidjson/document.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace plenary::bench {

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "plenary-loadgen: %s\n", why.c_str());
  std::exit(2);
}

double ms_since(steady::time_point t0, steady::time_point t) {
  return std::chrono::duration<double, std::milli>(t - t0).count();
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) {
    if (!cur.empty()) out.push_back(cur);
  }
  return out;
}

summary summarise(std::vector<double> v) {
  summary s;
  s.n = v.size();
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  auto rank = [&](double q) {
    std::size_t i = static_cast<std::size_t>(q * static_cast<double>(v.size()) + 0.999999);
    if (i == 0) i = 1;
    return v[std::min(i, v.size()) - 1];
  };
  s.p50 = rank(0.50);
  s.p90 = rank(0.90);
  s.p99 = rank(0.99);
  s.max = v.back();
  double sum = 0;
  for (double x : v) sum += x;
  s.mean = sum / static_cast<double>(v.size());
  return s;
}

std::string json(const summary& s) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "{\"n\": %zu, \"p50_ms\": %.3f, \"p90_ms\": %.3f, \"p99_ms\": %.3f, "
                "\"max_ms\": %.3f, \"mean_ms\": %.3f}",
                s.n, s.p50, s.p90, s.p99, s.max, s.mean);
  return buf;
}

std::string_view string_field(std::string_view msg, std::string_view key, std::size_t from) {
  std::string pat = "\"" + std::string(key) + "\":\"";
  auto p = msg.find(pat, from);
  if (p == std::string_view::npos) return {};
  p += pat.size();
  auto e = msg.find('"', p);
  if (e == std::string_view::npos) return {};
  return msg.substr(p, e - p);
}

bool is_type(std::string_view msg, std::string_view type) {
  // The server writes "type" first; fall back to a search for other writers.
  std::string pat = "{\"type\":\"" + std::string(type) + "\"";
  if (msg.rfind(pat, 0) == 0) return true;
  return msg.find("\"type\":\"" + std::string(type) + "\"") != std::string_view::npos &&
         msg.rfind("{\"type\":\"", 0) != 0;
}

std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::vector<clause_info> clauses_of_welcome(std::string_view msg) {
  rapidjson::Document d;
  d.Parse(msg.data(), msg.size());
  std::vector<clause_info> out;
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("draft")) return out;
  const auto& cl = d["draft"]["clauses"];
  for (const auto& c : cl.GetArray()) {
    out.push_back({c["id"].GetString(), c["rev"].GetString(), c["kind"].GetString()});
  }
  return out;
}

void raise_fd_limit() {
  rlimit r{};
  if (::getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
    r.rlim_cur = r.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &r);
  }
}

std::string join_frame(const std::string& code) {
  return R"({"type":"join","id":1,"code":")" + escape(code) + R"("})";
}

std::string amend_frame(long id, const std::string& clause, const std::string& base,
                        const std::string& text) {
  return R"({"type":"amend","id":)" + std::to_string(id) + R"(,"op":"replace","clause":")" +
         clause + R"(","base":")" + base + R"(","text":")" + escape(text) + R"("})";
}

std::string amendment_text(long n, int writer) {
  static const char* words[] = {"promptly",      "fully",
                                "in good faith", "where appropriate",
                                "without delay", "as far as possible",
                                "progressively", "in accordance with national law"};
  return "Each State shall cooperate " + std::string(words[n % 8]) +
         " to prevent the misuse of information technologies, revision " + std::to_string(n) +
         " proposed by delegation " + std::to_string(writer) + ".";
}

join_result join_all(pool& p, tcp::endpoint server, const join_plan& plan, std::size_t parallel,
                     std::chrono::seconds timeout) {
  // Shared with callbacks that may fire after this function returns (a later close).
  struct state {
    std::atomic<std::size_t> joined{0}, failed{0}, in_flight{0};
    std::mutex mu;
    std::string first_error;
  };
  auto st = std::make_shared<state>();
  join_result out;
  out.conns.resize(plan.count);
  const auto t0 = steady::now();
  std::size_t started = 0;
  while (st->joined + st->failed < plan.count) {
    while (started < plan.count && st->in_flight < parallel) {
      const std::size_t i = started++;
      ++st->in_flight;
      auto c = std::make_shared<conn>(p.at(i));
      out.conns[i] = c;
      asio::post(c->context(), [&plan, st, server, i, c] {
        c->on_message([&plan, st, i](conn& self, std::string_view msg, steady::time_point) {
          if (is_type(msg, "welcome")) {
            self.on_message(nullptr);
            plan.welcomed(i, self, msg);
            self.tag = 1;
            --st->in_flight;
            ++st->joined;
          } else if (is_type(msg, "error")) {
            std::lock_guard l(st->mu);
            if (st->first_error.empty()) st->first_error = std::string(msg);
          }
        });
        c->start(
            server, plan.source_of ? plan.source_of(i) : std::nullopt, plan.path_of(i),
            [&plan, i](conn& self) { self.send(join_frame(plan.code_of(i))); },
            [st](conn& self) {
              std::lock_guard l(st->mu);
              if (st->first_error.empty()) st->first_error = self.last_error;
              if (self.tag == 0) {  // not yet joined
                self.tag = -1;
                --st->in_flight;
                ++st->failed;
              }
            });
      });
    }
    if (steady::now() - t0 > timeout) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  out.seconds = std::chrono::duration<double>(steady::now() - t0).count();
  out.failed = plan.count - st->joined;
  std::lock_guard l(st->mu);
  out.first_error = st->first_error;
  return out;
}

tcp::endpoint endpoint_of(const std::string& host, unsigned short port) {
  return tcp::endpoint(asio::ip::make_address(host), port);
}

long rss_kb(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

}  // namespace plenary::bench
