#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "smartchurn/error.h"
#include "smartchurn/playbook.h"
#include "test_support/temp_dir.h"

namespace smartchurn {
namespace {

nlohmann::json minimal() {
  return {{"format", 1},
          {"actions",
           {{{"id", "call"}, {"title", "Call"}, {"cost", 20}},
            {{"id", "contract"}, {"title", "Offer a contract"}, {"cost", 80}},
            {{"id", "discount"}, {"title", "Discount"}, {"cost", 50}}}},
          {"rules",
           {{{"tiers", {"high", "medium"}},
             {"column", "Contract"},
             {"values", {"Month-to-month"}},
             {"action", "contract"}},
            {{"tiers", {"high"}},
             {"column", {"MonthlyCharges"}},
             {"range", {{"min", 70}}},
             {"action", "discount"}},
            {{"tiers", {"high"}}, {"action", "call"}}}}};
}

// The message of the error from_json raises for `j`.
std::string error_for(const nlohmann::json& j) {
  try {
    Playbook::from_json(j, "p.json");
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData);
    return e.what();
  }
  ADD_FAILURE() << "expected an error for " << j.dump();
  return "";
}

TEST(Playbook, TheTopRaisingReasonChoosesTheAction) {
  const Playbook p = Playbook::from_json(minimal(), "p.json");
  const std::vector<Reason> reasons = {
      {"tenure", "2", 0.9}, {"monthly_charges", "95.5", 0.5}, {"Contract", "Month-to-month", 0.4}};
  // tenure has no rule; monthly_charges matches MonthlyCharges (names compare loosely) in range.
  auto r = p.recommend("high", reasons);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->action->id, "discount");
  EXPECT_EQ(r->column, "monthly_charges");
  // For medium risk only the contract rule applies.
  r = p.recommend("medium", reasons);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->action->id, "contract");
  EXPECT_EQ(recommendation_json(r)["reason"], "Contract = Month-to-month raises the churn risk");
  EXPECT_EQ(recommendation_json(r)["cost"], 80);
  // Low risk: no rule.
  EXPECT_FALSE(p.recommend("low", reasons));
  EXPECT_TRUE(recommendation_json(std::nullopt).is_null());
}

TEST(Playbook, ReasonsThatLowerTheRiskOrFallOutOfRangeAreSkipped) {
  const Playbook p = Playbook::from_json(minimal(), "p.json");
  const std::vector<Reason> reasons = {{"Contract", "Month-to-month", -0.7},
                                       {"MonthlyCharges", "45", 0.3}};
  auto r = p.recommend("high", reasons);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->action->id, "call");  // the fallback
  EXPECT_EQ(r->column, "");
  EXPECT_TRUE(recommendation_json(r)["reason"].is_null());
  EXPECT_FALSE(p.recommend("medium", reasons));
}

TEST(Playbook, ValuesMatchWithoutCaseAndMissingReadsAsMissing) {
  nlohmann::json j = minimal();
  j["rules"][0]["values"] = {"month-to-month", "(missing)"};
  const Playbook p = Playbook::from_json(j, "p.json");
  EXPECT_EQ(
      p.recommend("medium", std::vector<Reason>{{"contract", " Month-To-Month ", 0.2}})->action->id,
      "contract");
  EXPECT_EQ(p.recommend("medium", std::vector<Reason>{{"Contract", "", 0.2}})->action->id,
            "contract");
}

TEST(Playbook, OnlyTheFirstReasonsConsideredCount) {
  nlohmann::json j = minimal();
  j["reasons_considered"] = 1;
  const Playbook p = Playbook::from_json(j, "p.json");
  const std::vector<Reason> reasons = {{"tenure", "2", 0.9}, {"Contract", "Month-to-month", 0.4}};
  EXPECT_EQ(p.recommend("high", reasons)->action->id, "call");
  EXPECT_FALSE(p.recommend("medium", reasons));
}

