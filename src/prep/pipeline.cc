#include "smartchurn/pipeline.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

#include "features/candidate.h"
#include "features/combined.h"
#include "features/pca.h"
#include "features/selection.h"
#include "prep/column_plans.h"
#include "smartchurn/error.h"
#include "util/parallel.h"

namespace smartchurn {

using features::Candidate;
using features::FeatureKind;

constexpr int kPipelineFormat = 1;

struct Pipeline::State {
  InputStyle style = InputStyle::kTree;
  std::vector<std::string> input_columns;
  std::vector<Candidate> kept;          // computed features, in output order (before PCA)
  std::vector<std::size_t> pca_inputs;  // positions in `kept` replaced by components
  std::optional<features::Pca> pca;
  std::vector<FeatureInfo> features;  // the final outputs
  nlohmann::json summary;

  void describe_features();
};

namespace {

std::vector<float> labels_of(std::span<const float> y, std::span<const std::size_t> rows) {
  std::vector<float> out(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) out[i] = y[rows[i]];
  return out;
}

// Linear models get continuous features standardised on the training rows.
void standardise(Candidate& c, const std::vector<double>& values) {
  double n = 0, sum = 0, sum_sq = 0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    ++n;
    sum += v;
    sum_sq += v * v;
  }
  if (n == 0) return;
  double mean = sum / n;
  double sd = std::sqrt(std::max(0.0, sum_sq / n - mean * mean));
  c.center = mean;
  c.scale = sd > 0 ? sd : 1.0;
}

double median_of(const std::vector<double>& values) {
  std::vector<double> present;
  for (double v : values) {
    if (!std::isnan(v)) present.push_back(v);
  }
  if (present.empty()) return 0.0;
  auto mid = present.begin() + static_cast<std::ptrdiff_t>(present.size() / 2);
  std::nth_element(present.begin(), mid, present.end());
  if (present.size() % 2 == 1) return *mid;
  return (*mid + *std::max_element(present.begin(), mid)) / 2;
}

}  // namespace

void to_json(nlohmann::json& j, const FeatureInfo& f) {
  j = {{"name", f.name}, {"kind", f.kind}, {"sources", f.sources}};
}
void from_json(const nlohmann::json& j, FeatureInfo& f) {
  f.name = j.at("name").get<std::string>();
  f.kind = j.at("kind").get<std::string>();
  f.sources = j.at("sources").get<std::vector<std::string>>();
}

void Pipeline::State::describe_features() {
  features.clear();
  std::vector<std::string> pca_sources;
  for (std::size_t i = 0; i < kept.size(); ++i) {
    const auto& c = kept[i];
    bool in_pca = std::find(pca_inputs.begin(), pca_inputs.end(), i) != pca_inputs.end();
    if (!in_pca) {
      features.push_back({c.name, features::to_string(c.kind), c.sources});
      continue;
    }
    for (const auto& s : c.sources) {
      if (std::find(pca_sources.begin(), pca_sources.end(), s) == pca_sources.end()) {
        pca_sources.push_back(s);
      }
    }
  }
  if (pca) {
    for (std::size_t k = 0; k < pca->components.size(); ++k) {
      features.push_back({"principal component " + std::to_string(k + 1), "pca", pca_sources});
    }
  }
}

Pipeline::Pipeline() : state_(std::make_unique<State>()) {}
Pipeline::~Pipeline() = default;
Pipeline::Pipeline(Pipeline&&) noexcept = default;
Pipeline& Pipeline::operator=(Pipeline&&) noexcept = default;

