// What the fuzz targets (tests/fuzz/) found in the protocol layer, kept as unit tests. Each
// input is also in tests/fuzz/corpus/fuzz_protocol/, which `make test` replays.
#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "protocol/messages.hpp"

namespace plenary::protocol {
namespace {

// fuzz_protocol: a text of only zero-width spaces or byte order marks was accepted here but
// refused by storage as blank (storage/text.cpp counts them as white space). Both layers now
// judge it blank, so the client gets the refusal from the parser with the field named.
TEST(FuzzRegressions, TextOfOnlyZeroWidthCharactersIsBlank) {
  for (const std::string text : {"\\u200b", "\\ufeff", " \\u200b\\u3000\\ufeff\\n"}) {
    SCOPED_TRACE(text);
    auto r = parse_client_message(
        R"({"type":"amend","op":"insert","after":null,"kind":"operative","text":")" + text +
        R"("})");
    const auto* f = std::get_if<parse_failure>(&r);
    ASSERT_NE(f, nullptr) << "accepted";
    EXPECT_EQ(f->code, error_code::bad_request);
    EXPECT_NE(f->message.find("text"), std::string::npos) << f->message;
  }
  // A zero-width space beside a visible character is fine.
  auto ok = parse_client_message(
      R"({"type":"amend","op":"insert","after":null,"kind":"operative","text":"a\u200bb"})");
  EXPECT_TRUE(std::holds_alternative<parsed_message>(ok));
}

TEST(FuzzRegressions, DraftFileTitleOfOnlyAByteOrderMarkIsBlank) {
  auto r = parse_draft_file(
      R"({"title":"\ufeff","clauses":[{"kind":"operative","text":"A."}],"delegations":[{"code":"RUS","name":"Russia"}]})");
  EXPECT_FALSE(r.file.has_value());
  EXPECT_NE(r.error.find("title"), std::string::npos) << r.error;
}

}  // namespace
}  // namespace plenary::protocol
