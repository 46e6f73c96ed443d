// What the command line prints as JSON.
#include "protocol/json_writer.hpp"
#include "protocol/messages.hpp"

namespace plenary::protocol {

std::string created_json(std::string_view slug, std::string_view chair, std::string_view observer,
                         const std::map<std::string, std::string>& delegations) {
  detail::json_writer w;
  w.begin_object();
  w.key("slug").string(slug);
  w.key("codes").begin_object();
  w.key("chair").string(chair);
  w.key("observer").string(observer);
  w.key("delegations").begin_object();
  for (const auto& [state, code] : delegations) w.key(state).string(code);
  w.end_object();
  w.end_object();
  w.end_object();
  return w.take();
}

}  // namespace plenary::protocol
