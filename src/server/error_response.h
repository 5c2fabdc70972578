// JSON error responses shared by the router and the server glue (internal to src/server).
#pragma once

#include <exception>
#include <string>
#include <string_view>

#include "server/api_error.h"
#include "server/response.h"

namespace smartchurn::server {

// {"error": {"code", "message"[, "field"]}} with `status`; "field" only when not empty.
Response error_response(int status, std::string_view code, std::string_view message,
                        std::string_view field = {});

// Maps an exception thrown by a handler to its JSON error; internal errors are logged with
// `context` (e.g. "GET /api/v1/models") and answered with a generic message.
Response response_for_exception(const std::exception_ptr& error, const std::string& context);

}  // namespace smartchurn::server
