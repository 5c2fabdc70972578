#include "explain/global_view.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

#include "smartchurn/error.h"
#include "smartchurn/explain.h"
#include "smartchurn/metrics.h"
#include "smartchurn/scorer.h"
#include "smartchurn/split.h"
#include "util/parallel.h"
#include "util/random.h"

namespace smartchurn::explain {

namespace {

constexpr std::size_t kBackgroundRows = 64;     // the model-agnostic method's background
constexpr std::size_t kImportanceRows = 500;    // rows explained for importance and dependence
constexpr std::size_t kDependenceColumns = 6;   // top columns with dependence data
constexpr std::size_t kDependencePoints = 300;  // points per dependence plot
constexpr double kHeldOutShare = 0.2;           // of the training rows, for permutation importance
constexpr std::size_t kPermutationFitRows = 20000;
constexpr std::size_t kPermutationHeldOutRows = 5000;
constexpr int kPermutationRepeats = 3;
constexpr std::size_t kPartialDependencePoints = 20;
constexpr std::size_t kPartialDependenceRows = 300;

// `count` rows drawn from `rows` without replacement (all of them when fewer), in data order.
std::vector<std::size_t> sample_rows(std::span<const std::size_t> rows, std::size_t count,
                                     util::Random& random) {
  std::vector<std::size_t> pool(rows.begin(), rows.end());
  count = std::min(count, pool.size());
  for (std::size_t i = 0; i < count; ++i) {
    std::swap(pool[i], pool[i + static_cast<std::size_t>(random.below(pool.size() - i))]);
  }
  pool.resize(count);
  std::sort(pool.begin(), pool.end());
  return pool;
}

std::vector<float> labels_of(std::span<const float> y, std::span<const std::size_t> rows) {
  std::vector<float> out(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) out[i] = y[rows[i]];
  return out;
}

// A cell as JSON: numbers for numeric columns, text otherwise, null when missing.
nlohmann::json cell_json(const Column& column, std::size_t row) {
  if (column.is_missing_at(row)) return nullptr;
  if (column.type() == ColumnType::kNumeric) return column.values[row];
  return column.text_at(row);
}

std::vector<double> feature_means(const FeatureMatrix& x) {
  std::vector<double> sum(x.cols, 0.0), count(x.cols, 0.0);
  for (std::size_t r = 0; r < x.rows; ++r) {
    for (std::size_t c = 0; c < x.cols; ++c) {
      const float v = x.at(r, c);
      if (std::isnan(v)) continue;
      sum[c] += v;
      count[c] += 1;
    }
  }
  for (std::size_t c = 0; c < x.cols; ++c) sum[c] = count[c] > 0 ? sum[c] / count[c] : 0.0;
  return sum;
}

// Mean |contribution| per column and dependence data for the top columns.
void shap_summary(const Bundle& bundle, const Dataset& sample, int threads,
                  nlohmann::json& global) {
  const Explainer explainer(bundle);
  const auto explanations = explainer.explain(sample, threads);
  const auto& columns = explainer.input_columns();
  std::vector<double> mean_abs(columns.size(), 0.0);
  // contribution[row][column] in input column order.
  std::vector<std::vector<double>> by_column(columns.size(), std::vector<double>(sample.rows()));
  for (std::size_t r = 0; r < explanations.size(); ++r) {
    for (const auto& reason : explanations[r].reasons) {
      const auto c = static_cast<std::size_t>(
          std::find(columns.begin(), columns.end(), reason.column) - columns.begin());
      by_column[c][r] = reason.contribution;
      mean_abs[c] += std::abs(reason.contribution);
    }
  }
  double total = 0;
  for (double& m : mean_abs) total += (m /= std::max<double>(1.0, double(sample.rows())));
  std::vector<std::size_t> order(columns.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return mean_abs[a] > mean_abs[b]; });
  nlohmann::json importance = nlohmann::json::array(), dependence = nlohmann::json::array();
  for (std::size_t c : order) {
    importance.push_back({{"column", columns[c]},
                          {"mean_abs_contribution", mean_abs[c]},
                          {"share", total > 0 ? mean_abs[c] / total : 0.0}});
  }
  for (std::size_t k = 0; k < order.size() && k < kDependenceColumns; ++k) {
    const std::size_t c = order[k];
    const Column& column = sample.column(columns[c]);
    nlohmann::json values = nlohmann::json::array(), contributions = nlohmann::json::array();
    for (std::size_t r = 0; r < sample.rows() && r < kDependencePoints; ++r) {
      values.push_back(cell_json(column, r));
      // Four decimals are plenty for a plot and keep the bundle small.
      contributions.push_back(std::round(by_column[c][r] * 1e4) / 1e4);
    }
    dependence.push_back({{"column", columns[c]},
                          {"type", to_string(column.type())},
                          {"values", values},
                          {"contributions", contributions}});
  }
  global["method"] = to_string(explainer.method());
  global["rows_explained"] = sample.rows();
  global["importance"] = importance;
  global["dependence"] = dependence;
}

// Shuffles one column of `data` in place (values or codes) with `random`.
void shuffle_column(Column& column, util::Random& random) {
  const std::size_t n = std::max(column.values.size(), column.codes.size());
  for (std::size_t i = n; i > 1; --i) {
    const auto j = static_cast<std::size_t>(random.below(i));
    if (!column.values.empty()) std::swap(column.values[i - 1], column.values[j]);
    if (!column.codes.empty()) std::swap(column.codes[i - 1], column.codes[j]);
  }
}

// Probabilities of a data set's rows: the fast engine when it compiles the model (several times
// faster than the training library on the few thousand rows evaluated here), else the model.
class Probabilities {
 public:
  explicit Probabilities(const Bundle& bundle) : bundle_(bundle) {
    try {
      scorer_.emplace(bundle);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kIncompatible) throw;
    }
  }
  std::vector<double> operator()(const Dataset& data) const {
    return scorer_ ? scorer_->score(data, 1) : bundle_.predict(data);
  }

