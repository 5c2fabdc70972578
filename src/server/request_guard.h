// The first check of every request (Router::set_guard): the Host header against the server's own
// names (against DNS rebinding), and, for state-changing methods, the Origin against the server's
// own origin (against cross-site requests from any web page the user opens). docs/security.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/request.h"
#include "server/response.h"
#include "server/router.h"

namespace smartchurn::server {

// True for 127.0.0.0/8, ::1 (and ::ffff:127.x.y.z) written as address literals, and "localhost";
// any other name is not (it could resolve anywhere), nor "127.0.0.1.example".
bool is_loopback_address(std::string_view host);
// True for the any-address binds 0.0.0.0 and :: (and an empty host).
bool is_wildcard_address(std::string_view host);

struct RequestGuardOptions {
  std::string bind_host = "127.0.0.1";     // --host
  int port = 0;                            // the bound port
  std::vector<std::string> allowed_hosts;  // --allowed-hosts: "name" or "name:port"
  bool tokens_enabled = false;             // --tokens given: Origin is not needed
};

class RequestGuard {
 public:
  // Error(kUsage) naming an --allowed-hosts entry that is not a host or host:port.
  explicit RequestGuard(RequestGuardOptions options);

  // The 403 refusal (host_not_allowed or cross_site_request), or nullopt to go on.
  //  - Host must name the bound address (and, for a loopback bind, localhost, 127.0.0.1 or
  //    [::1]) or an --allowed-hosts entry, with the bound port or none; a wildcard bind checks
  //    Host only when --allowed-hosts is given. A request without Host is refused while Host is
  //    checked (HTTP/1.1 requires it; every browser sends it).
  //  - POST, PUT, PATCH and DELETE from a foreign origin (an Origin that is not this server's, or
  //    no Origin and Sec-Fetch-Site cross-site or same-site) are refused without tokens; with
  //    tokens only when form-like (text/plain, form or multipart content, or none: what a page
  //    can send without CORS), as a bearer token cannot be attached cross-site without CORS.
  std::optional<Response> check(const Request& request) const;

  // For Router::set_guard (holds a copy of this guard).
  Router::Guard as_router_guard() const;

 private:
  struct AllowedHost {
    std::string host;  // lower case, IPv6 without brackets
    int port;          // kBoundPortOrNone, or the one port this entry allows
  };
  static constexpr int kBoundPortOrNone = -1;

  bool host_allowed(const std::string& host, std::optional<int> port, bool port_required) const;
  bool own_origin(const std::string& origin, const std::string& host_header) const;
  std::string own_address() const;

  RequestGuardOptions options_;
  bool check_host_ = true;
  std::vector<AllowedHost> allowed_;
};

}  // namespace smartchurn::server
