#include "features/selection.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "features/stats.h"
#include "smartchurn/error.h"
#include "smartchurn/model.h"

namespace smartchurn::features {

namespace {

constexpr double kNearConstantShare = 0.999;
constexpr std::size_t kCorrelationRows = 50000;  // enough for a stable r, bounded cost

bool same_values(const std::vector<double>& a, const std::vector<double>& b) {
  for (std::size_t i = 0; i < a.size(); ++i) {
    bool na = std::isnan(a[i]), nb = std::isnan(b[i]);
    if (na != nb || (!na && a[i] != b[i])) return false;
  }
  return true;
}

// Share of rows holding the majority value (missing counts as a value), found in one pass with
// the Boyer-Moore vote; 0.5 or less when no value holds a majority, which is all selection needs.
double majority_share(const std::vector<double>& values) {
  if (values.empty()) return 1.0;
  auto same = [](double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; };
  double candidate = values[0];
  std::size_t votes = 0;
  for (double v : values) {
    if (votes == 0) candidate = v;
    if (same(v, candidate)) {
      ++votes;
    } else {
      --votes;
    }
  }
  auto count =
      std::count_if(values.begin(), values.end(), [&](double v) { return same(v, candidate); });
  return static_cast<double>(count) / static_cast<double>(values.size());
}

std::vector<double> head(const std::vector<double>& v) {
  return {v.begin(), v.begin() + static_cast<std::ptrdiff_t>(std::min(v.size(), kCorrelationRows))};
}

}  // namespace

Selection select_features(const std::vector<features::Candidate>& candidates,
                          const std::vector<std::vector<double>>& columns,
                          double collinear_threshold) {
  Selection out;
  std::vector<std::vector<double>> kept_heads;  // sample of each kept continuous/boolean feature
  std::vector<std::size_t> kept_heads_owner;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const auto& c = candidates[i];
    std::string reason;
    if (double share = majority_share(columns[i]); share >= kNearConstantShare) {
      reason = share == 1.0 ? "constant in the training data"
                            : fmt::format("near-constant ({:.2f}% one value)", 100 * share);
    }
    for (std::size_t k = 0; reason.empty() && k < out.kept.size(); ++k) {
      if (same_values(columns[i], columns[out.kept[k]])) {
        reason = "duplicate of " + candidates[out.kept[k]].name;
      }
    }
    bool correlatable = c.kind != features::FeatureKind::kCategory;
    std::vector<double> sample;
    if (reason.empty() && correlatable) {
      sample = head(columns[i]);
      for (std::size_t k = 0; k < kept_heads.size(); ++k) {
        double r = features::pearson(sample, kept_heads[k]);
        if (std::abs(r) >= collinear_threshold) {
          reason = fmt::format("collinear with {} (r = {:.3f})",
                               candidates[kept_heads_owner[k]].name, r);
          break;
        }
      }
    }
    if (!reason.empty()) {
      out.dropped.push_back({{"feature", c.name}, {"reason", reason}});
      continue;
    }
    out.kept.push_back(i);
    if (correlatable) {
      kept_heads.push_back(std::move(sample));
      kept_heads_owner.push_back(i);
    }
  }
  return out;
}

std::vector<std::size_t> top_k_by_importance(const std::vector<std::vector<double>>& columns,
                                             const std::vector<bool>& categorical,
                                             std::span<const float> y, std::size_t k,
                                             uint64_t seed) {
  if (k >= columns.size()) {
    std::vector<std::size_t> all(columns.size());
    std::iota(all.begin(), all.end(), 0);
    return all;
  }
  FeatureMatrix x(y.size(), columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c) {
    for (std::size_t r = 0; r < y.size(); ++r) x.at(r, c) = static_cast<float>(columns[c][r]);
  }
  // The ranking model is whichever family declares it can rank (model.h), not a name here.
  const auto& registry = model_registry();
  const auto ranker = std::find_if(registry.begin(), registry.end(), [](const ModelInfo& info) {
    return info.feature_ranking_params.has_value();
  });
  if (ranker == registry.end()) {
    throw Error(ErrorCode::kInternal, "no model family ranks features for top-k selection");
  }
  auto model = ranker->create(*ranker->feature_ranking_params);
  FitOptions options;
  options.seed = seed;
  options.categorical = categorical;
  model->fit(x, y, options);
  auto importance = model->feature_importance();
  std::vector<std::size_t> order(columns.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return importance[a] > importance[b]; });
  order.resize(k);
  std::sort(order.begin(), order.end());
  return order;
}

}  // namespace smartchurn::features
