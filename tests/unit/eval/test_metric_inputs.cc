#include <gtest/gtest.h>

#include <vector>

#include "eval/metric_inputs.h"
#include "smartchurn/error.h"

namespace smartchurn::internal {
namespace {

TEST(ThresholdCounts, OneCumulativeEntryPerDistinctScoreDescending) {
  const std::vector<float> y = {1, 0, 1, 0, 0};
  const std::vector<double> p = {0.4, 0.9, 0.4, 0.4, 0.1};
  const auto counts = threshold_counts(y, p);
  ASSERT_EQ(counts.size(), 3u);
  // 0.9: one negative. 0.4: two positives and a negative join. 0.1: the last negative.
  EXPECT_EQ(counts[0].threshold, 0.9);
  EXPECT_EQ(counts[0].tp, 0u);
  EXPECT_EQ(counts[0].fp, 1u);
  EXPECT_EQ(counts[1].threshold, 0.4);
  EXPECT_EQ(counts[1].tp, 2u);
  EXPECT_EQ(counts[1].fp, 2u);
  EXPECT_EQ(counts[2].threshold, 0.1);
  EXPECT_EQ(counts[2].tp, 2u);
  EXPECT_EQ(counts[2].fp, 3u);
}

TEST(CheckInputs, CountsPositives) {
  const std::vector<float> y = {1, 0, 1, 1};
  const std::vector<double> p = {0.0, 1.0, 0.5, 0.25};
  EXPECT_EQ(check_inputs("t", y, p, ProbabilityRange::kUnitInterval), 3u);
  EXPECT_EQ(check_labels("t", y), 3u);
}

TEST(CheckInputs, RangeAppliesOnlyWhenAsked) {
  const std::vector<float> y = {1, 0};
  const std::vector<double> p = {2.5, -1.0};
  EXPECT_EQ(check_inputs("t", y, p, ProbabilityRange::kAnyFinite), 1u);
  try {
    check_inputs("log_loss", y, p, ProbabilityRange::kUnitInterval);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData);
    EXPECT_EQ(e.message(), "log_loss: probability at row 0 is 2.5; expected a value in [0, 1]");
  }
}

}  // namespace
}  // namespace smartchurn::internal
