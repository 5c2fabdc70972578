#include "engine/compiled_model.h"

#include "smartchurn/error.h"

namespace smartchurn::engine {

CompiledModel::CompiledModel(const Bundle& bundle) : pipeline_(bundle.schema, bundle.pipeline) {
  if (!bundle.model) throw Error(ErrorCode::kIncompatible, "the bundle holds no model");
  const nlohmann::json state = bundle.model->save();
  const std::size_t features = pipeline_.feature_count();
  switch (bundle.model->kind()) {
    case ModelKind::kTreeEnsemble:
      forest_.emplace(xgb::decode_booster(state.at("booster"), state.at("rounds").get<int>()));
      if (forest_->features_read() > features) {
        throw Error(ErrorCode::kIncompatible, "the model reads more features than prepared");
      }
      break;
    case ModelKind::kLinear:
      try {
        linear_.emplace(state);
      } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCode::kIncompatible, std::string("unreadable linear model: ") + e.what());
      }
      if (linear_->feature_count() != features) {
        throw Error(ErrorCode::kIncompatible, "the model's coefficients do not match its features");
      }
      break;
  }
}

double CompiledModel::margin(const float* row) const {
  if (forest_) return forest_->margin(row);
  return linear_->margin(row);
}

double CompiledModel::probability(double margin) const {
  if (forest_) return FlatForest::probability(static_cast<float>(margin));
  return LinearModel::probability(margin);
}

void CompiledModel::probabilities(const float* rows, std::size_t count, std::size_t stride,
                                  float* margins, double* out) const {
  if (forest_) {
    forest_->margins(rows, count, stride, margins);
    for (std::size_t r = 0; r < count; ++r) out[r] = FlatForest::probability(margins[r]);
    return;
  }
  for (std::size_t r = 0; r < count; ++r) {
    out[r] = LinearModel::probability(linear_->margin(rows + r * stride));
  }
}

}  // namespace smartchurn::engine
