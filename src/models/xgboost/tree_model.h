// What the XGBoost-backed families ("gbm", "rf") share: input checks, the training matrix with
// native categorical columns, prediction, gain importance and JSON persistence.
#pragma once

#include <cstddef>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "models/xgboost/handles.h"
#include "smartchurn/model.h"

namespace smartchurn {

class TreeModel : public Model {
 public:
  InputStyle input_style() const override { return InputStyle::kTree; }
  ModelKind kind() const override { return ModelKind::kTreeEnsemble; }
  std::vector<double> predict_proba(const FeatureMatrix& x) const override;
  std::vector<double> predict_log_odds(const FeatureMatrix& x) const override;
  // TreeSHAP: XGBoost's pred_contribs on the rounds predicted with.
  void contributions(const FeatureMatrix& x, const std::vector<bool>& categorical,
                     std::span<double> out) const override;
  void set_threads(int threads) override;
  std::vector<double> feature_importance() const override;
  nlohmann::json parameters() const override;
  nlohmann::json save() const override;
  // XGBoost's own JSON model of the rounds predicted with (see Booster::save_native_json).
  std::string native_model_json() const;
  void load(const nlohmann::json& state) override;

 protected:
  TreeModel(std::vector<ParamSpec> specs, nlohmann::json params);

  // Checks X, y and the categorical flags; throws kUsage / kBadData. Validation rows may hold
  // a single class.
  static void validate(const FeatureMatrix& x, std::span<const float> y,
                       const std::vector<bool>& categorical, bool need_both_classes = true);
  // A labelled matrix with the categorical columns marked: quantised for training (a fraction of
  // the memory), a copy for evaluation (fast to predict from).
  static xgb::DMatrix training_matrix(const FeatureMatrix& x, std::span<const float> y,
                                      const std::vector<bool>& categorical, int threads);
  static xgb::DMatrix evaluation_matrix(const FeatureMatrix& x, std::span<const float> y,
                                        const std::vector<bool>& categorical, int threads);
  // Objective, tree method, categorical handling, seed and threads, common to both families.
  void configure_common(xgb::Booster& booster, const FitOptions& options) const;
  // Stores the fitted booster, which predicts with its first `rounds` rounds.
  void adopt(std::unique_ptr<xgb::Booster> booster, int rounds, std::size_t feature_count,
             int threads, nlohmann::json learnt);

  const nlohmann::json& params() const { return params_; }

 private:
  void require_fitted() const;

  std::vector<ParamSpec> specs_;
  nlohmann::json params_;
  std::unique_ptr<xgb::Booster> booster_;
  int rounds_ = 0;
  std::size_t feature_count_ = 0;
  int threads_ = 0;
  nlohmann::json learnt_ = nlohmann::json::object();
};

}  // namespace smartchurn
