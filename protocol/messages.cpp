// The contract's vocabulary: names of error codes and clause kinds, HTTP statuses, times.
#include "protocol/messages.hpp"

#include <cstdio>

namespace plenary::protocol {

const char* to_string(error_code code) noexcept {
  switch (code) {
    case error_code::bad_request:
      return "bad_request";
    case error_code::unauthorized:
      return "unauthorized";
    case error_code::forbidden:
      return "forbidden";
    case error_code::not_found:
      return "not_found";
    case error_code::conflict:
      return "conflict";
    case error_code::too_large:
      return "too_large";
    case error_code::rate_limited:
      return "rate_limited";
    case error_code::internal:
      return "internal";
  }
  return "internal";
}

int http_status(error_code code) noexcept {
  switch (code) {
    case error_code::bad_request:
      return 400;
    case error_code::unauthorized:
      return 401;
    case error_code::forbidden:
      return 403;
    case error_code::not_found:
      return 404;
    case error_code::conflict:
      return 409;
    case error_code::too_large:
      return 413;
    case error_code::rate_limited:
      return 429;
    case error_code::internal:
      return 500;
  }
  return 500;
}

const char* to_string(clause_kind kind) noexcept {
  switch (kind) {
    case clause_kind::heading:
      return "heading";
    case clause_kind::preamble:
      return "preamble";
    case clause_kind::operative:
      return "operative";
  }
  return "operative";
}

const char* to_string(stage_name stage) noexcept {
  switch (stage) {
    case stage_name::working:
      return "working";
    case stage_name::formal:
      return "formal";
    case stage_name::adopted:
      return "adopted";
  }
  return "working";
}

const char* to_string(vote_threshold threshold) noexcept {
  switch (threshold) {
    case vote_threshold::simple:
      return "simple";
    case vote_threshold::two_thirds:
      return "two-thirds";
    case vote_threshold::two_thirds_present:
      return "two-thirds-present";
  }
  return "simple";
}

const char* to_string(vote_choice choice) noexcept {
  switch (choice) {
    case vote_choice::yes:
      return "yes";
    case vote_choice::no:
      return "no";
    case vote_choice::abstain:
      return "abstain";
  }
  return "abstain";
}

// Converts with the civil-from-days algorithm (H. Hinnant), so that the result depends on
// neither the locale nor the C library's time zone, and clamps to years 0000..9999, the
// range RFC 3339 can write.
std::string format_time(std::int64_t seconds_since_epoch) {
  constexpr std::int64_t first = -62167219200;  // 0000-01-01T00:00:00Z
  constexpr std::int64_t last = 253402300799;   // 9999-12-31T23:59:59Z
  std::int64_t t = seconds_since_epoch < first ? first : seconds_since_epoch;
  t = t > last ? last : t;

  std::int64_t days = t / 86400;
  std::int64_t secs = t % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;                                       // [0, 146096]
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const std::int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11]
  const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);

  char out[64];
  std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02dZ", static_cast<int>(year),
                static_cast<int>(month), static_cast<int>(day), static_cast<int>(secs / 3600),
                static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  return out;
}

}  // namespace plenary::protocol
