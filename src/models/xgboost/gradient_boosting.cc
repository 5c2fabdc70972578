#include "models/xgboost/gradient_boosting.h"

#include <fmt/format.h>

#include "models/params.h"
#include "smartchurn/error.h"

namespace smartchurn {
namespace {

std::string number(double value) { return fmt::format("{}", value); }

}  // namespace

GradientBoosting::GradientBoosting(nlohmann::json params)
    : TreeModel(gradient_boosting_info().params, std::move(params)) {}

void GradientBoosting::fit(const FeatureMatrix& x, std::span<const float> y,
                           const FitOptions& options) {
  validate(x, y, options.categorical);
  const bool early_stopping = options.valid_x != nullptr;
  if (early_stopping) {
    validate(*options.valid_x, options.valid_y, options.categorical, false);
    if (options.valid_x->cols != x.cols) {
      throw_usage(fmt::format("validation rows have {} features, training rows {}",
                              options.valid_x->cols, x.cols));
    }
  }
  const xgb::DMatrix train = training_matrix(x, y, options.categorical, options.threads);
  std::unique_ptr<xgb::DMatrix> valid;
  std::vector<const xgb::DMatrix*> cache = {&train};
  if (early_stopping) {
    valid = std::make_unique<xgb::DMatrix>(
        evaluation_matrix(*options.valid_x, options.valid_y, options.categorical, options.threads));
    cache.push_back(valid.get());
  }
  auto booster = std::make_unique<xgb::Booster>(cache);
  configure_common(*booster, options);
  for (const char* name : {"eta", "min_child_weight", "subsample", "colsample_bytree", "lambda"}) {
    booster->set_param(name, number(param_double(params(), name)));
  }
  booster->set_param("max_depth", std::to_string(param_int(params(), "max_depth")));

  nlohmann::json learnt;
  int rounds = 0;
  if (early_stopping) {
    const int max_rounds = param_int(params(), "max_rounds");
    const int patience = param_int(params(), "early_stopping_rounds");
    double best_loss = 0.0;
    int best_iteration = -1;
    for (int iteration = 0; iteration < max_rounds; ++iteration) {
      booster->update(iteration, train);
      const double loss = booster->evaluate(iteration, *valid);
      if (best_iteration < 0 || loss < best_loss) {
        best_loss = loss;
        best_iteration = iteration;
      } else if (iteration - best_iteration >= patience) {
        break;
      }
    }
    rounds = best_iteration + 1;
    // Dropping the rounds after the best keeps the saved model and its importances to what is used.
    booster = std::make_unique<xgb::Booster>(booster->slice(rounds));
    learnt = {{"best_iteration", best_iteration}, {"best_valid_logloss", best_loss}};
  } else {
    rounds = param_int(params(), "n_rounds");
    for (int iteration = 0; iteration < rounds; ++iteration) booster->update(iteration, train);
  }
  learnt["rounds"] = rounds;
  adopt(std::move(booster), rounds, x.cols, options.threads, std::move(learnt));
}

ModelInfo gradient_boosting_info() {
  ModelInfo info;
  info.name = "gbm";
  info.title = "Gradient boosting (XGBoost hist)";
  info.description = "Boosted trees with native categorical splits and early stopping";
  info.params = {
      {"eta", 0.05, 0.001, 1.0, false, "learning rate (shrinkage per round)"},
      {"max_depth", 4, 1, 16, true, "maximum depth of each tree"},
      {"min_child_weight", 1.0, 0.0, 1000.0, false, "minimum hessian sum in a leaf"},
      {"subsample", 0.8, 0.05, 1.0, false, "fraction of rows sampled for each tree"},
      {"colsample_bytree", 0.8, 0.05, 1.0, false, "fraction of features sampled for each tree"},
      {"lambda", 1.0, 0.0, 1000.0, false, "L2 penalty on leaf weights"},
      {"max_rounds", 1000, 1, 10000, true, "most boosting rounds with early stopping"},
      {"early_stopping_rounds", 50, 1, 1000, true,
       "stop after this many rounds without a better validation log-loss"},
      {"n_rounds", 300, 1, 10000, true, "boosting rounds when no validation set is given"},
      {"max_cat_to_onehot", 4, 1, 64, true,
       "categoricals with fewer categories than this split one-vs-rest, others by partition"},
  };
  info.early_stopping = true;
  info.fixed_rounds_param = "n_rounds";
  info.feature_ranking_params = nlohmann::json{{"n_rounds", 100}};
  info.create = [specs = info.params](const nlohmann::json& params) -> std::unique_ptr<Model> {
    return std::make_unique<GradientBoosting>(resolve_params("gbm", specs, params));
  };
  return info;
}

}  // namespace smartchurn
