// ROC and precision-recall curves, calibration bins and the lift table.
#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "eval/metric_inputs.h"
#include "smartchurn/error.h"
#include "smartchurn/metrics.h"

namespace smartchurn {

using internal::check_inputs;
using internal::ProbabilityRange;

namespace {

constexpr double kAboveEveryScore = std::numeric_limits<double>::infinity();

double ratio(std::size_t numerator, std::size_t denominator) {
  return denominator == 0 ? 0.0 : static_cast<double>(numerator) / static_cast<double>(denominator);
}

// sklearn keeps a point unless the steps before and after it are equal in both coordinates.
bool is_corner(const std::vector<internal::ThresholdCounts>& counts, std::size_t i) {
  const auto& before = counts[i - 1];
  const auto& here = counts[i];
  const auto& after = counts[i + 1];
  return here.fp - before.fp != after.fp - here.fp || here.tp - before.tp != after.tp - here.tp;
}

}  // namespace

std::vector<CurvePoint> roc_curve(std::span<const float> y, std::span<const double> p) {
  const std::size_t positives = check_inputs("roc_curve", y, p, ProbabilityRange::kAnyFinite);
  internal::require_both_classes("ROC curve", positives, y.size());
  const std::size_t negatives = y.size() - positives;
  const auto counts = internal::threshold_counts(y, p);

  std::vector<CurvePoint> curve;
  curve.push_back({0.0, 0.0, kAboveEveryScore});
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const bool keep =
        counts.size() <= 2 || i == 0 || i + 1 == counts.size() || is_corner(counts, i);
    if (keep) {
      curve.push_back(
          {ratio(counts[i].fp, negatives), ratio(counts[i].tp, positives), counts[i].threshold});
    }
  }
  return curve;
}

std::vector<CurvePoint> pr_curve(std::span<const float> y, std::span<const double> p) {
  const std::size_t positives = check_inputs("pr_curve", y, p, ProbabilityRange::kAnyFinite);
  if (positives == 0) {
    throw_bad_data("precision-recall curve needs at least one positive; all labels are 0");
  }
  const auto counts = internal::threshold_counts(y, p);
  std::vector<CurvePoint> curve;
  curve.reserve(counts.size() + 1);
  for (auto it = counts.rbegin(); it != counts.rend(); ++it) {
    curve.push_back({ratio(it->tp, positives), ratio(it->tp, it->tp + it->fp), it->threshold});
  }
  curve.push_back({0.0, 1.0, kAboveEveryScore});
  return curve;
}

std::vector<CalibrationBin> calibration_bins(std::span<const float> y, std::span<const double> p,
                                             int bins) {
  if (bins < 1) throw_usage(fmt::format("calibration_bins: bins must be at least 1, got {}", bins));
  check_inputs("calibration_bins", y, p, ProbabilityRange::kUnitInterval);
  const auto bin_count = static_cast<std::size_t>(bins);
  auto lower_edge = [bins](std::size_t b) { return static_cast<double>(b) / bins; };

  std::vector<CalibrationBin> result(bin_count);
  std::vector<double> probability_sum(bin_count, 0.0);
  std::vector<std::size_t> positives(bin_count, 0);
  for (std::size_t i = 0; i < p.size(); ++i) {
    auto b = std::min(static_cast<std::size_t>(p[i] * bins), bin_count - 1);
    // p * bins can round across an edge; move to the bin whose [lower, upper) holds p.
    if (b + 1 < bin_count && p[i] >= lower_edge(b + 1)) ++b;
    if (b > 0 && p[i] < lower_edge(b)) --b;
    ++result[b].count;
    probability_sum[b] += p[i];
    if (y[i] == 1.0f) ++positives[b];
  }
  for (std::size_t b = 0; b < bin_count; ++b) {
    auto& bin = result[b];
    bin.lower = lower_edge(b);
    bin.upper = lower_edge(b + 1);
    bin.mean_predicted = bin.count == 0 ? 0.0 : probability_sum[b] / static_cast<double>(bin.count);
    bin.observed_rate = ratio(positives[b], bin.count);
  }
  return result;
}

std::vector<LiftRow> lift_table(std::span<const float> y, std::span<const double> p) {
  const std::size_t total_positives =
      check_inputs("lift_table", y, p, ProbabilityRange::kAnyFinite);
  const std::size_t rows = y.size();
  std::vector<std::size_t> order(rows);
  std::iota(order.begin(), order.end(), std::size_t{0});
  constexpr int kDeciles = 10;
  // Only which rows fall in each decile matters, not their order inside it: selecting the nine
  // cuts is linear where a full sort of millions of rows is not. Ties go by row, as before.
  auto ranks_higher = [&p](std::size_t a, std::size_t b) {
    return p[a] != p[b] ? p[a] > p[b] : a < b;
  };
  std::size_t settled = 0;
  for (int d = 1; d < kDeciles; ++d) {
    const std::size_t cut = (rows * static_cast<std::size_t>(d) + kDeciles - 1) / kDeciles;
    if (cut <= settled || cut >= rows) continue;
    std::nth_element(order.begin() + std::ptrdiff_t(settled), order.begin() + std::ptrdiff_t(cut),
                     order.end(), ranks_higher);
    settled = cut;
  }

  const double overall_rate = ratio(total_positives, rows);
  std::vector<LiftRow> table;
  std::size_t captured = 0;
  for (int d = 0; d < kDeciles; ++d) {
    // Rounding the cuts up puts the larger groups first, so decile 1 is never empty.
    const std::size_t begin = (rows * static_cast<std::size_t>(d) + kDeciles - 1) / kDeciles;
    const std::size_t end = (rows * static_cast<std::size_t>(d + 1) + kDeciles - 1) / kDeciles;
    LiftRow row{};
    row.decile = d + 1;
    row.count = end - begin;
    for (std::size_t k = begin; k < end; ++k) {
      if (y[order[k]] == 1.0f) ++row.positives;
    }
    captured += row.positives;
    row.rate = ratio(row.positives, row.count);
    row.lift = overall_rate == 0.0 ? 0.0 : row.rate / overall_rate;
    row.cumulative_gain = ratio(captured, total_positives);
    table.push_back(row);
  }
  return table;
}

}  // namespace smartchurn
