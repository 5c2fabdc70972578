// RAII owners of XGBoost's C handles. Every C call is checked: a failure becomes
// Error(kInternal) carrying XGBGetLastError().
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "smartchurn/matrix.h"

namespace smartchurn::xgb {

// Throws Error(kInternal) naming `what` and XGBoost's last error when `status` is not 0.
void check(int status, const char* what);

class DMatrix {
 public:
  // Copies X (NaN = missing) into a new XGBoost matrix.
  DMatrix(const FeatureMatrix& x, int threads);
  // A labelled matrix for the hist tree method holding only X's bin indices (about a byte per
  // value instead of the eight of a copy); columns flagged true are categorical. Models trained
  // on it are the same as on a copy of X. Predicting from it is slow (each value's bin is looked
  // up), so evaluation sets are copies.
  static DMatrix quantised(const FeatureMatrix& x, std::span<const float> y,
                           const std::vector<bool>& categorical, int threads);
  void set_labels(std::span<const float> y);
  // Marks the columns flagged true as categorical ("c"), the rest as numeric ("q").
  void set_categorical(const std::vector<bool>& categorical);
  void* handle() const { return handle_.get(); }

 private:
  struct Free {
    void operator()(void* handle) const;
  };
  explicit DMatrix(void* owned) : handle_(owned) {}

  std::unique_ptr<void, Free> handle_;
};

class Booster {
 public:
  // An empty booster (to load a saved model into).
  Booster();
  // A booster that caches predictions for the given matrices (training and evaluation sets).
  explicit Booster(std::span<const DMatrix* const> cache);

  void set_param(const std::string& name, const std::string& value);
  void update(int iteration, const DMatrix& train);
  // The value of the first evaluation metric on `data` after `iteration`.
  double evaluate(int iteration, const DMatrix& data);
  // Booster holding rounds [0, rounds) of this one.
  Booster slice(int rounds) const;
  int boosted_rounds() const;
  // Transformed predictions (probabilities for binary:logistic) from the first `rounds` rounds,
  // straight from the dense float rows without building a DMatrix.
  std::vector<double> predict(const FeatureMatrix& x, int rounds) const;
  // The untransformed margins (log-odds for binary:logistic) of the same rows.
  std::vector<double> predict_margin(const FeatureMatrix& x, int rounds) const;
  // TreeSHAP of the rows of `data` from the first `rounds` rounds (XGBoost's pred_contribs, which
  // follows categorical splits): `rows` x `width` values (each feature, then the bias: the base
  // margin plus each tree's cover-weighted mean) into `out`. Throws kInternal on another shape.
  void contributions(const DMatrix& data, int rounds, std::size_t rows, std::size_t width,
                     std::span<double> out) const;
  // Total split gain per feature in column order; features never split on get 0.
  std::vector<double> feature_gain(std::size_t feature_count, const std::string& type) const;
  nlohmann::json save_json() const;
  // The model as XGBoost itself writes it (JSON with bare NaN / Infinity tokens), as
  // xgboost.Booster(model_file=...) loads it.
  std::string save_native_json() const;
  void load_json(const nlohmann::json& model);
  void* handle() const { return handle_.get(); }

 private:
  struct Free {
    void operator()(void* handle) const;
  };
  explicit Booster(void* owned) : handle_(owned) {}

  std::unique_ptr<void, Free> handle_;
};

}  // namespace smartchurn::xgb