Pipeline Pipeline::fit(const Dataset& data, std::span<const float> y,
                       std::span<const std::size_t> rows,
                       const std::vector<std::string>& input_columns, const PrepOptions& options) {
  if (rows.empty()) throw_bad_data("no training rows to prepare", {data.source, 0, ""});
  Pipeline pipeline;
  State& s = *pipeline.state_;
  s.style = options.style;
  s.input_columns = input_columns;
  nlohmann::json notes = nlohmann::json::array();
  const auto y_rows = labels_of(y, rows);

  // Columns are planned, and candidates valued, on every core; results are merged in input order.
  const int threads = resolve_threads(0);
  std::vector<std::vector<Candidate>> planned(input_columns.size());
  std::vector<nlohmann::json> column_notes(input_columns.size(), nlohmann::json::array());
  parallel_for(input_columns.size(), threads, [&](std::size_t i) {
    planned[i] =
        prep::plan_column(data.column(input_columns[i]), y_rows, rows, options, column_notes[i]);
  });
  std::vector<Candidate> candidates;
  for (std::size_t i = 0; i < input_columns.size(); ++i) {
    candidates.insert(candidates.end(), planned[i].begin(), planned[i].end());
    for (auto& note : column_notes[i]) notes.push_back(std::move(note));
  }
  std::size_t single_column = candidates.size();
  if (options.combined_features) {
    auto combined = features::combined_features(data, y_rows, rows, candidates);
    candidates.insert(candidates.end(), combined.begin(), combined.end());
  }

  // Values of every candidate on the training rows, with fills learnt here for linear models.
  std::vector<std::vector<double>> columns(candidates.size());
  parallel_for(candidates.size(), threads, [&](std::size_t i) {
    auto& c = candidates[i];
    auto values = features::raw_values(c, data, rows);
    if (options.style == InputStyle::kScaledOneHot && std::isnan(c.fill) &&
        (c.kind == FeatureKind::kRatio || c.kind == FeatureKind::kProduct)) {
      c.fill = median_of(values);
    }
    if (!std::isnan(c.fill)) {
      for (double& v : values) {
        if (std::isnan(v)) v = c.fill;
      }
    }
    if (options.style == InputStyle::kScaledOneHot && c.is_continuous()) standardise(c, values);
    columns[i] = std::move(values);
  });

  auto selection = features::select_features(candidates, columns, options.collinear_threshold);
  std::vector<std::size_t> kept = selection.kept;
  if (options.select_top_k > 0 && options.select_top_k < kept.size()) {
    std::vector<std::vector<double>> kept_columns;
    std::vector<bool> categorical;
    for (std::size_t i : kept) {
      kept_columns.push_back(columns[i]);
      categorical.push_back(candidates[i].kind == FeatureKind::kCategory);
    }
    auto top = features::top_k_by_importance(kept_columns, categorical, y_rows,
                                             options.select_top_k, options.seed);
    std::vector<std::size_t> narrowed;
    for (std::size_t position = 0; position < kept.size(); ++position) {
      if (std::find(top.begin(), top.end(), position) != top.end()) {
        narrowed.push_back(kept[position]);
      } else {
        selection.dropped.push_back(
            {{"feature", candidates[kept[position]].name},
             {"reason",
              "outside the top " + std::to_string(options.select_top_k) + " by importance"}});
      }
    }
    kept = std::move(narrowed);
  }
  for (std::size_t i : kept) s.kept.push_back(candidates[i]);

  if (options.pca_components > 0) {
    std::vector<std::vector<double>> pca_columns;
    for (std::size_t position = 0; position < kept.size(); ++position) {
      if (!candidates[kept[position]].is_continuous()) continue;
      s.pca_inputs.push_back(position);
      pca_columns.push_back(columns[kept[position]]);
    }
    if (pca_columns.empty()) throw_usage("PCA needs at least one continuous feature");
    s.pca = features::Pca::fit(pca_columns, options.pca_components);
  }
  s.describe_features();

  std::size_t combined_kept = 0;
  for (std::size_t i : kept) combined_kept += i >= single_column;
  s.summary = {{"input_columns", input_columns.size()},   {"candidate_features", candidates.size()},
               {"combined_features_kept", combined_kept}, {"features", s.features.size()},
               {"dropped_features", selection.dropped},   {"notes", notes}};
  return pipeline;
}

FeatureMatrix Pipeline::transform(const Dataset& data) const {
  std::vector<std::size_t> rows(data.rows());
  std::iota(rows.begin(), rows.end(), 0);
  return transform(data, rows);
}

FeatureMatrix Pipeline::transform(const Dataset& data, std::span<const std::size_t> rows) const {
  const State& s = *state_;
  FeatureMatrix out(rows.size(), s.features.size());
  // A block of rows at a time, on every core: a block's feature values are still in cache when
  // they are written into the row-major matrix, and no column is held whole.
  constexpr std::size_t kBlockRows = 16384;
  const std::size_t blocks = (rows.size() + kBlockRows - 1) / kBlockRows;
  parallel_for(blocks, resolve_threads(0), [&](std::size_t block) {
    const std::size_t begin = block * kBlockRows;
    const auto block_rows = rows.subspan(begin, std::min(kBlockRows, rows.size() - begin));
    std::vector<std::vector<double>> pca_values;
    std::size_t col = 0;
    for (std::size_t i = 0; i < s.kept.size(); ++i) {
      auto values = features::final_values(s.kept[i], data, block_rows);
      if (s.pca && std::find(s.pca_inputs.begin(), s.pca_inputs.end(), i) != s.pca_inputs.end()) {
        pca_values.push_back(std::move(values));
        continue;
      }
      for (std::size_t r = 0; r < block_rows.size(); ++r) {
        out.at(begin + r, col) = static_cast<float>(values[r]);
      }
      ++col;
    }
    if (!s.pca) return;
    std::vector<double> inputs(pca_values.size()), scores(s.pca->components.size());
    for (std::size_t r = 0; r < block_rows.size(); ++r) {
      for (std::size_t k = 0; k < pca_values.size(); ++k) inputs[k] = pca_values[k][r];
      s.pca->project(inputs.data(), scores.data());
      for (std::size_t k = 0; k < scores.size(); ++k) {
        out.at(begin + r, col + k) = static_cast<float>(scores[k]);
      }
    }
  });
  return out;
}

