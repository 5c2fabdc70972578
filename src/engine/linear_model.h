// A fitted logistic regression ("lr") for scoring: intercept + coefficients . features, through the
// same logistic link as the training library.
#pragma once

#include <cmath>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <vector>

namespace smartchurn::engine {

class LinearModel {
 public:
  // `state` is LogisticRegression::save(): {"coefficients": [...], "intercept": x, ...}.
  explicit LinearModel(const nlohmann::json& state)
      : coefficients_(state.at("coefficients").get<std::vector<double>>()),
        intercept_(state.at("intercept").get<double>()) {}

  std::size_t feature_count() const { return coefficients_.size(); }

  double margin(const float* row) const {
    double sum = intercept_;
    for (std::size_t c = 0; c < coefficients_.size(); ++c) sum += coefficients_[c] * row[c];
    return sum;
  }

  // Written like the training library's link so both round the same way.
  static double probability(double margin) {
    if (margin >= 0) return 1.0 / (1.0 + std::exp(-margin));
    const double e = std::exp(margin);
    return e / (1.0 + e);
  }

 private:
  std::vector<double> coefficients_;
  double intercept_;
};

}  // namespace smartchurn::engine
