// QR codes of join links for the organizer's join slips, from libqrencode (Debian
// libqrencode-dev), rendered by the server as a compact SVG: one <path> of the dark modules
// on a white square, with the quiet zone of four modules the standard asks for.
// Thread safety: pure functions (libqrencode is reentrant when built with threads, as
// Debian's is).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace plenary::server {

// The QR symbol of `text` (8-bit mode, error correction M: a slip may be creased or
// smudged), row by row, true for a dark module; nullopt when libqrencode cannot encode it
// (too long: a version 40 symbol holds 2,331 bytes at M).
std::optional<std::vector<std::vector<bool>>> qr_modules(std::string_view text);

// The SVG of `text`'s QR symbol, sized by its viewBox (one unit a module) so that the page
// scales it; nullopt as qr_modules.
std::optional<std::string> qr_svg(std::string_view text);

}  // namespace plenary::server
