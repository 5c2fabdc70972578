// TreeSHAP through XGBoost's pred_contribs (XGBoosterPredictFromDMatrix, type 2). XGBoost 1.7
// follows categorical splits in its contributions and puts the base margin (base_score as
// log-odds) plus each tree's cover-weighted mean into the last column, the bias.
#include <fmt/format.h>
#include <xgboost/c_api.h>

#include "explain/feature_attribution.h"
#include "models/xgboost/handles.h"
#include "smartchurn/error.h"

namespace smartchurn::explain {

namespace {

class XgboostTreeShap : public FeatureAttribution {
 public:
  XgboostTreeShap(const nlohmann::json& state, std::vector<bool> categorical)
      : categorical_(std::move(categorical)) {
    try {
      booster_.load_json(state.at("booster"));
      rounds_ = state.at("rounds").get<int>();
    } catch (const nlohmann::json::exception& e) {
      throw Error(ErrorCode::kIncompatible, std::string("unreadable tree model: ") + e.what());
    }
    // Callers split rows between their own threads; one OpenMP thread each.
    booster_.set_param("nthread", "1");
    config_ = fmt::format(R"({{"type": 2, "training": false, "iteration_begin": 0, )"
                          R"("iteration_end": {}, "strict_shape": false}})",
                          rounds_);
  }

  void attribute(const FeatureMatrix& x, double* out) const override {
    if (x.rows == 0) return;
    xgb::DMatrix matrix(x, 1);
    if (!categorical_.empty()) matrix.set_categorical(categorical_);
    const bst_ulong* shape = nullptr;
    bst_ulong dims = 0;
    const float* result = nullptr;
    xgb::check(XGBoosterPredictFromDMatrix(booster_.handle(), matrix.handle(), config_.c_str(),
                                           &shape, &dims, &result),
               "contributions");
    const std::size_t width = x.cols + 1;
    if (dims != 2 || shape[0] != x.rows || shape[1] != width) {
      throw Error(
          ErrorCode::kInternal,
          fmt::format("XGBoost contributions have an unexpected shape for {} x {}", x.rows, width));
    }
    for (std::size_t i = 0; i < x.rows * width; ++i) out[i] = result[i];
  }

 private:
  xgb::Booster booster_;
  int rounds_ = 0;
  std::vector<bool> categorical_;
  std::string config_;
};

}  // namespace

std::unique_ptr<FeatureAttribution> tree_attribution(const nlohmann::json& state,
                                                     std::vector<bool> categorical) {
  return std::make_unique<XgboostTreeShap>(state, std::move(categorical));
}

}  // namespace smartchurn::explain
