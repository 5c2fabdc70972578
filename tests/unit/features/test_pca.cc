#include <gtest/gtest.h>

#include <cmath>

#include "features/pca.h"
#include "smartchurn/error.h"

namespace smartchurn::features {
namespace {

TEST(Pca, FindsTheSharedDirectionOfTwoCorrelatedInputs) {
  std::vector<double> a, b;
  for (int i = 0; i < 50; ++i) {
    a.push_back(i);
    b.push_back(i);  // identical after standardisation: one direction holds all variance
  }
  Pca pca = Pca::fit({a, b}, 1);
  ASSERT_EQ(pca.components.size(), 1u);
  EXPECT_NEAR(pca.explained_variance_ratio[0], 1.0, 1e-12);
  EXPECT_NEAR(pca.components[0][0], std::sqrt(0.5), 1e-9);  // sign fixed: largest weight positive
  EXPECT_NEAR(pca.components[0][1], std::sqrt(0.5), 1e-9);
  // The mean row projects to 0; a missing input counts as the mean.
  double inputs[2] = {pca.mean[0], NAN}, score = 1;
  pca.project(inputs, &score);
  EXPECT_NEAR(score, 0.0, 1e-12);
}

TEST(Pca, ComponentCountMustFitTheInputs) {
  EXPECT_THROW(Pca::fit({{1, 2, 3}}, 2), Error);
  EXPECT_THROW(Pca::fit({{1, 2, 3}}, 0), Error);
}

TEST(Pca, JsonRoundTrip) {
  Pca pca = Pca::fit({{1, 2, 3, 4}, {2, 1, 4, 3}}, 2);
  nlohmann::json j = pca;
  Pca copy = j.get<Pca>();
  EXPECT_EQ(copy.components, pca.components);
  EXPECT_EQ(copy.mean, pca.mean);
}

}  // namespace
}  // namespace smartchurn::features
