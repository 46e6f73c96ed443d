#include "server/organizer_api.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/post.hpp>
#include <ctime>
#include <mutex>

#include "protocol/organizer.hpp"
#include "protocol/splitter.hpp"
#include "server/app_state.hpp"
#include "server/qr.hpp"

namespace plenary::server {
namespace proto = plenary::protocol;

namespace {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};

std::int64_t now_seconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

http_answer error_answer(proto::error_code code, std::string_view message) {
  return {proto::http_status(code), proto::http_error_json(code, message)};
}

// A storage error as the API's answer: `exists` is a conflict, `invalid` a bad request,
// `not_found` not found, each with `message` when given (storage's names the data
// directory, which a client need not see); anything else is the server's problem (logged,
// not shown).
http_answer storage_failure(const storage::error& e, std::string_view what,
                            std::string_view message = {}) {
  const std::string_view said = message.empty() ? std::string_view(e.message) : message;
  switch (e.kind) {
    case storage::error_kind::exists:
      return error_answer(proto::error_code::conflict, said);
    case storage::error_kind::invalid:
      return error_answer(proto::error_code::bad_request, e.message);
    case storage::error_kind::not_found:
      return error_answer(proto::error_code::not_found, said);
    default:
      spdlog::error("event=organizer_failed what={} error=\"{}\"", what, e.message);
      return error_answer(proto::error_code::internal,
                          "The server could not do it; its log says why.");
  }
}

std::string no_such_draft(const std::string& slug) {
  return "There is no draft named `" + slug +
         "` (archived drafts are restored with `plenary "
         "draft unarchive`).";
}

// The codes, their links (paths: the page adds its origin) and, with `base`, QR codes.
std::string codes_answer(const std::string& slug, const access_list::issued_codes& issued,
                         const std::string* base) {
  proto::role_values codes, links, qr;
  const std::string room = "/d/" + slug + "#code=";
  auto svg = [&](const std::string& link) {
    auto made = qr_svg(*base + link);
    return made ? *made : std::string();
  };
  if (!issued.chair.empty()) {
    codes.chair = issued.chair;
    links.chair = room + issued.chair;
    if (base) qr.chair = svg(*links.chair);
  }
  if (!issued.observer.empty()) {
    codes.observer = issued.observer;
    links.observer = room + issued.observer;
    if (base) qr.observer = svg(*links.observer);
  }
  for (const auto& [state, code] : issued.delegations) {
    codes.delegations[state] = code;
    links.delegations[state] = room + code;
    if (base) qr.delegations[state] = svg(links.delegations[state]);
  }
  return proto::issued_codes_json(slug, codes, links, base ? &qr : nullptr);
}

void list_drafts(std::shared_ptr<app_state> app, std::function<void(http_answer)> done) {
  const auto slugs = app->rooms.dir().slugs();
  struct gathering {
    std::mutex mu;
    std::vector<proto::draft_summary> drafts;
    std::size_t left = 0;
    std::function<void(http_answer)> done;
    std::shared_ptr<app_state> app;
  };
  auto g = std::make_shared<gathering>();
  g->left = slugs.size();
  g->done = std::move(done);
  g->app = app;
  auto finish = [g] {
    std::vector<proto::archived_summary> archived;
    for (auto& a : g->app->rooms.dir().archived_drafts())
      archived.push_back({a.slug, a.title, a.archived_at});
    std::sort(g->drafts.begin(), g->drafts.end(),
              [](const auto& x, const auto& y) { return x.slug < y.slug; });
    g->done({200, proto::drafts_list_json(g->drafts, archived)});
  };
  if (slugs.empty()) return boost::asio::post(app->rooms.executor(), finish);
  for (const auto& slug : slugs) {
    app->rooms.with_room(
        slug, [g, finish, slug](std::shared_ptr<room> r, const storage::error* failure) {
          auto one_done = [g, finish](std::optional<proto::draft_summary> s) {
            bool last;
            {
              std::lock_guard lock(g->mu);
              if (s) g->drafts.push_back(std::move(*s));
              last = --g->left == 0;
            }
            if (last) finish();
          };
          if (!r) {
            // Archived meanwhile, or unreadable (logged by the registry): not listed.
            if (failure && failure->kind != storage::error_kind::not_found)
              spdlog::warn("event=organizer_list_skipped draft={} error=\"{}\"", slug,
                           failure->message);
            return one_done(std::nullopt);
          }
          r->summary([one_done](proto::draft_summary s) { one_done(std::move(s)); });
        });
  }
}

}  // namespace

void answer_organizer(std::shared_ptr<app_state> app, routes::organizer_call call,
                      std::function<void(http_answer)> done) {
  std::visit(
      overloaded{
          [&](routes::api_list_drafts&) { list_drafts(app, std::move(done)); },
          [&](routes::api_split& c) {
            if (!c.error.empty())
              return done(error_answer(proto::error_code::bad_request, c.error));
            auto split = proto::split_text(c.text);
            if (!split.error.empty())
              return done(error_answer(proto::error_code::bad_request, split.error));
            done({200, proto::split_json(split.clauses)});
          },
          [&](routes::api_create& c) {
            if (!c.error.empty())
              return done(error_answer(proto::error_code::bad_request, c.error));
            boost::asio::post(app->rooms.executor(), [app, c = std::move(c),
                                                      done = std::move(done)]() mutable {
              auto made = app->rooms.dir().create_draft(*c.draft, c.slug, now_seconds());
              if (!made) {
                const bool archived = app->rooms.dir().is_archived(c.slug);
                return done(storage_failure(
                    made.err(), "create",
                    archived
                        ? "A draft named `" + c.slug +
                              "` is archived; choose another name, or restore it with "
                              "`plenary draft unarchive " +
                              c.slug + "`."
                        : "A draft named `" + c.slug + "` already exists; choose another name."));
              }
              spdlog::info("event=draft_created draft={} by=organizer delegations={}", c.slug,
                           c.draft->delegations.size());
              done({201, codes_answer(made->slug, made->codes, nullptr)});
            });
          },
          [&](routes::api_reissue& c) {
            if (!c.error.empty())
              return done(error_answer(proto::error_code::bad_request, c.error));
            boost::asio::post(
                app->rooms.executor(), [app, c = std::move(c), done = std::move(done)]() mutable {
                  auto made = app->rooms.dir().reissue_codes(c.slug, c.request->roles);
                  if (!made)
                    return done(storage_failure(made.err(), "reissue", no_such_draft(c.slug)));
                  spdlog::info("event=codes_reissued draft={} by=organizer roles={}", c.slug,
                               c.request->roles.size());
                  done({200, codes_answer(made->slug, made->codes, &c.request->base)});
                });
          },
          [&](routes::api_archive& c) {
            app->rooms.archive(
                c.slug, now_seconds(),
                [done = std::move(done), slug = c.slug](storage::result<data_dir::archived> r) {
                  if (!r) {
                    return done(storage_failure(r.err(), "archive",
                                                r.err().kind == storage::error_kind::not_found
                                                    ? no_such_draft(slug)
                                                    : "This draft is being archived already."));
                  }
                  spdlog::info("event=draft_archived draft={}", slug);
                  done({200, proto::archived_json(r->slug, r->archived_at)});
                });
          },
      },
      call);
}

}  // namespace plenary::server
