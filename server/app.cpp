#include "server/app.hpp"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <latch>
#include <memory>
#include <sstream>
#include <thread>

#include "server/app_state.hpp"
#include "server/data_dir.hpp"
#include "server/listener.hpp"
#include "server/ws_session.hpp"
#include "storage/draft.hpp"

namespace plenary::server {
namespace asio = boost::asio;
namespace fs = std::filesystem;
using tcp = asio::ip::tcp;

namespace {

std::int64_t now_seconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

// "127.0.0.1:8080", "[::1]:8080", "localhost:0".
std::optional<tcp::endpoint> parse_listen(const std::string& s, std::string& why) {
  auto colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == s.size()) {
    why = "--listen must be HOST:PORT, e.g. 127.0.0.1:8080";
    return std::nullopt;
  }
  std::string host = s.substr(0, colon);
  std::string port = s.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (host == "localhost") host = "127.0.0.1";
  int p = -1;
  try {
    std::size_t used = 0;
    p = std::stoi(port, &used);
    if (used != port.size()) p = -1;
  } catch (...) {
  }
  if (p < 0 || p > 65535) {
    why = "the port in --listen must be a number from 0 to 65535";
    return std::nullopt;
  }
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(host, ec);
  if (ec) {
    why = "the host in --listen must be an IP address (or localhost), not `" + host + "`";
    return std::nullopt;
  }
  return tcp::endpoint(addr, static_cast<unsigned short>(p));
}

fs::path find_web_root(const config& cfg) {
  if (!cfg.web.empty()) return cfg.web;
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto installed = exe.parent_path().parent_path() / "share" / "plenary" / "web";
    if (fs::exists(installed / "room.html", ec)) return installed;
  }
  return PLENARY_WEB_SOURCE_DIR;
}

std::string base_url(const tcp::endpoint& ep) {
  auto addr = ep.address();
  std::string host;
  if (addr.is_unspecified()) {
    host = addr.is_v6() ? "[::1]" : "127.0.0.1";
  } else if (addr.is_v6()) {
    host = "[" + addr.to_string() + "]";
  } else {
    host = addr.to_string();
  }
  return "http://" + host + ":" + std::to_string(ep.port());
}

void print_join_links(const std::string& base, const data_dir::created& c,
                      const protocol::draft_file& file) {
  const std::string room = base + "/d/" + c.slug + "#code=";
  std::printf(
      "Created the demo draft `%s`. Join links (shown only now: codes are stored as hashes):\n",
      c.slug.c_str());
  std::printf("  %-28s %s%s\n", "Chair", room.c_str(), c.codes.chair.c_str());
  std::printf("  %-28s %s%s\n", "Observer", room.c_str(), c.codes.observer.c_str());
  for (const auto& d : file.delegations) {
    auto it = c.codes.delegations.find(d.state);
    if (it == c.codes.delegations.end()) continue;
    std::string label = d.name + " (" + d.state + ")";
    std::printf("  %-28s %s%s\n", label.c_str(), room.c_str(), it->second.c_str());
  }
}

// Every connection holds a file descriptor, and so does each refusal being written; past the
// process's limit, accept fails with EMFILE. At start: raise the soft limit of open files to
// the hard one (a shell's soft 1,024 is a default, not a choice), then keep the connections
// and refusals within it, less a reserve for what else the server opens (repositories and
// their packs, the data directory's lock, the log, static files: a quarter of the limit,
// 32 to 1,024). A limit lowered this way is logged as a warning, saying how to raise it.
void fit_to_open_files(limits& lim) {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) return;
  if (rl.rlim_cur < rl.rlim_max) {
    // RLIM_INFINITY is not a valid soft limit of open files (Linux caps it at nr_open).
    const rlim_t wanted = rl.rlim_max == RLIM_INFINITY ? rlim_t{1} << 20 : rl.rlim_max;
    rlimit raised{std::max(rl.rlim_cur, wanted), rl.rlim_max};
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) rl = raised;
  }
  const auto open_files = static_cast<std::size_t>(std::min<rlim_t>(rl.rlim_cur, rlim_t{1} << 30));
  const std::size_t reserve = std::clamp<std::size_t>(open_files / 4, 32, 1024);
  const std::size_t usable = open_files > reserve + 2 ? open_files - reserve : 2;
  if (lim.max_connections + lim.max_refusals_in_flight <= usable) return;
  const std::size_t refusals =
      std::min(lim.max_refusals_in_flight, std::max<std::size_t>(1, usable / 8));
  const std::size_t connections = std::min(lim.max_connections, usable - refusals);
  if (connections < lim.max_connections) {
    spdlog::warn(
        "event=max_connections_lowered from={} to={} open_files_limit={} hint=\"the open-file "
        "limit (ulimit -n; LimitNOFILE= under systemd) leaves room for {} connections; raise it "
        "to serve more\"",
        lim.max_connections, connections, open_files, connections);
  }
  lim.max_connections = connections;
  lim.max_refusals_in_flight = refusals;
}

