#include "server/request_fields.h"

#include <fmt/format.h>

#include <chrono>
#include <limits>

#include "smartchurn/error.h"

namespace smartchurn::server {

std::string index_path(std::string_view parent, std::size_t index) {
  return fmt::format("{}[{}]", parent, index);
}

std::string member_path(std::string_view parent, std::string_view member) {
  if (parent.empty()) return std::string(member);
  return fmt::format("{}.{}", parent, member);
}

void throw_field(const std::string& field, const std::string& message) {
  Location where;
  where.column = field;
  throw Error(ErrorCode::kUsage, message, where);
}

std::string json_kind(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::string:
      return "a string";
    case nlohmann::json::value_t::boolean:
      return value.get<bool>() ? "true" : "false";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      return "a whole number";
    case nlohmann::json::value_t::number_float:
      return "a number";
    default:
      return "a value of another kind";
  }
}

const nlohmann::json& object_body(const nlohmann::json& body) {
  if (!body.is_object()) {
    throw_field("", fmt::format("the body must be a JSON object, not {}", json_kind(body)));
  }
  return body;
}

const nlohmann::json* optional_member(const nlohmann::json& object, const std::string& name) {
  const auto found = object.find(name);
  if (found == object.end() || found->is_null()) return nullptr;
  return &*found;
}

const nlohmann::json& required_member(const nlohmann::json& object, const std::string& name,
                                      const std::string& field) {
  const nlohmann::json* value = optional_member(object, name);
  if (value == nullptr) throw_field(field, fmt::format("{} is required", field));
  return *value;
}

int64_t integer_value(const nlohmann::json& value, const std::string& field, int64_t minimum,
                      int64_t maximum) {
  const std::string range =
      fmt::format("{} must be a whole number from {} to {}", field, minimum, maximum);
  if (value.is_number_unsigned()) {
    // Compared as unsigned: 18446744073709551615 must not wrap to -1.
    const uint64_t number = value.get<uint64_t>();
    if (maximum < 0 || number > static_cast<uint64_t>(maximum) ||
        (minimum > 0 && number < static_cast<uint64_t>(minimum))) {
      throw_field(field, fmt::format("{}, not {}", range, number));
    }
    return static_cast<int64_t>(number);
  }
  if (value.is_number_integer()) {
    const int64_t number = value.get<int64_t>();
    if (number < minimum || number > maximum) {
      throw_field(field, fmt::format("{}, not {}", range, number));
    }
    return number;
  }
  throw_field(field, fmt::format("{}, not {}", range, json_kind(value)));
}

std::string string_value(const nlohmann::json& value, const std::string& field) {
  if (!value.is_string()) {
    throw_field(field, fmt::format("{} must be a string, not {}", field, json_kind(value)));
  }
  return value.get<std::string>();
}

bool boolean_value(const nlohmann::json& value, const std::string& field) {
  if (!value.is_boolean()) {
    throw_field(field, fmt::format("{} must be true or false, not {}", field, json_kind(value)));
  }
  return value.get<bool>();
}

std::vector<std::string> string_list(const nlohmann::json& value, const std::string& field) {
  if (value.is_string()) return {value.get<std::string>()};
  if (!value.is_array()) {
    throw_field(field,
                fmt::format("{} must be a list of strings, not {}", field, json_kind(value)));
  }
  std::vector<std::string> out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i)
    out.push_back(string_value(value[i], index_path(field, i)));
  return out;
}

bool is_calendar_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  int parts[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8}, lengths[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p) {
    for (std::size_t i = starts[p]; i < starts[p] + lengths[p]; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      parts[p] = parts[p] * 10 + (text[i] - '0');
    }
  }
  const std::chrono::year_month_day date{std::chrono::year(parts[0]),
                                         std::chrono::month(static_cast<unsigned>(parts[1])),
                                         std::chrono::day(static_cast<unsigned>(parts[2]))};
  return date.ok();
}

}  // namespace smartchurn::server