 private:
  const Bundle& bundle_;
  std::optional<Scorer> scorer_;
};

nlohmann::json permutation_importance(const Bundle& bundle, const Dataset& data,
                                      std::span<const float> y, std::span<const std::size_t> rows,
                                      const GlobalViewOptions& options) {
  const auto& columns = bundle.pipeline.input_columns();
  Split split = stratified_split(y, rows, kHeldOutShare, options.seed);
  util::Random random(options.seed + 1);
  auto fit_rows = sample_rows(split.train, kPermutationFitRows, random);
  auto held_out = sample_rows(split.test, kPermutationHeldOutRows, random);
  const auto fit_y = labels_of(y, fit_rows), held_y = labels_of(y, held_out);

  // The held-out model: same family, parameters and preparation options as the final one.
  Bundle held;
  held.schema = bundle.schema;
  held.model_name = bundle.model_name;
  held.pipeline = Pipeline::fit(data, y, fit_rows, columns, options.prep);
  held.model = create_model(bundle.model_name, options.params);
  FitOptions fit;
  fit.seed = options.seed;
  fit.threads = options.threads;
  fit.categorical = held.pipeline.categorical_mask();
  for (const auto& f : held.pipeline.features()) fit.feature_names.push_back(f.name);
  held.model->fit(held.pipeline.transform(data, fit_rows), fit_y, fit);
  held.model->set_threads(1);  // the columns below share the threads instead
  const Probabilities probabilities(held);

  const Dataset test = subset(data, held_out, columns);
  const double baseline = roc_auc(held_y, probabilities(test));
  // Columns are shuffled on several threads, each column with its own seed, so the result does
  // not depend on the thread count.
  std::vector<std::pair<double, nlohmann::json>> ranked(columns.size());
  parallel_for(columns.size(), options.threads, [&](std::size_t c) {
    Dataset shuffled = test;  // a few thousand rows: cheap next to scoring them three times
    util::Random column_random(options.seed + 1000 + c);
    std::vector<double> drops;
    for (int repeat = 0; repeat < kPermutationRepeats; ++repeat) {
      shuffle_column(shuffled.columns[c], column_random);
      drops.push_back(baseline - roc_auc(held_y, probabilities(shuffled)));
    }
    double mean = std::accumulate(drops.begin(), drops.end(), 0.0) / double(drops.size());
    double var = 0;
    for (double d : drops) var += (d - mean) * (d - mean);
    ranked[c] = {mean, nlohmann::json{{"column", columns[c]},
                                      {"roc_auc_drop", mean},
                                      {"roc_auc_drop_std", std::sqrt(var / double(drops.size()))}}};
  });
  nlohmann::json list = nlohmann::json::array();
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (auto& [drop, entry] : ranked) list.push_back(std::move(entry));
  return {{"metric", "roc_auc"},
          {"fit_rows", fit_rows.size()},
          {"held_out_rows", held_out.size()},
          {"repeats", kPermutationRepeats},
          {"baseline_roc_auc", baseline},
          {"columns", list}};
}

