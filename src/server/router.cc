// Route matching on "/"-separated segments without allocating, and dispatch with JSON errors.
#include "server/router.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>
#include <string_view>

#include "server/error_response.h"
#include "smartchurn/error.h"

namespace smartchurn::server {
namespace {

constexpr std::size_t kMaxParamLength = 64;
// A free-form parameter ("{id:text}") holds any characters once percent-decoded, up to this many.
constexpr std::size_t kMaxTextParamLength = 512;
constexpr std::string_view kTextSuffix = ":text";

// Splits "/a/b/c" into segments one at a time; the leading "/" is skipped.
class SegmentCursor {
 public:
  explicit SegmentCursor(std::string_view path)
      : rest_(path.empty() ? path : path.substr(1)), done_(path.empty()) {}
  bool next(std::string_view& segment) {
    if (done_) return false;
    const std::size_t slash = rest_.find('/');
    if (slash == std::string_view::npos) {
      segment = rest_;
      done_ = true;
    } else {
      segment = rest_.substr(0, slash);
      rest_ = rest_.substr(slash + 1);
    }
    return true;
  }

 private:
  std::string_view rest_;
  bool done_;
};

bool is_param(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

bool is_text_param(std::string_view segment) {
  return is_param(segment) && segment.size() > kTextSuffix.size() + 2 &&
         segment.substr(segment.size() - 1 - kTextSuffix.size(), kTextSuffix.size()) == kTextSuffix;
}

std::string_view param_name(std::string_view segment) {
  std::string_view name = segment.substr(1, segment.size() - 2);
  if (is_text_param(segment)) name.remove_suffix(kTextSuffix.size());
  return name;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes `value` ('+' stays '+': this is a path, not a form); false for a malformed
// escape, an empty result or one longer than kMaxTextParamLength. Appends to `out` when given.
bool decode_text_param(std::string_view value, std::string* out) {
  std::size_t length = 0;
  for (std::size_t i = 0; i < value.size(); ++i, ++length) {
    char c = value[i];
    if (c == '%') {
      if (i + 2 >= value.size()) return false;
      const int high = hex_value(value[i + 1]), low = hex_value(value[i + 2]);
      if (high < 0 || low < 0) return false;
      c = static_cast<char>(high * 16 + low);
      i += 2;
    }
    if (out != nullptr) out->push_back(c);
  }
  return length > 0 && length <= kMaxTextParamLength;
}

bool is_param_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

bool valid_param_value(std::string_view value) {
  if (value.empty() || value.size() > kMaxParamLength || value == "." || value == "..")
    return false;
  return std::all_of(value.begin(), value.end(), is_param_char);
}

// Matches `path` against `pattern`; returns the number of parameters, or -1 when no match.
int match_pattern(std::string_view pattern, std::string_view path,
                  std::map<std::string, std::string>* params) {
  if (path.empty() || path.front() != '/') return -1;
  SegmentCursor pattern_cursor(pattern);
  SegmentCursor path_cursor(path);
  std::string_view pattern_segment;
  std::string_view path_segment;
  int param_count = 0;
  while (pattern_cursor.next(pattern_segment)) {
    if (!path_cursor.next(path_segment)) return -1;
    if (is_text_param(pattern_segment)) {
      if (!decode_text_param(path_segment, nullptr)) return -1;
      ++param_count;
      if (params != nullptr) {
        std::string& value = (*params)[std::string(param_name(pattern_segment))];
        value.clear();
        decode_text_param(path_segment, &value);
      }
    } else if (is_param(pattern_segment)) {
      if (!valid_param_value(path_segment)) return -1;
      ++param_count;
      if (params != nullptr) {
        (*params)[std::string(param_name(pattern_segment))] = std::string(path_segment);
      }
    } else if (pattern_segment != path_segment) {
      return -1;
    }
  }
  return path_cursor.next(path_segment) ? -1 : param_count;
}

std::string_view matching_method(const std::string& method) {
  return method == "HEAD" ? std::string_view("GET") : std::string_view(method);
}

void validate_pattern(const std::string& pattern) {
  if (pattern.empty() || pattern.front() != '/') {
    throw_usage(fmt::format("route pattern '{}' must start with '/'", pattern));
  }
  SegmentCursor cursor(pattern);
  std::string_view segment;
  while (cursor.next(segment)) {
    const bool braces = segment.find_first_of("{}") != std::string_view::npos;
    if (!braces) continue;
    const std::string_view name = is_param(segment) ? param_name(segment) : std::string_view();
    const bool valid_name = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return is_param_char(c) && c != '.' && c != '-';
    });
    if (!valid_name) {
      throw_usage(fmt::format("route pattern '{}': bad parameter segment '{}'", pattern, segment));
    }
  }
}

}  // namespace

bool is_api_path(const std::string& path) { return path == "/api" || path.starts_with("/api/"); }

Response plain_not_found() {
  return Response::text("404 not found\n", "text/plain; charset=utf-8", 404);
}

void Router::add(Route route) {
  validate_pattern(route.pattern);
  if (!route.handler)
    throw_usage(fmt::format("route {} {} has no handler", route.method, route.pattern));
  for (const Route& existing : routes_) {
    if (existing.method == route.method && existing.pattern == route.pattern) {
      throw_usage(fmt::format("route {} {} added twice", route.method, route.pattern));
    }
  }
  routes_.push_back(std::move(route));
}

const Route* Router::find(const std::string& method, const std::string& path,
                          std::map<std::string, std::string>* params) const {
  const std::string_view wanted = matching_method(method);
  const Route* best = nullptr;
  int best_params = 0;
  for (const Route& route : routes_) {
    if (route.method != wanted) continue;
    const int count = match_pattern(route.pattern, path, nullptr);
    if (count >= 0 && (best == nullptr || count < best_params)) {
      best = &route;
      best_params = count;
    }
  }
  if (best != nullptr && params != nullptr) match_pattern(best->pattern, path, params);
  return best;
}

std::optional<Response> Router::screen(const Request& request) const {
  if (!guard_) return std::nullopt;
  return guard_(request);
}

std::optional<Response> Router::admit(Request& request) const {
  const Route* route = find(request.method, request.path, &request.params);
  if (route == nullptr) {
    std::set<std::string> allowed;
    for (const Route& candidate : routes_) {
      if (match_pattern(candidate.pattern, request.path, nullptr) >= 0) {
        allowed.insert(candidate.method);
      }
    }
    if (allowed.empty()) {
      if (!is_api_path(request.path)) return plain_not_found();
      return error_response(404, "not_found", fmt::format("no such resource: {}", request.path));
    }
    const std::string allow = fmt::format("{}", fmt::join(allowed, ", "));
    Response response = error_response(
        405, "method_not_allowed",
        fmt::format("{} is not allowed on {} (allowed: {})", request.method, request.path, allow));
    response.headers.emplace_back("Allow", allow);
    return response;
  }
  if (request.role < route->minimum_role) {
    if (request.role == Role::kNone) {
      Response response = error_response(401, "unauthorized",
                                         "a valid API token is required (Authorization: "
                                         "Bearer <token>)");
      response.headers.emplace_back("WWW-Authenticate", "Bearer");
      return response;
    }
    return error_response(403, "forbidden",
                          fmt::format("this action needs the {} role; your token has {}",
                                      to_string(route->minimum_role), to_string(request.role)));
  }
  return std::nullopt;
}

Response Router::dispatch(Request& request) const {
  if (auto refusal = screen(request)) return std::move(*refusal);
  if (auto refusal = admit(request)) return std::move(*refusal);
  const Route* route = find(request.method, request.path);
  try {
    return route->handler(request);
  } catch (...) {
    return response_for_exception(std::current_exception(),
                                  fmt::format("{} {}", request.method, route->pattern));
  }
}

const std::vector<Route>& Router::routes() const { return routes_; }

std::string Router::route_label(const std::string& method, const std::string& path) const {
  if (const Route* route = find(method, path)) return route->pattern;
  // A known path with another method still gets its pattern, to keep 405s attributable.
  for (const Route& route : routes_) {
    if (match_pattern(route.pattern, path, nullptr) >= 0) return route.pattern;
  }
  return "unmatched";
}

}  // namespace smartchurn::server
