// Writes a probability as fmt's "{:.6f}" (or another precision) does, without its general
// machinery: the batch scorer formats a million of them a second. Not part of the public API.
#pragma once

#include <fmt/format.h>

#include <cmath>
#include <cstddef>
#include <cstdint>

namespace smartchurn::engine {

// Longest text: "-nan" / "1.00000000000000000" fit; 32 bytes leave fmt room for anything.
constexpr std::size_t kProbabilityTextBytes = 32;

// The decimals the fast path below handles; more go through fmt.
constexpr int kFastProbabilityDecimals = 9;

// Writes `p` with `decimals` (0 to 17) decimals to `out`, returns the length: exactly
// fmt::format("{:.{}f}", p, decimals).
inline std::size_t format_probability(double p, char* out, int decimals = 6) {
  if (p >= 0.0 && p <= 1.0 && decimals >= 1 && decimals <= kFastProbabilityDecimals) {
    uint32_t unit = 1;
    for (int d = 0; d < decimals; ++d) unit *= 10u;
    const double scaled = p * unit;           // error below 1e-7: the rounding is unambiguous
    const double whole = std::floor(scaled);  // unless the fraction is within 1e-4 of a half
    const double fraction = scaled - whole;
    if (std::fabs(fraction - 0.5) > 1e-4) {
      auto units = static_cast<uint32_t>(whole) + (fraction > 0.5 ? 1u : 0u);
      out[0] = units >= unit ? '1' : '0';
      out[1] = '.';
      units %= unit;
      for (int digit = decimals + 1; digit >= 2; --digit) {
        out[digit] = static_cast<char>('0' + units % 10u);
        units /= 10u;
      }
      return static_cast<std::size_t>(decimals) + 2;
    }
  }
  return static_cast<std::size_t>(
      fmt::format_to_n(out, kProbabilityTextBytes, "{:.{}f}", p, decimals).size);
}

}  // namespace smartchurn::engine
