// Fuzz target: the bracket notation of procedure.md (storage/brackets.hpp) on arbitrary texts,
// spans and indexes. The input is: a byte each for the span's start and end (as fractions of
// the text), the bracket and the alternative to resolve, the wording's length, the wording,
// then the clause text. Besides not crashing, each result must keep these properties:
//   - parse: a refusal is one sentence of valid UTF-8; an accepted text's brackets are in
//     order, apart, each exactly the canonical form of its alternatives, no mark outside them,
//     no mark inside a wording;
//   - resolve: refused exactly when the indexes are out of range; otherwise the bracket is
//     replaced by that wording, the rest of the text is untouched, one bracket fewer parses;
//   - bracket_span: an accepted span gives a text that parses, whose bracket at `index` ends
//     with the new wording by its proponent, and whose text outside that bracket is unchanged;
//     a refusal is `invalid`;
//   - attribute_proponents: the segments still join to the text, whatever the cuts.
#include <algorithm>
#include <string>
#include <vector>

#include "fuzz_common.hpp"
#include "storage/brackets.hpp"

namespace st = plenary::storage;
namespace br = plenary::storage::brackets;
using namespace plenary::fuzz;

namespace {

bool marks_in(std::string_view s) { return br::has_marks(s); }

// The parts of `text` outside its brackets, joined.
std::string outside(std::string_view text, const std::vector<br::bracket>& bs) {
  std::string out;
  std::size_t at = 0;
  for (const auto& b : bs) {
    out.append(text.substr(at, b.start - at));
    at = b.end;
  }
  out.append(text.substr(at));
  return out;
}

void check_parsed(std::string_view text, const std::vector<br::bracket>& bs) {
  std::size_t previous_end = 0;
  for (const auto& b : bs) {
    FUZZ_CHECK(b.start >= previous_end && b.start < b.end && b.end <= text.size(),
               "bracket [%zu, %zu) out of order", b.start, b.end);
    FUZZ_CHECK(!b.alternatives.empty(), "a bracket without alternatives");
    FUZZ_CHECK(text.substr(b.start, b.end - b.start) == br::format(b.alternatives),
               "a bracket that is not in canonical form");
    for (const auto& a : b.alternatives) {
      FUZZ_CHECK(!marks_in(a.wording), "a mark inside a wording");
      FUZZ_CHECK(!a.state.empty() && std::all_of(a.state.begin(), a.state.end(), upper_alnum),
                 "proponent `%s`", a.state.c_str());
    }
    previous_end = b.end;
  }
  FUZZ_CHECK(!marks_in(outside(text, bs)), "a mark outside the brackets");
}

void check_error(const st::error& e) {
  FUZZ_CHECK(e.kind == st::error_kind::invalid, "an error that is not `invalid`");
  FUZZ_CHECK(!e.message.empty() && utf8_ok(e.message), "an empty or broken message");
}

std::size_t scaled(unsigned b, std::size_t size) { return size * b / 255; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 5) return 0;
  const unsigned start_byte = data[0], end_byte = data[1];
  const std::size_t index = data[2] % 4, choose = data[3] % 4;
  const std::size_t wording_size = std::min<std::size_t>(data[4] % 32, size - 5);
  const std::string wording(reinterpret_cast<const char*>(data + 5), wording_size);
  const std::string text(reinterpret_cast<const char*>(data + 5 + wording_size),
                         size - 5 - wording_size);
  // The preconditions of storage/brackets.hpp (the protocol layer checks them first).
  if (!utf8_ok(text) || !utf8_ok(wording) || text.size() > 16384) return 0;

  auto parsed = br::parse(text, {}, "Clause c1");
  if (!parsed) {
    check_error(parsed.err());
  } else {
    check_parsed(text, *parsed);
  }

  // resolve
  auto resolved = br::resolve(text, index, choose);
  if (!parsed) {
    FUZZ_CHECK(!resolved, "resolve accepted a text that does not parse");
  } else if (index >= parsed->size() || choose >= (*parsed)[index].alternatives.size()) {
    FUZZ_CHECK(!resolved, "resolve accepted indexes out of range");
  } else {
    FUZZ_CHECK(static_cast<bool>(resolved), "resolve refused %zu/%zu: %s", index, choose,
               resolved ? "" : resolved.err().message.c_str());
    const auto& b = (*parsed)[index];
    const std::string expected =
        text.substr(0, b.start) + b.alternatives[choose].wording + text.substr(b.end);
    FUZZ_CHECK(*resolved == expected, "resolve changed more than its bracket");
    auto again = br::parse(*resolved);
    FUZZ_CHECK(again && again->size() + 1 == parsed->size(), "resolve left a broken text");
  }
  if (!resolved) check_error(resolved.err());

  // bracket_span, with a blame cut in two at the span's start
  const std::size_t s = scaled(start_byte, text.size()), e = scaled(end_byte, text.size());
  std::vector<st::blame_segment> blame;
  if (s > 0) blame.push_back({text.substr(0, s), "CHN", std::string(40, 'a')});
  if (s < text.size()) blame.push_back({text.substr(s), "RUS", std::string(40, 'b')});
  auto made = br::bracket_span(text, s, e, "USA", wording, blame);
  if (!made) {
    check_error(made.err());
  } else {
    FUZZ_CHECK(static_cast<bool>(parsed), "bracket_span accepted a text that does not parse");
    auto after = br::parse(made->text);
    FUZZ_CHECK(static_cast<bool>(after), "bracket_span made a text that does not parse: %s",
               after ? "" : after.err().message.c_str());
    FUZZ_CHECK(made->index < after->size(), "bracket index %zu of %zu", made->index, after->size());
    const auto& b = (*after)[made->index];
    FUZZ_CHECK(b.alternatives.back().state == "USA" && b.alternatives.back().wording == wording,
               "the new alternative is not last");
    FUZZ_CHECK(made->text.substr(0, b.start) == text.substr(0, b.start),
               "bracket_span changed the text before its bracket");
    const std::size_t tail = made->text.size() - b.end;
    FUZZ_CHECK(tail <= text.size() && made->text.substr(b.end) == text.substr(text.size() - tail),
               "bracket_span changed the text after its bracket");
  }

  // attribute_proponents keeps the text, wherever the blame is cut
  std::vector<st::blame_segment> cuts;
  std::size_t at = 0;
  for (std::size_t k = 0; at < text.size(); ++k) {
    std::size_t n = 1 + (data[k % size] % 7);
    while (at + n < text.size() && (static_cast<unsigned char>(text[at + n]) & 0xC0) == 0x80) ++n;
    n = std::min(n, text.size() - at);
    cuts.push_back({text.substr(at, n), k % 2 ? "FRA" : "CHAIR", std::string(40, 'c')});
    at += n;
  }
  std::string joined;
  for (const auto& seg : br::attribute_proponents(cuts)) joined += seg.text;
  FUZZ_CHECK(joined == text, "attribute_proponents changed the text");
  return 0;
}
