// What explanations need, computed once at training time and saved in the bundle
// (Bundle::explanation): the prepared features' means, a background sample, and the global view.
//
// The global view (docs/explanations.md):
//   importance          mean |contribution| per input column over a sample of training rows
//   dependence          value vs contribution of the top columns, for the same sample
//   permutation         ROC-AUC lost on held-out rows when one input column is shuffled, for a
//                       model of the same family and parameters fitted without those rows
//   partial_dependence  mean predicted probability as one numeric column sweeps its range
// Computed at training time because it needs the training rows and labels, which a bundle does
// not keep; it costs one extra fit on at most kPermutationFitRows rows.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>

#include "smartchurn/bundle.h"
#include "smartchurn/dataset.h"
#include "smartchurn/pipeline.h"

namespace smartchurn::explain {

struct GlobalViewOptions {
  PrepOptions prep;       // the final model's preparation options
  nlohmann::json params;  // the final model's parameters (create_model accepts them)
  uint64_t seed = 42;
  int threads = 1;
  bool global_view = true;  // false: only the feature means and the background (cheap)
};

// Fills bundle.explanation from the training rows `rows` of `data` (labels `y` by data row);
// `x` is the final pipeline's transform of `rows`. The bundle must be complete otherwise.
// The global view is computed only with options.global_view.
void attach_explanations(Bundle& bundle, const Dataset& data, std::span<const float> y,
                         std::span<const std::size_t> rows, const FeatureMatrix& x,
                         const GlobalViewOptions& options);

// The data set's rows `rows`, with only the `columns` named (in that order).
Dataset subset(const Dataset& data, std::span<const std::size_t> rows,
               const std::vector<std::string>& columns);

}  // namespace smartchurn::explain
