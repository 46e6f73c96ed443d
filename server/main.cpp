// The `plenary` command line: `serve` and `draft create`. Every option of `serve` can also be
// given as an environment variable (PLENARY_DATA, PLENARY_LISTEN, ...); a flag wins over the
// environment, which wins over the default.
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>

#include "server/app.hpp"
#include "server/codes_command.hpp"
#include "server/guard.hpp"
#include "server/organizer.hpp"
#include "server/restore_command.hpp"

namespace {

bool parse_on_off(const std::string& s) { return s == "on" || s == "true" || s == "1"; }

void setup_logging(const std::string& level) {
  auto logger = spdlog::stderr_logger_mt("plenary");
  // One line per event: time (UTC), level, then key=value pairs.
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
}

}  // namespace

int main(int argc, char** argv) {
  using plenary::server::config;
  CLI::App app{"plenary: a collaborative drafting server for treaty negotiation", "plenary"};
  app.set_version_flag("--version", std::string("plenary ") + PLENARY_VERSION);
  app.require_subcommand(1);

  config cfg;
  std::string fsync = "on";
  std::string log_level = "info";
  double idle = static_cast<double>(cfg.lim.idle_timeout.count());
  double handshake = static_cast<double>(cfg.lim.handshake_timeout.count());
  double typing_idle = static_cast<double>(cfg.lim.typing_idle.count());
  double commit_here_ms = static_cast<double>(cfg.lim.commit_here_max.count()) / 1000.0;

  auto* serve =
      app.add_subcommand("serve", "Serve the drafts of a data directory over HTTP and WebSocket");
  serve->add_option("--data", cfg.data, "Data directory (created if missing)")
      ->envname("PLENARY_DATA")
      ->capture_default_str();
  serve
      ->add_option("--listen", cfg.listen,
                   "Address to listen on, HOST:PORT (port 0 picks a free one)")
      ->envname("PLENARY_LISTEN")
      ->capture_default_str();
  serve
      ->add_option("--web", cfg.web,
                   "Folder of the web pages (default: the installed or source web/)")
      ->envname("PLENARY_WEB");
  serve
      ->add_option("--fsync", fsync,
                   "on: acknowledge only what is on disk; off: for tests and benchmarks")
      ->envname("PLENARY_FSYNC")
      ->check(CLI::IsMember({"on", "off"}))
      ->capture_default_str();
  serve
      ->add_option("--allow-origin", cfg.allowed_origins,
                   "Origins allowed to open WebSockets (default: the same host only)")
      ->envname("PLENARY_ALLOW_ORIGIN")
      ->delimiter(',');
  serve
      ->add_option("--amend-rate", cfg.lim.amend_rate_per_second,
                   "Amendments per second per connection, twice that per delegation (0: unlimited)")
      ->envname("PLENARY_AMEND_RATE")
      ->capture_default_str();
  serve
      ->add_option("--idle-timeout", idle,
                   "Whole seconds before a WebSocket peer that answers nothing, not even the "
                   "server's pings, is dropped")
      ->envname("PLENARY_IDLE_TIMEOUT")
      ->check(CLI::Range(1.0, 86400.0))
      ->capture_default_str();
  serve
      ->add_option("--handshake-timeout", handshake,
                   "Whole seconds allowed for a request (an upgrade included) to arrive and for "
                   "the WebSocket handshake")
      ->envname("PLENARY_HANDSHAKE_TIMEOUT")
      ->check(CLI::Range(1.0, 3600.0))
      ->capture_default_str();
  serve
      ->add_option("--typing-idle", typing_idle,
                   "Whole seconds without input after which a member's live wording stops")
      ->envname("PLENARY_TYPING_IDLE")
      ->check(CLI::Range(1.0, 3600.0))
      ->capture_default_str();
  serve
      ->add_option("--typing-frames", cfg.lim.typing_frames_per_second,
                   "Live wording frames a room sends in a second, in all: past it, each typist's "
                   "wordings go out less often than 5 a second (0: no room-wide limit)")
      ->envname("PLENARY_TYPING_FRAMES")
      ->capture_default_str();
  serve
      ->add_option("--commit-here-max", commit_here_ms,
                   "Milliseconds: a socket thread commits a message for an idle draft itself, "
                   "unless the draft's last commit took longer than this (a slow disk): then, "
                   "as always when busy, the storage threads do (0: always the storage threads)")
      ->envname("PLENARY_COMMIT_HERE_MAX")
      ->check(CLI::Range(0.0, 1000.0))
      ->capture_default_str();
  serve
      ->add_option("--max-connections", cfg.lim.max_connections,
                   "Open connections in all; more are answered 503 and closed (lowered at start to "
                   "what the open-file limit holds)")
      ->envname("PLENARY_MAX_CONNECTIONS")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  serve
      ->add_option("--max-connections-per-address", cfg.lim.max_connections_per_address,
                   "Open connections from one IP address; more are answered 503 and closed")
      ->envname("PLENARY_MAX_CONNECTIONS_PER_ADDRESS")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  serve
      ->add_option("--max-queue-bytes", cfg.lim.max_queue_bytes,
                   "Bytes queued for a client before it is cut off as too slow")
      ->envname("PLENARY_MAX_QUEUE_BYTES")
      ->capture_default_str();
  serve->add_option("--threads", cfg.io_threads, "Threads serving sockets (0: one per core)")
      ->envname("PLENARY_THREADS")
      ->capture_default_str();
  serve->add_option("--log-level", log_level, "trace, debug, info, warn, error")
      ->envname("PLENARY_LOG_LEVEL")
      ->capture_default_str();
  serve
      ->add_option("--mirror", cfg.mirror,
                   "Git URL to push each draft to after its commits, {slug} replaced "
                   "(e.g. /backups/{slug}.git; a missing local one is created)")
      ->envname("PLENARY_MIRROR");
  serve
      ->add_option("--trusted-proxy", cfg.trusted_proxies,
                   "IP addresses of reverse proxies whose X-Forwarded-For names the client "
                   "(e.g. 127.0.0.1 for nginx on this host); default: none, every client is "
                   "its connection's own address")
      ->envname("PLENARY_TRUSTED_PROXY")
      ->delimiter(',')
      ->transform(CLI::Validator(  // to the canonical text: what the listener compares
          [](std::string& s) {
            auto ip = plenary::server::canonical_address(CLI::detail::trim_copy(s));
            if (!ip) return "not an IP address: " + s;
            s = *ip;
            return std::string();
          },
          ""));

  auto* draft = app.add_subcommand("draft", "Manage drafts");
  draft->require_subcommand(1);
  auto* create = draft->add_subcommand(
      "create",
      "Create a draft from a draft file (JSON) or a text (.txt, .md) and print its join "
      "codes");
  std::string create_data;
  plenary::server::create_options create_opt;
  std::string create_from;
  std::optional<std::string> create_roster;
  create->add_option("--data", create_data, "Data directory")->required()->envname("PLENARY_DATA");
  create
      ->add_option("--from", create_from,
                   "The draft file (see samples/code-of-conduct.json) or a text to split into "
                   "clauses (.txt, .md: UN drafting conventions); - reads standard input")
      ->required();
  create->add_option("--slug", create_opt.slug,
                     "The draft's name in URLs (default: the file's slug)");
  create->add_option("--title", create_opt.title,
                     "A text's title (default: its Markdown heading or first line)");
  create->add_option("--roster", create_roster,
                     "A text's delegations: lines of `CODE Name`, or a JSON array of "
                     "{\"code\", \"name\"} (web/data/un-members.json is one)");
  create
      ->add_option("--sponsors", create_opt.sponsors,
                   "A text's sponsors: state codes of the roster")
      ->delimiter(',');
  create->add_option("--fsync", fsync, "on or off")->check(CLI::IsMember({"on", "off"}));

  auto* export_cmd = draft->add_subcommand(
      "export",
      "Print a draft as Markdown, printable HTML or Akoma Ntoso XML (reads only; safe "
      "while a server runs)");
  std::string export_data;
  std::string export_slug;
  std::string export_format;
  std::optional<std::string> export_version;
  std::string export_text = "clean";
  std::optional<std::string> export_lang;
  export_cmd->add_option("slug", export_slug, "The draft's name (its slug)")->required();
  export_cmd->add_option("--data", export_data, "Data directory")
      ->required()
      ->envname("PLENARY_DATA");
  export_cmd->add_option("--format", export_format, "md, html or akn")
      ->required()
      ->check(CLI::IsMember({"md", "html", "akn"}));
  export_cmd->add_option("--version", export_version,
                         "A tag or a commit of the draft (default: the head of main)");
  export_cmd->add_option("--text", export_text, "clean or compilation (how brackets are shown)")
      ->check(CLI::IsMember({"clean", "compilation"}))
      ->capture_default_str();
  export_cmd->add_option("--lang", export_lang,
                         "The language of the export's fixed words: ar, zh, en, fr, ru or es "
                         "(default: English words, no language declared)");
  bool export_comments = false;
  export_cmd->add_flag("--comments", export_comments,
                       "With --text compilation: the open threads of comments as notes on "
                       "their clauses (md and html after them; akn as <note>s with <noteRef>s)");

  auto* unarchive_cmd = draft->add_subcommand(
      "unarchive",
      "Restore a draft archived from the organizer console (DATA/archive/) with its "
      "join codes; safe while a server runs");
  std::string unarchive_data;
  std::string unarchive_slug;
  unarchive_cmd->add_option("slug", unarchive_slug, "The draft's name (its slug)")->required();
  unarchive_cmd->add_option("--data", unarchive_data, "Data directory")
      ->required()
      ->envname("PLENARY_DATA");

  auto* debrief_cmd = draft->add_subcommand(
      "debrief",
      "Print who shaped a draft's text, from its git record, as JSON, CSV (one row per "
      "state) or Markdown (reads only; safe while a server runs)");
  std::string debrief_data;
  std::string debrief_slug;
  std::string debrief_format;
  std::optional<std::string> debrief_version;
  debrief_cmd->add_option("slug", debrief_slug, "The draft's name (its slug)")->required();
  debrief_cmd->add_option("--data", debrief_data, "Data directory")
      ->required()
      ->envname("PLENARY_DATA");
  debrief_cmd->add_option("--format", debrief_format, "json, csv or md")
      ->required()
      ->check(CLI::IsMember({"json", "csv", "md"}));
  debrief_cmd->add_option("--version", debrief_version,
                          "A tag or a commit of the draft: the text the figures are of (default: "
                          "the head of main)");
  std::optional<std::string> debrief_lang;
  debrief_cmd->add_option("--lang", debrief_lang,
                          "The language of the csv and md words: ar, zh, en, fr, ru or es "
                          "(default: English, and the csv header the stable column ids)");

  auto* codes_cmd = draft->add_subcommand(
      "codes",
      "Issue fresh join codes for some roles of a draft and print them (the old codes "
      "of those roles stop working; safe while a server runs; nobody is disconnected)");
  std::string codes_data;
  std::string codes_slug;
  std::vector<std::string> codes_roles;
  std::optional<std::string> codes_url;
  codes_cmd->add_option("slug", codes_slug, "The draft's name (its slug)")->required();
  codes_cmd->add_option("--data", codes_data, "Data directory")
      ->required()
      ->envname("PLENARY_DATA");
  codes_cmd
      ->add_option("--reissue", codes_roles,
                   "Roles to reissue: chair, observer, a delegation's state code, or all")
      ->required()
      ->expected(1, -1)
      ->delimiter(',');
  codes_cmd->add_option("--listen-url", codes_url,
                        "The server's base URL (e.g. https://plenary.example.org): print join "
                        "links too");

  auto* organizer_cmd = app.add_subcommand(
      "organizer",
      "The organizer's access to /organize: --reissue prints a fresh link (the old "
      "one stops working at once, in a running server too)");
  std::string organizer_data;
  bool organizer_reissue = false;
  std::string organizer_url = "http://127.0.0.1:8080";
  organizer_cmd->add_option("--data", organizer_data, "Data directory")
      ->required()
      ->envname("PLENARY_DATA");
  organizer_cmd->add_flag("--reissue", organizer_reissue,
                          "Issue a fresh organizer code and print its link");
  organizer_cmd
      ->add_option("--listen-url", organizer_url, "The server's base URL, for the printed link")
      ->capture_default_str();
  auto* restore_cmd = draft->add_subcommand(
      "restore",
      "Bring a draft back from a copy of its repository (its --mirror, any git URL) "
      "and print fresh join codes for every role (safe while a server runs, "
      "except --replace)");
  std::string restore_data;
  std::string restore_slug;
  std::string restore_url;
  bool restore_replace = false;
  restore_cmd->add_option("slug", restore_slug, "The draft's name (its slug) here")->required();
  restore_cmd
      ->add_option("--from", restore_url,
                   "The repository to fetch: a path, file://, https:// or ssh URL")
      ->required();
  restore_cmd->add_option("--data", restore_data, "Data directory")
      ->required()
      ->envname("PLENARY_DATA");
  restore_cmd->add_flag("--replace", restore_replace,
                        "Replace a draft of that name (only while no server serves DATA)");
  std::string restore_roster;
  restore_cmd->add_option("--roster", restore_roster,
                          "A draft file (as for draft create) whose delegations, with their names, "
                          "make the roster (default: the delegations found in the history)");
  restore_cmd->add_option("--fsync", fsync, "on or off")->check(CLI::IsMember({"on", "off"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line saying what is wrong, as the contract asks.
    std::fprintf(stderr, "plenary: %s (see plenary --help)\n", e.what());
    return 2;
  }

  setup_logging(log_level);
  if (*serve) {
    cfg.fsync = parse_on_off(fsync);
    cfg.lim.idle_timeout = std::chrono::seconds(static_cast<long>(idle));
    cfg.lim.handshake_timeout = std::chrono::seconds(static_cast<long>(handshake));
    cfg.lim.typing_idle = std::chrono::seconds(static_cast<long>(typing_idle));
    cfg.lim.commit_here_max = std::chrono::microseconds(std::llround(commit_here_ms * 1000.0));
    return plenary::server::serve(cfg);
  }
  if (*unarchive_cmd) return plenary::server::unarchive_command(unarchive_data, unarchive_slug);
  if (*organizer_cmd) {
    return plenary::server::organizer_command(organizer_data, organizer_reissue, organizer_url);
  }
  if (*codes_cmd) {
    return plenary::server::codes_command(codes_data, codes_slug, codes_roles, codes_url);
  }
  if (*debrief_cmd) {
    return plenary::server::debrief_command(debrief_data, debrief_slug, debrief_format,
                                            debrief_version, debrief_lang);
  }
  if (*restore_cmd) {
    return plenary::server::restore_command(restore_data, restore_slug, restore_url,
                                            restore_replace, parse_on_off(fsync), restore_roster);
  }
  if (*export_cmd) {
    return plenary::server::export_draft_command(export_data, export_slug, export_format,
                                                 export_version, export_text, export_lang,
                                                 export_comments);
  }
  create_opt.from = create_from;
  if (create_roster) create_opt.roster_file = *create_roster;
  create_opt.fsync = parse_on_off(fsync);
  return plenary::server::create_draft_command(create_data, create_opt);
}
