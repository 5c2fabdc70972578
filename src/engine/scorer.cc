#include "smartchurn/scorer.h"

#include <algorithm>
#include <optional>
#include <thread>

#include "engine/compiled_pipeline.h"
#include "engine/flat_forest.h"
#include "engine/linear_model.h"
#include "smartchurn/error.h"

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

struct Scorer::Impl {
  engine::CompiledPipeline compiled;
  Pipeline pipeline;  // the batch path reuses the library's column-wise transform
  std::optional<engine::FlatForest> forest;
  std::optional<engine::LinearModel> linear;

  Impl(const Bundle& bundle)
      : compiled(bundle.schema, bundle.pipeline),
        pipeline(Pipeline::from_json(bundle.pipeline.to_json())) {
    if (!bundle.model) throw Error(ErrorCode::kIncompatible, "the bundle holds no model");
    const nlohmann::json state = bundle.model->save();
    const std::size_t features = compiled.feature_count();
    if (state.contains("booster")) {
      forest.emplace(state.at("booster"), state.at("rounds").get<int>());
      if (forest->features_read() > features) {
        throw Error(ErrorCode::kIncompatible, "the model reads more features than prepared");
      }
    } else if (state.contains("coefficients")) {
      try {
        linear.emplace(state);
      } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCode::kIncompatible, std::string("unreadable linear model: ") + e.what());
      }
      if (linear->feature_count() != features) {
        throw Error(ErrorCode::kIncompatible, "the model's coefficients do not match its features");
      }
    } else {
      throw Error(ErrorCode::kIncompatible,
                  "the engine cannot compile model '" + bundle.model->name() + "'");
    }
  }

  double margin_of(std::span<const std::string_view> fields) const {
    RecordScratch& scratch = thread_scratch();
    if (scratch.features.size() < compiled.feature_count()) {
      scratch.features.resize(compiled.feature_count());
    }
    compiled.transform_record(fields, scratch.features.data(), scratch.pipeline);
    if (forest) return forest->margin(scratch.features.data());
    return linear->margin(scratch.features.data());
  }

  double probability(double margin) const {
    if (forest) return engine::FlatForest::probability(static_cast<float>(margin));
    return engine::LinearModel::probability(margin);
  }

  // Probabilities of rows [begin, end) of a prepared matrix.
  void score_rows(const FeatureMatrix& x, std::size_t begin, std::size_t end,
                  double* out) const {
    if (forest) {
      std::vector<float> margins(end - begin);
      forest->margins(x.values.data() + begin * x.cols, end - begin, x.cols, margins.data());
      for (std::size_t r = begin; r < end; ++r) {
        out[r] = engine::FlatForest::probability(margins[r - begin]);
      }
      return;
    }
    for (std::size_t r = begin; r < end; ++r) {
      out[r] = engine::LinearModel::probability(linear->margin(x.values.data() + r * x.cols));
    }
  }
};

Scorer::Scorer(const Bundle& bundle) : impl_(std::make_unique<Impl>(bundle)) {}
Scorer::~Scorer() = default;
Scorer::Scorer(Scorer&&) noexcept = default;
Scorer& Scorer::operator=(Scorer&&) noexcept = default;

const std::vector<std::string>& Scorer::input_columns() const {
  return impl_->compiled.input_columns();
}

double Scorer::margin_record(std::span<const std::string_view> fields) const {
  return impl_->margin_of(fields);
}

double Scorer::score_record(std::span<const std::string_view> fields) const {
  return impl_->probability(impl_->margin_of(fields));
}

std::vector<double> Scorer::score(const Dataset& data, int threads) const {
  const FeatureMatrix x = impl_->pipeline.transform(data);
  if (x.cols != impl_->compiled.feature_count()) {
    throw Error(ErrorCode::kInternal, "prepared feature count differs from the compiled one");
  }
  std::vector<double> out(x.rows);
  std::size_t workers = threads > 0 ? static_cast<std::size_t>(threads)
                                    : std::max(1u, std::thread::hardware_concurrency());
  workers = std::max<std::size_t>(1, std::min(workers, x.rows / kMinRowsPerThread));
  if (workers == 1) {
    impl_->score_rows(x, 0, x.rows, out.data());
    return out;
  }
  std::vector<std::thread> pool;
  const std::size_t share = (x.rows + workers - 1) / workers;
  for (std::size_t w = 0; w < workers; ++w) {
    const std::size_t begin = std::min(x.rows, w * share);
    const std::size_t end = std::min(x.rows, begin + share);
    pool.emplace_back([&, begin, end] { impl_->score_rows(x, begin, end, out.data()); });
  }
  for (auto& t : pool) t.join();
  return out;
}

}  // namespace smartchurn
