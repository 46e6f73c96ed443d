#include "server/qr.hpp"

#include <qrencode.h>

#include <memory>

namespace plenary::server {
namespace {

constexpr int quiet_zone = 4;  // modules of white around the symbol (ISO/IEC 18004)

}  // namespace

std::optional<std::vector<std::vector<bool>>> qr_modules(std::string_view text) {
  // QRcode_encodeData takes bytes and a length: a NUL in `text` is data, not an end.
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeData(static_cast<int>(text.size()),
                        reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M),
      &QRcode_free);
  if (!code) return std::nullopt;
  const int n = code->width;
  std::vector<std::vector<bool>> rows(static_cast<std::size_t>(n), std::vector<bool>(n));
  for (int y = 0; y < n; ++y) {
    for (int x = 0; x < n; ++x) rows[y][x] = (code->data[y * n + x] & 1) != 0;  // bit 0: dark
  }
  return rows;
}

std::optional<std::string> qr_svg(std::string_view text) {
  auto modules = qr_modules(text);
  if (!modules) return std::nullopt;
  const int n = static_cast<int>(modules->size());
  const std::string size = std::to_string(n + 2 * quiet_zone);
  std::string path;
  path.reserve(static_cast<std::size_t>(n) * n * 2);
  // Each run of dark modules in a row is one rectangle: M x y h run v1 h -run z.
  for (int y = 0; y < n; ++y) {
    for (int x = 0; x < n;) {
      if (!(*modules)[y][x]) {
        ++x;
        continue;
      }
      int run = 0;
      while (x + run < n && (*modules)[y][x + run]) ++run;
      const std::string r = std::to_string(run);
      path += "M" + std::to_string(x + quiet_zone) + " " + std::to_string(y + quiet_zone) + "h" +
              r + "v1h-" + r + "z";
      x += run;
    }
  }
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + " " + size +
         "\" shape-rendering=\"crispEdges\" role=\"img\"><rect width=\"" + size + "\" height=\"" +
         size + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
}

}  // namespace plenary::server
