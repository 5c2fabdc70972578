// The booster of a tree model as XGBoost's own JSON model: what xgboost.Booster(model_file=...)
// loads to predict as the bundle does from `smartchurn transform`'s feature matrix.
#include "models/xgboost/tree_model.h"
#include "smartchurn/error.h"
#include "smartchurn/export.h"

namespace smartchurn {

std::string export_xgboost(const Bundle& bundle) {
  if (!bundle.model) throw_bad_data("the model bundle holds no model");
  const auto* trees = dynamic_cast<const TreeModel*>(bundle.model.get());
  if (bundle.model->kind() != ModelKind::kTreeEnsemble || !trees) {
    throw_usage("--format xgboost exports tree models (rf, gbm); model '" + bundle.model_name +
                "' is " + to_string(bundle.model->kind()) +
                ": export it with --format json or c instead");
  }
  return trees->native_model_json();
}

}  // namespace smartchurn
