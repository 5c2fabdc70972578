#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/flat_forest.h"
#include "smartchurn/error.h"
#include "unit/error_code_of.h"

namespace smartchurn::engine {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// Tree 0: a categorical stump on feature 0 with the set {1, 3} (in the set goes right), missing
// goes left. Tree 1: a numeric stump on feature 1 at 2.5, missing goes right.
nlohmann::json two_stumps(const std::string& base_score = "5E-1", int parallel = 1,
                          const std::vector<int>& set = {1, 3}, int missing_left = 1) {
  nlohmann::json categorical = {{"left_children", {1, -1, -1}},
                                {"right_children", {2, -1, -1}},
                                {"split_indices", {0, 0, 0}},
                                {"split_conditions", {"NaN", -0.25, 0.75}},
                                {"default_left", {missing_left, 0, 0}},
                                {"split_type", {1, 0, 0}},
                                {"categories", set},
                                {"categories_nodes", {0}},
                                {"categories_segments", {0}},
                                {"categories_sizes", {set.size()}}};
  nlohmann::json numeric = {{"left_children", {1, -1, -1}},
                            {"right_children", {2, -1, -1}},
                            {"split_indices", {1, 0, 0}},
                            {"split_conditions", {2.5, 0.5, -1.0}},
                            {"default_left", {0, 0, 0}},
                            {"split_type", {0, 0, 0}},
                            {"categories", nlohmann::json::array()},
                            {"categories_nodes", nlohmann::json::array()},
                            {"categories_segments", nlohmann::json::array()},
                            {"categories_sizes", nlohmann::json::array()}};
  return {{"learner",
           {{"objective", {{"name", "binary:logistic"}}},
            {"learner_model_param", {{"base_score", base_score}}},
            {"gradient_booster",
             {{"name", "gbtree"},
              {"model",
               {{"gbtree_model_param", {{"num_parallel_tree", std::to_string(parallel)}}},
                {"trees", {categorical, numeric}}}}}}}}};
}

FlatForest forest_of(const nlohmann::json& booster, int rounds) {
  return FlatForest(xgb::decode_booster(booster, rounds));
}

TEST(FlatForest, CategoryInTheSetGoesRight) {
  FlatForest forest = forest_of(two_stumps(), 2);
  ASSERT_EQ(forest.tree_count(), 2u);
  EXPECT_EQ(forest.features_read(), 2u);
  const float in_set[] = {3.0f, 1.0f};          // right (0.75) + left (0.5)
  const float out_of_set[] = {2.0f, 1.0f};      // left (-0.25) + left (0.5)
  const float beyond_bitset[] = {40.0f, 3.0f};  // left (-0.25) + right (-1.0)
  EXPECT_FLOAT_EQ(forest.margin(in_set), 1.25f);
  EXPECT_FLOAT_EQ(forest.margin(out_of_set), 0.25f);
  EXPECT_FLOAT_EQ(forest.margin(beyond_bitset), -1.25f);
}

TEST(FlatForest, CategorySetsBeyondCode30) {
  // Codes 31 and above do not fit a node's bits: those nodes are asked on the side, in the one-row
  // walk and in the block walk alike.
  for (const std::vector<int>& set :
       {std::vector<int>{1, 31, 40}, std::vector<int>{30, 31}, std::vector<int>{64, 2}}) {
    FlatForest forest = forest_of(two_stumps("5E-1", 1, set, 0), 2);
    std::vector<float> rows;
    std::vector<float> expected;
    for (float code : {0.0f, 1.0f, 2.0f, 30.0f, 31.0f, 40.0f, 64.0f, 65.0f, -1.0f, 1e9f, kNaN}) {
      // The range check first: converting NaN to int is undefined.
      const bool in_set = code >= 0.0f && code < 1e8f &&
                          std::find(set.begin(), set.end(), static_cast<int>(code)) != set.end();
      const bool right = std::isnan(code) || in_set;  // missing goes right here
      rows.insert(rows.end(), {code, 1.0f});
      expected.push_back((right ? 0.75f : -0.25f) + 0.5f);
    }
    const std::size_t count = expected.size();
    std::vector<float> margins(count);
    forest.margins(rows.data(), count, 2, margins.data());
    for (std::size_t r = 0; r < count; ++r) {
      EXPECT_FLOAT_EQ(forest.margin(rows.data() + 2 * r), expected[r]) << set[0] << " row " << r;
      EXPECT_FLOAT_EQ(margins[r], expected[r]) << set[0] << " row " << r;
    }
  }
}

TEST(FlatForest, MissingValuesFollowTheDefaultDirection) {
  FlatForest forest = forest_of(two_stumps(), 2);
  const float both_missing[] = {kNaN, kNaN};  // default left (-0.25) + default right (-1.0)
  EXPECT_FLOAT_EQ(forest.margin(both_missing), -1.25f);
}

TEST(FlatForest, ThresholdIsStrictlyLessThanGoesLeft) {
  FlatForest forest = forest_of(two_stumps(), 2);
  const float at_threshold[] = {0.0f, 2.5f};  // -0.25 + -1.0
  const float below[] = {0.0f, 2.4999f};      // -0.25 + 0.5
  EXPECT_FLOAT_EQ(forest.margin(at_threshold), -1.25f);
  EXPECT_FLOAT_EQ(forest.margin(below), 0.25f);
}

TEST(FlatForest, KeepsOnlyTheTreesOfTheRoundsUsed) {
  FlatForest forest = forest_of(two_stumps(), 1);
  EXPECT_EQ(forest.tree_count(), 1u);
  const float row[] = {1.0f, 0.0f};
  EXPECT_FLOAT_EQ(forest.margin(row), 0.75f);
  // Two parallel trees per round: one round holds both.
  EXPECT_EQ(forest_of(two_stumps("5E-1", 2), 1).tree_count(), 2u);
}

TEST(FlatForest, BaseScoreIsAProbability) {
  FlatForest forest = forest_of(two_stumps("2E-1"), 1);
  const float row[] = {0.0f, 0.0f};
  EXPECT_NEAR(forest.margin(row), std::log(0.25) - 0.25, 1e-6);
}

TEST(FlatForest, BatchEqualsSingleRows) {
  FlatForest forest = forest_of(two_stumps(), 2);
  std::vector<float> rows;
  for (int r = 0; r < 300; ++r) {
    rows.push_back(r % 7 == 0 ? kNaN : static_cast<float>(r % 5));
    rows.push_back(static_cast<float>(r % 4) * 1.1f);
  }
  std::vector<float> margins(300);
  forest.margins(rows.data(), 300, 2, margins.data());
  for (std::size_t r = 0; r < 300; ++r) {
    EXPECT_EQ(margins[r], forest.margin(rows.data() + 2 * r)) << "row " << r;
  }
}

TEST(FlatForest, Probability) {
  EXPECT_FLOAT_EQ(FlatForest::probability(0.0f), 0.5f);
  EXPECT_NEAR(FlatForest::probability(2.0f), 1.0 / (1.0 + std::exp(-2.0)), 1e-7);
}

TEST(FlatForest, RejectsOtherModels) {
  auto model = two_stumps();
  model["learner"]["objective"]["name"] = "reg:squarederror";
  EXPECT_EQ(test::code_of([&] { FlatForest forest = forest_of(model, 1); }),
            ErrorCode::kIncompatible);
  EXPECT_EQ(test::code_of([&] { FlatForest forest = forest_of(two_stumps(), 3); }),
            ErrorCode::kBadData);
  auto broken = two_stumps();
  broken["learner"]["gradient_booster"]["model"]["trees"][0]["left_children"] = {5, -1, -1};
  EXPECT_EQ(test::code_of([&] { FlatForest forest = forest_of(broken, 1); }), ErrorCode::kBadData);
}

}  // namespace
}  // namespace smartchurn::engine
