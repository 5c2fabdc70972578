#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "models/logistic/logistic_regression.h"
#include "smartchurn/error.h"
#include "unit/models/model_test_support.h"

namespace smartchurn {
namespace {

// 40 rows drawn by numpy (default_rng(7)), labels from logit 1.5 x0 - x1 + 0.3.
constexpr float kRows[40][3] = {
    {0.00f, 0.30f, -0.27f},   {-0.89f, -0.45f, -0.99f}, {0.06f, 1.34f, -0.49f},
    {-0.62f, 0.49f, 0.36f},   {0.11f, -0.93f, -0.03f},  {0.70f, -1.34f, -0.46f},
    {-1.90f, -1.29f, -1.84f}, {-0.24f, -1.27f, 0.27f},  {0.16f, -0.19f, -2.52f},
    {-0.54f, -0.05f, 0.11f},  {-1.53f, -0.48f, -0.98f}, {-0.81f, 1.06f, -0.81f},
    {-0.03f, 0.88f, -0.58f},  {-0.11f, 0.11f, 0.06f},   {-1.23f, 0.08f, 1.36f},
    {-1.55f, 0.86f, 0.12f},   {-0.64f, 2.00f, 0.76f},   {-1.20f, 0.07f, 0.58f},
    {-0.19f, 0.68f, -0.07f},  {0.67f, 1.44f, -0.68f},   {0.20f, -0.46f, 0.13f},
    {-1.19f, -0.58f, -0.20f}, {0.90f, 1.15f, -1.32f},   {-0.79f, 0.65f, -1.99f},
    {-0.46f, -0.10f, 1.26f},  {0.69f, -0.33f, -0.37f},  {-0.25f, 1.52f, -0.43f},
    {-0.30f, 0.35f, -0.12f},  {-0.20f, -1.11f, -0.01f}, {-0.44f, 1.17f, 0.65f},
    {-0.02f, 0.67f, -0.34f},  {1.05f, -0.01f, 0.58f},   {-1.29f, 0.35f, -1.69f},
    {-2.04f, -0.30f, -0.90f}, {0.16f, 2.24f, -0.83f},   {-0.62f, 0.21f, 0.49f},
    {-0.18f, -0.21f, 0.70f},  {0.52f, -1.03f, -0.08f},  {0.04f, -1.05f, 0.26f},
    {-0.86f, 0.97f, 0.19f}};
constexpr float kLabels[40] = {0, 0, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0,
                               1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 0};

testing::Problem small_problem() {
  testing::Problem p{FeatureMatrix(40, 3),
                     std::vector<float>(std::begin(kLabels), std::end(kLabels))};
  for (std::size_t r = 0; r < 40; ++r) {
    for (std::size_t c = 0; c < 3; ++c) p.x.at(r, c) = kRows[r][c];
  }
  return p;
}

std::unique_ptr<Model> make_lr(const nlohmann::json& params = nlohmann::json::object()) {
  return logistic_regression_info().create(params);
}

TEST(LogisticRegression, MatchesScikitLearnCoefficients) {
  // scikit-learn 1.2 LogisticRegression(C=1, solver="newton-cg", tol=1e-12); lbfgs stops about
  // 1.5e-5 short of this optimum, which an independent BFGS run confirms to 1e-8.
  const auto p = small_problem();
  LogisticRegression model(make_lr()->parameters());
  model.fit(p.x, p.y, {});
  ASSERT_EQ(model.coefficients().size(), 3u);
  EXPECT_NEAR(model.coefficients()[0], 1.7236494409441043, 1e-6);
  EXPECT_NEAR(model.coefficients()[1], -1.406742843559119, 1e-6);
  EXPECT_NEAR(model.coefficients()[2], -0.03292014048451624, 1e-6);
  EXPECT_NEAR(model.intercept(), -0.5661678646193453, 1e-6);
  EXPECT_TRUE(model.parameters().at("converged").get<bool>());
  const auto proba = model.predict_proba(p.x);
  EXPECT_NEAR(proba[0], 0.27303025, 1e-6);
  EXPECT_NEAR(proba[1], 0.19238442, 1e-6);
  EXPECT_NEAR(proba[2], 0.08853514, 1e-6);
  const auto importance = model.feature_importance();
  EXPECT_NEAR(importance[1], 1.406742843559119, 1e-6);
}

TEST(LogisticRegression, StrongerPenaltyMatchesScikitLearn) {
  const auto p = small_problem();
  LogisticRegression model(make_lr({{"C", 0.1}})->parameters());
  model.fit(p.x, p.y, {});
  EXPECT_NEAR(model.coefficients()[0], 0.5055977690898784, 1e-6);
  EXPECT_NEAR(model.coefficients()[1], -0.496497629307301, 1e-6);
  EXPECT_NEAR(model.coefficients()[2], 0.02731839814068986, 1e-6);
  EXPECT_NEAR(model.intercept(), -0.7500916335823645, 1e-6);
}

TEST(LogisticRegression, LearnsAKnownSignalOnHeldOutRows) {
  // x0 is linear in the logit; x1 (used through |x1|) is invisible to a linear model.
  const auto all = testing::signal_problem(3000, 11, false);
  const auto train = testing::slice(all, 0, 2000), test = testing::slice(all, 2000, 3000);
  auto model = make_lr();
  model->fit(train.x, train.y, {});
  EXPECT_GT(testing::auc(test.y, model->predict_proba(test.x)), 0.9);
  const auto importance = model->feature_importance();
  EXPECT_GT(importance[0], 10 * importance[2]);
  EXPECT_GT(importance[0], 10 * importance[3]);
}

TEST(LogisticRegression, MaxIterCapsNewtonSteps) {
  const auto p = small_problem();
  auto model = make_lr({{"max_iter", 1}});
  model->fit(p.x, p.y, {});
  EXPECT_EQ(model->parameters().at("iterations").get<int>(), 1);
  EXPECT_FALSE(model->parameters().at("converged").get<bool>());
}

// The contract (test_model_contract.cc) says NaN is a kUsage error; this is its message.
TEST(LogisticRegression, RejectsNaNInputsNamingTheCell) {
  auto p = small_problem();
  p.x.at(5, 1) = std::numeric_limits<float>::quiet_NaN();
  auto model = make_lr();
  try {
    model->fit(p.x, p.y, {});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUsage);
    EXPECT_NE(e.message().find("row 5 column 1"), std::string::npos) << e.message();
  }
}

TEST(ModelTestSupport, AucMatchesScikitLearnExample) {
  const std::vector<float> y = {0, 0, 1, 1};
  const std::vector<double> p = {0.1, 0.4, 0.35, 0.8};
  EXPECT_DOUBLE_EQ(testing::auc(y, p), 0.75);
  const std::vector<double> tied = {0.5, 0.5, 0.5, 0.9};
  EXPECT_DOUBLE_EQ(testing::auc(y, tied), 0.75);
}

}  // namespace
}  // namespace smartchurn
