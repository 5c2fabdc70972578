// Writes a probability as fmt's "{:.6f}" does, without its general machinery: the batch scorer
// formats a million of them a second. Not part of the public API.
#pragma once

#include <fmt/format.h>

#include <cmath>
#include <cstddef>
#include <cstdint>

namespace smartchurn::engine {

// Longest text: "-nan" / "1.000000" fit; 32 bytes leave fmt room for anything.
constexpr std::size_t kProbabilityTextBytes = 32;

// Writes `p` with 6 decimals to `out`, returns the length: exactly fmt::format("{:.6f}", p).
inline std::size_t format_probability(double p, char* out) {
  if (p >= 0.0 && p <= 1.0) {
    const double scaled = p * 1e6;  // error below 1e-10: the rounding is unambiguous unless
    const double whole = std::floor(scaled);  // the fraction is within 1e-4 of a half
    const double fraction = scaled - whole;
    if (std::fabs(fraction - 0.5) > 1e-4) {
      auto micros = static_cast<uint32_t>(whole) + (fraction > 0.5 ? 1u : 0u);
      out[0] = micros >= 1000000u ? '1' : '0';
      out[1] = '.';
      micros %= 1000000u;
      for (int digit = 7; digit >= 2; --digit) {
        out[digit] = static_cast<char>('0' + micros % 10u);
        micros /= 10u;
      }
      return 8;
    }
  }
  return static_cast<std::size_t>(fmt::format_to_n(out, kProbabilityTextBytes, "{:.6f}", p).size);
}

}  // namespace smartchurn::engine