const std::vector<FeatureInfo>& Pipeline::features() const { return state_->features; }
const std::vector<std::string>& Pipeline::input_columns() const { return state_->input_columns; }
InputStyle Pipeline::style() const { return state_->style; }
nlohmann::json Pipeline::summary() const { return state_->summary; }

std::vector<bool> Pipeline::categorical_mask() const {
  std::vector<bool> mask;
  for (const auto& f : state_->features) mask.push_back(f.kind == "category");
  return mask;
}

namespace {

// Adds `weight` split equally over the distinct columns of `sources` to `shares`.
void add_equal_shares(const std::vector<std::string>& sources, double weight,
                      std::vector<std::pair<std::string, double>>& shares) {
  std::vector<std::string> distinct;
  for (const auto& s : sources) {
    if (std::find(distinct.begin(), distinct.end(), s) == distinct.end()) distinct.push_back(s);
  }
  for (const auto& column : distinct) {
    auto it = std::find_if(shares.begin(), shares.end(),
                           [&](const auto& share) { return share.first == column; });
    if (it == shares.end()) {
      shares.emplace_back(column, weight / double(distinct.size()));
    } else {
      it->second += weight / double(distinct.size());
    }
  }
}

}  // namespace

std::vector<std::vector<std::pair<std::string, double>>> Pipeline::source_shares() const {
  const State& s = *state_;
  std::vector<std::vector<std::pair<std::string, double>>> out;
  std::vector<const Candidate*> pca_inputs;
  for (std::size_t i = 0; i < s.kept.size(); ++i) {
    bool in_pca =
        s.pca && std::find(s.pca_inputs.begin(), s.pca_inputs.end(), i) != s.pca_inputs.end();
    if (in_pca) {
      pca_inputs.push_back(&s.kept[i]);
      continue;
    }
    out.emplace_back();
    add_equal_shares(s.kept[i].sources, 1.0, out.back());
  }
  if (s.pca) {
    for (const auto& loadings : s.pca->components) {
      double total = 0;
      for (double w : loadings) total += std::abs(w);
      out.emplace_back();
      for (std::size_t i = 0; i < pca_inputs.size() && i < loadings.size(); ++i) {
        double weight = total > 0 ? std::abs(loadings[i]) / total
                                  : 1.0 / static_cast<double>(pca_inputs.size());
        add_equal_shares(pca_inputs[i]->sources, weight, out.back());
      }
    }
  }
  return out;
}

nlohmann::json Pipeline::to_json() const {
  const State& s = *state_;
  nlohmann::json j = {
      {"format", kPipelineFormat},
      {"style", s.style == InputStyle::kTree ? "tree" : "scaled_one_hot"},
      {"input_columns", s.input_columns},
      {"features", s.kept},
      {"summary", s.summary},
  };
  if (s.pca) j["pca"] = {{"inputs", s.pca_inputs}, {"state", *s.pca}};
  return j;
}

Pipeline Pipeline::from_json(const nlohmann::json& j) {
  if (j.value("format", 0) != kPipelineFormat) {
    throw Error(ErrorCode::kIncompatible, "preparation format " +
                                              j.value("format", nlohmann::json()).dump() +
                                              " is not supported (this version reads format " +
                                              std::to_string(kPipelineFormat) + ")");
  }
  Pipeline pipeline;
  State& s = *pipeline.state_;
  s.style =
      j.at("style").get<std::string>() == "tree" ? InputStyle::kTree : InputStyle::kScaledOneHot;
  s.input_columns = j.at("input_columns").get<std::vector<std::string>>();
  s.kept = j.at("features").get<std::vector<Candidate>>();
  s.summary = j.value("summary", nlohmann::json::object());
  if (j.contains("pca")) {
    s.pca_inputs = j["pca"].at("inputs").get<std::vector<std::size_t>>();
    s.pca = j["pca"].at("state").get<features::Pca>();
  }
  s.describe_features();
  return pipeline;
}

}  // namespace smartchurn
