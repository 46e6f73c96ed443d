// Private to protocol: a thin JSON writer over RapidJSON for what the server sends.
// Strings are written with their length (a NUL byte is escaped, never a terminator) and
// ill-formed UTF-8 is replaced by U+FFFD, so no caller can produce an invalid frame.
// Thread safety: one writer per thread.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/messages.hpp"
#include "protocol/text_rules.hpp"

namespace plenary::protocol::detail {

class json_writer {
 public:
  json_writer() : writer_(buffer_) {}

  void begin_object() { writer_.StartObject(); }
  void end_object() { writer_.EndObject(); }
  void begin_array() { writer_.StartArray(); }
  void end_array() { writer_.EndArray(); }

  // Writes a member name; the value follows with one of the calls below.
  json_writer& key(std::string_view name) {
    writer_.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    return *this;
  }
  void string(std::string_view s) {
    if (is_valid_utf8(s)) {
      writer_.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    } else {
      const std::string repaired = repair_utf8(s);
      writer_.String(repaired.data(), static_cast<rapidjson::SizeType>(repaired.size()));
    }
  }
  // The contract writes an empty clause id or note as null.
  void string_or_null(std::string_view s) {
    if (s.empty()) {
      null();
    } else {
      string(s);
    }
  }
  void optional_string(const std::optional<std::string>& s) {
    if (s) {
      string(*s);
    } else {
      null();
    }
  }
  void null() { writer_.Null(); }
  void boolean(bool b) { writer_.Bool(b); }
  void integer(std::int64_t i) { writer_.Int64(i); }

  // Writes the "id" member when the request had one.
  void id(const message_id& id) {
    if (const auto* number = std::get_if<std::int64_t>(&id)) {
      key("id").integer(*number);
    } else if (const auto* text = std::get_if<std::string>(&id)) {
      key("id").string(*text);
    }
  }

  std::string take() { return std::string(buffer_.GetString(), buffer_.GetSize()); }

 private:
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

}  // namespace plenary::protocol::detail
