#include <gtest/gtest.h>

#include <cmath>

#include "models/xgboost/tree_ensemble.h"
#include "smartchurn/error.h"
#include "unit/error_code_of.h"

namespace smartchurn::xgb {
namespace {

// One round of one stump on feature 2 at 0.5 (missing goes left), in XGBoost's spelling.
nlohmann::json stump_booster() {
  nlohmann::json tree = {{"left_children", {1, -1, -1}},
                         {"right_children", {2, -1, -1}},
                         {"split_indices", {2, 0, 0}},
                         {"split_conditions", {"5E-1", -0.25, "NaN"}},
                         {"default_left", {1, 0, 0}}};
  return {{"learner",
           {{"objective", {{"name", "binary:logistic"}}},
            {"learner_model_param", {{"base_score", "2.5E-1"}}},
            {"gradient_booster",
             {{"name", "gbtree"},
              {"model", {{"gbtree_model_param", nlohmann::json::object()}, {"trees", {tree}}}}}}}}};
}

TEST(DecodeBooster, ReadsNumbersAsTextAndDefaultsTheParallelTrees) {
  const TreeEnsemble ensemble = decode_booster(stump_booster(), 1);
  EXPECT_FLOAT_EQ(ensemble.base_score, 0.25f);
  EXPECT_EQ(ensemble.parallel_trees, 1);
  ASSERT_EQ(ensemble.trees.size(), 1u);
  const auto& root = ensemble.trees[0][0];
  EXPECT_FALSE(root.is_leaf());
  EXPECT_EQ(root.feature, 2);
  EXPECT_FLOAT_EQ(root.value, 0.5f);
  EXPECT_TRUE(root.default_left);
  EXPECT_TRUE(std::isnan(ensemble.trees[0][2].value));
  EXPECT_EQ(ensemble.features_read(), 3u);
  EXPECT_NEAR(base_margin(ensemble.base_score), std::log(0.25 / 0.75), 1e-6);
}

TEST(DecodeBooster, KeepsTheTreesOfTheRoundsAsked) {
  auto booster = stump_booster();
  auto& model = booster["learner"]["gradient_booster"]["model"];
  model["trees"].push_back(model["trees"][0]);
  model["gbtree_model_param"]["num_parallel_tree"] = 2;
  EXPECT_EQ(decode_booster(booster, 1).trees.size(), 2u);
  EXPECT_EQ(test::code_of([&] { decode_booster(booster, 2); }), ErrorCode::kBadData);
}

TEST(DecodeBooster, OtherModelsAreIncompatibleAndDamagedOnesBadData) {
  auto objective = stump_booster();
  objective["learner"]["objective"]["name"] = "reg:squarederror";
  EXPECT_EQ(test::code_of([&] { decode_booster(objective, 1); }), ErrorCode::kIncompatible);
  auto linear = stump_booster();
  linear["learner"]["gradient_booster"]["name"] = "gblinear";
  EXPECT_EQ(test::code_of([&] { decode_booster(linear, 1); }), ErrorCode::kIncompatible);
  const auto tree = [](nlohmann::json& b) -> nlohmann::json& {
    return b["learner"]["gradient_booster"]["model"]["trees"][0];
  };
  auto upward = stump_booster();
  tree(upward)["left_children"] = {0, -1, -1};  // its own child: a walk that never ends
  EXPECT_EQ(test::code_of([&] { decode_booster(upward, 1); }), ErrorCode::kBadData);
  auto ragged = stump_booster();
  tree(ragged)["default_left"] = {1, 0};
  EXPECT_EQ(test::code_of([&] { decode_booster(ragged, 1); }), ErrorCode::kBadData);
  auto word = stump_booster();
  tree(word)["split_conditions"][0] = "half";
  EXPECT_EQ(test::code_of([&] { decode_booster(word, 1); }), ErrorCode::kBadData);
  EXPECT_EQ(test::code_of([] { decode_booster(nlohmann::json::object(), 1); }),
            ErrorCode::kBadData);
}

}  // namespace
}  // namespace smartchurn::xgb
