// The one error type of the core. Front ends translate it: the CLI into an exit code and a message,
// the server into an HTTP status and a JSON error body (src/server/error_response.cc).
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace smartchurn {

enum class ErrorCode {
  kUsage,         // the caller asked for something impossible (unknown model, bad option value)
  kBadData,       // the input data is malformed or unsuitable (ragged row, one-class target, ...)
  kIo,            // a file could not be read or written
  kIncompatible,  // a bundle from another format version
  kInternal,      // a bug or a failure inside a dependency
  kNotFound,      // the thing asked for does not exist (a model, a data set, a job, a customer)
  kConflict,      // the request clashes with the current state (a job that has already ended)
  kUnavailable,   // the request cannot be served now (no active model, a full queue)
};

// Where in the input a problem was found. Empty / zero members are unknown and not printed.
struct Location {
  std::string file;
  std::size_t line = 0;  // 1-based physical line where the record starts (the header is line 1)
  std::string column;    // column name as written in the header
};

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message, Location where = {});

  ErrorCode code() const noexcept { return code_; }
  const Location& where() const noexcept { return where_; }
  // The message without the location prefix.
  const std::string& message() const noexcept { return message_; }

 private:
  ErrorCode code_;
  Location where_;
  std::string message_;
};

// "file:line: column 'x': message" with the unknown parts left out.
std::string format_error(const Location& where, const std::string& message);

[[noreturn]] void throw_usage(const std::string& message);
[[noreturn]] void throw_bad_data(const std::string& message, Location where = {});
[[noreturn]] void throw_io(const std::string& message, Location where = {});
[[noreturn]] void throw_not_found(const std::string& message);
[[noreturn]] void throw_conflict(const std::string& message);
[[noreturn]] void throw_unavailable(const std::string& message);

}  // namespace smartchurn
