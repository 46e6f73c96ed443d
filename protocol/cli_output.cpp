// What the command line prints as JSON.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "protocol/messages.hpp"

namespace plenary::protocol {

std::string created_json(std::string_view slug, std::string_view chair, std::string_view observer,
                         const std::map<std::string, std::string>& delegations) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto str = [&w](std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); };
  w.StartObject();
  w.Key("slug");
  str(slug);
  w.Key("codes");
  w.StartObject();
  w.Key("chair");
  str(chair);
  w.Key("observer");
  str(observer);
  w.Key("delegations");
  w.StartObject();
  for (const auto& [state, code] : delegations) {
    str(state);
    str(code);
  }
  w.EndObject();
  w.EndObject();
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

}  // namespace plenary::protocol
