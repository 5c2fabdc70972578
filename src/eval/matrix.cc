#include "smartchurn/matrix.h"

#include <fmt/core.h>

#include <algorithm>

#include "smartchurn/error.h"

namespace smartchurn {

FeatureMatrix FeatureMatrix::select_rows(std::span<const std::size_t> which) const {
  for (const std::size_t row : which) {
    if (row >= rows) {
      throw_usage(
          fmt::format("select_rows: row {} is out of range for a matrix of {} rows", row, rows));
    }
  }
  FeatureMatrix selected(which.size(), cols);
  for (std::size_t k = 0; k < which.size(); ++k) {
    const auto source = values.begin() + static_cast<std::ptrdiff_t>(which[k] * cols);
    std::copy_n(source, cols, selected.values.begin() + static_cast<std::ptrdiff_t>(k * cols));
  }
  return selected;
}

}  // namespace smartchurn