// Lowers the priority of each of the pool's `threads` threads to nice +10 (on Linux a
// thread's nice value is its own): a CPU-bound read then takes what the writers leave.
// Each thread takes one task and waits until all have, so that every thread gets one. The
// latch is shared: a task may still be inside arrive_and_wait when this function returns.
void lower_priority(asio::thread_pool& pool, int threads) {
  auto all = std::make_shared<std::latch>(threads);
  for (int i = 0; i < threads; ++i) {
    asio::post(pool, [all] {
      if (::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 10) != 0) {
        spdlog::warn("event=read_priority_unchanged error=\"{}\"", std::strerror(errno));
      }
      all->arrive_and_wait();
    });
  }
  all->wait();
}

}  // namespace

int serve(const config& given) {
  ::umask(077);  // data files are the owner's only
  config cfg = given;
  fit_to_open_files(cfg.lim);
  storage::library lib({.fsync = cfg.fsync});
  data_dir dir(cfg.data);

  std::string why;
  auto endpoint = parse_listen(cfg.listen, why);
  if (!endpoint) {
    std::fprintf(stderr, "plenary: %s\n", why.c_str());
    return 2;
  }
  auto lock = dir.lock_for_serving();
  if (!lock) {
    std::fprintf(stderr, "plenary: %s\n", lock.err().message.c_str());
    return 1;
  }

  std::optional<data_dir::created> demo;
  std::optional<protocol::draft_file> demo_file;
  if (dir.slugs().empty()) {
    auto parsed = protocol::parse_draft_file(embedded_sample);
    if (!parsed.file) {
      std::fprintf(stderr, "plenary: the built-in sample is invalid: %s\n", parsed.error.c_str());
      return 1;
    }
    auto made = dir.create_draft(*parsed.file, std::nullopt, now_seconds());
    if (!made) {
      std::fprintf(stderr, "plenary: cannot create the demo draft: %s\n",
                   made.err().message.c_str());
      return 1;
    }
    demo = std::move(*made);
    demo_file = std::move(parsed.file);
  }

  // The organizer's link is printed once, when its code is issued: at the first start, or
  // the first start of a version that has the console on an older data directory.
  std::optional<std::string> organizer_code;
  {
    std::error_code ec;
    if (!fs::exists(dir.organizer_path(), ec)) {
      auto issued = dir.issue_organizer_code();
      if (!issued) {
        std::fprintf(stderr, "plenary: cannot issue the organizer code: %s\n",
                     issued.err().message.c_str());
        return 1;
      }
      organizer_code = std::move(*issued);
    }
  }

  const int io_threads =
      cfg.io_threads > 0 ? cfg.io_threads : std::max(1u, std::thread::hardware_concurrency());
  // The storage pool outlives the io_context: handlers left in the io_context hold sessions,
  // which hold the app_state and its rooms, whose strands belong to the storage pool.
  asio::thread_pool storage_pool(static_cast<std::size_t>(std::max(1, cfg.storage_threads)));
  const int read_threads = std::max(1, cfg.read_threads);
  asio::thread_pool read_pool(static_cast<std::size_t>(read_threads));
  lower_priority(read_pool, read_threads);
  asio::io_context ioc(io_threads);
  // Caught from here on (handled below), so that a SIGTERM sent as soon as the server says it
  // listens still stops it cleanly instead of killing it.
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  auto app = std::make_shared<app_state>(cfg, storage_pool.get_executor(), read_pool.get_executor(),
                                         io_threads);
  app->web_root = find_web_root(cfg);

  auto lst = std::make_shared<listener>(ioc, app);
  if (auto err = lst->open(*endpoint); !err.empty()) {
    std::fprintf(stderr, "plenary: cannot listen on %s: %s\n", cfg.listen.c_str(), err.c_str());
    return 1;
  }
  const std::string base = base_url(lst->local_endpoint());
  std::printf("plenary %s listening on %s (data: %s)\n", PLENARY_VERSION, base.c_str(),
              fs::absolute(cfg.data).string().c_str());
  if (organizer_code) {
    std::printf(
        "\nOrganizer console (create drafts, print join slips; shown only now, only its "
        "hash is stored):\n  %s/organize#code=%s\n\n",
        base.c_str(), organizer_code->c_str());
  } else {
    std::printf(
        "Organizer console: %s/organize (a lost link: `plenary organizer --data %s "
        "--reissue`)\n",
        base.c_str(), cfg.data.string().c_str());
  }
  if (demo) print_join_links(base, *demo, *demo_file);
  for (const auto& slug : dir.slugs())
    std::printf("  draft %s: %s/d/%s\n", slug.c_str(), base.c_str(), slug.c_str());
  if (!demo) {
    std::printf(
        "Join links were printed when each draft was created; codes are stored only as "
        "hashes.\n");
  }
  std::fflush(stdout);
  spdlog::info("event=listening url={} data={} web={} fsync={} mirror={}", base, cfg.data.string(),
               app->web_root.string(), cfg.fsync,
               cfg.mirror.empty() ? "off" : mirror_pusher::redacted(cfg.mirror));
  // Bring every mirror up to date (a draft may have moved on while the mirror was away).
  if (app->mirrors) {
    for (const auto& slug : dir.slugs()) app->mirrors->schedule(slug, dir.repo_path(slug));
  }
  lst->run();

  // SIGINT/SIGTERM: stop accepting, commit what is queued, close every socket with 1001,
  // then stop. A second signal stops at once.
  asio::steady_timer grace(ioc);
  std::function<void()> wait_for_sessions;
  auto deadline = std::chrono::steady_clock::now();
  wait_for_sessions = [&] {
    bool empty;
    {
      std::lock_guard l(app->sessions_mu);
      empty = app->sessions.empty();
    }
    if (empty || std::chrono::steady_clock::now() > deadline) return ioc.stop();
    grace.expires_after(std::chrono::milliseconds(20));
    grace.async_wait([&](boost::system::error_code) { wait_for_sessions(); });
  };
  signals.async_wait([&](boost::system::error_code ec, int sig) {
    if (ec) return;
    spdlog::info("event=stopping signal={}", sig);
    app->stopping = true;
    lst->stop();
    signals.async_wait([&](boost::system::error_code e2, int) {
      if (!e2) ioc.stop();
    });
    app->rooms.shut_down([&] {
      asio::post(ioc, [&] {
        std::vector<std::shared_ptr<ws_session>> open;
        {
          std::lock_guard l(app->sessions_mu);
          for (auto& [k, w] : app->sessions) {
            if (auto s = w.lock()) open.push_back(std::move(s));
          }
        }
        for (auto& s : open) s->close_going_away();
        deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
        wait_for_sessions();
      });
    });
  });

  std::vector<std::thread> threads;
  for (int i = 1; i < io_threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : threads) t.join();
  read_pool.stop();  // a compare under way finishes and hands its answer to its room's strand
  read_pool.join();
  storage_pool.join();
  if (app->mirrors) app->mirrors->finish();  // the last commits reach the mirror too
  spdlog::info("event=stopped");
  return 0;
}

