// The HTTP layer of `smartchurn serve`, independent of what the routes do: routing with path
// parameters, JSON errors, API tokens with roles, body limits, uploads streamed to disk, server-sent
// events, Prometheus metrics, and a cpp-httplib server with keep-alive, TCP_NODELAY, bounded worker
// threads, timeouts and graceful shutdown. Routes can be dispatched in-process (no socket) in tests.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace smartchurn::server {

// An error a handler returns to the client: {"error": {"code", "message", "field"}} with `status`.
// smartchurn::Error thrown by handlers is mapped too: kUsage -> 400, kBadData -> 422,
// kIncompatible -> 409, kIo and kInternal -> 500 (message logged, a generic one sent).
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

enum class Role { kNone, kViewer, kAnalyst, kAdmin };  // each includes the rights of the ones before
const char* to_string(Role role);

struct Request {
  std::string method;  // GET, POST, DELETE, ...
  std::string path;
  std::map<std::string, std::string> params;  // path parameters, e.g. {"id": "7"}
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;                            // JSON routes only
  Role role = Role::kNone;                     // what the caller's token allows

  // Upload routes: the body (the file part of a multipart form, or a text/csv body) streamed to a
  // temporary file that the handler may move; removed after the response when still there.
  std::string upload_path;
  std::string upload_filename;  // as sent by the client, for display only
  std::map<std::string, std::string> form;  // other (small) multipart fields

  std::string header(const std::string& lower_name, const std::string& fallback = "") const;
  std::optional<std::string> query_value(const std::string& name) const;
  // Integer path parameter; ApiError 400 naming it when it is not a positive integer.
  int64_t id_param(const std::string& name = "id") const;
  // The body parsed as JSON; ApiError 415 unless Content-Type is JSON, 400 when malformed.
  nlohmann::json json() const;
};

// Server-sent events: the producer calls send() for each event until it returns false (the client
// went away) or the producer is done.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual bool send(const std::string& event, const nlohmann::json& data) = 0;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the response is a text/event-stream produced by this function.
  std::function<void(EventSink&)> events;
  // When set, the body is this file, sent in pieces as the client reads (a large scored CSV).
  std::string body_file;

  static Response json(const nlohmann::json& body, int status = 200);
  static Response text(std::string body, std::string content_type, int status = 200);
  static Response file(std::string path, std::string content_type);
  static Response no_content();
};

using Handler = std::function<Response(Request&)>;

enum class BodyKind { kNone, kJson, kUpload };

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/models/{id}/activate"
  Role minimum_role = Role::kViewer;
  BodyKind body = BodyKind::kNone;
  Handler handler;
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
  // exceptions into JSON errors: the guard's refusal, 404 for an unknown path, 405 (with Allow) for a known path and another method, 401 without a
  // valid token when tokens are on, 403 for a role too low. Routes with minimum_role kNone are
  // public; otherwise request.role (set by the server from the token) must reach minimum_role.
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

// Prometheus text exposition: requests by route and status, a latency histogram, requests in
// flight, plus gauges and counters the application sets.
class Metrics {
 public:
  Metrics();
  ~Metrics();
  void record_request(const std::string& route, const std::string& method, int status,
                      double seconds);
  void add_in_flight(int delta);
  void set_gauge(const std::string& name, const std::string& help, double value,
                 const std::map<std::string, std::string>& labels = {});
  void add_counter(const std::string& name, const std::string& help, double delta,
                   const std::map<std::string, std::string>& labels = {});
  std::string render() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (see HttpServer::port())
  int threads = 32;  // worker threads; each keep-alive connection holds one while open
  std::size_t max_json_body = 1 << 20;       // 1 MiB
  std::size_t max_upload_body = 512u << 20;  // 512 MiB, streamed to disk
  std::string upload_dir;                    // where uploads are streamed; must exist
  int read_timeout_seconds = 30;
  int write_timeout_seconds = 30;
  int keep_alive_max_count = 10000;
  std::string static_dir;  // when set, GET outside /api is served from here (the dashboard)
};

class HttpServer {
 public:
  HttpServer(const Router& router, const Tokens& tokens, Metrics& metrics, ServerOptions options);
  ~HttpServer();
  // Binds, then serves until stop(); throws Error(kIo) when the address cannot be bound.
  void bind();
  void serve();
  int port() const;  // the bound port
  // Stops accepting, lets in-flight requests finish, then serve() returns. Safe from any thread
  // (and from a signal-handling thread).
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace smartchurn::server
