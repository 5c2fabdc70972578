#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "smartchurn/error.h"
#include "smartchurn/metrics.h"

namespace smartchurn {
namespace {

// 1000 rows with distinct probabilities in a scrambled order and a label that follows the
// probability loosely, so the ROC curve has hundreds of corners.
struct Sample {
  std::vector<float> y;
  std::vector<double> p;
};
Sample make_sample() {
  Sample s;
  for (std::uint32_t i = 0; i < 1000; ++i) {
    const std::uint32_t rank = (i * 617u) % 1000u;  // 617 is coprime with 1000: a permutation
    s.p.push_back(static_cast<double>(rank) / 999.0);
    const std::uint32_t noise = ((i * 2654435761u) >> 8) % 1000u;  // Knuth's multiplicative hash
    s.y.push_back(noise < rank ? 1.0f : 0.0f);
  }
  return s;
}

TEST(EvaluationReport, HoldsMetricsCurvesCalibrationLiftAndThresholds) {
  const Sample s = make_sample();
  const nlohmann::json report = evaluation_report(s.y, s.p, 0.4);
  EXPECT_EQ(report.at("metrics"), to_json(compute_metrics(s.y, s.p, 0.4)));
  EXPECT_EQ(report.at("metrics").at("threshold"), 0.4);
  EXPECT_EQ(report.at("calibration").size(), 10u);
  EXPECT_EQ(report.at("calibration")[0].at("count"), 100);  // 0/999 .. 99/999
  EXPECT_EQ(report.at("lift").size(), 10u);
  EXPECT_EQ(report.at("lift")[0].at("decile"), 1);
  EXPECT_EQ(report.at("lift")[9].at("cumulative_gain"), 1.0);
}

TEST(EvaluationReport, CurvesAreDownsampledKeepingTheEnds) {
  const Sample s = make_sample();
  const auto full_roc = roc_curve(s.y, s.p);
  const auto full_pr = pr_curve(s.y, s.p);
  ASSERT_GT(full_roc.size(), 200u);
  ASSERT_EQ(full_pr.size(), 1001u);
  const nlohmann::json report = evaluation_report(s.y, s.p);
  for (const char* name : {"roc_curve", "pr_curve"}) {
    const auto& full = std::string(name) == "roc_curve" ? full_roc : full_pr;
    const nlohmann::json& curve = report.at(name);
    ASSERT_EQ(curve.size(), 200u) << name;
    EXPECT_EQ(curve.front().at("x"), full.front().x) << name;
    EXPECT_EQ(curve.front().at("y"), full.front().y) << name;
    EXPECT_EQ(curve.back().at("x"), full.back().x) << name;
    EXPECT_EQ(curve.back().at("y"), full.back().y) << name;
    // The kept points keep the curve's direction: ROC rises, PR goes from high recall to low.
    for (std::size_t k = 1; k < curve.size(); ++k) {
      const double before = curve[k - 1].at("x").get<double>();
      const double after = curve[k].at("x").get<double>();
      EXPECT_TRUE(std::string(name) == "roc_curve" ? after >= before : after <= before) << k;
    }
  }
  // The threshold "above every score" has no JSON number: it is null.
  EXPECT_TRUE(report.at("roc_curve").front().at("threshold").is_null());
  EXPECT_TRUE(report.at("pr_curve").back().at("threshold").is_null());
  EXPECT_EQ(report.at("roc_curve").back().at("threshold"), 0.0);
}

TEST(EvaluationReport, ShortCurvesAreKeptWhole) {
  const std::vector<float> y = {0, 1, 0, 1};
  const std::vector<double> p = {0.3, 0.3, 0.1, 0.8};
  const nlohmann::json report = evaluation_report(y, p);
  EXPECT_EQ(report.at("roc_curve").size(), roc_curve(y, p).size());
  EXPECT_EQ(report.at("pr_curve").size(), 4u);  // 3 thresholds + (0, 1)
}

TEST(EvaluationReport, ThresholdSweepMatchesTheConfusionMatrixAtEveryStep) {
  const Sample s = make_sample();
  const nlohmann::json sweep = evaluation_report(s.y, s.p).at("thresholds");
  ASSERT_EQ(sweep.size(), 101u);
  for (int step = 0; step <= 100; ++step) {
    const double threshold = step / 100.0;
    const nlohmann::json& row = sweep[static_cast<std::size_t>(step)];
    const ConfusionMatrix cm = confusion_matrix(s.y, s.p, threshold);
    EXPECT_EQ(row.at("threshold"), threshold);
    EXPECT_EQ(row.at("precision"), precision(cm)) << threshold;
    EXPECT_EQ(row.at("recall"), recall(cm)) << threshold;
    EXPECT_EQ(row.at("f1"), f1(cm)) << threshold;
    EXPECT_EQ(row.at("accuracy"), accuracy(cm)) << threshold;
    EXPECT_EQ(row.at("tp"), cm.tp) << threshold;
    EXPECT_EQ(row.at("fp"), cm.fp) << threshold;
  }
  // Threshold 0 predicts everything positive; threshold 1 only p = 1 (one row).
  EXPECT_EQ(sweep[0].at("recall"), 1.0);
  EXPECT_EQ(sweep[100].at("tp").get<int>() + sweep[100].at("fp").get<int>(), 1);
}

TEST(EvaluationReport, PropagatesInputErrors) {
  const std::vector<float> one_class = {0, 0};
  const std::vector<double> p = {0.1, 0.2};
  try {
    evaluation_report(one_class, p);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData);
  }
}

}  // namespace
}  // namespace smartchurn
