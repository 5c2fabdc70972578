// Small text helpers shared by the data readers (not part of the public API).
#pragma once

#include <string>
#include <string_view>

#include "smartchurn/error.h"

namespace smartchurn::detail {

// Shortest text that reads back as `value` ("3", "0.25", "1e-05").
std::string format_number(double value);
std::string_view trim(std::string_view text);
std::string to_lower(std::string_view text);
// True when `name` looks like an identifier: "id", "*_id", "*Id", "*ID" (customerID, CustomerId),
// "*num", "*number", "*_no", "*_key" (CLIENTNUM, RowNumber); used with uniqueness per row.
bool looks_like_id_name(std::string_view name);
// A Location with only the parts that are known.
inline Location location(const std::string& file, std::size_t line = 0,
                         const std::string& column = {}) {
  return Location{file, line, column};
}

}  // namespace smartchurn::detail