nlohmann::json partial_dependence(const Bundle& bundle, const Dataset& data,
                                  std::span<const std::size_t> rows, const Dataset& sample) {
  nlohmann::json out = nlohmann::json::array();
  std::vector<std::size_t> first(std::min(sample.rows(), kPartialDependenceRows));
  std::iota(first.begin(), first.end(), 0);
  const auto& columns = bundle.pipeline.input_columns();
  Dataset base = subset(sample, first, columns);
  const Probabilities probabilities(bundle);
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const Column& column = data.column(columns[c]);
    if (column.type() != ColumnType::kNumeric) continue;
    std::vector<double> present;
    for (std::size_t r : rows) {
      if (!column.is_missing_at(r)) present.push_back(column.values[r]);
    }
    if (present.empty()) continue;
    std::sort(present.begin(), present.end());
    std::vector<double> grid;
    for (std::size_t k = 0; k < kPartialDependencePoints; ++k) {
      const double q = 0.05 + 0.9 * double(k) / double(kPartialDependencePoints - 1);
      const double v = present[static_cast<std::size_t>(q * double(present.size() - 1))];
      if (grid.empty() || v != grid.back()) grid.push_back(v);
    }
    Dataset swept = base;
    nlohmann::json means = nlohmann::json::array();
    for (double v : grid) {
      std::fill(swept.columns[c].values.begin(), swept.columns[c].values.end(), v);
      const auto p = probabilities(swept);
      means.push_back(std::accumulate(p.begin(), p.end(), 0.0) / double(p.size()));
    }
    out.push_back({{"column", columns[c]}, {"values", grid}, {"mean_probability", means}});
  }
  return out;
}

}  // namespace

Dataset subset(const Dataset& data, std::span<const std::size_t> rows,
               const std::vector<std::string>& columns) {
  Dataset out;
  out.source = data.source;
  for (const auto& name : columns) {
    const Column& from = data.column(name);
    Column to;
    to.schema = from.schema;
    for (std::size_t r : rows) {
      if (!from.values.empty()) to.values.push_back(from.values[r]);
      if (!from.codes.empty()) to.codes.push_back(from.codes[r]);
      to.missing += from.is_missing_at(r);
    }
    out.columns.push_back(std::move(to));
  }
  for (std::size_t r : rows) out.lines.push_back(r < data.lines.size() ? data.lines[r] : r + 2);
  return out;
}

void attach_explanations(Bundle& bundle, const Dataset& data, std::span<const float> y,
                         std::span<const std::size_t> rows, const FeatureMatrix& x,
                         const GlobalViewOptions& options) {
  ExplanationBasis& basis = bundle.explanation;
  basis = {};
  basis.feature_means = feature_means(x);
  const auto& columns = bundle.pipeline.input_columns();
  util::Random random(options.seed);
  for (std::size_t r : sample_rows(rows, kBackgroundRows, random)) {
    std::vector<std::string> cells;
    for (const auto& name : columns) cells.push_back(data.column(name).text_at(r));
    basis.background.push_back(std::move(cells));
  }

  if (!options.global_view) return;
  nlohmann::json global = nlohmann::json::object();
  const Dataset sample = subset(data, sample_rows(rows, kImportanceRows, random), columns);
  shap_summary(bundle, sample, options.threads, global);
  try {
    global["permutation_importance"] = permutation_importance(bundle, data, y, rows, options);
  } catch (const Error& e) {
    // Too few rows of a class to hold some out: the rest of the view still holds.
    if (e.code() != ErrorCode::kBadData) throw;
    global["permutation_importance"] = {{"note", "not computed: " + e.message()}};
  }
  global["partial_dependence"] = partial_dependence(bundle, data, rows, sample);
  basis.global = std::move(global);
}

}  // namespace smartchurn::explain
