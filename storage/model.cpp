// Names of the model enums (storage/model.hpp, storage/result.hpp) as the contract spells them.
#include "storage/model.hpp"

#include "storage/result.hpp"

namespace plenary::storage {

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

std::optional<clause_kind> parse_clause_kind(std::string_view s) noexcept {
  if (s == "heading") return clause_kind::heading;
  if (s == "preamble") return clause_kind::preamble;
  if (s == "operative") return clause_kind::operative;
  return std::nullopt;
}

const char* to_string(op_kind op) noexcept {
  switch (op) {
    case op_kind::open:
      return "open";
    case op_kind::replace:
      return "replace";
    case op_kind::insert:
      return "insert";
    case op_kind::remove:
      return "delete";
    case op_kind::move:
      return "move";
    case op_kind::stage:
      return "stage";
    case op_kind::sponsors:
      return "sponsors";
    case op_kind::bracket:
      return "bracket";
    case op_kind::resolve:
      return "resolve";
  }
  return "replace";
}

std::optional<op_kind> parse_op(std::string_view s) noexcept {
  if (s == "open") return op_kind::open;
  if (s == "replace") return op_kind::replace;
  if (s == "insert") return op_kind::insert;
  if (s == "delete") return op_kind::remove;
  if (s == "move") return op_kind::move;
  if (s == "stage") return op_kind::stage;
  if (s == "sponsors") return op_kind::sponsors;
  if (s == "bracket") return op_kind::bracket;
  if (s == "resolve") return op_kind::resolve;
  return std::nullopt;
}

const char* to_string(error_kind kind) noexcept {
  switch (kind) {
    case error_kind::not_found:
      return "not_found";
    case error_kind::conflict:
      return "conflict";
    case error_kind::invalid:
      return "invalid";
    case error_kind::exists:
      return "exists";
    case error_kind::forbidden:
      return "forbidden";
    case error_kind::io:
      return "io";
    case error_kind::internal:
      return "internal";
  }
  return "internal";
}

// ---- procedure ------------------------------------------------------------------------

namespace {

// One enum's names, in the order of its enumerators.
template <class E, std::size_t N>
const char* name_of(E value, const char* const (&names)[N]) noexcept {
  const auto i = static_cast<std::size_t>(value);
  return i < N ? names[i] : names[0];
}

template <class E, std::size_t N>
std::optional<E> value_of(std::string_view s, const char* const (&names)[N]) noexcept {
  for (std::size_t i = 0; i < N; ++i) {
    if (s == names[i]) return static_cast<E>(i);
  }
  return std::nullopt;
}

constexpr const char* stage_names[] = {"working", "formal", "adopted"};
constexpr const char* adoption_names[] = {"friendly", "vote"};
constexpr const char* status_names[] = {"tabled",   "voting",    "adopted",
                                        "rejected", "withdrawn", "conflict"};
constexpr const char* threshold_names[] = {"simple", "two-thirds", "two-thirds-present"};
constexpr const char* choice_names[] = {"yes", "no", "abstain"};
constexpr const char* outcome_names[] = {"adopted", "rejected", "conflict"};
constexpr const char* act_names[] = {"table", "support", "withdraw", "open",
                                     "vote",  "close",   "restart"};

}  // namespace

const char* to_string(draft_stage stage) noexcept { return name_of(stage, stage_names); }
std::optional<draft_stage> parse_stage(std::string_view s) noexcept {
  return value_of<draft_stage>(s, stage_names);
}
const char* to_string(adoption_kind kind) noexcept { return name_of(kind, adoption_names); }
const char* to_string(proposal_status s) noexcept { return name_of(s, status_names); }
std::optional<proposal_status> parse_proposal_status(std::string_view s) noexcept {
  return value_of<proposal_status>(s, status_names);
}
const char* to_string(vote_threshold t) noexcept { return name_of(t, threshold_names); }
std::optional<vote_threshold> parse_threshold(std::string_view s) noexcept {
  return value_of<vote_threshold>(s, threshold_names);
}
const char* to_string(vote_choice c) noexcept { return name_of(c, choice_names); }
std::optional<vote_choice> parse_choice(std::string_view s) noexcept {
  return value_of<vote_choice>(s, choice_names);
}
const char* to_string(proposal_outcome o) noexcept { return name_of(o, outcome_names); }
std::optional<proposal_outcome> parse_outcome(std::string_view s) noexcept {
  return value_of<proposal_outcome>(s, outcome_names);
}
const char* to_string(act_kind a) noexcept { return name_of(a, act_names); }

bool vote_carries(vote_threshold threshold, const vote_count& c) noexcept {
  if (c.yes < 1) return false;
  const long long yes = c.yes;
  const long long no = c.no;
  const long long abstain = c.abstain;
  switch (threshold) {
    case vote_threshold::simple:
      return yes > no;
    case vote_threshold::two_thirds:
      return 3 * yes >= 2 * (yes + no);
    case vote_threshold::two_thirds_present:
      return 3 * yes >= 2 * (yes + no + abstain);
  }
  return false;
}

vote_count vote_record::count() const noexcept {
  return {static_cast<int>(yes.size()), static_cast<int>(no.size()),
          static_cast<int>(abstain.size())};
}

amendment proposal_record::change() const {
  amendment a;
  a.op = op;
  a.clause = clause.value_or(std::string());
  a.after = after;
  a.kind = kind.value_or(clause_kind::operative);
  a.text = text.value_or(std::string());
  a.base = base.value_or(std::string());
  a.bracket = bracket.value_or(0);
  a.choose = choose.value_or(0);
  a.start = start.value_or(0);
  a.end = end.value_or(0);
  a.note = note;
  return a;
}

}  // namespace plenary::storage