TEST(Playbook, DefectsNameTheFileAndTheField) {
  auto with = [](auto change) {
    nlohmann::json j = minimal();
    change(j);
    return error_for(j);
  };
  EXPECT_EQ(with([](auto& j) { j["rules"][1]["action"] = "refund"; }),
            "p.json: rules[1].action: unknown action 'refund' (defined: call, contract, discount)");
  EXPECT_EQ(with([](auto& j) {
              j["rules"][0]["tiers"] = {"high", "urgent"};
            }),
            "p.json: rules[0].tiers[1]: 'urgent' is not a tier (low, medium, high)");
  EXPECT_EQ(with([](auto& j) { j["actions"][2]["cost"] = "fifty"; }),
            "p.json: actions[2].cost: must be a number, not \"fifty\"");
  EXPECT_EQ(with([](auto& j) { j["actions"][1]["cost"] = -5; }),
            "p.json: actions[1].cost: must not be negative");
  EXPECT_EQ(with([](auto& j) { j["actions"][1]["id"] = "call"; }),
            "p.json: actions[1].id: 'call' is defined twice");
  EXPECT_EQ(with([](auto& j) { j["actions"][0].erase("title"); }),
            "p.json: actions[0].title: is required");
  EXPECT_EQ(with([](auto& j) {
              j["rules"][1]["range"] = {{"min", 80}, {"max", 70}};
            }),
            "p.json: rules[1].range: min must be below max");
  EXPECT_EQ(with([](auto& j) {
              j["rules"][0]["range"] = {{"min", 1}};
            }),
            "p.json: rules[0]: give values or range, not both");
  EXPECT_EQ(
      with([](auto& j) { j["rules"][0]["colum"] = "x"; }),
      "p.json: rules[0].colum: unknown field (expected tiers, column, values, range, action)");
  EXPECT_EQ(with([](auto& j) { j["rules"][2]["values"] = {"x"}; }),
            "p.json: rules[2]: values and range need a column");
  EXPECT_EQ(with([](auto& j) { j["rules"] = nlohmann::json::array(); }),
            "p.json: rules: must be a non-empty list of rules");
  EXPECT_EQ(with([](auto& j) { j["format"] = 2; }),
            "p.json: format: this smartchurn reads playbook format 1, not 2");
  EXPECT_EQ(error_for(nlohmann::json::array()),
            "p.json: a playbook is a JSON object with actions and rules");
}

TEST(Playbook, LoadingNamesTheFileForBadJsonAndMissingFiles) {
  const test::TempDir dir("smartchurn-playbook");
  const std::string path = dir.file("bad.json");
  std::ofstream(path) << "{\"format\": 1, \"actions\": [\n";
  try {
    Playbook::load(path);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData);
    EXPECT_EQ(e.where().file, path);
    EXPECT_NE(e.message().find("not valid JSON"), std::string::npos);
  }
  std::filesystem::remove(path);
  try {
    Playbook::load(path);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIo);
  }
}

TEST(Playbook, TheBuiltInDefaultIsTheShippedFile) {
  const Playbook shipped =
      Playbook::load(std::string(SMARTCHURN_TEST_DATA) + "/../../playbooks/telecom.json");
  EXPECT_EQ(shipped.to_json(), Playbook::telecom_default().to_json());
  EXPECT_EQ(Playbook::telecom_default().source(), "built-in");
  EXPECT_GE(Playbook::telecom_default().actions().size(), 5u);
}

TEST(Playbook, TheDefaultFitsTelcoAndTheDemoColumns) {
  const Playbook& p = Playbook::telecom_default();
  auto id = [&](const std::string& tier, const Reason& reason) {
    auto r = p.recommend(tier, std::vector<Reason>{reason});
    return r ? r->action->id : std::string("none");
  };
  EXPECT_EQ(id("high", {"Contract", "Month-to-month", 1}), "offer_one_year_contract");
  EXPECT_EQ(id("high", {"contract", "Month-to-month", 1}), "offer_one_year_contract");
  EXPECT_EQ(id("medium", {"tenure", "3", 1}), "onboarding_call");
  EXPECT_EQ(id("medium", {"tenure_months", "30", 1}), "personalised_email_offer");
  EXPECT_EQ(id("high", {"InternetService", "Fiber optic", 1}), "fiber_service_review");
  EXPECT_EQ(id("high", {"payment_method", "Electronic check", 1}), "automatic_payment_credit");
  EXPECT_EQ(id("high", {"TechSupport", "No", 1}), "support_bundle_trial");
  EXPECT_EQ(id("high", {"gender", "Male", 1}), "retention_specialist_call");
  EXPECT_EQ(id("low", {"Contract", "Month-to-month", 1}), "none");
}

}  // namespace
}  // namespace smartchurn
