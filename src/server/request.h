// A request as handlers see it: method, decoded path and query, headers, body or upload, role.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "server/api_error.h"
#include "server/role.h"

namespace smartchurn::server {

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
  std::string upload_filename;              // as sent by the client, for display only
  std::map<std::string, std::string> form;  // other (small) multipart fields

  std::string header(const std::string& lower_name, const std::string& fallback = "") const;
  std::optional<std::string> query_value(const std::string& name) const;
  // Integer path parameter; ApiError 400 naming it when it is not a positive integer.
  int64_t id_param(const std::string& name = "id") const;
  // The body parsed as JSON; ApiError 415 unless Content-Type is JSON, 400 when malformed.
  nlohmann::json json() const;
};

}  // namespace smartchurn::server
