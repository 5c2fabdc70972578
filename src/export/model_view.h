// What the exporters need from a bundle, decoded once: the input columns, the computed features,
// the optional PCA step and the scorer (linear weights or a tree ensemble) in plain structs.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "features/candidate.h"
#include "features/pca.h"
#include "models/xgboost/tree_ensemble.h"
#include "smartchurn/bundle.h"

namespace smartchurn::exporter {

struct InputColumn {
  ColumnSchema schema;
  bool is_text() const { return schema.type == ColumnType::kCategorical; }
};

struct LinearScorer {
  double intercept = 0.0;
  std::vector<double> coefficients;  // one per model input
};

struct ModelView {
  std::vector<InputColumn> inputs;            // the pipeline's input columns, in order
  std::vector<std::string> na_tokens;         // extra missing-value tokens of the schema
  std::vector<features::Candidate> features;  // computed features, in pipeline order
  std::vector<int> output_of;  // per feature: its model-input column, or -1 when it feeds PCA
  std::vector<std::size_t> pca_inputs;  // positions in `features` that PCA reads
  std::optional<features::Pca> pca;
  std::vector<std::string> model_inputs;  // names of the model's input columns, in order
  std::string model_name;
  std::optional<LinearScorer> linear;
  std::optional<xgb::TreeEnsemble> ensemble;
  RiskTiers tiers;

  int input_index(const std::string& column) const;  // -1 when not an input
};

// Errors: kBadData when the bundle's model or preparation cannot be decoded, kIncompatible for a
// booster other than a binary:logistic gbtree.
ModelView make_model_view(const Bundle& bundle);

}  // namespace smartchurn::exporter
