// "rf": a random forest grown by XGBoost in one round of many parallel trees (hist, native
// categorical splits, row bagging and per-node feature sampling).
#pragma once

#include "models/xgboost/tree_model.h"

namespace smartchurn {

class RandomForest : public TreeModel {
 public:
  // `params` must already be resolved against random_forest_info().params.
  explicit RandomForest(nlohmann::json params);

  std::string name() const override { return "rf"; }
  // Ignores FitOptions::valid_x: a forest has no rounds to stop early.
  void fit(const FeatureMatrix& x, std::span<const float> y, const FitOptions& options) override;
};

ModelInfo random_forest_info();

}  // namespace smartchurn
