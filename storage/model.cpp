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
  }
  return "replace";
}

std::optional<op_kind> parse_op(std::string_view s) noexcept {
  if (s == "open") return op_kind::open;
  if (s == "replace") return op_kind::replace;
  if (s == "insert") return op_kind::insert;
  if (s == "delete") return op_kind::remove;
  if (s == "move") return op_kind::move;
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
    case error_kind::io:
      return "io";
    case error_kind::internal:
      return "internal";
  }
  return "internal";
}

}  // namespace plenary::storage
