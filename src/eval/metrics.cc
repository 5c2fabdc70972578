// Point metrics, ROC-AUC, average precision, log loss and Brier score.
#include "smartchurn/metrics.h"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

#include "eval/metric_inputs.h"
#include "smartchurn/error.h"

namespace smartchurn {

using internal::check_inputs;
using internal::ProbabilityRange;

namespace {

double ratio(std::size_t numerator, std::size_t denominator) {
  return denominator == 0 ? 0.0 : static_cast<double>(numerator) / static_cast<double>(denominator);
}

void check_threshold(std::string_view what, double threshold) {
  if (std::isnan(threshold)) throw_usage(fmt::format("{}: threshold is not a number", what));
}

}  // namespace

ConfusionMatrix confusion_matrix(std::span<const float> y, std::span<const double> p,
                                 double threshold) {
  check_threshold("confusion_matrix", threshold);
  check_inputs("confusion_matrix", y, p, ProbabilityRange::kAnyFinite);
  ConfusionMatrix cm;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const bool actual = y[i] == 1.0f;
    if (p[i] >= threshold) {
      (actual ? cm.tp : cm.fp) += 1;
    } else {
      (actual ? cm.fn : cm.tn) += 1;
    }
  }
  return cm;
}

double accuracy(const ConfusionMatrix& cm) {
  return ratio(cm.tp + cm.tn, cm.tp + cm.tn + cm.fp + cm.fn);
}
double precision(const ConfusionMatrix& cm) { return ratio(cm.tp, cm.tp + cm.fp); }
double recall(const ConfusionMatrix& cm) { return ratio(cm.tp, cm.tp + cm.fn); }
double f1(const ConfusionMatrix& cm) {
  // 2PR / (P + R) simplifies to 2TP / (2TP + FP + FN), which is 0 exactly when P + R is 0.
  return ratio(2 * cm.tp, 2 * cm.tp + cm.fp + cm.fn);
}

double roc_auc(std::span<const float> y, std::span<const double> p) {
  const std::size_t positives = check_inputs("roc_auc", y, p, ProbabilityRange::kAnyFinite);
  internal::require_both_classes("ROC-AUC", positives, y.size());
  const std::size_t negatives = y.size() - positives;

  // Trapezoids between consecutive tie groups; a tie group's diagonal step counts its ties half.
  // Twice the area in counts is an integer, so the sum is exact up to ~4e9 rows.
  std::uint64_t twice_area = 0;
  std::size_t previous_tp = 0, previous_fp = 0;
  for (const auto& group : internal::threshold_counts(y, p)) {
    twice_area += static_cast<std::uint64_t>(group.fp - previous_fp) * (group.tp + previous_tp);
    previous_tp = group.tp;
    previous_fp = group.fp;
  }
  return static_cast<double>(twice_area) /
         (2.0 * static_cast<double>(positives) * static_cast<double>(negatives));
}

double average_precision(std::span<const float> y, std::span<const double> p) {
  const std::size_t positives =
      check_inputs("average_precision", y, p, ProbabilityRange::kAnyFinite);
  if (positives == 0) {
    throw_bad_data("average precision needs at least one positive; all labels are 0");
  }
  double sum = 0.0;
  std::size_t previous_tp = 0;
  for (const auto& group : internal::threshold_counts(y, p)) {
    sum += ratio(group.tp - previous_tp, positives) * ratio(group.tp, group.tp + group.fp);
    previous_tp = group.tp;
  }
  return sum;
}

double log_loss(std::span<const float> y, std::span<const double> p) {
  check_inputs("log_loss", y, p, ProbabilityRange::kUnitInterval);
  constexpr double kEpsilon = 1e-15;  // sklearn's historical clipping, keeps log finite
  double sum = 0.0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double clipped = std::clamp(p[i], kEpsilon, 1.0 - kEpsilon);
    sum -= y[i] == 1.0f ? std::log(clipped) : std::log(1.0 - clipped);
  }
  return sum / static_cast<double>(y.size());
}

double brier_score(std::span<const float> y, std::span<const double> p) {
  check_inputs("brier_score", y, p, ProbabilityRange::kUnitInterval);
  double sum = 0.0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double error = p[i] - static_cast<double>(y[i]);
    sum += error * error;
  }
  return sum / static_cast<double>(y.size());
}

Metrics compute_metrics(std::span<const float> y, std::span<const double> p, double threshold) {
  Metrics m;
  m.roc_auc = roc_auc(y, p);
  m.pr_auc = average_precision(y, p);
  m.log_loss = log_loss(y, p);
  m.brier = brier_score(y, p);
  m.threshold = threshold;
  m.confusion = confusion_matrix(y, p, threshold);
  m.accuracy = accuracy(m.confusion);
  m.precision = precision(m.confusion);
  m.recall = recall(m.confusion);
  m.f1 = f1(m.confusion);
  m.rows = y.size();
  m.positives = m.confusion.tp + m.confusion.fn;
  return m;
}

nlohmann::json to_json(const Metrics& m) {
  return {
      {"roc_auc", m.roc_auc},
      {"pr_auc", m.pr_auc},
      {"accuracy", m.accuracy},
      {"precision", m.precision},
      {"recall", m.recall},
      {"f1", m.f1},
      {"log_loss", m.log_loss},
      {"brier", m.brier},
      {"threshold", m.threshold},
      {"rows", m.rows},
      {"positives", m.positives},
      {"confusion",
       {{"tp", m.confusion.tp},
        {"fp", m.confusion.fp},
        {"tn", m.confusion.tn},
        {"fn", m.confusion.fn}}},
  };
}

}  // namespace smartchurn
