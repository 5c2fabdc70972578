// API tokens with roles.
#pragma once

#include <map>
#include <string>

#include "server/role.h"

namespace smartchurn::server {

// API tokens, one per line: "<token> <role> [<name>]"; '#' starts a comment. Roles: viewer,
// analyst, admin. Without a token file every caller is admin (loopback-only by default).
class Tokens {
 public:
  static Tokens allow_all();
  static Tokens load(const std::string& path);  // Error(kBadData) naming the line of a bad entry
  bool enabled() const { return enabled_; }
  // The role of "Authorization: Bearer <token>", kNone when missing or unknown; kAdmin when
  // tokens are off.
  Role role_for(const std::string& authorization_header) const;

 private:
  bool enabled_ = false;
  std::map<std::string, Role> roles_;
};

}  // namespace smartchurn::server
