#include "server/error_response.h"

#include <spdlog/spdlog.h>

#include "smartchurn/error.h"

namespace smartchurn::server {

Response error_response(int status, std::string_view code, std::string_view message,
                        std::string_view field) {
  nlohmann::json error = {{"code", code}, {"message", message}};
  if (!field.empty()) error["field"] = field;
  return Response::json({{"error", std::move(error)}}, status);
}

Response response_for_exception(const std::exception_ptr& error, const std::string& context) {
  constexpr std::string_view kGenericMessage = "internal server error";
  try {
    std::rethrow_exception(error);
  } catch (const ApiError& e) {
    return error_response(e.status(), e.code(), e.what(), e.field());
  } catch (const Error& e) {
    // The file part of a location may be a server-side path (an upload's temporary file).
    Location where = e.where();
    where.file.clear();
    const std::string message = format_error(where, e.message());
    switch (e.code()) {
      case ErrorCode::kUsage:
        return error_response(400, "invalid_request", message, where.column);
      case ErrorCode::kBadData:
        return error_response(422, "invalid_data", message, where.column);
      case ErrorCode::kIncompatible:
      case ErrorCode::kConflict:
        return error_response(409, "conflict", message, where.column);
      case ErrorCode::kNotFound:
        return error_response(404, "not_found", message, where.column);
      case ErrorCode::kUnavailable:
        return error_response(503, "unavailable", message, where.column);
      case ErrorCode::kIo:
      case ErrorCode::kInternal:
        break;
    }
    spdlog::error("{}: {}", context, e.what());
    return error_response(500, "internal", kGenericMessage);
  } catch (const nlohmann::json::exception& e) {
    return error_response(400, "invalid_json", e.what());
  } catch (const std::exception& e) {
    spdlog::error("{}: {}", context, e.what());
    return error_response(500, "internal", kGenericMessage);
  } catch (...) {
    spdlog::error("{}: unknown exception", context);
    return error_response(500, "internal", kGenericMessage);
  }
}

}  // namespace smartchurn::server
