// "gbm": gradient-boosted trees (XGBoost hist) with native categorical splits and early stopping.
#pragma once

#include "models/xgboost/tree_model.h"

namespace smartchurn {

class GradientBoosting : public TreeModel {
 public:
  // `params` must already be resolved against gradient_boosting_info().params.
  explicit GradientBoosting(nlohmann::json params);

  std::string name() const override { return "gbm"; }
  // With FitOptions::valid_x, boosts up to max_rounds and keeps the rounds up to the best
  // validation log-loss (early_stopping_rounds patience); without it, boosts n_rounds rounds.
  void fit(const FeatureMatrix& x, std::span<const float> y, const FitOptions& options) override;
};

ModelInfo gradient_boosting_info();

}  // namespace smartchurn
