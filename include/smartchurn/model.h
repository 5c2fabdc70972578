// One interface for every model family, and a registry that maps names ("lr", "rf", "gbm") to them.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "smartchurn/matrix.h"

namespace smartchurn {

// How a model wants its inputs prepared.
enum class InputStyle {
  kScaledOneHot,  // categoricals one-hot, numerics imputed and standardised, no NaN (linear models)
  kTree,  // categoricals as native category codes, numerics raw with NaN for missing (trees)
};

// What a family's fitted state is: how the engine compiles it and the exporters describe it. A
// bundle names it explicitly (model.kind), so nothing guesses it from the state's keys.
enum class ModelKind {
  kLinear,        // intercept and coefficients (lr)
  kTreeEnsemble,  // an XGBoost booster (rf, gbm)
};
const char* to_string(ModelKind kind);  // "linear", "tree_ensemble"
// Throws Error(kBadData) naming `name` when it is no kind.
ModelKind model_kind_from_string(const std::string& name);

// A tunable parameter, declared once with its default and range; `train --param` checks values
// against it and the help text lists it.
struct ParamSpec {
  std::string name;
  double default_value;
  double min_value;
  double max_value;
  bool integer;
  std::string description;
};

struct FitOptions {
  uint64_t seed = 42;
  int threads = 0;  // 0 = all cores
  // Which feature columns hold native category codes (0, 1, 2, ...; NaN = missing); kTree only.
  std::vector<bool> categorical;
  // Held-out rows for early stopping; models without early stopping ignore them.
  const FeatureMatrix* valid_x = nullptr;
  std::span<const float> valid_y;
  std::vector<std::string> feature_names;
};

class Model {
 public:
  virtual ~Model() = default;
  virtual std::string name() const = 0;
  virtual InputStyle input_style() const = 0;
  virtual ModelKind kind() const = 0;
  // Fits on X (rows x features) and 0/1 labels y. Deterministic for a fixed seed and thread count.
  virtual void fit(const FeatureMatrix& x, std::span<const float> y, const FitOptions& options) = 0;
  // Probability of churn for each row of X. Safe to call from several threads at once.
  virtual std::vector<double> predict_proba(const FeatureMatrix& x) const = 0;
  // Log-odds of churn for each row: the output before the logistic link, what explanations add
  // up to. The default is the logit of predict_proba; families with a margin return it directly.
  virtual std::vector<double> predict_log_odds(const FeatureMatrix& x) const;
  // Exact per-feature contributions of each row, in log-odds: x.rows * (x.cols + 1) values in
  // `out`, per row each feature's contribution, then the bias, summing to the row's log-odds.
  // `categorical` flags the native category columns. Thread-safe. Tree ensembles give TreeSHAP;
  // the default throws kUsage: other families are explained from their coefficients or sampled.
  virtual void contributions(const FeatureMatrix& x, const std::vector<bool>& categorical,
                             std::span<double> out) const;
  // Threads one prediction call may use (a server scoring one customer per request wants 1).
  virtual void set_threads(int /*threads*/) {}
  // Per-feature importance (gain for trees, |coefficient| on standardised inputs for linear), size
  // = feature count, not normalised.
  virtual std::vector<double> feature_importance() const = 0;
  // Parameters in effect (defaults overlaid with the caller's), and what fitting learnt (such as
  // the number of boosting rounds chosen by early stopping).
  virtual nlohmann::json parameters() const = 0;
  // The fitted state, and restoring it; load(save()) predicts identically.
  virtual nlohmann::json save() const = 0;
  virtual void load(const nlohmann::json& state) = 0;
};

struct ModelInfo {
  std::string name;         // "gbm"
  std::string title;        // "Gradient boosting (XGBoost hist)"
  std::string description;  // one line for --help
  std::vector<ParamSpec> params;
  // Capabilities the trainer and the preparation rely on, declared by the family rather than
  // guessed from its parameter names.
  // fit() with FitOptions' validation rows stops early and reports best_iteration in
  // fitted_params(); the final refit then sets `fixed_rounds_param` to the rounds chosen.
  bool early_stopping = false;
  std::string fixed_rounds_param;
  // Set when a quick fit with these parameters ranks features (feature_importance()) for top-k
  // selection; the first family in the registry that declares it does the ranking.
  std::optional<nlohmann::json> feature_ranking_params;
  // Creates an unfitted model; `params` overrides defaults (unknown names or out-of-range values
  // are kUsage errors naming the parameter and its range).
  std::function<std::unique_ptr<Model>(const nlohmann::json& params)> create;
};

// Every registered model family, in a stable order (lr, rf, gbm, ...).
const std::vector<ModelInfo>& model_registry();
// The entry for `name`; kUsage listing the known names when there is none.
const ModelInfo& find_model(const std::string& name);
std::unique_ptr<Model> create_model(const std::string& name, const nlohmann::json& params = {});

}  // namespace smartchurn
