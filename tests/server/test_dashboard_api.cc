// The API extensions the web dashboard relies on: the score form's model inputs, the customer
// list's segment filter, and the data profile against a chosen target.
#include <gtest/gtest.h>

#include <numeric>

#include "api_fixture.h"

namespace smartchurn::server::test {
namespace {

TEST_F(ApiTest, ModelDetailsDescribeTheInputsOfAScoreForm) {
  Reply model = call("GET", "/api/v1/models/1");
  ASSERT_EQ(model.status, 200) << model.body;
  EXPECT_EQ(model.json["id_column"], "customer_id");
  const auto& inputs = model.json["inputs"];
  ASSERT_FALSE(inputs.empty());
  nlohmann::json form = nlohmann::json::object();
  bool saw_contract = false, saw_tenure = false;
  for (const auto& input : inputs) {
    const std::string name = input["name"];
    EXPECT_NE(name, "customer_id");  // the id and the target are not inputs
    EXPECT_NE(name, "churn");
    if (name == "contract") {
      saw_contract = true;
      EXPECT_EQ(input["type"], "categorical");
      auto levels = input["levels"].get<std::vector<std::string>>();
      EXPECT_NE(std::find(levels.begin(), levels.end(), "Month-to-month"), levels.end());
      EXPECT_NE(std::find(levels.begin(), levels.end(), input["default"].get<std::string>()),
                levels.end());
    }
    if (name == "tenure_months") {
      saw_tenure = true;
      EXPECT_EQ(input["type"], "numeric");
      EXPECT_TRUE(input["integer"].get<bool>());
      EXPECT_LE(input["min"].get<double>(), input["median"].get<double>());
      EXPECT_LE(input["median"].get<double>(), input["max"].get<double>());
      EXPECT_EQ(input["default"], input["median"]);
    }
    if (input["type"] == "boolean") {
      EXPECT_TRUE(input["default"] == input["true_label"] ||
                  input["default"] == input["false_label"]);
    }
    form[name] = input["default"];
  }
  EXPECT_TRUE(saw_contract);
  EXPECT_TRUE(saw_tenure);
  // The typical values make a valid customer as they are.
  Reply scored = call_json("POST", "/api/v1/predict", form);
  EXPECT_EQ(scored.status, 200) << scored.body;
}

TEST_F(ApiTest, ModelInputsWithoutTheTrainingDataHaveNoRanges) {
  ASSERT_EQ(call("DELETE", "/api/v1/datasets/1").status, 204);
  Reply model = call("GET", "/api/v1/models/1");
  ASSERT_EQ(model.status, 200) << model.body;
  for (const auto& input : model.json["inputs"]) {
    if (input["type"] != "numeric") continue;
    EXPECT_FALSE(input.contains("min")) << input.dump();
    EXPECT_TRUE(input["default"].is_null()) << input.dump();
  }
}

TEST_F(ApiTest, TheSegmentFilterMatchesTheSummarysSegments) {
  Reply summary = call("GET", "/api/v1/dashboard/summary");
  ASSERT_EQ(summary.status, 200);
  ASSERT_FALSE(summary.json["segments"].empty());
  for (const auto& segment : summary.json["segments"]) {
    const std::string column = segment["column"];
    for (const auto& value : segment["values"]) {
      Reply page = call("GET", "/api/v1/customers?limit=5&segment=" + column +
                                   "&segment_value=" + value["value"].get<std::string>());
      ASSERT_EQ(page.status, 200) << page.body;
      EXPECT_EQ(page.json["total"], value["customers"]) << column << " = " << value["value"];
      for (const auto& c : page.json["customers"]) {
        Reply one = call("GET", "/api/v1/customers/" + c["customer_id"].get<std::string>());
        const auto& input = one.json["inputs"][column];
        const std::string shown = input.is_null()     ? "(missing)"
                                  : input.is_string() ? input.get<std::string>()
                                                      : input.dump();
        EXPECT_EQ(shown, value["value"]);
      }
    }
  }
  Reply tier_and_segment =
      call("GET", "/api/v1/customers?tier=high&segment=contract&segment_value=Month-to-month");
  ASSERT_EQ(tier_and_segment.status, 200);
  for (const auto& c : tier_and_segment.json["customers"]) EXPECT_EQ(c["risk_tier"], "high");
  EXPECT_EQ(call("GET", "/api/v1/customers?segment=contract&segment_value=Never").json["total"], 0);
  Reply no_value = call("GET", "/api/v1/customers?segment=contract");
  EXPECT_EQ(no_value.status, 400);
  EXPECT_EQ(no_value.json["error"]["field"], "segment_value");
}

TEST_F(ApiTest, TheProfileAgainstATargetRatesEveryColumn) {
  Reply plain = call("GET", "/api/v1/datasets/1/profile");
  ASSERT_EQ(plain.status, 200) << plain.body;
  EXPECT_TRUE(plain.json["target"].is_null());
  EXPECT_EQ(plain.json["source"], "demo-customers.csv");

  Reply rated = call("GET", "/api/v1/datasets/1/profile?target=churn");
  ASSERT_EQ(rated.status, 200) << rated.body;
  EXPECT_EQ(rated.json["target"]["column"], "churn");
  const double rate = rated.json["target"]["rate"];
  EXPECT_GT(rate, 0.05);
  EXPECT_LT(rate, 0.6);
  int rated_columns = 0;
  for (const auto& c : rated.json["column_profiles"]) {
    if (!c["target_auc"].is_null()) ++rated_columns;
    if (c.contains("numeric")) {
      auto bins = c["numeric"]["histogram"].get<std::vector<std::size_t>>();
      EXPECT_FALSE(bins.empty());
      EXPECT_EQ(std::accumulate(bins.begin(), bins.end(), std::size_t{0}) +
                    c["missing"].get<std::size_t>(),
                rated.json["rows"].get<std::size_t>())
          << c["name"];
    }
  }
  EXPECT_GT(rated_columns, 5);

  Reply flipped = call("GET", "/api/v1/datasets/1/profile?target=churn&positive_label=No");
  ASSERT_EQ(flipped.status, 200) << flipped.body;
  EXPECT_NEAR(flipped.json["target"]["rate"].get<double>(), 1.0 - rate, 1e-9);

  Reply bad_target = call("GET", "/api/v1/datasets/1/profile?target=nope");
  EXPECT_EQ(bad_target.status, 400);
  EXPECT_EQ(bad_target.json["error"]["field"], "target");
  Reply bad_label = call("GET", "/api/v1/datasets/1/profile?target=churn&positive_label=Maybe");
  EXPECT_EQ(bad_label.status, 400);
  EXPECT_EQ(bad_label.json["error"]["field"], "positive_label");
  EXPECT_EQ(call("GET", "/api/v1/datasets/99/profile").status, 404);
}

}  // namespace
}  // namespace smartchurn::server::test
