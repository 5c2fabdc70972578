// A seeded generator of a realistic telecom-like customer base, so SmartChurn has demo content
// without shipping public data sets.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

namespace smartchurn {

struct DemoOptions {
  std::size_t rows = 5000;
  uint64_t seed = 42;
};

// Writes the CSV (header + rows) to `out`. Same options: same bytes.
void write_demo_data(std::ostream& out, const DemoOptions& options);
void write_demo_data(const std::string& path, const DemoOptions& options);

}  // namespace smartchurn
