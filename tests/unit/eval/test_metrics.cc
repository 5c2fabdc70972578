#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <vector>

#include "smartchurn/error.h"
#include "smartchurn/metrics.h"
#include "unit/error_code_of.h"

namespace smartchurn {
namespace {

// A 20-row case with ties, shared with test_curves.cc. Reference values computed offline with
// scikit-learn 1.2.1 (/usr/bin/python3):
//   from sklearn.metrics import *
//   roc_auc_score(y, p); average_precision_score(y, p)
//   log_loss(y, p, eps=1e-15); brier_score_loss(y, p)
const std::vector<float> kMetricLabels = {0, 1, 1, 0, 1, 0, 0, 1, 0, 0,
                                          1, 1, 0, 0, 1, 0, 1, 0, 0, 0};
const std::vector<double> kMetricProbabilities = {0.1, 0.8,  0.35, 0.35, 0.9,  0.2, 0.6,
                                                  0.6, 0.05, 0.35, 0.7,  0.35, 0.5, 0.0,
                                                  1.0, 0.8,  0.45, 0.15, 0.6,  0.3};

using test::code_of;

TEST(ConfusionMatrix, PredictsPositiveAtOrAboveTheThreshold) {
  const std::vector<float> y = {1, 1, 0, 0, 1};
  const std::vector<double> p = {0.5, 0.4, 0.5, 0.1, 0.9};
  const ConfusionMatrix cm = confusion_matrix(y, p, 0.5);
  // p >= 0.5: rows 0 (pos), 2 (neg), 4 (pos). Below: row 1 (pos), row 3 (neg).
  EXPECT_EQ(cm.tp, 2u);
  EXPECT_EQ(cm.fp, 1u);
  EXPECT_EQ(cm.tn, 1u);
  EXPECT_EQ(cm.fn, 1u);
  EXPECT_DOUBLE_EQ(accuracy(cm), 3.0 / 5.0);
  EXPECT_DOUBLE_EQ(precision(cm), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(recall(cm), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(f1(cm), 2.0 / 3.0);
}

TEST(ConfusionMatrix, RatiosAreZeroWhenUndefined) {
  const ConfusionMatrix nothing_predicted{0, 0, 3, 2};
  EXPECT_EQ(precision(nothing_predicted), 0.0);
  EXPECT_EQ(recall(nothing_predicted), 0.0);
  EXPECT_EQ(f1(nothing_predicted), 0.0);
  EXPECT_DOUBLE_EQ(accuracy(nothing_predicted), 0.6);
  const ConfusionMatrix no_positives{0, 2, 2, 0};
  EXPECT_EQ(recall(no_positives), 0.0);
  EXPECT_EQ(accuracy(ConfusionMatrix{}), 0.0);
  // precision 1/4, recall 1/2: f1 = 2 * (1/8) / (3/4) = 1/3.
  EXPECT_DOUBLE_EQ(f1(ConfusionMatrix{1, 3, 0, 1}), 1.0 / 3.0);
}

TEST(RocAuc, PerfectWrongAndTiedRankings) {
  const std::vector<float> y = {0, 0, 1, 1};
  EXPECT_EQ(roc_auc(y, std::vector<double>{0.1, 0.2, 0.8, 0.9}), 1.0);
  EXPECT_EQ(roc_auc(y, std::vector<double>{0.9, 0.8, 0.2, 0.1}), 0.0);
  EXPECT_EQ(roc_auc(y, std::vector<double>{0.5, 0.5, 0.5, 0.5}), 0.5);
}

TEST(RocAuc, CountsTiesHalf) {
  // Positive/negative pairs: (0.3 vs 0.3) tie = 0.5, (0.3 vs 0.1) = 1, (0.8 vs 0.3) = 1,
  // (0.8 vs 0.1) = 1: AUC = 3.5 / 4.
  const std::vector<float> y = {0, 1, 0, 1};
  EXPECT_EQ(roc_auc(y, std::vector<double>{0.3, 0.3, 0.1, 0.8}), 0.875);
  // Scores need not be probabilities: only the order matters.
  EXPECT_EQ(roc_auc(y, std::vector<double>{-3, -3, -10, 8}), 0.875);
}

TEST(RocAuc, MatchesScikitLearn) {
  EXPECT_NEAR(roc_auc(kMetricLabels, kMetricProbabilities), 0.8177083333333334, 1e-15);
}

TEST(RocAuc, OneClassIsBadDataNamingTheProblem) {
  const std::vector<float> y = {0, 0, 0};
  const std::vector<double> p = {0.1, 0.2, 0.3};
  try {
    roc_auc(y, p);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData);
    EXPECT_EQ(e.message(), "ROC-AUC needs both classes; all labels are 0");
  }
  const std::vector<float> all_positive = {1, 1};
  try {
    roc_auc(all_positive, std::vector<double>{0.1, 0.2});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.message(), "ROC-AUC needs both classes; all labels are 1");
  }
}

TEST(AveragePrecision, HandComputed) {
  // Descending: 0.9 pos (P=1, R=1/2), 0.8 neg (R unchanged), 0.7 pos (P=2/3, R=1), 0.1 neg.
  // AP = 1/2 * 1 + 1/2 * 2/3 = 5/6.
  const std::vector<float> y = {1, 0, 1, 0};
  EXPECT_DOUBLE_EQ(average_precision(y, std::vector<double>{0.9, 0.8, 0.7, 0.1}), 5.0 / 6.0);
  // One tie group holding everything: P = 1/2 at R = 1.
  EXPECT_EQ(average_precision(std::vector<float>{1, 0}, std::vector<double>{0.5, 0.5}), 0.5);
  EXPECT_EQ(average_precision(std::vector<float>{1, 1}, std::vector<double>{0.2, 0.7}), 1.0);
}

TEST(AveragePrecision, MatchesScikitLearn) {
  EXPECT_NEAR(average_precision(kMetricLabels, kMetricProbabilities), 0.7397321428571428, 1e-15);
}

TEST(AveragePrecision, NoPositivesIsBadData) {
  EXPECT_EQ(code_of([] {
              average_precision(std::vector<float>{0, 0}, std::vector<double>{0.1, 0.2});
            }),
            ErrorCode::kBadData);
}

TEST(LogLoss, HandComputedAndClipped) {
  // -(ln 0.8 + ln 0.6) / 2
  EXPECT_NEAR(log_loss(std::vector<float>{1, 0}, std::vector<double>{0.8, 0.4}), 0.3669845875401002,
              1e-15);
  // -ln(1e-15): p = 0 is clipped instead of giving infinity.
  EXPECT_NEAR(log_loss(std::vector<float>{1}, std::vector<double>{0.0}), 34.538776394910684, 1e-12);
  // sklearn: log_loss([1, 0], [0.0, 1.0], eps=1e-15); 1 - (1 - 1e-15) is not exactly 1e-15.
  EXPECT_NEAR(log_loss(std::vector<float>{1, 0}, std::vector<double>{0.0, 1.0}), 34.53917619362578,
              1e-12);
  EXPECT_NEAR(log_loss(kMetricLabels, kMetricProbabilities), 0.49949401018076234, 1e-14);
}

TEST(BrierScore, HandComputedAndScikitLearn) {
  // ((0.8 - 1)^2 + (0.4 - 0)^2) / 2 = (0.04 + 0.16) / 2
  EXPECT_NEAR(brier_score(std::vector<float>{1, 0}, std::vector<double>{0.8, 0.4}), 0.1, 1e-16);
  EXPECT_NEAR(brier_score(kMetricLabels, kMetricProbabilities), 0.173375, 1e-15);
}

TEST(MetricInputs, SizeMismatchIsUsageAndEmptyIsBadData) {
  const std::vector<float> y = {0, 1};
  const std::vector<double> p = {0.5};
  const std::vector<float> no_labels;
  const std::vector<double> no_probabilities;
  EXPECT_EQ(code_of([&] { roc_auc(y, p); }), ErrorCode::kUsage);
  EXPECT_EQ(code_of([&] { log_loss(y, p); }), ErrorCode::kUsage);
  EXPECT_EQ(code_of([&] { confusion_matrix(y, p, 0.5); }), ErrorCode::kUsage);
  EXPECT_EQ(code_of([&] { roc_auc(no_labels, no_probabilities); }), ErrorCode::kBadData);
  EXPECT_EQ(code_of([&] { brier_score(no_labels, no_probabilities); }), ErrorCode::kBadData);
  EXPECT_EQ(code_of([&] { compute_metrics(no_labels, no_probabilities); }), ErrorCode::kBadData);
}

TEST(MetricInputs, RejectsBadLabelsAndProbabilities) {
  const std::vector<double> p = {0.2, 0.7};
  try {
    roc_auc(std::vector<float>{0, 2}, p);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData);
    EXPECT_EQ(e.message(), "roc_auc: label at row 1 is 2; expected 0 or 1");
  }
  const float nan_label = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(code_of([&] { roc_auc(std::vector<float>{0, nan_label}, p); }), ErrorCode::kBadData);
  const std::vector<float> y = {0, 1};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(code_of([&] { roc_auc(y, std::vector<double>{0.1, nan}); }), ErrorCode::kBadData);
  EXPECT_EQ(code_of([&] { log_loss(y, std::vector<double>{0.1, 1.5}); }), ErrorCode::kBadData);
  EXPECT_EQ(code_of([&] { brier_score(y, std::vector<double>{-0.1, 0.5}); }), ErrorCode::kBadData);
  EXPECT_EQ(code_of([&] { confusion_matrix(y, p, nan); }), ErrorCode::kUsage);
}

TEST(ComputeMetrics, CollectsEveryFigure) {
  const Metrics m = compute_metrics(kMetricLabels, kMetricProbabilities, 0.5);
  // p >= 0.5 for rows 1, 4, 6, 7, 10, 12, 14, 15, 18: positives 1, 4, 7, 10, 14 -> tp 5, fp 4.
  // Positives below 0.5: rows 2, 11, 16 -> fn 3; tn = 12 - 4 = 8.
  EXPECT_EQ(m.confusion.tp, 5u);
  EXPECT_EQ(m.confusion.fp, 4u);
  EXPECT_EQ(m.confusion.tn, 8u);
  EXPECT_EQ(m.confusion.fn, 3u);
  EXPECT_EQ(m.rows, 20u);
  EXPECT_EQ(m.positives, 8u);
  EXPECT_EQ(m.threshold, 0.5);
  EXPECT_DOUBLE_EQ(m.accuracy, 13.0 / 20.0);
  EXPECT_DOUBLE_EQ(m.precision, 5.0 / 9.0);
  EXPECT_DOUBLE_EQ(m.recall, 5.0 / 8.0);
  EXPECT_DOUBLE_EQ(m.f1, 10.0 / 17.0);  // 2 tp / (2 tp + fp + fn)
  EXPECT_NEAR(m.roc_auc, 0.8177083333333334, 1e-15);
  EXPECT_NEAR(m.pr_auc, 0.7397321428571428, 1e-15);
  EXPECT_NEAR(m.log_loss, 0.49949401018076234, 1e-14);
  EXPECT_NEAR(m.brier, 0.173375, 1e-15);
}

TEST(ComputeMetrics, JsonUsesSnakeCaseNames) {
  Metrics m;
  m.roc_auc = 0.75;
  m.pr_auc = 0.5;
  m.log_loss = 0.25;
  m.confusion = {1, 2, 3, 4};
  m.rows = 10;
  m.positives = 5;
  const nlohmann::json json = to_json(m);
  EXPECT_EQ(json.at("roc_auc"), 0.75);
  EXPECT_EQ(json.at("pr_auc"), 0.5);
  EXPECT_EQ(json.at("log_loss"), 0.25);
  EXPECT_EQ(json.at("threshold"), 0.5);
  EXPECT_EQ(json.at("rows"), 10);
  EXPECT_EQ(json.at("positives"), 5);
  EXPECT_EQ(json.at("confusion"), (nlohmann::json{{"tp", 1}, {"fp", 2}, {"tn", 3}, {"fn", 4}}));
  for (const char* key : {"accuracy", "precision", "recall", "f1", "brier"}) {
    EXPECT_TRUE(json.contains(key)) << key;
  }
  EXPECT_EQ(json.size(), 12u);
}

}  // namespace
}  // namespace smartchurn
