#include "smartchurn/error.h"

namespace smartchurn {

std::string format_error(const Location& where, const std::string& message) {
  std::string out;
  if (!where.file.empty()) {
    out += where.file;
    if (where.line > 0) out += ":" + std::to_string(where.line);
    out += ": ";
  } else if (where.line > 0) {
    out += "line " + std::to_string(where.line) + ": ";
  }
  if (!where.column.empty()) out += "column '" + where.column + "': ";
  return out + message;
}

Error::Error(ErrorCode code, const std::string& message, Location where)
    : std::runtime_error(format_error(where, message)),
      code_(code),
      where_(std::move(where)),
      message_(message) {}

void throw_usage(const std::string& message) { throw Error(ErrorCode::kUsage, message); }
void throw_bad_data(const std::string& message, Location where) {
  throw Error(ErrorCode::kBadData, message, std::move(where));
}
void throw_io(const std::string& message, Location where) {
  throw Error(ErrorCode::kIo, message, std::move(where));
}

void throw_not_found(const std::string& message) { throw Error(ErrorCode::kNotFound, message); }
void throw_conflict(const std::string& message) { throw Error(ErrorCode::kConflict, message); }
void throw_unavailable(const std::string& message) {
  throw Error(ErrorCode::kUnavailable, message);
}

}  // namespace smartchurn
