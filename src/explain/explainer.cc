#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "engine/compiled_pipeline.h"
#include "explain/feature_attribution.h"
#include "explain/grouping.h"
#include "explain/sampling_shapley.h"
#include "smartchurn/error.h"
#include "smartchurn/explain.h"
#include "util/parallel.h"

namespace smartchurn {

namespace {

// Rows per task of a batch: small enough to share the work, large enough to keep per-call costs
// low.
constexpr std::size_t kBlockRows = 256;

constexpr const char* kMethodNames[] = {"auto", "tree_shap", "linear", "sampling"};

double logistic(double z) {
  if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}

ExplainMethod resolve_method(ExplainMethod asked, ModelKind kind, const std::string& model) {
  const bool tree = kind == ModelKind::kTreeEnsemble, linear = kind == ModelKind::kLinear;
  switch (asked) {
    case ExplainMethod::kAuto:
      return tree     ? ExplainMethod::kTreeShap
             : linear ? ExplainMethod::kLinear
                      : ExplainMethod::kSampling;
    case ExplainMethod::kTreeShap:
      if (!tree) throw_usage("tree_shap explains tree models; model '" + model + "' is not one");
      return asked;
    case ExplainMethod::kLinear:
      if (!linear) throw_usage("linear explains linear models; model '" + model + "' is not one");
      return asked;
    case ExplainMethod::kSampling:
      return asked;
  }
  return asked;
}

// Runs task(begin, end) over blocks of [0, count) on `threads` threads (0: every core).
template <typename Task>
void for_blocks(std::size_t count, int threads, Task task) {
  const std::size_t blocks = (count + kBlockRows - 1) / kBlockRows;
  parallel_for(blocks, resolve_threads(threads),
               [&](std::size_t b) { task(b * kBlockRows, std::min(count, (b + 1) * kBlockRows)); });
}

}  // namespace

const char* to_string(ExplainMethod method) { return kMethodNames[static_cast<int>(method)]; }

ExplainMethod explain_method_from_string(const std::string& name) {
  for (int i = 0; i < static_cast<int>(std::size(kMethodNames)); ++i) {
    if (name == kMethodNames[i]) return static_cast<ExplainMethod>(i);
  }
  throw_usage("unknown explanation method '" + name +
              "' (known: auto, tree_shap, linear, sampling)");
}

double Explanation::probability() const { return logistic(log_odds); }

double probability_effect(double log_odds, double contribution) {
  return logistic(log_odds) - logistic(log_odds - contribution);
}

std::string reason_sentence(const Reason& reason) {
  const std::string value = reason.value.empty() ? "(missing)" : reason.value;
  const char* direction = reason.contribution > 0   ? "raises"
                          : reason.contribution < 0 ? "lowers"
                                                    : "does not change";
  return fmt::format("{} = {} {} the churn risk", reason.column, value, direction);
}

struct Explainer::Impl {
  ExplainMethod method;
  engine::CompiledPipeline compiled;
  Pipeline pipeline;  // the batch path reuses the library's column-wise transform
  std::vector<std::string> na_tokens;
  explain::ColumnShares shares;
  std::unique_ptr<explain::FeatureAttribution> attribution;
  std::unique_ptr<explain::SamplingShapley> sampling;

  Impl(const Bundle& bundle, const ExplainOptions& options)
      : compiled(bundle.schema, bundle.pipeline),
        pipeline(Pipeline::from_json(bundle.pipeline.to_json())),
        na_tokens(bundle.schema.na_tokens) {
    if (!bundle.model) throw Error(ErrorCode::kIncompatible, "the bundle holds no model");
    const nlohmann::json state = bundle.model->save();
    method = resolve_method(options.method, bundle.model->kind(), bundle.model_name);
    shares = explain::column_shares(pipeline);
    switch (method) {
      case ExplainMethod::kTreeShap:
        attribution =
            explain::tree_attribution(bundle.model_name, state, pipeline.categorical_mask());
        break;
      case ExplainMethod::kLinear:
        attribution = explain::linear_attribution(state, bundle.explanation.feature_means);
        break;
      default:
        sampling =
            std::make_unique<explain::SamplingShapley>(bundle, options.samples, options.seed);
        break;
    }
  }

  const std::vector<std::string>& columns() const { return compiled.input_columns(); }

