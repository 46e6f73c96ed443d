// The contract's rules for strings; see text_rules.hpp.
#include "protocol/text_rules.hpp"

#include <algorithm>
#include <cstdio>

namespace plenary::protocol::detail {
namespace {

constexpr char32_t replacement_char = 0xFFFD;

// Decodes the sequence at `s[i]`. Returns its length and sets `cp`, or 0 when it is
// ill-formed (bad lead or continuation byte, truncated, overlong, surrogate, > U+10FFFF).
std::size_t decode(std::string_view s, std::size_t i, char32_t& cp) noexcept {
  const auto lead = static_cast<unsigned char>(s[i]);
  std::size_t len = 0;
  if (lead < 0x80) {
    cp = lead;
    return 1;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    len = 2;
    cp = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    len = 3;
    cp = lead & 0x0Fu;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    len = 4;
    cp = lead & 0x07u;
  } else {
    return 0;
  }
  if (s.size() - i < len) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto next = static_cast<unsigned char>(s[i + k]);
    if ((next & 0xC0u) != 0x80u) return 0;
    cp = (cp << 6) | (next & 0x3Fu);
  }
  if (len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return 0;
  if (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) return 0;
  return len;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// C0 controls, DEL and C1 controls.
bool is_control(char32_t cp) noexcept {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
}

// Unicode White_Space, plus the zero-width space and the byte order mark, which show nothing
// either: a text of only these is blank (as storage/text.cpp judges it too).
bool is_white_space(char32_t cp) noexcept {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

bool all_of_chars(std::string_view s, bool (*pred)(char) noexcept) noexcept {
  return std::all_of(s.begin(), s.end(), pred);
}
bool is_lower_alnum(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_id_char(char c) noexcept { return is_lower_alnum(c) || c == '-'; }
bool is_upper_alnum(char c) noexcept { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool is_lower_hex(char c) noexcept { return (c >= 'a' && c <= 'f') || (c >= '0' && c <= '9'); }

}  // namespace

std::size_t find_invalid_utf8(std::string_view s) noexcept {
  char32_t cp = 0;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t len = decode(s, i, cp);
    if (len == 0) return i;
    i += len;
  }
  return std::string_view::npos;
}

std::size_t count_code_points(std::string_view valid_utf8) noexcept {
  // Every byte that is not a continuation byte starts a code point.
  return static_cast<std::size_t>(std::count_if(valid_utf8.begin(), valid_utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0u) != 0x80u;
  }));
}

std::string repair_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  char32_t cp = 0;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t len = decode(s, i, cp);
    if (len == 0) {
      append_utf8(out, replacement_char);
      ++i;
    } else {
      out.append(s.substr(i, len));
      i += len;
    }
  }
  return out;
}

bool is_clause_id(std::string_view s) noexcept {
  return !s.empty() && s.size() <= 32 && all_of_chars(s, is_id_char);
}

bool is_commit_id(std::string_view s) noexcept {
  return s.size() == 40 && all_of_chars(s, is_lower_hex);
}

bool is_slug(std::string_view s) noexcept {
  return !s.empty() && s.size() <= 63 && is_lower_alnum(s.front()) && all_of_chars(s, is_id_char);
}

bool is_state_code(std::string_view s) noexcept {
  return s.size() >= 2 && s.size() <= 8 && all_of_chars(s, is_upper_alnum);
}

std::string check_text(std::string_view s, const text_limits& limits) {
  if (s.size() > limits.max_bytes) return over_limit(s.size(), limits.max_bytes);
  bool blank = true;
  char32_t cp = 0;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = decode(s, i, cp);
    if (len == 0) return "is not valid UTF-8";
    const bool allowed_break = limits.line_breaks && (cp == '\n' || cp == '\t');
    if (is_control(cp) && !allowed_break) {
      char code[16];
      std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(cp));
      std::string message =
          "contains a control character (" + std::string(code) + ") at byte " + with_thousands(i);
      message +=
          limits.line_breaks ? "; only line breaks and tabs are allowed" : "; none are allowed";
      return message;
    }
    blank = blank && is_white_space(cp);
    i += len;
  }
  if (!limits.may_be_blank && s.empty()) return "is empty";
  if (!limits.may_be_blank && blank) return "is blank (only white space)";
  return {};
}

std::string with_thousands(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string quoted(std::string_view valid_utf8) {
  constexpr std::size_t max_shown = 32;
  std::string out = "`";
  std::size_t shown = 0;
  char32_t cp = 0;
  for (std::size_t i = 0; i < valid_utf8.size();) {
    if (shown == max_shown) {
      out += "\u2026";  // …
      break;
    }
    std::size_t len = decode(valid_utf8, i, cp);
    if (len == 0) {  // not expected: callers pass valid UTF-8
      len = 1;
      cp = replacement_char;
    }
    if (is_control(cp)) cp = replacement_char;
    append_utf8(out, cp);
    ++shown;
    i += len;
  }
  out += '`';
  return out;
}

std::string over_limit(std::size_t size, std::size_t limit, std::string_view unit) {
  return "is " + with_thousands(size) + " " + std::string(unit) + "; the limit is " +
         with_thousands(limit);
}

}  // namespace plenary::protocol::detail
