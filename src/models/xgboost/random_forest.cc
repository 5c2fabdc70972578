#include "models/xgboost/random_forest.h"

#include <fmt/format.h>

#include "models/params.h"

namespace smartchurn {

RandomForest::RandomForest(nlohmann::json params)
    : TreeModel(random_forest_info().params, std::move(params)) {}

void RandomForest::fit(const FeatureMatrix& x, std::span<const float> y,
                       const FitOptions& options) {
  validate(x, y, options.categorical);
  const xgb::DMatrix train = training_matrix(x, y, options.categorical, options.threads);
  const std::vector<const xgb::DMatrix*> cache = {&train};
  auto booster = std::make_unique<xgb::Booster>(cache);
  configure_common(*booster, options);
  // One round of unshrunk parallel trees is XGBoost's random-forest mode.
  booster->set_param("eta", "1");
  booster->set_param("num_parallel_tree", std::to_string(param_int(params(), "n_trees")));
  booster->set_param("max_depth", std::to_string(param_int(params(), "max_depth")));
  for (const char* name : {"min_child_weight", "subsample", "colsample_bynode", "lambda"}) {
    booster->set_param(name, fmt::format("{}", param_double(params(), name)));
  }
  booster->update(0, train);
  adopt(std::move(booster), 1, x.cols, options.threads, {{"rounds", 1}});
}

ModelInfo random_forest_info() {
  ModelInfo info;
  info.name = "rf";
  info.title = "Random forest (XGBoost)";
  info.description = "Bagged deep trees grown in parallel, native categorical splits";
  info.params = {
      {"n_trees", 100, 1, 5000, true, "number of trees"},
      {"max_depth", 8, 1, 20, true, "maximum depth of each tree"},
      {"min_child_weight", 5.0, 0.0, 1000.0, false,
       "minimum hessian sum in a leaf (each row adds p(1-p), 0.25 at the start)"},
      {"subsample", 0.632, 0.05, 1.0, false, "fraction of rows sampled for each tree"},
      {"colsample_bynode", 0.3, 0.05, 1.0, false, "fraction of features tried at each split"},
      {"lambda", 1e-5, 0.0, 1000.0, false, "L2 penalty on leaf weights"},
      {"max_cat_to_onehot", 4, 1, 64, true,
       "categoricals with fewer categories than this split one-vs-rest, others by partition"},
  };
  info.create = [specs = info.params](const nlohmann::json& params) -> std::unique_ptr<Model> {
    return std::make_unique<RandomForest>(resolve_params("rf", specs, params));
  };
  return info;
}

}  // namespace smartchurn