namespace {

// The whole of a file, or standard input for "-"; nullopt when it cannot be read.
std::optional<std::string> read_input(const fs::path& path) {
  std::ostringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  text << in.rdbuf();
  return text.str();
}

bool looks_like_json(const fs::path& from, std::string_view content) {
  if (from.extension() == ".json") return true;
  const auto first = content.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && content[first] == '{';
}

}  // namespace

int create_draft_command(const fs::path& data, const create_options& opt) {
  ::umask(077);
  auto text = read_input(opt.from);
  if (!text) {
    std::fprintf(stderr, "plenary: cannot read %s: no such file or not readable\n",
                 opt.from.string().c_str());
    return 1;
  }
  protocol::draft_file_result parsed;
  if (looks_like_json(opt.from, *text)) {
    if (opt.title || opt.roster_file || !opt.sponsors.empty()) {
      std::fprintf(stderr,
                   "plenary: --title, --roster and --sponsors go with a text (.txt, .md); "
                   "a draft file (.json) has its own\n");
      return 2;
    }
    parsed = protocol::parse_draft_file(*text);
  } else {
    if (!opt.roster_file) {
      std::fprintf(stderr,
                   "plenary: a text needs its delegations: give --roster FILE (lines of "
                   "`CODE Name`, or a JSON array of {\"code\", \"name\"} such as "
                   "web/data/un-members.json)\n");
      return 2;
    }
    auto roster_text = read_input(*opt.roster_file);
    if (!roster_text) {
      std::fprintf(stderr, "plenary: cannot read %s: no such file or not readable\n",
                   opt.roster_file->string().c_str());
      return 1;
    }
    auto roster = protocol::parse_roster_file(*roster_text);
    if (!roster.roster) {
      std::fprintf(stderr, "plenary: %s: %s\n", opt.roster_file->string().c_str(),
                   roster.error.c_str());
      return 1;
    }
    parsed = protocol::draft_from_text(
        {opt.title, std::move(*text), std::move(*roster.roster), opt.sponsors});
  }
  if (!parsed.file) {
    std::fprintf(stderr, "plenary: %s: %s\n", opt.from.string().c_str(), parsed.error.c_str());
    return 1;
  }
  storage::library lib({.fsync = opt.fsync});
  auto made = data_dir(data).create_draft(*parsed.file, opt.slug, now_seconds());
  if (!made) {
    std::fprintf(stderr, "plenary: %s\n", made.err().message.c_str());
    return 1;
  }
  std::cout << protocol::created_json(made->slug, made->codes.chair, made->codes.observer,
                                      made->codes.delegations)
            << '\n';
  return 0;
}

}  // namespace plenary::server
