#include "server/error_response.h"

#include <spdlog/spdlog.h>

#include "server/client_message.h"
#include "smartchurn/error.h"

namespace smartchurn::server {

Response error_response(int status, std::string_view code, std::string_view message,
                        std::string_view field) {
  nlohmann::json error = {{"code", code}, {"message", message}};
  if (!field.empty()) error["field"] = field;
  return Response::json({{"error", std::move(error)}}, status);
}

namespace {

// A refusal of a request field (kUsage, Location::column without a line) carries the path in
// "field" and a message that names it already; other errors keep their line and column in it.
std::string public_message(const Error& e) {
  Location where = e.where();
  where.file.clear();  // may be a server-side path (an upload's temporary file)
  if (e.code() == ErrorCode::kUsage && where.line == 0) where.column.clear();
  return format_error(where, e.message());
}

}  // namespace

std::string client_message(const std::exception& error) {
  if (const auto* core = dynamic_cast<const Error*>(&error)) {
    // I/O messages may hold server paths in their text; internal ones are bugs.
    if (core->code() != ErrorCode::kInternal && core->code() != ErrorCode::kIo) {
      return public_message(*core);
    }
  }
  return "internal error (details are in the server log)";
}

Response response_for_exception(const std::exception_ptr& error, const std::string& context) {
  constexpr std::string_view kGenericMessage = "internal server error";
  try {
    std::rethrow_exception(error);
  } catch (const ApiError& e) {
    return error_response(e.status(), e.code(), e.what(), e.field());
  } catch (const Error& e) {
    const Location& where = e.where();
    const std::string message = public_message(e);
    switch (e.code()) {
      case ErrorCode::kUsage:
        return error_response(400, where.column.empty() ? "invalid_request" : "invalid_field",
                              message, where.column);
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
  } catch (const std::exception& e) {
    spdlog::error("{}: {}", context, e.what());
    return error_response(500, "internal", kGenericMessage);
  } catch (...) {
    spdlog::error("{}: unknown exception", context);
    return error_response(500, "internal", kGenericMessage);
  }
}

}  // namespace smartchurn::server
