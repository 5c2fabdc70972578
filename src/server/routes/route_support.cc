// Helpers shared by the route files.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

#include "server/request_fields.h"
#include "server/routes.h"
#include "server/routes/route_groups.h"
#include "smartchurn/csv.h"
#include "smartchurn/error.h"

namespace smartchurn::server {

std::string api_path(const std::string& path) { return std::string(kApiPrefix) + path; }

void throw_missing(const std::string& what, int64_t id) {
  throw_not_found(fmt::format("{} {} does not exist", what, id));
}

void refuse_unknown_members(const nlohmann::json& object, const std::vector<std::string>& known,
                            const std::string& parent) {
  for (const auto& [name, value] : object.items()) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      const std::string field = member_path(parent, name);
      throw_field(
          field, fmt::format("{} is not a known field (known: {})", field, fmt::join(known, ", ")));
    }
  }
}

int64_t integer_query(const Request& request, const std::string& name, int64_t fallback,
                      int64_t minimum, int64_t maximum) {
  auto value = request.query_value(name);
  if (!value) return fallback;
  auto number = parse_number(*value);
  if (!number || *number != std::floor(*number) || *number < double(minimum) ||
      *number > double(maximum)) {
    throw_field(name,
                fmt::format("{} must be a whole number from {} to {}", name, minimum, maximum));
  }
  return static_cast<int64_t>(*number);
}

}  // namespace smartchurn::server
