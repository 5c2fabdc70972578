// Explanations through the API: reasons with /predict, what-if, the global view of a model,
// reasons and actions of stored customers, and actions in the overview.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "api_fixture.h"
#include "smartchurn/error.h"

namespace smartchurn::server::test {
namespace {

double logit(double p) { return std::log(p / (1 - p)); }

double sum_of(const nlohmann::json& explained) {
  double s = explained["base_value"];
  for (const auto& r : explained["reasons"]) s += r["contribution"].get<double>();
  return s;
}

TEST_F(ApiTest, PredictWithExplainReturnsTheTopReasonsAndAnAction) {
  auto customer = demo_customer(4);
  Reply plain = call_json("POST", "/api/v1/predict", customer);
  ASSERT_EQ(plain.status, 200) << plain.body;
  EXPECT_FALSE(plain.json.contains("reasons"));

  customer["explain"] = 3;
  Reply top = call_json("POST", "/api/v1/predict", customer);
  ASSERT_EQ(top.status, 200) << top.body;
  EXPECT_EQ(top.json["churn_probability"], plain.json["churn_probability"]);
  ASSERT_EQ(top.json["reasons"].size(), 3u);
  EXPECT_TRUE(top.json["base_value"].is_number());
  EXPECT_TRUE(top.json.contains("recommended_action"));
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& r = top.json["reasons"][i];
    EXPECT_EQ(r["value"], customer[r["column"].get<std::string>()]) << r.dump();
    EXPECT_TRUE(r["text"].is_string());
    if (i > 0) {
      EXPECT_GE(std::abs(top.json["reasons"][i - 1]["contribution"].get<double>()),
                std::abs(r["contribution"].get<double>()));
    }
  }

