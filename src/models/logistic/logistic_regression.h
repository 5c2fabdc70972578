// "lr": L2-regularised logistic regression fitted by Newton's method (IRLS), the scikit-learn
// objective C * sum(log-loss) + ||w||^2 / 2 with an unpenalised intercept.
#pragma once

#include <cstddef>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "smartchurn/model.h"

namespace smartchurn {

class LogisticRegression : public Model {
 public:
  // `params` must already be resolved against logistic_regression_info().params.
  explicit LogisticRegression(nlohmann::json params);

  std::string name() const override { return "lr"; }
  InputStyle input_style() const override { return InputStyle::kScaledOneHot; }
  ModelKind kind() const override { return ModelKind::kLinear; }
  void fit(const FeatureMatrix& x, std::span<const float> y, const FitOptions& options) override;
  std::vector<double> predict_proba(const FeatureMatrix& x) const override;
  std::vector<double> predict_log_odds(const FeatureMatrix& x) const override;
  std::vector<double> feature_importance() const override;
  nlohmann::json parameters() const override;
  nlohmann::json save() const override;
  void load(const nlohmann::json& state) override;

  // The fitted weights, one per feature, and the intercept.
  const std::vector<double>& coefficients() const { return coefficients_; }
  double intercept() const { return intercept_; }

 private:
  void require_fitted() const;

  nlohmann::json params_;
  std::vector<double> coefficients_;
  double intercept_ = 0.0;
  bool fitted_ = false;
  int iterations_ = 0;
  bool converged_ = false;
};

ModelInfo logistic_regression_info();

}  // namespace smartchurn
