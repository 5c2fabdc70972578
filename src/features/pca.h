// Principal component analysis of the continuous features, for users who want fewer, uncorrelated
// inputs. Components are computed on standardised values (missing values count as the mean).
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

namespace smartchurn::features {

struct Pca {
  std::vector<double> mean, scale;               // per input
  std::vector<std::vector<double>> components;   // k rows of input weights, largest variance first
  std::vector<double> explained_variance_ratio;  // per component

  // Learns `k` components from training columns (one vector per input, equal lengths).
  static Pca fit(const std::vector<std::vector<double>>& columns, std::size_t k);
  // Component scores of one row of inputs.
  void project(const double* inputs, double* scores) const;
};
void to_json(nlohmann::json& j, const Pca& p);
void from_json(const nlohmann::json& j, Pca& p);

}  // namespace smartchurn::features