  // Enough reasons: every input column, adding up to the log-odds of the probability.
  customer["explain"] = 1000;
  Reply all = call_json("POST", "/api/v1/predict", customer);
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_GT(all.json["reasons"].size(), 15u);
  EXPECT_NEAR(sum_of(all.json), logit(all.json["churn_probability"].get<double>()), 1e-4);
}

TEST_F(ApiTest, ExplainWorksForManyCustomersAndIsValidated) {
  Reply many = call_json("POST", "/api/v1/predict",
                         {{"customers", {demo_customer(1), demo_customer(2)}}, {"explain", 2}});
  ASSERT_EQ(many.status, 200) << many.body;
  for (const auto& p : many.json["predictions"]) EXPECT_EQ(p["reasons"].size(), 2u);
  for (const nlohmann::json& bad :
       {nlohmann::json(0), nlohmann::json("3"), nlohmann::json(-2), nlohmann::json(1.5)}) {
    auto customer = demo_customer(1);
    customer["explain"] = bad;
    Reply r = call_json("POST", "/api/v1/predict", customer);
    EXPECT_EQ(r.status, 400) << bad.dump();
    EXPECT_EQ(r.json["error"]["field"], "explain");
  }
}

TEST_F(ApiTest, WhatIfEqualsPredictOnTheChangedCustomer) {
  const auto customer = demo_customer(6);
  const nlohmann::json changes = {{"contract", "Two year"}, {"monthly_charges", 25.0}};
  Reply what_if =
      call_json("POST", "/api/v1/what-if", {{"customer", customer}, {"changes", changes}});
  ASSERT_EQ(what_if.status, 200) << what_if.body;

  auto changed = customer;
  changed["contract"] = "Two year";
  changed["monthly_charges"] = 25.0;
  Reply after = call_json("POST", "/api/v1/predict", changed);
  Reply before = call_json("POST", "/api/v1/predict", customer);
  EXPECT_EQ(what_if.json["churn_probability"], after.json["churn_probability"]);
  EXPECT_EQ(what_if.json["risk_tier"], after.json["risk_tier"]);
  EXPECT_EQ(what_if.json["before"]["churn_probability"], before.json["churn_probability"]);
  EXPECT_DOUBLE_EQ(what_if.json["probability_change"].get<double>(),
                   after.json["churn_probability"].get<double>() -
                       before.json["churn_probability"].get<double>());
  EXPECT_LT(what_if.json["probability_change"].get<double>(), 0.0);  // a longer, cheaper contract

  // Every reason, with its value and contribution before and after the change.
  EXPECT_NEAR(sum_of(what_if.json), logit(after.json["churn_probability"].get<double>()), 1e-4);
  bool saw_contract = false;
  double before_sum = what_if.json["base_value"];
  for (const auto& r : what_if.json["reasons"]) {
    before_sum += r["before_contribution"].get<double>();
    EXPECT_NEAR(r["change"].get<double>(),
                r["contribution"].get<double>() - r["before_contribution"].get<double>(), 1e-12);
    // The effect in probability points: this customer's chance with and without the reason.
    const double log_odds = logit(after.json["churn_probability"].get<double>());
    const double p = after.json["churn_probability"].get<double>();
    EXPECT_NEAR(r["probability_effect"].get<double>(),
                p - 1.0 / (1.0 + std::exp(-(log_odds - r["contribution"].get<double>()))), 1e-4);
    if (r["column"] == "contract") {
      saw_contract = true;
      EXPECT_EQ(r["value"], "Two year");
      EXPECT_EQ(r["before_value"], customer["contract"]);
      EXPECT_TRUE(r["changed"].get<bool>());
    }
  }
  EXPECT_TRUE(saw_contract);
  EXPECT_NEAR(before_sum, logit(before.json["churn_probability"].get<double>()), 1e-4);

  Reply top2 = call_json("POST", "/api/v1/what-if",
                         {{"customer", customer}, {"changes", changes}, {"explain", 2}});
  EXPECT_EQ(top2.json["reasons"].size(), 2u);
}

TEST_F(ApiTest, WhatIfNamesTheBadField) {
  const auto customer = demo_customer(6);
  auto field_of = [&](const nlohmann::json& body) {
    Reply r = call_json("POST", "/api/v1/what-if", body);
    EXPECT_EQ(r.status, 400) << r.body;
    return r.json["error"].value("field", "");
  };
  EXPECT_EQ(field_of({{"changes", {{"contract", "Two year"}}}}), "customer");
  EXPECT_EQ(field_of({{"customer", customer}, {"changes", {{"shoe_size", 9}}}}),
            "changes.shoe_size");
  EXPECT_EQ(field_of({{"customer", customer}, {"changes", {{"tenure_months", "long"}}}}),
            "changes.tenure_months");
  auto broken = customer;
  broken["tenure_months"] = "long";
  EXPECT_EQ(field_of({{"customer", broken}, {"changes", {{"contract", "Two year"}}}}),
            "customer.tenure_months");
  EXPECT_EQ(field_of({{"customer", customer}, {"changes", "contract=Two year"}}), "changes");
}

TEST_F(ApiTest, TheModelCarriesItsGlobalView) {
  Reply model = call("GET", "/api/v1/models/1");
  ASSERT_EQ(model.status, 200) << model.body;
  const auto& global = model.json["explanations"];
  ASSERT_TRUE(global.is_object()) << model.body;
  EXPECT_FALSE(global["importance"].empty());
  EXPECT_FALSE(global["dependence"].empty());
  EXPECT_FALSE(global["permutation_importance"]["columns"].empty());
  EXPECT_FALSE(global["partial_dependence"].empty());
  EXPECT_TRUE(global["method"].is_string());
}

TEST_F(ApiTest, StoredCustomersCarryReasonsAndActions) {
  Reply list = call("GET", "/api/v1/customers?tier=high&limit=5");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_FALSE(list.json["customers"].empty());
  for (const auto& c : list.json["customers"]) {
    // The built-in playbook has an action for every high-risk customer.
    EXPECT_TRUE(c["recommended_action"].is_string()) << c.dump();
  }
  const std::string id = list.json["customers"][0]["customer_id"];
  Reply one = call("GET", "/api/v1/customers/" + id);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_GT(one.json["reasons"].size(), 15u);
  EXPECT_NEAR(sum_of(one.json), logit(one.json["churn_probability"].get<double>()), 1e-4);
  EXPECT_EQ(one.json["recommended_action"]["id"], list.json["customers"][0]["recommended_action"]);
  EXPECT_TRUE(one.json["recommended_action"]["title"].is_string());
}

TEST_F(ApiTest, TheOverviewCountsCustomersAndRevenuePerAction) {
  Reply summary = call("GET", "/api/v1/dashboard/summary");
  ASSERT_EQ(summary.status, 200) << summary.body;
  const auto& actions = summary.json["actions"];
  ASSERT_FALSE(actions["by_action"].empty()) << actions.dump();
  std::size_t targeted = 0;
  double revenue = 0;
  for (const auto& a : actions["by_action"]) {
    targeted += a["customers"].get<std::size_t>();
    revenue += a["monthly_revenue"].get<double>();
    EXPECT_DOUBLE_EQ(a["total_cost"].get<double>(),
                     a["cost_per_customer"].get<double>() * a["customers"].get<double>());
  }
  EXPECT_EQ(targeted + actions["customers_without_action"].get<std::size_t>(),
            summary.json["customers_scored"].get<std::size_t>());
  // Every high-risk customer is targeted, and targeted customers hold part of the revenue.
  EXPECT_GE(targeted, summary.json["tiers"]["high"].get<std::size_t>());
  EXPECT_GT(revenue, 0.0);
  EXPECT_LT(revenue, summary.json["revenue"]["monthly_total"].get<double>());
}

TEST(ServicePlaybook, ABadPlaybookStopsTheServiceWithItsFileAndField) {
  TempDir dir;
  const std::string path = dir.file("playbook.json");
  std::ofstream(path) << R"({"format": 1, "actions": [], "rules": []})";
  Store store(dir.file("data"));
  ServiceOptions options;
  options.data_dir = dir.file("data");
  options.playbook_path = path;
  try {
    ChurnService service(store, options);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData);
    EXPECT_EQ(std::string(e.what()), path + ": actions: must be a non-empty list of actions");
  }
}

}  // namespace
}  // namespace smartchurn::server::test
