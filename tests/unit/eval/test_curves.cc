#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "smartchurn/error.h"
#include "smartchurn/metrics.h"

namespace smartchurn {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// The 20-row case of test_metrics.cc. Reference curves computed offline with scikit-learn 1.2.1:
//   fpr, tpr, th = sklearn.metrics.roc_curve(y, p)          # drop_intermediate=True
//   precision, recall, th = sklearn.metrics.precision_recall_curve(y, p)
// sklearn 1.2 puts max(p) + 1 = 2.0 as the first ROC threshold; we use +inf as sklearn >= 1.3 does.
const std::vector<float> kLabels = {0, 1, 1, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0};
const std::vector<double> kProbabilities = {0.1, 0.8,  0.35, 0.35, 0.9, 0.2, 0.6,  0.6,  0.05, 0.35,
                                            0.7, 0.35, 0.5,  0.0,  1.0, 0.8, 0.45, 0.15, 0.6,  0.3};

void expect_curve(const std::vector<CurvePoint>& actual, const std::vector<CurvePoint>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_NEAR(actual[i].x, expected[i].x, 1e-15) << "point " << i;
    EXPECT_NEAR(actual[i].y, expected[i].y, 1e-15) << "point " << i;
    EXPECT_EQ(actual[i].threshold, expected[i].threshold) << "point " << i;
  }
}

TEST(RocCurve, MatchesScikitLearn) {
  expect_curve(roc_curve(kLabels, kProbabilities), {{0.0, 0.0, kInf},
                                                    {0.0, 0.125, 1.0},
                                                    {0.0, 0.25, 0.9},
                                                    {0.08333333333333333, 0.375, 0.8},
                                                    {0.08333333333333333, 0.5, 0.7},
                                                    {0.25, 0.625, 0.6},
                                                    {0.3333333333333333, 0.625, 0.5},
                                                    {0.3333333333333333, 0.75, 0.45},
                                                    {0.5, 1.0, 0.35},
                                                    {1.0, 1.0, 0.0}});
}

TEST(RocCurve, DropsPointsBetweenEqualSteps) {
  // Cumulative (fp, tp) per threshold: (0,1) (0,2) (0,3) (1,3) (2,3) (3,3). (0,2) and (2,3) sit
  // between equal steps and go; (1,3) has step (1,0) before and after and goes too.
  const std::vector<float> y = {1, 1, 1, 0, 0, 0};
  const std::vector<double> p = {0.9, 0.8, 0.7, 0.3, 0.2, 0.1};
  expect_curve(roc_curve(y, p),
               {{0.0, 0.0, kInf}, {0.0, 1.0 / 3.0, 0.9}, {0.0, 1.0, 0.7}, {1.0, 1.0, 0.1}});
}

TEST(RocCurve, KeepsEveryPointOfTwoThresholds) {
  const std::vector<float> y = {1, 0};
  expect_curve(roc_curve(y, std::vector<double>{0.7, 0.2}),
               {{0.0, 0.0, kInf}, {0.0, 1.0, 0.7}, {1.0, 1.0, 0.2}});
}

TEST(RocCurve, OneClassIsBadData) {
  try {
    roc_curve(std::vector<float>{1, 1}, std::vector<double>{0.2, 0.3});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData);
    EXPECT_EQ(e.message(), "ROC curve needs both classes; all labels are 1");
  }
}

TEST(PrCurve, MatchesScikitLearn) {
  const std::vector<double> thresholds = {0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.35, 0.45,
                                          0.5, 0.6,  0.7, 0.8,  0.9, 1.0, kInf};
  const std::vector<std::pair<double, double>> recall_precision = {{1.0, 0.4},
                                                                   {1.0, 0.42105263157894735},
                                                                   {1.0, 0.4444444444444444},
                                                                   {1.0, 0.47058823529411764},
                                                                   {1.0, 0.5},
                                                                   {1.0, 0.5333333333333333},
                                                                   {1.0, 0.5714285714285714},
                                                                   {0.75, 0.6},
                                                                   {0.625, 0.5555555555555556},
                                                                   {0.625, 0.625},
                                                                   {0.5, 0.8},
                                                                   {0.375, 0.75},
                                                                   {0.25, 1.0},
                                                                   {0.125, 1.0},
                                                                   {0.0, 1.0}};
  std::vector<CurvePoint> expected;
  for (std::size_t i = 0; i < thresholds.size(); ++i) {
    expected.push_back({recall_precision[i].first, recall_precision[i].second, thresholds[i]});
  }
  expect_curve(pr_curve(kLabels, kProbabilities), expected);
}

TEST(PrCurve, NoPositivesIsBadData) {
  try {
    pr_curve(std::vector<float>{0}, std::vector<double>{0.5});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData);
  }
}

