#include "explain/sampling_shapley.h"

#include <algorithm>
#include <numeric>

#include "smartchurn/error.h"
#include "util/random.h"

namespace smartchurn::explain {

SamplingShapley::SamplingShapley(const Bundle& bundle, std::size_t samples, uint64_t seed)
    : compiled_(bundle.schema, bundle.pipeline), background_(bundle.explanation.background) {
  if (background_.empty()) {
    throw Error(ErrorCode::kIncompatible,
                "the model bundle has no background sample for the model-agnostic explanations "
                "(it was saved before explanations existed): retrain the model");
  }
  // A private copy of the model, predicting on the calling thread only.
  model_ = create_model(bundle.model_name);
  model_->load(bundle.model->save());
  model_->set_threads(1);

  const std::size_t columns = compiled_.input_columns().size();
  const std::size_t pairs = std::max<std::size_t>(1, (samples + 1) / 2);
  util::Random random(seed);
  for (std::size_t p = 0; p < pairs; ++p) {
    std::vector<uint32_t> order(columns);
    std::iota(order.begin(), order.end(), 0u);
    for (std::size_t i = columns; i > 1; --i) {  // Fisher-Yates with a portable draw
      std::swap(order[i - 1], order[static_cast<std::size_t>(random.below(i))]);
    }
    const std::size_t row = p % background_.size();
    orders_.push_back(order);
    background_row_.push_back(row);
    std::reverse(order.begin(), order.end());
    orders_.push_back(std::move(order));
    background_row_.push_back(row);
  }
}

void SamplingShapley::explain(std::span<const std::string_view> fields,
                              std::vector<double>& contributions, double& base) const {
  const std::size_t columns = compiled_.input_columns().size();
  if (fields.size() != columns) {
    throw Error(ErrorCode::kInternal, "a record with " + std::to_string(fields.size()) +
                                          " fields for " + std::to_string(columns) + " columns");
  }
  const std::size_t steps = columns + 1;  // the background row, then one column switched at a time
  FeatureMatrix x(orders_.size() * steps, compiled_.feature_count());
  engine::CompiledPipeline::Scratch scratch;
  compiled_.prepare_scratch(scratch);
  std::vector<std::string_view> mixed(columns);
  for (std::size_t s = 0; s < orders_.size(); ++s) {
    const auto& row = background_[background_row_[s]];
    for (std::size_t c = 0; c < columns; ++c) mixed[c] = row[c];
    float* out = &x.at(s * steps, 0);
    compiled_.transform_record(mixed, out, scratch);
    for (std::size_t k = 0; k < columns; ++k) {
      const uint32_t column = orders_[s][k];
      mixed[column] = fields[column];
      out += x.cols;
      compiled_.transform_record(mixed, out, scratch);
    }
  }
  const std::vector<double> log_odds = model_->predict_log_odds(x);
  contributions.assign(columns, 0.0);
  base = 0.0;
  for (std::size_t s = 0; s < orders_.size(); ++s) {
    const double* chain = log_odds.data() + s * steps;
    base += chain[0];
    for (std::size_t k = 0; k < columns; ++k)
      contributions[orders_[s][k]] += chain[k + 1] - chain[k];
  }
  const auto samples = static_cast<double>(orders_.size());
  base /= samples;
  for (double& c : contributions) c /= samples;
}

}  // namespace smartchurn::explain
