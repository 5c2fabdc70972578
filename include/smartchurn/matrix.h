// A dense row-major feature matrix of floats: what the preparation pipeline produces and models
// read.
#pragma once

#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

namespace smartchurn {

struct FeatureMatrix {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<float> values;  // rows * cols, row-major; NaN = missing

  FeatureMatrix() = default;
  FeatureMatrix(std::size_t r, std::size_t c) : rows(r), cols(c), values(r * c, 0.0f) {}
  float& at(std::size_t r, std::size_t c) { return values[r * cols + c]; }
  float at(std::size_t r, std::size_t c) const { return values[r * cols + c]; }
  std::span<const float> row(std::size_t r) const { return {values.data() + r * cols, cols}; }
  // The rows listed in `which`, in that order.
  FeatureMatrix select_rows(std::span<const std::size_t> which) const;
};

}  // namespace smartchurn
