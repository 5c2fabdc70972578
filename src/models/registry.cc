#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/logistic/logistic_regression.h"
#include "models/xgboost/gradient_boosting.h"
#include "models/xgboost/random_forest.h"
#include "smartchurn/error.h"
#include "smartchurn/model.h"

namespace smartchurn {

std::vector<double> Model::predict_log_odds(const FeatureMatrix& x) const {
  std::vector<double> out = predict_proba(x);
  // Certainties are held just inside (0, 1) so the log-odds stay finite.
  constexpr double kEdge = std::numeric_limits<double>::epsilon();
  for (double& p : out) {
    p = std::clamp(p, kEdge, 1.0 - kEdge);
    p = std::log(p / (1.0 - p));
  }
  return out;
}

void Model::contributions(const FeatureMatrix& /*x*/, const std::vector<bool>& /*categorical*/,
                          std::span<double> /*out*/) const {
  throw_usage(fmt::format("model '{}' has no exact per-feature contributions", name()));
}

const char* to_string(ModelKind kind) {
  return kind == ModelKind::kLinear ? "linear" : "tree_ensemble";
}

ModelKind model_kind_from_string(const std::string& name) {
  if (name == "linear") return ModelKind::kLinear;
  if (name == "tree_ensemble") return ModelKind::kTreeEnsemble;
  throw_bad_data(fmt::format("unknown model kind '{}' (known: linear, tree_ensemble)", name));
}

const std::vector<ModelInfo>& model_registry() {
  static const std::vector<ModelInfo> registry = {
      logistic_regression_info(),
      random_forest_info(),
      gradient_boosting_info(),
  };
  return registry;
}

const ModelInfo& find_model(const std::string& name) {
  std::string known;
  for (const auto& info : model_registry()) {
    if (info.name == name) return info;
    known += (known.empty() ? "" : ", ") + info.name;
  }
  throw_usage(fmt::format("unknown model '{}' (known: {})", name, known));
}

std::unique_ptr<Model> create_model(const std::string& name, const nlohmann::json& params) {
  return find_model(name).create(params);
}

}  // namespace smartchurn
