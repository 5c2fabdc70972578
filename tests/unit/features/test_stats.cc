#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "features/stats.h"

namespace smartchurn::features {
namespace {

TEST(Stats, QuantilesInterpolateLikeNumpy) {
  std::vector<double> v{4, 2, 1, 3};
  EXPECT_EQ(quantiles(v, {0.0, 0.25, 0.5, 0.5, 1.0}),
            (std::vector<double>{1.0, 1.75, 2.5, 2.5, 4.0}));  // numpy.quantile([1,2,3,4], q)
  std::vector<double> one{7};
  EXPECT_EQ(quantiles(one, {0.01, 0.99}), (std::vector<double>{7.0, 7.0}));
}

TEST(Stats, QuantilesBySelectionEqualThoseOfASortedCopy) {
  std::mt19937_64 random(7);
  for (std::size_t n : {2u, 3u, 10u, 101u, 5000u}) {
    std::vector<double> values(n);
    // Few distinct values, so ties fall on the quantile positions too.
    for (double& v : values) v = static_cast<double>(random() % (n / 2 + 1)) * 0.5;
    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    auto expected = [&](double q) {
      const double position = q * static_cast<double>(n - 1);
      const auto below = static_cast<std::size_t>(std::floor(position));
      const std::size_t above = std::min(below + 1, n - 1);
      return sorted[below] + (sorted[above] - sorted[below]) * (position - double(below));
    };
    const auto got = quantiles(values, {0.01, 0.25, 0.5, 0.75, 0.99});
    EXPECT_EQ(got, (std::vector<double>{expected(0.01), expected(0.25), expected(0.5),
                                        expected(0.75), expected(0.99)}))
        << n << " values";
  }
}

TEST(Stats, PresentValuesDropMissing) {
  EXPECT_EQ(present_values(std::vector<double>{3, NAN, 1, 2}), (std::vector<double>{3, 1, 2}));
}

TEST(Stats, UnivariateStrengthIsDistanceOfAucFromHalf) {
  std::vector<float> y{0, 0, 1, 1};
  EXPECT_DOUBLE_EQ(univariate_strength(std::vector<double>{1, 2, 3, 4}, y), 0.5);  // perfect
  EXPECT_DOUBLE_EQ(univariate_strength(std::vector<double>{4, 3, 2, 1}, y),
                   0.5);  // perfectly wrong
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
}  // namespace smartchurn::features
