// Private to the room (room.cpp, room_reads.cpp, room_commit.cpp): making frames out of
// storage's results.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "protocol/messages.hpp"
#include "server/convert.hpp"
#include "server/room.hpp"

namespace plenary::server::room_frames {

inline frame_ptr share(std::string s) { return std::make_shared<const std::string>(std::move(s)); }

// The text of an error reply; conflicts carry the clause as it stands now.
inline std::string error_frame(const protocol::message_id& id, const storage::error& e) {
  if (e.kind == storage::error_kind::conflict) {
    std::optional<protocol::clause> current;
    if (e.current) current = to_wire(*e.current);
    return protocol::conflict(id, e.message, current);
  }
  return protocol::error(id, to_wire(e.kind), e.message);
}

}  // namespace plenary::server::room_frames
