// Data preparation and feature engineering, learnt from training rows only and saved with the
// model: imputation, missing indicators, outlier capping, categorical encoding, scaling, combined
// features, feature selection and optional PCA. Every output feature names the input columns it
// comes from.
#pragma once

#include <cstddef>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "smartchurn/dataset.h"
#include "smartchurn/matrix.h"
#include "smartchurn/model.h"

namespace smartchurn {

struct PrepOptions {
  InputStyle style = InputStyle::kTree;
  // Categorical levels seen in fewer training rows than this are grouped into one "(rare)" level.
  std::size_t rare_min_count = 10;
  // Outliers are capped at Tukey's far-out fences (Q1 - k*IQR, Q3 + k*IQR), never inside the
  // 1st/99th percentiles, so a column with IQR 0 keeps its spread.
  double cap_iqr_multiplier = 3.0;
  bool combined_features =
      true;  // ratios/products of informative pairs, counts over related columns
  double collinear_threshold = 0.995;  // drop the later feature of a pair with |r| at or above this
  std::size_t select_top_k = 0;        // keep the k most important features (0: keep all)
  std::size_t pca_components = 0;      // replace numeric features by this many components (0: off)
  uint64_t seed = 42;
};

struct FeatureInfo {
  std::string name;                  // e.g. "Contract=Month-to-month", "TotalCharges / tenure"
  std::string kind;                  // numeric, boolean, one_hot, category, missing_indicator,
                                     // ratio, product, count, pca
  std::vector<std::string> sources;  // the input columns it is computed from
};
void to_json(nlohmann::json& j, const FeatureInfo& f);
void from_json(const nlohmann::json& j, FeatureInfo& f);

class Pipeline {
 public:
  Pipeline();
  ~Pipeline();
  Pipeline(Pipeline&&) noexcept;
  Pipeline& operator=(Pipeline&&) noexcept;

  // Learns every step from `rows` of `data` (labels `y` are indexed by row of `data`). Only
  // `input_columns` are used; each must be numeric, boolean or categorical.
  static Pipeline fit(const Dataset& data, std::span<const float> y,
                      std::span<const std::size_t> rows,
                      const std::vector<std::string>& input_columns, const PrepOptions& options);

  // Turns rows of a data set with the same schema into model inputs. Columns are found by name.
  FeatureMatrix transform(const Dataset& data, std::span<const std::size_t> rows) const;
  FeatureMatrix transform(const Dataset& data) const;

  const std::vector<FeatureInfo>& features() const;
  const std::vector<std::string>& input_columns() const;
  InputStyle style() const;
  // For each feature: true when it holds native category codes (kTree style).
  std::vector<bool> categorical_mask() const;
  // For each feature, how its share of an explanation is split among the input columns it comes
  // from (weights summing to 1, by column name, in first-use order). The rule: a feature from one
  // column gives it everything; ratio, product and count features split equally among their
  // columns; a principal component splits by the absolute loading of each of its inputs (each
  // input's share then split equally among that input's columns).
  std::vector<std::vector<std::pair<std::string, double>>> source_shares() const;
  // What fitting did, for reports: capped cells, rare levels grouped, features added and dropped.
  nlohmann::json summary() const;

  nlohmann::json to_json() const;
  static Pipeline from_json(const nlohmann::json& j);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace smartchurn
