// The contract every registered model family keeps (smartchurn/model.h), checked for each entry
// of model_registry(): a family added to the registry is held to it without a test of its own.
// Model-specific behaviour (accuracy, early stopping, native categories, ...) stays in
// test_<family>.cc.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "smartchurn/error.h"
#include "smartchurn/model.h"
#include "unit/error_code_of.h"
#include "unit/models/model_test_support.h"

namespace smartchurn {
namespace {

std::vector<std::string> registered_families() {
  std::vector<std::string> names;
  for (const auto& info : model_registry()) names.push_back(info.name);
  return names;
}

// Small ensembles keep the suite quick; other families fit with their defaults.
nlohmann::json quick_params(const std::string& family) {
  if (family == "rf") return {{"n_trees", 20}};
  if (family == "gbm") return {{"n_rounds", 20}};
  return nlohmann::json::object();
}

FitOptions two_threads(uint64_t seed = 42) {
  FitOptions options;
  options.seed = seed;
  options.threads = 2;
  return options;
}

class ModelContract : public ::testing::TestWithParam<std::string> {
 protected:
  std::unique_ptr<Model> make() const { return create_model(GetParam(), quick_params(GetParam())); }
  std::unique_ptr<Model> fitted(const testing::Problem& p, uint64_t seed = 42) const {
    auto model = make();
    model->fit(p.x, p.y, two_threads(seed));
    return model;
  }
  bool takes_missing_values() const { return make()->input_style() == InputStyle::kTree; }
};

TEST_P(ModelContract, SaveLoadRoundTripPredictsIdentically) {
  const auto p = testing::signal_problem(600, 1, takes_missing_values());
  const auto model = fitted(p);
  auto restored = make();
  restored->load(nlohmann::json::parse(model->save().dump()));
  EXPECT_EQ(restored->name(), model->name());
  EXPECT_EQ(restored->kind(), model->kind());
  EXPECT_EQ(restored->predict_proba(p.x), model->predict_proba(p.x));
  EXPECT_EQ(restored->predict_log_odds(p.x), model->predict_log_odds(p.x));
  EXPECT_EQ(restored->feature_importance(), model->feature_importance());
  EXPECT_EQ(restored->parameters(), model->parameters());
  EXPECT_EQ(restored->save(), model->save());
}

TEST_P(ModelContract, SameSeedGivesTheSameModel) {
  const auto p = testing::signal_problem(600, 2, takes_missing_values());
  const auto first = fitted(p), second = fitted(p);
  EXPECT_EQ(first->predict_proba(p.x), second->predict_proba(p.x));
  EXPECT_EQ(first->save(), second->save());
}

TEST_P(ModelContract, PredictsProbabilitiesOneARow) {
  const auto p = testing::signal_problem(400, 3, false);
  const auto model = fitted(p);
  const auto probabilities = model->predict_proba(p.x);
  ASSERT_EQ(probabilities.size(), p.x.rows);
  for (double probability : probabilities) {
    ASSERT_TRUE(probability >= 0.0 && probability <= 1.0) << probability;
  }
  EXPECT_GT(testing::auc(p.y, probabilities), 0.75);  // it learnt something
  EXPECT_EQ(model->feature_importance().size(), p.x.cols);
  EXPECT_TRUE(model->predict_proba(FeatureMatrix(0, p.x.cols)).empty());  // no rows: no scores
}

TEST_P(ModelContract, BadShapesAreErrorsNotCrashes) {
  const auto p = testing::signal_problem(200, 4, false);
  auto unfitted = make();
  EXPECT_EQ(test::code_of([&] { (void)unfitted->predict_proba(p.x); }), ErrorCode::kUsage);
  EXPECT_EQ(test::code_of([&] {
              unfitted->fit(p.x, std::span<const float>(p.y).first(p.y.size() - 1), two_threads());
            }),
            ErrorCode::kUsage);
  EXPECT_EQ(test::code_of([&] { unfitted->fit(FeatureMatrix(0, 4), {}, two_threads()); }),
            ErrorCode::kBadData);
  std::vector<float> not_binary(p.y);
  not_binary[0] = 2.0f;
  EXPECT_EQ(test::code_of([&] { unfitted->fit(p.x, not_binary, two_threads()); }),
            ErrorCode::kBadData);
  const auto model = fitted(p);
  EXPECT_EQ(test::code_of([&] { (void)model->predict_proba(FeatureMatrix(3, 5)); }),
            ErrorCode::kUsage);
  EXPECT_EQ(test::code_of([&] { (void)model->predict_proba(FeatureMatrix(3, 3)); }),
            ErrorCode::kUsage);
  EXPECT_EQ(test::code_of([&] {
              make()->load({{"params", nlohmann::json::object()}});
            }),
            ErrorCode::kBadData);
}

TEST_P(ModelContract, CategoricalFlagsMustMatchTheFeatures) {
  if (!takes_missing_values()) GTEST_SKIP() << "native categories are for tree models";
  const auto p = testing::signal_problem(200, 5, false);
  FitOptions options = two_threads();
  options.categorical = {true};  // one flag for four columns
  EXPECT_EQ(test::code_of([&] { make()->fit(p.x, p.y, options); }), ErrorCode::kUsage);
}

// NaN means "missing" to tree models, which learn where missing values go; linear models read
// imputed inputs and refuse a NaN naming its row and column.
TEST_P(ModelContract, NanFeaturesFollowTheInputStyle) {
  auto p = testing::signal_problem(400, 6, false);
  const auto clean_model = fitted(p);
  FeatureMatrix with_nan = p.x;
  with_nan.at(7, 1) = std::numeric_limits<float>::quiet_NaN();
  if (takes_missing_values()) {
    const auto probabilities = clean_model->predict_proba(with_nan);
    EXPECT_TRUE(std::isfinite(probabilities[7]));
    p.x = with_nan;
    const auto model = fitted(p);
    EXPECT_TRUE(std::isfinite(model->predict_proba(with_nan)[7]));
  } else {
    EXPECT_EQ(test::code_of([&] { (void)clean_model->predict_proba(with_nan); }),
              ErrorCode::kUsage);
    EXPECT_EQ(test::code_of([&] { make()->fit(with_nan, p.y, two_threads()); }), ErrorCode::kUsage);
  }
}

TEST_P(ModelContract, ASingleClassTargetIsAClearError) {
  const auto p = testing::signal_problem(200, 7, false);
  for (float label : {0.0f, 1.0f}) {
    const std::vector<float> one_class(p.y.size(), label);
    try {
      make()->fit(p.x, one_class, two_threads());
      FAIL() << "no error for a target of only " << label;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kBadData);
      EXPECT_NE(e.message().find("only one class"), std::string::npos) << e.message();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Registry, ModelContract, ::testing::ValuesIn(registered_families()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           return param.param;
                         });

}  // namespace
}  // namespace smartchurn
