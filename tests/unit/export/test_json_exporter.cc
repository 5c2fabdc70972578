#include <gtest/gtest.h>

#include <cmath>

#include "smartchurn/export.h"
#include "unit/export/export_test_support.h"

namespace smartchurn {
namespace {

using nlohmann::json;

float as_float(const json& value) { return static_cast<float>(value.get<double>()); }

// Walks one tree of the description for a row of model inputs.
float leaf_of(const json& tree, const float* x) {
  const json* node = &tree["nodes"][0];
  while (!node->contains("leaf")) {
    float value = x[(*node)["feature"].get<std::size_t>()];
    bool left;
    if (std::isnan(value)) {
      left = (*node)["missing"] == "left";
    } else if (node->contains("categories")) {
      const auto& set = (*node)["categories"];
      left = std::find(set.begin(), set.end(), int(value)) == set.end();
    } else {
      left = value < as_float((*node)["threshold"]);
    }
    node = &tree["nodes"][(*node)[left ? "left" : "right"].get<std::size_t>()];
  }
  return as_float((*node)["leaf"]);
}

TEST(JsonExporter, DescribesTheFormatInputsAndFeatures) {
  Bundle bundle = test::export_bundle("lr");
  json j = export_json(bundle);
  EXPECT_EQ(j["format"], "smartchurn-model-description");
  EXPECT_EQ(j["format_version"], kExportJsonFormat);
  EXPECT_EQ(j["model"]["family"], "lr");
  EXPECT_EQ(j["model"]["style"], "scaled_one_hot");
  EXPECT_EQ(j["target"]["column"], "churn");
  EXPECT_EQ(j["target"]["positive_label"], "Yes");
  ASSERT_EQ(j["inputs"].size(), bundle.required_columns().size());
  for (const auto& input : j["inputs"]) {
    if (input["name"] == "paperless") {
      EXPECT_EQ(input["type"], "boolean");
      EXPECT_EQ(input["true_label"], "Yes");
    }
    if (input["name"] == "contract") {
      EXPECT_EQ(input["type"], "categorical");
      EXPECT_EQ(input["levels"].size(), 3u);
    }
  }
  EXPECT_EQ(j["model_inputs"].size(), bundle.pipeline.features().size());
  EXPECT_EQ(j["features"].size(), bundle.pipeline.to_json()["features"].size());
  EXPECT_FALSE(j.contains("pca"));
}

TEST(JsonExporter, LinearWeightsAreTheModelsCoefficients) {
  Bundle bundle = test::export_bundle("lr");
  json j = export_json(bundle);
  const json state = bundle.model->save();
  EXPECT_EQ(j["scorer"]["type"], "logistic_regression");
  EXPECT_EQ(j["scorer"]["intercept"], state["intercept"]);
  ASSERT_EQ(j["scorer"]["weights"].size(), state["coefficients"].size());
  for (std::size_t i = 0; i < state["coefficients"].size(); ++i) {
    EXPECT_EQ(j["scorer"]["weights"][i]["weight"], state["coefficients"][i]);
    EXPECT_EQ(j["scorer"]["weights"][i]["feature"], bundle.pipeline.features()[i].name);
  }
}

TEST(JsonExporter, WalkingTheDescribedTreesReproducesThePredictions) {
  for (const char* family : {"rf", "gbm"}) {
    Bundle bundle = test::export_bundle(family);
    json j = export_json(bundle);
    ASSERT_EQ(j["scorer"]["type"], "tree_ensemble");
    Dataset data = test::export_customers();
    FeatureMatrix x = bundle.pipeline.transform(data);
    std::vector<double> expected = bundle.predict(data);
    const float base = as_float(j["scorer"]["base_margin"]);
    EXPECT_EQ(base, -std::log(1.0f / as_float(j["scorer"]["base_score"]) - 1.0f));
    for (std::size_t r = 0; r < x.rows; ++r) {
      float margin = base;
      for (const auto& tree : j["scorer"]["trees"]) margin += leaf_of(tree, &x.values[r * x.cols]);
      double p = 1.0 / (1.0 + std::exp(-double(margin)));
      EXPECT_NEAR(p, expected[r], 1e-6) << family << " row " << r;
    }
  }
}

TEST(JsonExporter, PcaIsDescribed) {
  Bundle bundle = test::export_bundle("gbm", 2);
  json j = export_json(bundle);
  ASSERT_TRUE(j.contains("pca"));
  EXPECT_EQ(j["pca"]["components"].size(), 2u);
  EXPECT_EQ(j["pca"]["first_model_input"], j["model_inputs"].size() - 2);
  std::size_t fed = 0;
  for (const auto& f : j["features"]) fed += f["model_input"].is_null();
  EXPECT_EQ(fed, j["pca"]["inputs"].size());
}

}  // namespace
}  // namespace smartchurn
