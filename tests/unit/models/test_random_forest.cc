#include <gtest/gtest.h>

#include "models/xgboost/random_forest.h"
#include "smartchurn/error.h"
#include "unit/models/model_test_support.h"

namespace smartchurn {
namespace {

std::unique_ptr<Model> make_rf(const nlohmann::json& params = nlohmann::json::object()) {
  return random_forest_info().create(params);
}

FitOptions one_thread() {
  FitOptions options;
  options.threads = 1;
  return options;
}

TEST(RandomForest, LearnsANonLinearSignalWithMissingValues) {
  const auto all = testing::signal_problem(3000, 31, true);
  const auto train = testing::slice(all, 0, 2000), test = testing::slice(all, 2000, 3000);
  auto model = make_rf({{"n_trees", 100}});
  model->fit(train.x, train.y, one_thread());
  EXPECT_GT(testing::auc(test.y, model->predict_proba(test.x)), 0.9);
  const auto importance = model->feature_importance();
  ASSERT_EQ(importance.size(), 4u);
  EXPECT_GT(std::min(importance[0], importance[1]), std::max(importance[2], importance[3]));
  EXPECT_EQ(model->parameters().at("rounds").get<int>(), 1);
}

TEST(RandomForest, NativeCategoricalSplitsSeparateScatteredCodes) {
  const auto all = testing::category_problem(4000, 15);
  const auto train = testing::slice(all, 0, 3000), test = testing::slice(all, 3000, 4000);
  const nlohmann::json params = {{"max_depth", 1}, {"n_trees", 20}, {"colsample_bynode", 1.0}};
  FitOptions categorical = one_thread();
  categorical.categorical = {true, false};
  auto native = make_rf(params), ordinal = make_rf(params);
  native->fit(train.x, train.y, categorical);
  ordinal->fit(train.x, train.y, one_thread());
  EXPECT_GT(testing::auc(test.y, native->predict_proba(test.x)), 0.95);
  EXPECT_LT(testing::auc(test.y, ordinal->predict_proba(test.x)), 0.85);
}

// Same seed, same model is the contract (test_model_contract.cc); the seed must also matter.
TEST(RandomForest, OtherSeedsFitDifferently) {
  const auto p = testing::signal_problem(1000, 17, true);
  FitOptions options;
  options.threads = 2;
  auto first = make_rf({{"n_trees", 30}}), reseeded = make_rf({{"n_trees", 30}});
  first->fit(p.x, p.y, options);
  options.seed = 7;
  reseeded->fit(p.x, p.y, options);
  EXPECT_NE(first->predict_proba(p.x), reseeded->predict_proba(p.x));
}

}  // namespace
}  // namespace smartchurn
