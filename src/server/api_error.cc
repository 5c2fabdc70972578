#include "server/api_error.h"

#include "server/role.h"

namespace smartchurn::server {

ApiError::ApiError(int status, std::string code, const std::string& message, std::string field)
    : std::runtime_error(message),
      status_(status),
      code_(std::move(code)),
      field_(std::move(field)) {}

const char* to_string(Role role) {
  switch (role) {
    case Role::kNone:
      return "none";
    case Role::kViewer:
      return "viewer";
    case Role::kAnalyst:
      return "analyst";
    case Role::kAdmin:
      return "admin";
  }
  return "none";
}

}  // namespace smartchurn::server
