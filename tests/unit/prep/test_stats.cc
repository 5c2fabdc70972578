#include "prep/stats.h"

#include <gtest/gtest.h>

#include <cmath>

namespace smartchurn::prep {
namespace {

TEST(Stats, QuantileInterpolatesLikeNumpy) {
  std::vector<double> v{1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(quantile_sorted(v, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(quantile_sorted(v, 0.5), 2.5);   // numpy.quantile([1,2,3,4], .5)
  EXPECT_DOUBLE_EQ(quantile_sorted(v, 0.25), 1.75);  // position 0.75 between 1 and 2
  EXPECT_DOUBLE_EQ(quantile_sorted(v, 1.0), 4.0);
  EXPECT_TRUE(std::isnan(quantile_sorted(std::vector<double>{}, 0.5)));
}

TEST(Stats, SortedPresentDropsMissing) {
  EXPECT_EQ(sorted_present(std::vector<double>{3, NAN, 1, 2}), (std::vector<double>{1, 2, 3}));
}

TEST(Stats, UnivariateStrengthIsDistanceOfAucFromHalf) {
  std::vector<float> y{0, 0, 1, 1};
  EXPECT_DOUBLE_EQ(univariate_strength(std::vector<double>{1, 2, 3, 4}, y), 0.5);  // perfect
  EXPECT_DOUBLE_EQ(univariate_strength(std::vector<double>{4, 3, 2, 1}, y), 0.5);  // perfectly wrong
  EXPECT_DOUBLE_EQ(univariate_strength(std::vector<double>{1, 1, 1, 1}, y), 0.0);  // ties
  // Missing rows are ignored: of (1, y0), (4, y1) the ranking is perfect.
  EXPECT_DOUBLE_EQ(univariate_strength(std::vector<double>{1, NAN, NAN, 4}, y), 0.5);
  // One class among present rows: no information.
  EXPECT_DOUBLE_EQ(univariate_strength(std::vector<double>{1, 2, NAN, NAN}, y), 0.0);
}

TEST(Stats, MissingnessSignalNeedsEnoughRowsAndADifference) {
  // 20 missing rows that all churn against 80 present rows churning 1 in 4: z is about 6.3.
  std::vector<double> v;
  std::vector<float> y;
  for (int i = 0; i < 100; ++i) {
    bool missing = i < 20;
    v.push_back(missing ? NAN : double(i));
    y.push_back(missing ? 1.0f : (i % 4 == 0 ? 1.0f : 0.0f));
  }
  EXPECT_TRUE(missingness_is_informative(v, y));
  // Same churn rate when missing: no signal.
  for (int i = 0; i < 20; ++i) y[std::size_t(i)] = i % 4 == 0 ? 1.0f : 0.0f;
  EXPECT_FALSE(missingness_is_informative(v, y));
  // Fewer than five missing rows: never.
  std::vector<double> few(v.begin() + 16, v.end());
  std::vector<float> few_y(100 - 16, 0.0f);
  for (int i = 0; i < 4; ++i) few_y[std::size_t(i)] = 1.0f;
  EXPECT_FALSE(missingness_is_informative(few, few_y));
}

TEST(Stats, PearsonOnPresentPairs) {
  EXPECT_NEAR(pearson(std::vector<double>{1, 2, 3}, std::vector<double>{2, 4, 6}), 1.0, 1e-12);
  EXPECT_NEAR(pearson(std::vector<double>{1, 2, 3}, std::vector<double>{3, 2, 1}), -1.0, 1e-12);
  EXPECT_NEAR(pearson(std::vector<double>{1, 2, NAN, 3}, std::vector<double>{1, 2, 100, 3}), 1.0,
              1e-12);
  EXPECT_EQ(pearson(std::vector<double>{1, 1, 1}, std::vector<double>{1, 2, 3}), 0.0);
}

}  // namespace
}  // namespace smartchurn::prep