  // An explanation from one row of attribute()'s output (features, then the base value).
  Explanation from_features(const double* row, std::vector<std::string> values) const {
    Explanation e;
    const std::size_t features = shares.size();
    e.feature_contributions.assign(row, row + features);
    e.base_value = row[features];
    const auto grouped =
        explain::group_by_column(e.feature_contributions, shares, columns().size());
    e.log_odds = e.base_value;
    for (double c : grouped) e.log_odds += c;
    e.reasons = explain::ranked_reasons(columns(), grouped, std::move(values));
    return e;
  }

  Explanation from_sampling(std::span<const std::string_view> fields,
                            std::vector<std::string> values) const {
    Explanation e;
    std::vector<double> contributions;
    sampling->explain(fields, contributions, e.base_value);
    e.log_odds = e.base_value;
    for (double c : contributions) e.log_odds += c;
    e.reasons = explain::ranked_reasons(columns(), contributions, std::move(values));
    return e;
  }

  // The customer's values as the reasons show them: missing-value tokens become "".
  std::vector<std::string> values_of(std::span<const std::string_view> fields) const {
    std::vector<std::string> values;
    values.reserve(fields.size());
    for (auto field : fields) {
      values.emplace_back(is_missing_token(field, na_tokens) ? std::string_view() : field);
    }
    return values;
  }
};

Explainer::Explainer(const Bundle& bundle, ExplainOptions options)
    : impl_(std::make_unique<Impl>(bundle, options)) {}
Explainer::~Explainer() = default;
Explainer::Explainer(Explainer&&) noexcept = default;
Explainer& Explainer::operator=(Explainer&&) noexcept = default;

ExplainMethod Explainer::method() const { return impl_->method; }
const std::vector<std::string>& Explainer::input_columns() const { return impl_->columns(); }

Explanation Explainer::explain_record(std::span<const std::string_view> fields) const {
  const Impl& m = *impl_;
  if (fields.size() != m.columns().size()) {
    throw_usage(fmt::format("a record needs {} fields (the model's input columns), got {}",
                            m.columns().size(), fields.size()));
  }
  if (m.sampling) return m.from_sampling(fields, m.values_of(fields));
  FeatureMatrix x(1, m.compiled.feature_count());
  thread_local engine::CompiledPipeline::Scratch scratch;
  m.compiled.prepare_scratch(scratch);
  m.compiled.transform_record(fields, x.values.data(), scratch);
  std::vector<double> out(x.cols + 1);
  m.attribution->attribute(x, out.data());
  return m.from_features(out.data(), m.values_of(fields));
}

std::vector<Explanation> Explainer::explain(const Dataset& data, int threads) const {
  std::vector<std::size_t> rows(data.rows());
  std::iota(rows.begin(), rows.end(), 0);
  return explain(data, rows, threads);
}

std::vector<Explanation> Explainer::explain(const Dataset& data, std::span<const std::size_t> rows,
                                            int threads) const {
  const Impl& m = *impl_;
  std::vector<const Column*> columns;
  for (const auto& name : m.columns()) columns.push_back(&data.column(name));
  auto values_at = [&](std::size_t row) {
    std::vector<std::string> values;
    values.reserve(columns.size());
    for (const Column* c : columns) values.push_back(c->text_at(row));
    return values;
  };
  std::vector<Explanation> out(rows.size());
  if (m.sampling) {
    for_blocks(rows.size(), threads, [&](std::size_t begin, std::size_t end) {
      std::vector<std::string_view> fields(columns.size());
      for (std::size_t i = begin; i < end; ++i) {
        auto values = values_at(rows[i]);
        for (std::size_t c = 0; c < values.size(); ++c) fields[c] = values[c];
        out[i] = m.from_sampling(fields, values);
      }
    });
    return out;
  }
  const FeatureMatrix x = m.pipeline.transform(data, rows);
  if (x.cols != m.shares.size()) {
    throw Error(ErrorCode::kInternal, "prepared feature count differs from the explained one");
  }
  for_blocks(x.rows, threads, [&](std::size_t begin, std::size_t end) {
    FeatureMatrix block(end - begin, x.cols);
    std::copy(x.values.begin() + static_cast<std::ptrdiff_t>(begin * x.cols),
              x.values.begin() + static_cast<std::ptrdiff_t>(end * x.cols), block.values.begin());
    std::vector<double> attributed(block.rows * (x.cols + 1));
    m.attribution->attribute(block, attributed.data());
    for (std::size_t i = begin; i < end; ++i) {
      out[i] = m.from_features(attributed.data() + (i - begin) * (x.cols + 1), values_at(rows[i]));
    }
  });
  return out;
}

}  // namespace smartchurn
