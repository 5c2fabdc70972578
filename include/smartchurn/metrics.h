// Classification metrics for a binary churn target. `y` holds 0/1 labels, `p` probabilities of 1.
// Definitions follow scikit-learn where one exists, so figures compare with the Python stack.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <vector>

namespace smartchurn {

struct ConfusionMatrix {
  std::size_t tp = 0, fp = 0, tn = 0, fn = 0;
};
// Predicted positive when p >= threshold.
ConfusionMatrix confusion_matrix(std::span<const float> y, std::span<const double> p,
                                 double threshold);

double accuracy(const ConfusionMatrix& cm);
double precision(const ConfusionMatrix& cm);  // 0 when nothing is predicted positive
double recall(const ConfusionMatrix& cm);     // 0 when there are no positives
double f1(const ConfusionMatrix& cm);         // 0 when precision + recall is 0

// Area under the ROC curve with ties counted half (Mann-Whitney). Throws kBadData with one class.
double roc_auc(std::span<const float> y, std::span<const double> p);
// Average precision: sum over thresholds of (R_n - R_{n-1}) * P_n, as sklearn's
// average_precision_score.
double average_precision(std::span<const float> y, std::span<const double> p);
// Mean negative log-likelihood with p clipped to [1e-15, 1 - 1e-15].
double log_loss(std::span<const float> y, std::span<const double> p);
// Mean squared error of the probabilities.
double brier_score(std::span<const float> y, std::span<const double> p);

struct CurvePoint {
  double x, y, threshold;
};
// ROC curve: (false positive rate, true positive rate), one point per distinct threshold, starting
// at (0, 0) and ending at (1, 1). Collinear points are dropped as sklearn does (drop_intermediate).
std::vector<CurvePoint> roc_curve(std::span<const float> y, std::span<const double> p);
// Precision-recall curve: (recall, precision) per distinct threshold, from high recall to low,
// ending at (0, 1).
std::vector<CurvePoint> pr_curve(std::span<const float> y, std::span<const double> p);

struct CalibrationBin {
  double lower, upper;    // probability range [lower, upper)
  std::size_t count;      // rows whose probability falls in the bin
  double mean_predicted;  // mean probability in the bin (0 when empty)
  double observed_rate;   // share of positives in the bin (0 when empty)
};
// `bins` equal-width bins over [0, 1]; the last bin includes 1.
std::vector<CalibrationBin> calibration_bins(std::span<const float> y, std::span<const double> p,
                                             int bins = 10);

struct LiftRow {
  int decile;              // 1 = the 10% with the highest probabilities
  std::size_t count;       // rows in the decile
  std::size_t positives;   // positives in the decile
  double rate;             // positives / count
  double lift;             // rate / overall positive rate
  double cumulative_gain;  // share of all positives captured in deciles 1..decile
};
// Rows sorted by probability (descending, ties by index), cut into 10 groups as equal as possible.
std::vector<LiftRow> lift_table(std::span<const float> y, std::span<const double> p);

// The figures reported for one evaluation.
struct Metrics {
  double roc_auc = 0, pr_auc = 0, accuracy = 0, precision = 0, recall = 0, f1 = 0, log_loss = 0,
         brier = 0;
  double threshold = 0.5;
  ConfusionMatrix confusion;
  std::size_t rows = 0, positives = 0;
};
Metrics compute_metrics(std::span<const float> y, std::span<const double> p,
                        double threshold = 0.5);

// Metrics plus the curves, calibration and lift, as one JSON object (for reports and bundles).
nlohmann::json evaluation_report(std::span<const float> y, std::span<const double> p,
                                 double threshold = 0.5);
nlohmann::json to_json(const Metrics& m);

}  // namespace smartchurn
