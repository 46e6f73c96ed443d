// server/qr: the SVG of a join link's QR code holds exactly libqrencode's modules, and a real
// reader decodes it: ImageMagick rasterises the SVG, zbarimg (zbar-tools) reads the PNG.
#include "server/qr.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

namespace plenary::server {
namespace {

namespace fs = std::filesystem;

// The modules the SVG's path draws: each `Mx yhRv1h-Rz` is a run of R dark modules.
std::vector<std::vector<bool>> modules_of_svg(const std::string& svg, int& size) {
  std::smatch m;
  EXPECT_TRUE(std::regex_search(svg, m, std::regex(R"(viewBox="0 0 (\d+) (\d+)")")));
  size = std::stoi(m[1]);
  std::vector<std::vector<bool>> out(size, std::vector<bool>(size));
  EXPECT_TRUE(std::regex_search(svg, m, std::regex(R"(<path fill="#000" d="([^"]*)\"/>)")));
  const std::string d = m[1];
  const std::regex run(R"(M(\d+) (\d+)h(\d+)v1h-(\d+)z)");
  std::size_t covered = 0;
  for (std::sregex_iterator it(d.begin(), d.end(), run), end; it != end; ++it) {
    const int x = std::stoi((*it)[1]), y = std::stoi((*it)[2]), r = std::stoi((*it)[3]);
    EXPECT_EQ(r, std::stoi((*it)[4]));
    for (int k = 0; k < r; ++k) out[y][x + k] = true;
    covered += it->length();
  }
  EXPECT_EQ(covered, d.size()) << "the path holds only runs";
  return out;
}

struct link_case {
  const char* name;
  std::string text;
};
void PrintTo(const link_case& c, std::ostream* os) { *os << c.name; }

class Qr : public ::testing::TestWithParam<link_case> {};

TEST_P(Qr, SvgDrawsLibqrencodesModulesInsideAQuietZone) {
  const auto modules = qr_modules(GetParam().text);
  ASSERT_TRUE(modules);
  const int n = static_cast<int>(modules->size());
  EXPECT_EQ((n - 17) % 4, 0) << "a QR symbol is 17 + 4 x version modules wide";
  const auto svg = qr_svg(GetParam().text);
  ASSERT_TRUE(svg);
  EXPECT_EQ(std::count(svg->begin(), svg->end(), '<'), 3) << "svg, rect, path: " << *svg;
  int size = 0;
  const auto drawn = modules_of_svg(*svg, size);
  ASSERT_EQ(size, n + 8);
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      const bool inside = x >= 4 && y >= 4 && x < n + 4 && y < n + 4;
      const bool want = inside && (*modules)[y - 4][x - 4];
      ASSERT_EQ(drawn[y][x], want) << "module " << x << "," << y;
    }
  }
}

std::string run(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  ::pclose(p);
  return out;
}

TEST_P(Qr, ZbarimgReadsTheLinkBack) {
  ASSERT_EQ(std::system("command -v zbarimg >/dev/null && command -v convert >/dev/null"), 0)
      << "zbarimg (zbar-tools) and convert (imagemagick) are needed: scripts/install-deps.sh "
         "--browser";
  const fs::path dir = fs::temp_directory_path() / ("plenary-qr-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "code.svg") << *qr_svg(GetParam().text);
  // 8 pixels a module: sharp edges, as a projector or a printed slip shows it.
  const std::string png = (dir / "code.png").string();
  ASSERT_EQ(std::system(("convert -density 576 " + (dir / "code.svg").string() +
                         " -resize 400x400 " + png + " 2>/dev/null")
                            .c_str()),
            0);
  std::string decoded = run("zbarimg --raw -q " + png);
  fs::remove_all(dir);
  while (!decoded.empty() && decoded.back() == '\n') decoded.pop_back();
  EXPECT_EQ(decoded, GetParam().text);
}

INSTANTIATE_TEST_SUITE_P(
    Links, Qr,
    ::testing::Values(
        link_case{"DelegationLink",
                  "http://127.0.0.1:8080/d/code-of-conduct#code=Zx3_kq9VbN2mPq7rT1uW0yLs4dFgHjKa"},
        link_case{"LongHostAndSlug",
                  "https://plenary.conference-secretariat.example.org:8443/d/"
                  "third-committee-human-rights-2026#code=AbCdEfGhIjKlMnOpQrStUvWxYz012345"},
        link_case{"Short", "http://h/d/a#code=x"}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(QrLimits, TooLongForASymbolIsNullopt) {
  EXPECT_FALSE(qr_svg(std::string(3000, 'a')));
  EXPECT_TRUE(qr_svg(std::string(2000, 'a')));
}

}  // namespace
}  // namespace plenary::server
