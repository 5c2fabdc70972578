// A bundle compiled for scoring: the preparation as per-column plans and feature instructions,
// the model as flat trees or coefficients. Shared by the one-record path and the batch path.
#pragma once

#include <cstddef>
#include <optional>

#include "engine/compiled_pipeline.h"
#include "engine/flat_forest.h"
#include "engine/linear_model.h"
#include "smartchurn/bundle.h"

namespace smartchurn::engine {

class CompiledModel {
 public:
  // Throws Error(kIncompatible) for a model family the engine cannot compile (none today).
  explicit CompiledModel(const Bundle& bundle);

  const CompiledPipeline& pipeline() const { return pipeline_; }

  // Log-odds of one prepared row.
  double margin(const float* row) const;
  // The link of the model family, rounding as the training library does.
  double probability(double margin) const;
  // Probabilities of `count` prepared rows `stride` floats apart (trees tree by tree over blocks
  // of rows); `margins` is scratch for `count` floats. Equal to probability(margin(row)).
  void probabilities(const float* rows, std::size_t count, std::size_t stride, float* margins,
                     double* out) const;

 private:
  CompiledPipeline pipeline_;
  std::optional<FlatForest> forest_;
  std::optional<LinearModel> linear_;
};

}  // namespace smartchurn::engine
