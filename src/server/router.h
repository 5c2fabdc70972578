// Routing with path parameters, roles and the checks made before a body is read.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "server/request.h"
#include "server/response.h"
#include "server/role.h"

namespace smartchurn::server {

using Handler = std::function<Response(Request&)>;

// "/api" and below: the API answers JSON errors, other paths (dashboard files) plain text.
bool is_api_path(const std::string& path);
// The 404 of a path outside the API: plain text, as a browser or a scraper expects.
Response plain_not_found();

enum class BodyKind { kNone, kJson, kUpload };

// Where the HTTP server runs a handler: inline on its network threads (quick work), or on the
// bounded worker pool (work that may take long: it must not stall other connections).
enum class Cost { kQuick, kSlow };

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/models/{id}/activate"
  Role minimum_role = Role::kViewer;
  BodyKind body = BodyKind::kNone;
  Handler handler;
  Cost cost = Cost::kQuick;  // uploads always run on the pool, whatever this says
};

class Router {
 public:
  // A check of every request (API and dashboard files alike) before anything else, e.g. the Host
  // and cross-site checks: the refusal, or nullopt to go on.
  using Guard = std::function<std::optional<Response>(const Request&)>;

  // Patterns are "/"-separated literal, "{name}" or "{name:text}" segments; Error(kUsage) for a
  // malformed pattern or a method and pattern already added. A "{name}" parameter matches only
  // [A-Za-z0-9_.-]{1,64} (not "." or ".."); a "{name:text}" one matches any segment and is
  // percent-decoded into any characters (1 to 512 bytes; a malformed escape does not match).
  // Where several routes match, the one with the fewest parameters wins. HEAD is matched as GET.
  void add(Route route);
  // The route for this method and path (nullptr when none), filling `params` when given.
  const Route* find(const std::string& method, const std::string& path,
                    std::map<std::string, std::string>* params = nullptr) const;
  // Screens the request, finds the route, checks the role and runs the handler, turning
  // exceptions into JSON errors: the guard's refusal, 404 for an unknown path (plain text outside
  // /api), 405 (with Allow)
  // for a known path and another method, 401 without a valid token when tokens are on, 403 for a
  // role too low. Routes with minimum_role kNone are public; otherwise request.role (set by the
  // server from the token) must reach minimum_role.
  Response dispatch(Request& request) const;
  void set_guard(Guard guard) { guard_ = std::move(guard); }
  // The guard's refusal (nullopt when there is no guard or it lets the request through).
  std::optional<Response> screen(const Request& request) const;
  // What dispatch answers before running a handler, so a server can refuse a request before
  // reading its body: 404, 405, 401 or 403, or nullopt (and `params` filled) when the route runs.
  std::optional<Response> admit(Request& request) const;
  const std::vector<Route>& routes() const;
  // The pattern of the route that matches (for metrics labels), or "unmatched".
  std::string route_label(const std::string& method, const std::string& path) const;

 private:
  std::vector<Route> routes_;
  Guard guard_;
};

}  // namespace smartchurn::server