TEST(CalibrationBins, EqualWidthWithTheLastBinClosed) {
  const std::vector<float> y = {0, 0, 1, 1, 1, 0, 1};
  const std::vector<double> p = {0.0, 0.05, 0.1, 0.95, 1.0, 0.5, 0.3};
  const auto bins = calibration_bins(y, p);
  ASSERT_EQ(bins.size(), 10u);
  for (std::size_t b = 0; b < bins.size(); ++b) {
    EXPECT_EQ(bins[b].lower, static_cast<double>(b) / 10.0);
    EXPECT_EQ(bins[b].upper, static_cast<double>(b + 1) / 10.0);
  }
  EXPECT_EQ(bins[0].count, 2u);  // 0.0, 0.05
  EXPECT_DOUBLE_EQ(bins[0].mean_predicted, 0.025);
  EXPECT_EQ(bins[0].observed_rate, 0.0);
  EXPECT_EQ(bins[1].count, 1u);  // 0.1 opens [0.1, 0.2)
  EXPECT_EQ(bins[1].observed_rate, 1.0);
  EXPECT_EQ(bins[3].count, 1u);  // 0.3 * 10 rounds to 3.0000000000000004 but 0.3 is bin 3
  EXPECT_EQ(bins[5].count, 1u);
  EXPECT_EQ(bins[5].mean_predicted, 0.5);
  EXPECT_EQ(bins[9].count, 2u);  // 0.95 and 1.0
  EXPECT_DOUBLE_EQ(bins[9].mean_predicted, 0.975);
  EXPECT_EQ(bins[9].observed_rate, 1.0);
  for (std::size_t b : {2u, 4u, 6u, 7u, 8u}) {
    EXPECT_EQ(bins[b].count, 0u);
    EXPECT_EQ(bins[b].mean_predicted, 0.0);
    EXPECT_EQ(bins[b].observed_rate, 0.0);
  }
}

TEST(CalibrationBins, ValuesJustBelowAnEdgeStayInTheLowerBin) {
  const std::vector<float> y = {0, 0, 0};
  const std::vector<double> p = {std::nextafter(0.7, 0.0), 0.7, std::nextafter(0.5, 0.0)};
  const auto bins = calibration_bins(y, p, 10);
  EXPECT_EQ(bins[6].count, 1u);
  EXPECT_EQ(bins[7].count, 1u);
  EXPECT_EQ(bins[4].count, 1u);
  EXPECT_EQ(calibration_bins(y, p, 1)[0].count, 3u);
}

TEST(CalibrationBins, RejectsBadArguments) {
  const std::vector<float> y = {0, 1};
  try {
    calibration_bins(y, std::vector<double>{0.1, 0.2}, 0);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUsage);
  }
  try {
    calibration_bins(y, std::vector<double>{0.1, 1.2});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData);
  }
}

TEST(LiftTable, TwentyRowsTwoPerDecile) {
  // Row i has p = (20 - i) / 20, so rows are already in descending order. Positives: rows 0, 1,
  // 2 (decile 1-2), 9 (decile 5) and 19 (decile 10): 5 of 20, overall rate 1/4.
  std::vector<float> y(20, 0.0f);
  for (std::size_t row : {0u, 1u, 2u, 9u, 19u}) y[row] = 1.0f;
  std::vector<double> p(20);
  for (std::size_t i = 0; i < 20; ++i) p[i] = static_cast<double>(20 - i) / 20.0;
  const auto table = lift_table(y, p);
  ASSERT_EQ(table.size(), 10u);
  const std::size_t positives[10] = {2, 1, 0, 0, 1, 0, 0, 0, 0, 1};
  const double gains[10] = {0.4, 0.6, 0.6, 0.6, 0.8, 0.8, 0.8, 0.8, 0.8, 1.0};
  for (std::size_t d = 0; d < 10; ++d) {
    EXPECT_EQ(table[d].decile, static_cast<int>(d + 1));
    EXPECT_EQ(table[d].count, 2u);
    EXPECT_EQ(table[d].positives, positives[d]) << "decile " << d + 1;
    EXPECT_DOUBLE_EQ(table[d].rate, static_cast<double>(positives[d]) / 2.0);
    EXPECT_DOUBLE_EQ(table[d].lift, static_cast<double>(positives[d]) / 2.0 / 0.25);
    EXPECT_DOUBLE_EQ(table[d].cumulative_gain, gains[d]);
  }
}

TEST(LiftTable, UnevenSizesPutLargerGroupsFirstAndTiesGoByIndex) {
  // 15 rows: cuts at ceil(15 d / 10) = 0 2 3 5 6 8 9 11 12 14 15.
  std::vector<float> y(15, 0.0f);
  y[14] = 1.0f;  // all tied: the last row by index lands in the last decile
  const std::vector<double> p(15, 0.5);
  const auto table = lift_table(y, p);
  const std::size_t sizes[10] = {2, 1, 2, 1, 2, 1, 2, 1, 2, 1};
  for (std::size_t d = 0; d < 10; ++d) EXPECT_EQ(table[d].count, sizes[d]) << "decile " << d + 1;
  EXPECT_EQ(table[9].positives, 1u);
  EXPECT_EQ(table[8].cumulative_gain, 0.0);
  EXPECT_EQ(table[9].cumulative_gain, 1.0);
  EXPECT_DOUBLE_EQ(table[9].lift, 15.0);  // rate 1 / overall rate 1/15
}

TEST(LiftTable, FewRowsAndNoPositives) {
  // 3 rows: cuts 0 1 1 1 2 2 2 3 3 3 3; the top decile holds the highest probability.
  const std::vector<float> y = {0, 0, 0};
  const auto table = lift_table(y, std::vector<double>{0.2, 0.9, 0.5});
  const std::size_t sizes[10] = {1, 0, 0, 1, 0, 0, 1, 0, 0, 0};
  for (std::size_t d = 0; d < 10; ++d) {
    EXPECT_EQ(table[d].count, sizes[d]);
    EXPECT_EQ(table[d].rate, 0.0);
    EXPECT_EQ(table[d].lift, 0.0);
    EXPECT_EQ(table[d].cumulative_gain, 0.0);
  }
}

}  // namespace
}  // namespace smartchurn
