// The document the export tests render (export_test, export_lang_test, export_comments_test,
// brackets_export_test): the draft `demo` at head "bbb…b" (40 b's), with the roster's parties
// RUS and FRA, built from the clauses each test gives, and one of two histories. Each test then
// sets what is its own (sponsors, version, language, notes).
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "exports/render.hpp"

namespace plenary::test::ops {

inline constexpr std::int64_t demo_opened_at = 1795774500;  // 2026-11-27T10:15:00Z

// A clause as the snapshot holds it; `number` only for an operative one.
inline storage::clause make_clause(std::string id, storage::clause_kind kind,
                                   std::optional<int> number, std::string text) {
  storage::clause c;
  c.id = std::move(id);
  c.kind = kind;
  c.number = number;
  c.text = std::move(text);
  return c;
}

// `main` up to the head: the chair's opening alone (it is the head), or the chair's opening
// ("aaa…a") then a replace by RUS a day later (the head).
enum class demo_history { opened, opened_then_amended };

inline exports::document demo_document(std::string title, std::vector<storage::clause> clauses,
                                       demo_history history = demo_history::opened_then_amended) {
  exports::document d;
  d.slug = "demo";
  d.text.title = std::move(title);
  d.text.head = std::string(40, 'b');
  d.text.clauses = std::move(clauses);
  storage::log_entry open;
  open.commit = history == demo_history::opened ? d.text.head : std::string(40, 'a');
  open.by = {"CHAIR", "Chair"};
  open.at = demo_opened_at;
  d.commits = {open};
  if (history == demo_history::opened_then_amended) {
    storage::log_entry amended = open;
    amended.commit = d.text.head;
    amended.parent = open.commit;
    amended.by = {"RUS", "Russian Federation"};
    amended.op = storage::op_kind::replace;
    amended.at = demo_opened_at + 86400;  // a day later: 2026-11-28T10:15:00Z
    d.commits.push_back(amended);
  }
  d.parties = {{"RUS", "Russian Federation"}, {"FRA", "France"}};
  return d;
}

}  // namespace plenary::test::ops
