#include "smartchurn/scorer.h"

#include <algorithm>
#include <thread>

#include "engine/scorer_impl.h"
#include "smartchurn/error.h"
#include "util/parallel.h"

namespace smartchurn {

namespace {

// Fewer rows than this per thread are not worth a thread.
constexpr std::size_t kMinRowsPerThread = 512;

struct RecordScratch {
  engine::CompiledPipeline::Scratch pipeline;
  std::vector<float> features;
};

// One per thread, shared by every Scorer on it: buffers grow to the largest bundle and stay.
RecordScratch& thread_scratch() {
  thread_local RecordScratch scratch;
  return scratch;
}

}  // namespace

Scorer::Impl::Impl(const Bundle& bundle)
    : model(bundle),
      pipeline(Pipeline::from_json(bundle.pipeline.to_json())),
      schema(bundle.schema),
      id_columns(bundle.id_columns),
      optional_columns(bundle.optional_columns()),
      tiers(bundle.tiers) {}

double Scorer::Impl::margin_of(std::span<const std::string_view> fields) const {
  RecordScratch& scratch = thread_scratch();
  const std::size_t features = model.pipeline().feature_count();
  if (scratch.features.size() < features) scratch.features.resize(features);
  model.pipeline().transform_record(fields, scratch.features.data(), scratch.pipeline);
  return model.margin(scratch.features.data());
}

Scorer::Scorer(const Bundle& bundle) : impl_(std::make_unique<Impl>(bundle)) {}
Scorer::~Scorer() = default;
Scorer::Scorer(Scorer&&) noexcept = default;
Scorer& Scorer::operator=(Scorer&&) noexcept = default;

const std::vector<std::string>& Scorer::input_columns() const {
  return impl_->model.pipeline().input_columns();
}

double Scorer::margin_record(std::span<const std::string_view> fields) const {
  return impl_->margin_of(fields);
}

double Scorer::score_record(std::span<const std::string_view> fields) const {
  return impl_->model.probability(impl_->margin_of(fields));
}

std::vector<double> Scorer::score(const Dataset& data, int threads) const {
  const FeatureMatrix x = impl_->pipeline.transform(data);
  if (x.cols != impl_->model.pipeline().feature_count()) {
    throw Error(ErrorCode::kInternal, "prepared feature count differs from the compiled one");
  }
  std::vector<double> out(x.rows);
  const std::size_t workers = std::max<std::size_t>(
      1, std::min(static_cast<std::size_t>(resolve_threads(threads)), x.rows / kMinRowsPerThread));
  // Rows [begin, end): the flat trees go tree by tree over blocks of them.
  const auto score_rows = [&](std::size_t begin, std::size_t end) {
    std::vector<float> margins(end - begin);
    impl_->model.probabilities(x.values.data() + begin * x.cols, end - begin, x.cols,
                               margins.data(), out.data() + begin);
  };
  if (workers == 1) {
    score_rows(0, x.rows);
    return out;
  }
  std::vector<std::thread> pool;
  const std::size_t share = (x.rows + workers - 1) / workers;
  for (std::size_t w = 0; w < workers; ++w) {
    const std::size_t begin = std::min(x.rows, w * share);
    const std::size_t end = std::min(x.rows, begin + share);
    pool.emplace_back(score_rows, begin, end);
  }
  for (auto& t : pool) t.join();
  return out;
}

}  // namespace smartchurn
