// The model-agnostic method: Shapley values of the input columns estimated by sampling
// (Strumbelj & Kononenko 2014), for any model in the registry.
//
// The value of a set S of columns is the model's log-odds for the customer's values on S and a
// background row's values elsewhere (interventional: a column left out takes a real training
// customer's value, and derived features are recomputed from the mixed record). Each sample is a
// background row and a random order of the columns: walking from the background row to the
// customer one column at a time in that order, each step's change in log-odds is that column's
// marginal contribution. Samples come in antithetic pairs (an order and its reverse, same
// background row), and background rows are taken in turn, so with samples = 2 x background rows
// every background row is used equally. Contributions are the mean marginal contributions; the
// base value is the mean log-odds of the background rows used, so base + sum = the customer's
// log-odds exactly. For a model additive in its columns (lr without combined features) this
// gives coefficient x (x - background mean) exactly. The sample plan (orders and rows) is drawn
// once from the seed, so results are reproducible and do not depend on batching or threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/compiled_pipeline.h"
#include "smartchurn/bundle.h"

namespace smartchurn::explain {

class SamplingShapley {
 public:
  // Throws Error(kIncompatible) when the bundle has no background sample.
  SamplingShapley(const Bundle& bundle, std::size_t samples, uint64_t seed);

  // Contributions per pipeline input column (in input column order) of one raw record, and the
  // base value.
  void explain(std::span<const std::string_view> fields, std::vector<double>& contributions,
               double& base) const;

 private:
  engine::CompiledPipeline compiled_;
  std::unique_ptr<Model> model_;
  std::vector<std::vector<std::string>> background_;
  std::vector<std::vector<uint32_t>> orders_;  // per sample: the order columns are switched in
  std::vector<std::size_t> background_row_;    // per sample
};

}  // namespace smartchurn::explain
