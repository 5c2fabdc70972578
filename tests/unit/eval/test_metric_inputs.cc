#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <random>
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

// Above a few thousand scores the counts come from a radix sort; they must equal the plain
// definition: per distinct score, descending, the positives and negatives at or above it.
TEST(ThresholdCounts, LargeInputsMatchTheDefinition) {
  std::mt19937_64 random(11);
  std::vector<float> y;
  std::vector<double> p;
  const std::vector<double> specials = {0.0, -0.0, -1.5, 1e300, -1e300, 5e-324, 1.0};
  for (std::size_t i = 0; i < 50000; ++i) {
    y.push_back(random() % 3 == 0 ? 1.0f : 0.0f);
    const auto pick = random() % 10;
    if (pick == 0) {
      p.push_back(specials[random() % specials.size()]);
    } else if (pick < 5) {
      p.push_back(static_cast<double>(random() % 200) / 64.0 - 1.0);  // many ties
    } else {
      p.push_back(std::uniform_real_distribution<double>(-3, 3)(random));
    }
  }
  std::map<double, std::pair<std::size_t, std::size_t>, std::greater<>> by_score;  // -0 == +0
  for (std::size_t i = 0; i < p.size(); ++i)
    ++(y[i] == 1.0f ? by_score[p[i]].first : by_score[p[i]].second);
  const auto counts = threshold_counts(y, p);
  ASSERT_EQ(counts.size(), by_score.size());
  std::size_t tp = 0, fp = 0, i = 0;
  for (const auto& [score, pos_neg] : by_score) {
    tp += pos_neg.first;
    fp += pos_neg.second;
    EXPECT_EQ(counts[i].threshold, score);
    EXPECT_EQ(counts[i].tp, tp);
    EXPECT_EQ(counts[i].fp, fp);
    ++i;
  }
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
