// What a caller may do, from its API token.
#pragma once

namespace smartchurn::server {

enum class Role {
  kNone,
  kViewer,
  kAnalyst,
  kAdmin
};  // each includes the rights of the ones before
const char* to_string(Role role);

}  // namespace smartchurn::server
