// evaluation_report: the metrics with curves, calibration, lift and a threshold sweep as JSON.
#include <algorithm>
#include <cmath>

#include "eval/metric_inputs.h"
#include "smartchurn/metrics.h"

namespace smartchurn {

namespace {

constexpr std::size_t kMaxCurvePoints = 200;
constexpr int kCalibrationBins = 10;
constexpr int kSweepSteps = 100;  // thresholds 0.00, 0.01, ..., 1.00

// Evenly spaced by index, always keeping the first and last point.
std::vector<CurvePoint> downsample(const std::vector<CurvePoint>& curve, std::size_t max_points) {
  if (curve.size() <= max_points) return curve;
  std::vector<CurvePoint> kept;
  kept.reserve(max_points);
  const std::size_t last = curve.size() - 1;
  for (std::size_t k = 0; k < max_points; ++k) {
    // Rounded k * last / (max_points - 1) in integers; indices are strictly increasing.
    const std::size_t index = (2 * k * last + (max_points - 1)) / (2 * (max_points - 1));
    kept.push_back(curve[index]);
  }
  return kept;
}

// JSON has no infinity: the "nothing predicted positive" threshold is written as null.
nlohmann::json threshold_json(double threshold) {
  return std::isfinite(threshold) ? nlohmann::json(threshold) : nlohmann::json(nullptr);
}

nlohmann::json curve_json(const std::vector<CurvePoint>& curve) {
  auto points = nlohmann::json::array();
  for (const auto& point : downsample(curve, kMaxCurvePoints)) {
    points.push_back(
        {{"x", point.x}, {"y", point.y}, {"threshold", threshold_json(point.threshold)}});
  }
  return points;
}

nlohmann::json calibration_json(const std::vector<CalibrationBin>& bins) {
  auto rows = nlohmann::json::array();
  for (const auto& bin : bins) {
    rows.push_back({{"lower", bin.lower},
                    {"upper", bin.upper},
                    {"count", bin.count},
                    {"mean_predicted", bin.mean_predicted},
                    {"observed_rate", bin.observed_rate}});
  }
  return rows;
}

nlohmann::json lift_json(const std::vector<LiftRow>& table) {
  auto rows = nlohmann::json::array();
  for (const auto& row : table) {
    rows.push_back({{"decile", row.decile},
                    {"count", row.count},
                    {"positives", row.positives},
                    {"rate", row.rate},
                    {"lift", row.lift},
                    {"cumulative_gain", row.cumulative_gain}});
  }
  return rows;
}

// The confusion matrix at every threshold i / 100 from one sort, instead of 101 passes.
nlohmann::json threshold_sweep_json(std::span<const float> y, std::span<const double> p,
                                    std::size_t positives) {
  const std::size_t negatives = y.size() - positives;
  const auto counts = internal::threshold_counts(y, p);
  auto sweep = nlohmann::json::array();
  for (int step = 0; step <= kSweepSteps; ++step) {
    const double threshold = step / static_cast<double>(kSweepSteps);
    // counts is in descending order of threshold: the prefix with threshold >= t predicts positive.
    const auto predicted_end = std::partition_point(
        counts.begin(), counts.end(),
        [threshold](const auto& group) { return group.threshold >= threshold; });
    ConfusionMatrix cm;
    if (predicted_end != counts.begin()) {
      cm.tp = std::prev(predicted_end)->tp;
      cm.fp = std::prev(predicted_end)->fp;
    }
    cm.fn = positives - cm.tp;
    cm.tn = negatives - cm.fp;
    sweep.push_back({{"threshold", threshold},
                     {"precision", precision(cm)},
                     {"recall", recall(cm)},
                     {"f1", f1(cm)},
                     {"accuracy", accuracy(cm)},
                     {"tp", cm.tp},
                     {"fp", cm.fp},
                     {"tn", cm.tn},
                     {"fn", cm.fn}});
  }
  return sweep;
}

}  // namespace

nlohmann::json evaluation_report(std::span<const float> y, std::span<const double> p,
                                 double threshold) {
  const Metrics metrics = compute_metrics(y, p, threshold);  // validates the input once for all
  return {
      {"metrics", to_json(metrics)},
      {"roc_curve", curve_json(roc_curve(y, p))},
      {"pr_curve", curve_json(pr_curve(y, p))},
      {"calibration", calibration_json(calibration_bins(y, p, kCalibrationBins))},
      {"lift", lift_json(lift_table(y, p))},
      {"thresholds", threshold_sweep_json(y, p, metrics.positives)},
  };
}

}  // namespace smartchurn
