// Input checks and the sorted threshold counts shared by the metrics, curves and report.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace smartchurn::internal {

enum class ProbabilityRange {
  kAnyFinite,     // ranking metrics accept any finite score
  kUnitInterval,  // log loss, Brier and calibration need probabilities in [0, 1]
};

// Throws kBadData naming `what` and the row when a label is not exactly 0 or 1.
// Returns the number of positives.
std::size_t check_labels(std::string_view what, std::span<const float> y);

// Throws kUsage when the sizes differ, kBadData when the input is empty, a label is not 0/1 or a
// probability is out of `range`. Returns the number of positives.
std::size_t check_inputs(std::string_view what, std::span<const float> y, std::span<const double> p,
                         ProbabilityRange range);

// Throws kBadData ("<metric> needs both classes; all labels are 0") unless both classes occur.
void require_both_classes(std::string_view metric, std::size_t positives, std::size_t rows);

// Cumulative counts of rows with p >= threshold, one entry per distinct probability, in
// descending order of threshold (sklearn's _binary_clf_curve). Expects checked inputs.
struct ThresholdCounts {
  double threshold;
  std::size_t tp;
  std::size_t fp;
};
std::vector<ThresholdCounts> threshold_counts(std::span<const float> y, std::span<const double> p);

}  // namespace smartchurn::internal
