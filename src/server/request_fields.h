// Reading typed values out of a parsed JSON request body, each refusal naming its field with a
// JSON-pointer-like path ("customers[3].tenure", "models[1]", "outcomes[2].date"). Refusals are
// the core's Error(kUsage) with the path in Location::column; src/server/error_response.cc turns
// them into 400 {"code": "invalid_field", "message", "field"}. Internal to src/server.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smartchurn::server {

// "customers" + 3 -> "customers[3]"; "" + 3 -> "[3]".
std::string index_path(std::string_view parent, std::size_t index);
// "customers[3]" + "tenure" -> "customers[3].tenure"; "" + "tenure" -> "tenure".
std::string member_path(std::string_view parent, std::string_view member);

// Error(kUsage, message, {.column = field}).
[[noreturn]] void throw_field(const std::string& field, const std::string& message);

// What a JSON value is, for messages: "a string", "an array", "true", ...
std::string json_kind(const nlohmann::json& value);

// The body as an object; refused (field "") when it is anything else.
const nlohmann::json& object_body(const nlohmann::json& body);

// The member `name` of `object`, or nullptr when it is absent or null.
const nlohmann::json* optional_member(const nlohmann::json& object, const std::string& name);
// The member `name`; refused as missing when absent or null.
const nlohmann::json& required_member(const nlohmann::json& object, const std::string& name,
                                      const std::string& field);

// A whole number from `minimum` to `maximum` (JSON integers only: 2.5, "3" and 4294967299 for an
// int-sized field are refused, never truncated).
int64_t integer_value(const nlohmann::json& value, const std::string& field, int64_t minimum,
                      int64_t maximum);
std::string string_value(const nlohmann::json& value, const std::string& field);
bool boolean_value(const nlohmann::json& value, const std::string& field);
// A string or a list of strings (a single string stands for a list of one).
std::vector<std::string> string_list(const nlohmann::json& value, const std::string& field);

// True for a real calendar date written YYYY-MM-DD (2024-02-29 yes, 2023-02-29 and 2024-13-45 no).
bool is_calendar_date(std::string_view text);

}  // namespace smartchurn::server
