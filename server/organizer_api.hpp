// The organizer console's API calls (docs/extensions.md, "Organizer console"), answered once
// http_session has checked the origin, the content type and the organizer code: list the
// drafts, preview a split, create a draft, reissue join codes with their QR codes, archive.
// Disk work (creating, reissuing, archiving) runs on the storage pool, never on a socket
// thread.
// Thread safety: answer() may be called from any thread; `done` is called once, on an
// unspecified thread.
#pragma once

#include <functional>
#include <memory>

#include "server/room.hpp"
#include "server/routes.hpp"

namespace plenary::server {

struct app_state;

void answer_organizer(std::shared_ptr<app_state> app, routes::organizer_call call,
                      std::function<void(http_answer)> done);

}  // namespace plenary::server
