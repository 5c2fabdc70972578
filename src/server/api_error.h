// The error a handler returns to the client, with its HTTP status.
#pragma once

#include <stdexcept>
#include <string>

namespace smartchurn::server {

// {"error": {"code", "message", "field"}} with `status`. smartchurn::Error thrown by handlers is
// mapped too: kUsage -> 400, kBadData -> 422, kIncompatible -> 409, kIo and kInternal -> 500
// (message logged, a generic one sent).
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string code, const std::string& message, std::string field = "");
  int status() const { return status_; }
  const std::string& code() const { return code_; }
  const std::string& field() const { return field_; }

 private:
  int status_;
  std::string code_;
  std::string field_;
};

}  // namespace smartchurn::server
