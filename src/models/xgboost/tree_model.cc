#include "models/xgboost/tree_model.h"

#include <fmt/format.h>

#include <cmath>

#include "models/params.h"
#include "smartchurn/error.h"

namespace smartchurn {
namespace {

// XGBoost stores category codes in floats; larger codes would lose their identity.
constexpr float kMaxCategoryCode = 16777216.0f;

void require_columns(const FeatureMatrix& x, std::size_t expected) {
  if (x.cols != expected) {
    throw_usage(fmt::format("the model was fitted on {} features, got {}", expected, x.cols));
  }
  if (x.values.size() != x.rows * x.cols) {
    throw_usage(fmt::format("feature matrix holds {} values, not {} x {}", x.values.size(), x.rows,
                            x.cols));
  }
}

}  // namespace

TreeModel::TreeModel(std::vector<ParamSpec> specs, nlohmann::json params)
    : specs_(std::move(specs)), params_(std::move(params)) {}

void TreeModel::validate(const FeatureMatrix& x, std::span<const float> y,
                         const std::vector<bool>& categorical, bool need_both_classes) {
  if (y.size() != x.rows) throw_usage(fmt::format("{} labels for {} rows", y.size(), x.rows));
  if (x.rows == 0 || x.cols == 0) throw_bad_data("no rows or no features to fit");
  require_columns(x, x.cols);
  if (!categorical.empty() && categorical.size() != x.cols) {
    throw_usage(fmt::format("{} categorical flags for {} features", categorical.size(), x.cols));
  }
  std::size_t positives = 0;
  for (float label : y) {
    if (label != 0.0f && label != 1.0f) throw_bad_data("labels must be 0 or 1");
    positives += label == 1.0f ? 1 : 0;
  }
  if (need_both_classes && (positives == 0 || positives == y.size())) {
    throw_bad_data("the target has only one class");
  }
  for (std::size_t c = 0; c < categorical.size(); ++c) {
    if (!categorical[c]) continue;
    for (std::size_t r = 0; r < x.rows; ++r) {
      const float code = x.at(r, c);
      if (std::isnan(code)) continue;
      if (!(code >= 0.0f && code < kMaxCategoryCode) || std::floor(code) != code) {
        throw_bad_data(fmt::format("row {} column {}: category code {} is not a small whole number",
                                   r, c, code));
      }
    }
  }
}

xgb::DMatrix TreeModel::training_matrix(const FeatureMatrix& x, std::span<const float> y,
                                        const std::vector<bool>& categorical, int threads) {
  return xgb::DMatrix::quantised(x, y, categorical, threads);
}

xgb::DMatrix TreeModel::evaluation_matrix(const FeatureMatrix& x, std::span<const float> y,
                                          const std::vector<bool>& categorical, int threads) {
  xgb::DMatrix matrix(x, threads);
  matrix.set_labels(y);
  if (!categorical.empty()) matrix.set_categorical(categorical);
  return matrix;
}

void TreeModel::configure_common(xgb::Booster& booster, const FitOptions& options) const {
  booster.set_param("objective", "binary:logistic");
  booster.set_param("eval_metric", "logloss");
  booster.set_param("tree_method", "hist");
  booster.set_param("max_cat_to_onehot", std::to_string(param_int(params_, "max_cat_to_onehot")));
  booster.set_param("seed", std::to_string(options.seed));
  booster.set_param("nthread", std::to_string(options.threads));
  booster.set_param("verbosity", "0");
}

void TreeModel::adopt(std::unique_ptr<xgb::Booster> booster, int rounds, std::size_t feature_count,
                      int threads, nlohmann::json learnt) {
  booster_ = std::move(booster);
  rounds_ = rounds;
  feature_count_ = feature_count;
  threads_ = threads;
  learnt_ = std::move(learnt);
}

void TreeModel::require_fitted() const {
  if (!booster_) throw_usage(fmt::format("model '{}' is not fitted", name()));
}

std::vector<double> TreeModel::predict_proba(const FeatureMatrix& x) const {
  require_fitted();
  require_columns(x, feature_count_);
  return booster_->predict(x, rounds_);
}

std::vector<double> TreeModel::predict_log_odds(const FeatureMatrix& x) const {
  require_fitted();
  require_columns(x, feature_count_);
  return booster_->predict_margin(x, rounds_);
}

void TreeModel::contributions(const FeatureMatrix& x, const std::vector<bool>& categorical,
                              std::span<double> out) const {
  require_fitted();
  require_columns(x, feature_count_);
  if (out.size() != x.rows * (x.cols + 1)) {
    throw Error(ErrorCode::kInternal, fmt::format("{} slots for the contributions of {} x {}",
                                                  out.size(), x.rows, x.cols + 1));
  }
  if (x.rows == 0) return;
  xgb::DMatrix matrix(x, 1);
  if (!categorical.empty()) matrix.set_categorical(categorical);
  booster_->contributions(matrix, rounds_, x.rows, x.cols + 1, out);
}

void TreeModel::set_threads(int threads) {
  require_fitted();
  threads_ = threads;
  booster_->set_param("nthread", std::to_string(threads));
}

std::vector<double> TreeModel::feature_importance() const {
  require_fitted();
  return booster_->feature_gain(feature_count_, "gain");
}

nlohmann::json TreeModel::parameters() const {
  nlohmann::json out = params_;
  for (const auto& [key, value] : learnt_.items()) out[key] = value;
  return out;
}

nlohmann::json TreeModel::save() const {
  require_fitted();
  return {{"params", params_},   {"rounds", rounds_}, {"features", feature_count_},
          {"threads", threads_}, {"learnt", learnt_}, {"booster", booster_->save_json()}};
}

std::string TreeModel::native_model_json() const {
  require_fitted();
  // Only the rounds predicted with: a Python predict() uses every tree the file holds.
  if (rounds_ == booster_->boosted_rounds()) return booster_->save_native_json();
  return booster_->slice(rounds_).save_native_json();
}

void TreeModel::load(const nlohmann::json& state) {
  nlohmann::json params;
  int rounds = 0;
  std::size_t features = 0;
  int threads = 0;
  nlohmann::json learnt;
  const nlohmann::json* booster_state = nullptr;
  try {
    params = resolve_params(name(), specs_, state.at("params"));
    rounds = state.at("rounds").get<int>();
    features = state.at("features").get<std::size_t>();
    threads = state.at("threads").get<int>();
    learnt = state.at("learnt");
    booster_state = &state.at("booster");
  } catch (const nlohmann::json::exception& e) {
    throw_bad_data(fmt::format("saved '{}' model is malformed: {}", name(), e.what()));
  }
  auto booster = std::make_unique<xgb::Booster>();
  try {
    booster->load_json(*booster_state);
  } catch (const Error& e) {
    throw_bad_data(
        fmt::format("saved '{}' model has an unreadable booster: {}", name(), e.message()));
  }
  booster->set_param("nthread", std::to_string(threads));
  if (rounds < 1 || rounds > booster->boosted_rounds()) {
    throw_bad_data(fmt::format("saved '{}' model uses {} rounds but holds {}", name(), rounds,
                               booster->boosted_rounds()));
  }
  params_ = std::move(params);
  adopt(std::move(booster), rounds, features, threads, std::move(learnt));
}

}  // namespace smartchurn
