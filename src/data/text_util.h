// Small text helpers shared by the data readers (not part of the public API).
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
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
// A hash for open-addressing tables of cell texts. Texts of up to 16 bytes (most CSV cells) are
// hashed from fixed-size loads of their first and last eight bytes, which is several times
// cheaper than a byte loop; longer ones by every byte, since ids like "user_00001234_eu" may
// differ only in the middle.
inline uint64_t text_hash(std::string_view text) {
  const char* p = text.data();
  const std::size_t n = text.size();
  if (n > 16) return std::hash<std::string_view>{}(text)*0xFF51AFD7ED558CCDull;
  uint64_t head = 0, tail = 0;
  if (n >= 8) {
    std::memcpy(&head, p, 8);
    std::memcpy(&tail, p + n - 8, 8);
  } else if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    head = a | uint64_t{b} << 32;
  } else if (n > 0) {
    head = static_cast<unsigned char>(p[0]) | static_cast<unsigned char>(p[n / 2]) << 8 |
           static_cast<unsigned char>(p[n - 1]) << 16;
  }
  const uint64_t h = (head ^ (tail * 0x9E3779B97F4A7C15ull) ^ n) * 0xFF51AFD7ED558CCDull;
  return h ^ (h >> 29);
}

// A Location with only the parts that are known.
inline Location location(const std::string& file, std::size_t line = 0,
                         const std::string& column = {}) {
  return Location{file, line, column};
}

}  // namespace smartchurn::detail
