// Exact per-feature contributions of prepared rows, in log-odds: what the explainer groups into
// input columns. Built from a model's saved state, so an attribution outlives the bundle.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "smartchurn/matrix.h"

namespace smartchurn::explain {

class FeatureAttribution {
 public:
  virtual ~FeatureAttribution() = default;
  // Writes x.rows * (x.cols + 1) values to `out`: per row, each feature's contribution, then the
  // base value, so that a row of `out` sums to the model's log-odds for that row. Thread-safe.
  virtual void attribute(const FeatureMatrix& x, double* out) const = 0;
};

// lr: coefficient x (x - mean) per feature; base = intercept + sum coefficient x mean. `state` is
// LogisticRegression::save(); `means` the prepared features' training means (empty: zeros, the
// centres of standardised features, for bundles saved without them).
std::unique_ptr<FeatureAttribution> linear_attribution(const nlohmann::json& state,
                                                       std::vector<double> means);

// gbm, rf: the model's own TreeSHAP (Model::contributions) on a copy of the model `model_name`
// restored from `state` (its save()); `categorical` flags the features holding category codes.
std::unique_ptr<FeatureAttribution> tree_attribution(const std::string& model_name,
                                                     const nlohmann::json& state,
                                                     std::vector<bool> categorical);

}  // namespace smartchurn::explain
