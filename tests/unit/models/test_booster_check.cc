#include <gtest/gtest.h>

#include "models/xgboost/booster_check.h"
#include "smartchurn/error.h"
#include "unit/error_code_of.h"

namespace smartchurn::xgb {
namespace {

// One tree of three nodes as XGBoost saves it: a root split and two leaves.
nlohmann::json booster_with_one_tree() {
  nlohmann::json tree = {{"id", 0},
                         {"left_children", {1, -1, -1}},
                         {"right_children", {2, -1, -1}},
                         {"parents", {2147483647, 0, 0}},
                         {"split_indices", {0, 0, 0}},
                         {"split_conditions", {0.5, 0.1, -0.1}},
                         {"default_left", {0, 0, 0}},
                         {"split_type", {0, 0, 0}},
                         {"categories", nlohmann::json::array()},
                         {"categories_nodes", nlohmann::json::array()},
                         {"categories_segments", nlohmann::json::array()},
                         {"categories_sizes", nlohmann::json::array()},
                         {"tree_param", {{"num_nodes", "3"}}}};
  nlohmann::json model = {
      {"gbtree_model_param", {{"num_trees", "1"}}}, {"tree_info", {0}}, {"trees", {tree}}};
  return {{"learner", {{"gradient_booster", {{"model", model}}}}}};
}

nlohmann::json& first_tree(nlohmann::json& booster) {
  return booster["learner"]["gradient_booster"]["model"]["trees"][0];
}

TEST(BoosterCheck, AcceptsAWellFormedTree) {
  EXPECT_NO_THROW(check_booster_json(booster_with_one_tree()));
}

// Each of these crashed inside libxgboost when a bundle file carried it (found by fuzzing).
TEST(BoosterCheck, RefusesATreeCountLargerThanTheTreesHeld) {
  auto booster = booster_with_one_tree();
  booster["learner"]["gradient_booster"]["model"]["gbtree_model_param"]["num_trees"] = "999999";
  EXPECT_EQ(test::code_of([&] { check_booster_json(booster); }), ErrorCode::kBadData);
}

TEST(BoosterCheck, RefusesTreesNotNumberedInOrder) {
  for (const nlohmann::json& id :
       {nlohmann::json(1), nlohmann::json(-1), nlohmann::json("0"), nlohmann::json(nullptr)}) {
    auto booster = booster_with_one_tree();
    first_tree(booster)["id"] = id;
    EXPECT_EQ(test::code_of([&] { check_booster_json(booster); }), ErrorCode::kBadData) << id;
  }
  auto two = booster_with_one_tree();
  auto& model = two["learner"]["gradient_booster"]["model"];
  model["trees"].push_back(model["trees"][0]);  // a second tree with the id 0
  model["tree_info"].push_back(0);
  model["gbtree_model_param"]["num_trees"] = "2";
  EXPECT_EQ(test::code_of([&] { check_booster_json(two); }), ErrorCode::kBadData);
  model["trees"][1]["id"] = 1;
  EXPECT_NO_THROW(check_booster_json(two));
}

TEST(BoosterCheck, RefusesChildrenOutsideTheTreeOrSharedOrPointingBack) {
  for (const nlohmann::json& left :
       {nlohmann::json{7, -1, -1}, nlohmann::json{2, -1, -1}, nlohmann::json{1, 0, -1}}) {
    auto booster = booster_with_one_tree();
    first_tree(booster)["left_children"] = left;
    EXPECT_EQ(test::code_of([&] { check_booster_json(booster); }), ErrorCode::kBadData)
        << left.dump();
  }
}

TEST(BoosterCheck, RefusesPerNodeArraysOfAnotherSize) {
  auto booster = booster_with_one_tree();
  first_tree(booster)["split_conditions"] = {0.5};
  EXPECT_EQ(test::code_of([&] { check_booster_json(booster); }), ErrorCode::kBadData);
}

TEST(BoosterCheck, RefusesACategoricalSplitWithoutItsCategorySet) {
  auto booster = booster_with_one_tree();
  first_tree(booster)["split_type"] = {1, 0, 0};
  EXPECT_EQ(test::code_of([&] { check_booster_json(booster); }), ErrorCode::kBadData);
  first_tree(booster)["categories_nodes"] = {0};
  first_tree(booster)["categories_segments"] = {5};
  first_tree(booster)["categories_sizes"] = {100};
  first_tree(booster)["categories"] = {1};
  EXPECT_EQ(test::code_of([&] { check_booster_json(booster); }), ErrorCode::kBadData);
  first_tree(booster)["categories_segments"] = {0};
  first_tree(booster)["categories_sizes"] = {1};
  EXPECT_NO_THROW(check_booster_json(booster));
}

}  // namespace
}  // namespace smartchurn::xgb
