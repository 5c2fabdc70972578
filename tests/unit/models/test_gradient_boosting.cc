#include <gtest/gtest.h>

#include <limits>

#include "models/xgboost/gradient_boosting.h"
#include "smartchurn/error.h"
#include "unit/models/model_test_support.h"

namespace smartchurn {
namespace {

std::unique_ptr<Model> make_gbm(const nlohmann::json& params = nlohmann::json::object()) {
  return gradient_boosting_info().create(params);
}

FitOptions single_thread() {
  FitOptions options;
  options.threads = 1;
  return options;
}

TEST(GradientBoosting, LearnsANonLinearSignalWithMissingValues) {
  const auto all = testing::signal_problem(3000, 21, true);
  const auto train = testing::slice(all, 0, 2000), test = testing::slice(all, 2000, 3000);
  auto model = make_gbm({{"n_rounds", 200}});
  model->fit(train.x, train.y, single_thread());
  EXPECT_GT(testing::auc(test.y, model->predict_proba(test.x)), 0.9);
  // Gain importance: both signal columns outrank both noise columns.
  const auto importance = model->feature_importance();
  ASSERT_EQ(importance.size(), 4u);
  EXPECT_GT(std::min(importance[0], importance[1]), std::max(importance[2], importance[3]));
  EXPECT_EQ(model->parameters().at("rounds").get<int>(), 200);
}

TEST(GradientBoosting, EarlyStoppingKeepsTheBestRounds) {
  const auto all = testing::signal_problem(3000, 22, false);
  const auto train = testing::slice(all, 0, 1500), valid = testing::slice(all, 1500, 2000),
             test = testing::slice(all, 2000, 3000);
  FitOptions options = single_thread();
  options.valid_x = &valid.x;
  options.valid_y = valid.y;
  auto model = make_gbm({{"eta", 0.3}, {"early_stopping_rounds", 10}});
  model->fit(train.x, train.y, options);
  const auto params = model->parameters();
  const int best = params.at("best_iteration").get<int>();
  EXPECT_EQ(params.at("rounds").get<int>(), best + 1);
  EXPECT_LT(best, 990);  // stopped well before max_rounds
  EXPECT_GT(params.at("best_valid_logloss").get<double>(), 0.0);
  EXPECT_GT(testing::auc(test.y, model->predict_proba(test.x)), 0.9);
  // The model keeps exactly the chosen rounds.
  EXPECT_EQ(model->save().at("rounds").get<int>(), best + 1);
}

TEST(GradientBoosting, NativeCategoricalSplitsSeparateScatteredCodes) {
  const auto all = testing::category_problem(4000, 5);
  const auto train = testing::slice(all, 0, 3000), test = testing::slice(all, 3000, 4000);
  // Stumps: one partition split on the code separates the churning set; thresholds cannot.
  const nlohmann::json params = {{"max_depth", 1}, {"n_rounds", 5}, {"eta", 0.5}};
  FitOptions categorical = single_thread();
  categorical.categorical = {true, false};
  auto native = make_gbm(params), ordinal = make_gbm(params);
  native->fit(train.x, train.y, categorical);
  ordinal->fit(train.x, train.y, single_thread());
  const double native_auc = testing::auc(test.y, native->predict_proba(test.x));
  const double ordinal_auc = testing::auc(test.y, ordinal->predict_proba(test.x));
  EXPECT_GT(native_auc, 0.95);
  EXPECT_LT(ordinal_auc, 0.85);
}

// Same seed, same model is the contract (test_model_contract.cc); the seed must also matter.
TEST(GradientBoosting, OtherSeedsFitDifferently) {
  const auto p = testing::signal_problem(1000, 8, true);
  FitOptions options = single_thread();
  auto first = make_gbm({{"n_rounds", 50}}), reseeded = make_gbm({{"n_rounds", 50}});
  first->fit(p.x, p.y, options);
  options.seed = 43;
  reseeded->fit(p.x, p.y, options);
  EXPECT_NE(first->predict_proba(p.x), reseeded->predict_proba(p.x));
}

// Shapes, labels and unfitted use are the contract (test_model_contract.cc); these are the
// booster's own inputs.
TEST(GradientBoosting, RejectsNonCodeCategoriesAndDamagedBoosters) {
  auto p = testing::category_problem(200, 9);
  auto model = make_gbm({{"n_rounds", 5}});
  FitOptions options = single_thread();
  options.categorical = {true, false};
  p.x.at(3, 0) = 2.5f;  // not a category code
  try {
    model->fit(p.x, p.y, options);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData);
  }
  p.x.at(3, 0) = std::numeric_limits<float>::quiet_NaN();  // missing category is fine
  model->fit(p.x, p.y, options);
  auto state = model->save();
  state["booster"] = {{"learner", "garbage"}};
  try {
    make_gbm()->load(state);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData);
  }
}

TEST(GradientBoosting, AcceptsASingleClassValidationSet) {
  const auto p = testing::signal_problem(400, 10, false);
  const testing::Problem valid{FeatureMatrix(20, 4), std::vector<float>(20, 0.0f)};
  FitOptions options = single_thread();
  options.valid_x = &valid.x;
  options.valid_y = valid.y;
  auto model = make_gbm({{"early_stopping_rounds", 5}});
  model->fit(p.x, p.y, options);
  EXPECT_GE(model->parameters().at("best_iteration").get<int>(), 0);
}

}  // namespace
}  // namespace smartchurn
