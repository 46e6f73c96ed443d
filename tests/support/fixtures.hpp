// The GoogleTest fixtures the integration tests share (tests/server, ops, ...), built on
// harness.hpp: a draft created in a fresh data folder (`created_draft_test`), then served by
// `plenary serve` with clients that join it (`served_draft_test`); and the client messages
// those tests send. Part of plenary_test_support.
// Thread-safety: a fixture belongs to its test's thread, like the harness objects it holds.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness.hpp"

namespace plenary::test {

// A client message: {"type":"<type>","id":<id>,<fields>}, or without fields when `fields` is
// empty. `fields` is JSON members as they go on the wire: R"("proposal":1)".
std::string msg(const std::string& type, long id, const std::string& fields = "");

// `"proposal":<n>`, the field every act on a proposal carries.
std::string on(int proposal);

// The next message of type `type` that `c` receives within `timeout`, skipping every other;
// nullopt when none came (or the socket closed).
std::optional<rapidjson::Document> next_of_type(ws_client& c, const std::string& type,
                                                std::chrono::milliseconds timeout);

// A draft (the small one unless the test says otherwise; slug `test-draft`) created with `plenary
// draft create` in a fresh data folder, and its join codes; nothing is served.
class created_draft_test : public ::testing::Test {
 protected:
  // Creates the draft from `json` in `data`; done by SetUp with the small draft.
  void create(const std::string& json = small_draft_json());
  void SetUp() override { create(); }
  // The draft's bare repository, to read with plain git (run_git).
  std::filesystem::path repo() const { return data / "drafts" / "test-draft.git"; }
  // The WebSocket path of the draft.
  static std::string ws_path() { return "/d/test-draft/ws"; }

  temp_dir tmp;
  std::filesystem::path data;
  codes codes_;
};

// The draft served: `serve` starts `plenary serve` on it (SetUp does not: a test may want other
// flags or another draft), `connect` joins it, `http` reads its API as the observer.
class served_draft_test : public created_draft_test {
 protected:
  void SetUp() override {}
  // Creates the draft from `json` and serves it with the `extra` flags.
  void serve(const std::string& json = small_draft_json(), std::vector<std::string> extra = {});
  // A client that joined with `code`; its welcome in `welcome`. The first welcome also sets
  // `clause_id` and `clause_rev` (operative clause 1 of the small draft, the third clause).
  std::unique_ptr<ws_client> connect(const std::string& code);
  // GET /api/drafts/test-draft<target> with the observer's code; the status must be `expected`.
  rapidjson::Document http(const std::string& target, int expected_status = 200);

  std::unique_ptr<server> srv;
  rapidjson::Document welcome;
  std::string clause_id, clause_rev;
};

}  // namespace plenary::test
