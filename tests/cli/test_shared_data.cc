// Accuracy on the public churn data sets with default settings (no per-data-set tuning), through
// the real binary: 5-fold stratified CV ROC-AUC of the best model and of logistic regression, at
// the levels a standard scikit-learn / XGBoost pipeline reaches. Skipped when ../shared/data is
// absent.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace smartchurn::test {
namespace {

struct Case {
  std::string name;
  std::string file;
  std::vector<std::string> args;
  double best_at_least;
  double lr_at_least;  // 0: not asserted
};
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

double cv_auc(const nlohmann::json& train, const std::string& model) {
  for (const auto& m : train["models"]) {
    if (m["name"] == model) return m["cv"]["roc_auc"]["mean"];
  }
  return -1;
}

class SharedData : public ::testing::TestWithParam<Case> {};

TEST_P(SharedData, TrainReachesTheReferenceAccuracyAndScoresEveryRow) {
  if (!shared_data_available())
    GTEST_SKIP() << "../shared/data not found; skipping " << GetParam().name;
  const Case& c = GetParam();
  TempDir dir;
  std::vector<std::string> args{"train", shared_data(c.file), "--json", "-o", dir.file("m.json")};
  args.insert(args.end(), c.args.begin(), c.args.end());
  RunResult r = run_cli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  double best = cv_auc(j, j["best"]);
  RecordProperty("best_roc_auc", std::to_string(best));
  EXPECT_GE(best, c.best_at_least) << j["models"].dump();
  if (c.lr_at_least > 0) {
    EXPECT_GE(cv_auc(j, "lr"), c.lr_at_least) << j["models"].dump();
  }

  RunResult scored = run_cli({"predict", "--model", dir.file("m.json"), shared_data(c.file), "-o",
                              dir.file("scored.csv")});
  ASSERT_EQ(scored.exit_code, 0) << scored.err;
  std::string text = read_file(dir.file("scored.csv"));
  EXPECT_EQ(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')),
            j["rows"].get<std::size_t>() + 1);
}

INSTANTIATE_TEST_SUITE_P(
    Sets, SharedData,
    ::testing::Values(
        Case{"telco",
             "telco-customer-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv",
             {"--target", "Churn", "--id", "customerID"},
             0.845,
             0.843},
        Case{"bank",
             "bank-churn-modelling/Churn_Modelling.csv",
             {"--target", "Exited", "--id", "RowNumber", "--id", "CustomerId", "--id", "Surname"},
             0.865,
             0},
        Case{"bank_churners",
             "credit-card-churners/BankChurners.csv",
             {"--target", "Attrition_Flag", "--positive", "Attrited Customer", "--id", "CLIENTNUM"},
             0.99,
             0},
        Case{"isp",
             "isp-customer-churn/internet_service_churn.csv",
             {"--target", "churn", "--id", "id"},
             0.97,
             0}),
    [](const ::testing::TestParamInfo<Case>& param_info) { return param_info.param.name; });

TEST(SharedDataLeakage, BankChurnersLeakageColumnsAreLeftOutUnlessAsked) {
  if (!shared_data_available()) GTEST_SKIP() << "../shared/data not found";
  TempDir dir;
  const std::string file = shared_data("credit-card-churners/BankChurners.csv");
  RunResult r =
      run_cli({"train", file, "--target", "Attrition_Flag", "--positive", "Attrited Customer",
               "--models", "lr", "--json", "-o", dir.file("m.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  int leakage = 0;
  for (const auto& e : j["excluded_columns"]) {
    if (e["reason"].get<std::string>().find("leakage") != std::string::npos) {
      EXPECT_EQ(e["column"].get<std::string>().rfind("Naive_Bayes_Classifier_", 0), 0u);
      ++leakage;
    }
  }
  EXPECT_EQ(leakage, 2);
  r = run_cli({"train", file, "--target", "Attrition_Flag", "--positive", "Attrited Customer",
               "--models", "lr", "--keep-leakage", "--json", "-o", dir.file("m.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GT(cv_auc(nlohmann::json::parse(r.out), "lr"), 0.999);  // what leakage looks like
}

}  // namespace
}  // namespace smartchurn::test
