// Errors cross the storage boundary as values, never as exceptions.
// Thread safety: plain values; safe to copy between threads.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "storage/model.hpp"

namespace plenary::storage {

enum class error_kind {
  not_found,  // unknown draft, clause or commit
  conflict,   // the clause moved on in an overlapping way, or is gone
  invalid,    // the request breaks a rule (bad id, empty text, invalid UTF-8, ...)
  exists,     // creating something that is already there
  forbidden,  // the draft's stage, or who acts, does not allow it (procedure.md)
  io,         // the disk or libgit2 failed; nothing was committed
  internal,   // a bug: an invariant did not hold
};

const char* to_string(error_kind kind) noexcept;

struct error {
  error_kind kind = error_kind::internal;
  std::string message;            // one sentence a person can act on
  std::optional<clause> current;  // for conflict: the clause as it stands now (nullopt if gone)
};

// A value or an error, in the spirit of std::expected (C++23). [[nodiscard]]: an error
// dropped on the floor is a write that silently did not happen; a caller that really has
// nothing to do with one says so with a (void) cast and a comment.
template <class T>
class [[nodiscard]] result {
 public:
  result(T value) : v_(std::move(value)) {}  // NOLINT(implicit)
  result(error err) : v_(std::move(err)) {}  // NOLINT(implicit)

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const error& err() const& { return std::get<1>(v_); }
  error&& err() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, error> v_;
};

// result<void>
struct ok_t {};
using status = result<ok_t>;
inline status ok_status() { return ok_t{}; }

inline error make_error(error_kind kind, std::string message) {
  return error{kind, std::move(message), std::nullopt};
}

}  // namespace plenary::storage
