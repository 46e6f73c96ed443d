#include "server/codes_command.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sys/stat.h>

#include <cstdio>
#include <iostream>

#include "server/data_dir.hpp"
#include "storage/text.hpp"

namespace plenary::server {
namespace {

using json_writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(json_writer& w, const std::string& s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

// {"chair", "observer", "delegations": {...}}, each value `prefix` + code, the roles that were
// reissued only.
void write_roles(json_writer& w, const access_list::issued_codes& codes,
                 const std::string& prefix) {
  w.StartObject();
  if (!codes.chair.empty()) {
    w.Key("chair");
    write_string(w, prefix + codes.chair);
  }
  if (!codes.observer.empty()) {
    w.Key("observer");
    write_string(w, prefix + codes.observer);
  }
  w.Key("delegations");
  w.StartObject();
  for (const auto& [state, code] : codes.delegations) {
    w.Key(state.data(), static_cast<rapidjson::SizeType>(state.size()));
    write_string(w, prefix + code);
  }
  w.EndObject();
  w.EndObject();
}

}  // namespace

int codes_command(const std::filesystem::path& data, const std::string& slug,
                  const std::vector<std::string>& roles,
                  const std::optional<std::string>& listen_url) {
  ::umask(077);  // the access file is the owner's only
  std::string base;
  if (listen_url) {
    base = *listen_url;
    if (!base.starts_with("http://") && !base.starts_with("https://")) {
      std::fprintf(stderr,
                   "plenary: --listen-url is the server's base URL, such as "
                   "https://plenary.example.org\n");
      return 2;
    }
    while (base.ends_with('/')) base.pop_back();
  }
  if (!storage::is_valid_slug(slug)) {
    std::fprintf(stderr, "plenary: `%s` is not a draft name (1 to 63 of a-z, 0-9 and -)\n",
                 slug.c_str());
    return 1;
  }
  auto made = data_dir(data).reissue_codes(slug, roles);
  if (!made) {
    std::fprintf(stderr, "plenary: %s\n", made.err().message.c_str());
    return 1;
  }
  rapidjson::StringBuffer buf;
  json_writer w(buf);
  w.StartObject();
  w.Key("slug");
  write_string(w, made->slug);
  w.Key("codes");
  write_roles(w, made->codes, "");
  if (listen_url) {
    w.Key("links");
    write_roles(w, made->codes, base + "/d/" + made->slug + "#code=");
  }
  w.EndObject();
  std::cout << buf.GetString() << '\n' << std::flush;
  return 0;
}

}  // namespace plenary::server
