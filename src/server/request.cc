// Request helpers for handlers, and the Response factories.
#include "server/request.h"

#include <fmt/format.h>

#include <charconv>

#include "server/media_type.h"
#include "server/response.h"
#include "smartchurn/json_limits.h"

namespace smartchurn::server {

std::string Request::header(const std::string& lower_name, const std::string& fallback) const {
  const auto found = headers.find(lower_name);
  return found == headers.end() ? fallback : found->second;
}

std::optional<std::string> Request::query_value(const std::string& name) const {
  const auto found = query.find(name);
  if (found == query.end()) return std::nullopt;
  return found->second;
}

int64_t Request::id_param(const std::string& name) const {
  const auto found = params.find(name);
  const std::string value = found == params.end() ? std::string() : found->second;
  int64_t id = 0;
  const char* end = value.data() + value.size();
  const auto [stop, error] = std::from_chars(value.data(), end, id);
  if (value.empty() || error != std::errc() || stop != end || id <= 0) {
    throw ApiError(400, "invalid_parameter",
                   fmt::format("path parameter '{}' must be a positive integer", name), name);
  }
  return id;
}

nlohmann::json Request::json() const {
  const std::string content_type = header("content-type");
  if (media_type(content_type) != "application/json") {
    throw ApiError(415, "unsupported_media_type",
                   fmt::format("expected Content-Type: application/json, got '{}'", content_type));
  }
  if (const auto at = util::json_too_deep(body, util::kMaxJsonDepth)) {
    throw ApiError(
        400, "invalid_json",
        fmt::format("the body nests arrays and objects deeper than {} levels (at byte {})",
                    util::kMaxJsonDepth, *at + 1));
  }
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& e) {
    // The library's own text names its internals; say where the body went wrong instead.
    throw ApiError(400, "invalid_json",
                   fmt::format("the body is not valid JSON (error at byte {})", e.byte));
  } catch (const nlohmann::json::out_of_range&) {
    // The parser's only range error: a number literal beyond what a double holds (1e400).
    throw ApiError(400, "invalid_json", "the body holds a number too large to represent");
  }
}

Response Response::json(const nlohmann::json& body, int status) {
  Response response;
  response.status = status;
  // Invalid UTF-8 in a string (from user data) becomes U+FFFD instead of an exception.
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

Response Response::text(std::string body, std::string content_type, int status) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  response.content_type = std::move(content_type);
  return response;
}

Response Response::file(std::string path, std::string content_type) {
  Response response;
  response.body_file = std::move(path);
  response.content_type = std::move(content_type);
  return response;
}

Response Response::no_content() {
  Response response;
  response.status = 204;
  response.content_type.clear();
  return response;
}

}  // namespace smartchurn::server
