// The whole CLI flow on generated demo data: demo-data, train, predict, evaluate, and what a user
// gets back from bad scoring input.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_runner.h"

namespace smartchurn::test {
namespace {

class TrainPredict : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    RunResult r = run_cli({"demo-data", "--rows", "3000", "--seed", "7", "-o", data()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run_cli(
        {"train", data(), "--target", "churn", "--id", "customer_id", "-o", model(), "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    train_output_ = new nlohmann::json(nlohmann::json::parse(r.out));
  }
  static void TearDownTestSuite() {
    delete train_output_;
    delete dir_;
  }
  static std::string data() { return dir_->file("customers.csv"); }
  static std::string model() { return dir_->file("model.json"); }

  static TempDir* dir_;
  static nlohmann::json* train_output_;
};
TempDir* TrainPredict::dir_ = nullptr;
nlohmann::json* TrainPredict::train_output_ = nullptr;

TEST_F(TrainPredict, TrainJsonHasTheDocumentedShape) {
  const auto& j = *train_output_;
  ASSERT_EQ(j["models"].size(), 3u);
  for (const auto& m : j["models"]) {
    for (const char* metric : {"roc_auc", "pr_auc", "f1", "accuracy", "log_loss"}) {
      EXPECT_TRUE(m["cv"][metric]["mean"].is_number()) << metric;
      EXPECT_TRUE(m["cv"][metric]["std"].is_number()) << metric;
    }
  }
  EXPECT_EQ(j["best"], j["models"][0]["name"]);
  EXPECT_EQ(j["bundle"], model());
  EXPECT_TRUE(std::filesystem::exists(model()));
}

TEST_F(TrainPredict, DemoChurnIsLearnableButNotTrivial) {
  double best = (*train_output_)["models"][0]["cv"]["roc_auc"]["mean"];
  EXPECT_GE(best, 0.80);
  EXPECT_LE(best, 0.92);
  EXPECT_GT((*train_output_)["duplicates_removed"].get<int>(), 0);
}

TEST_F(TrainPredict, PredictWritesIdProbabilityAndTierForEveryRow) {
  std::string out = dir_->file("scored.csv");
  RunResult r = run_cli({"predict", "--model", model(), data(), "-o", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = lines_of(read_file(out));
  ASSERT_EQ(lines.size(), 3001u);
  EXPECT_EQ(lines[0], "customer_id,churn_probability,risk_tier");
  for (std::size_t i = 1; i < lines.size(); ++i) {
    auto first = lines[i].find(','), second = lines[i].rfind(',');
    double p = std::stod(lines[i].substr(first + 1, second - first - 1));
    std::string tier = lines[i].substr(second + 1);
    ASSERT_TRUE(p >= 0 && p <= 1) << lines[i];
    EXPECT_EQ(tier, p >= 0.6 ? "high" : p >= 0.3 ? "medium" : "low") << lines[i];
  }
}

TEST_F(TrainPredict, PredictToStdoutAndCustomTiers) {
  RunResult r = run_cli({"predict", "--model", model(), data(), "--tiers", "0.1,0.2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = lines_of(r.out);
  EXPECT_EQ(lines.size(), 3001u);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    auto first = lines[i].find(','), second = lines[i].rfind(',');
    double p = std::stod(lines[i].substr(first + 1, second - first - 1));
    EXPECT_EQ(lines[i].substr(second + 1), p >= 0.2   ? "high"
                                           : p >= 0.1 ? "medium"
                                                      : "low")
        << lines[i];
  }
  EXPECT_EQ(run_cli({"predict", "--model", model(), data(), "--tiers", "0.5,0.2"}).exit_code, 2);
}

TEST_F(TrainPredict, EvaluateReportsTheMetrics) {
  RunResult r = run_cli({"evaluate", "--model", model(), data(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_GT(j["metrics"]["roc_auc"].get<double>(), 0.8);
  EXPECT_EQ(j["rows"], 3000);
  EXPECT_EQ(j["lift"].size(), 10u);
  r = run_cli({"evaluate", "--model", model(), data()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Confusion matrix"), std::string::npos) << r.out;
}

TEST_F(TrainPredict, TextInANumericColumnIsRejectedAndTheRestScored) {
  auto lines = lines_of(read_file(data()));
  // Replace tenure_months (found by header position) on the data line 3 with text.
  std::vector<std::string> header;
  std::stringstream hs(lines[0]);
  for (std::string h; std::getline(hs, h, ',');) header.push_back(h);
  auto col = std::find(header.begin(), header.end(), "tenure_months") - header.begin();
  std::vector<std::string> cells;
  std::stringstream rs(lines[2]);
  for (std::string c; std::getline(rs, c, ',');) cells.push_back(c);
  cells[std::size_t(col)] = "twelve";
  lines[2].clear();
  for (std::size_t i = 0; i < cells.size(); ++i) lines[2] += (i ? "," : "") + cells[i];
  std::string bad = dir_->file("bad.csv");
  {
    std::ofstream out(bad);
    for (const auto& l : lines) out << l << "\n";
  }
  std::string out = dir_->file("bad-scored.csv");
  RunResult r = run_cli({"predict", "--model", model(), bad, "-o", out});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("1 of 3000 rows could not be read"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 3: column 'tenure_months': 'twelve' is not a number"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(lines_of(read_file(out)).size(), 3000u);  // header + 2999 scored
  std::string rejects = read_file(out + ".rejects.csv");
  EXPECT_NE(rejects.find("3,tenure_months,"), std::string::npos) << rejects;
}

TEST_F(TrainPredict, MissingRequiredColumnIsNamed) {
  std::string path = dir_->file("no_contract.csv");
  std::ofstream(path) << "customer_id,tenure_months\nC1,3\n";
  RunResult r = run_cli({"predict", "--model", model(), path});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("'contract'"), std::string::npos) << r.err;
}

TEST_F(TrainPredict, IncompatibleBundleNamesBothVersions) {
  auto j = nlohmann::json::parse(read_file(model()));
  j["format_version"] = 0;
  std::string path = dir_->file("old.json");
  std::ofstream(path) << j.dump();
  RunResult r = run_cli({"predict", "--model", path, data()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("format version 0"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("reads format version 1"), std::string::npos) << r.err;
}

TEST_F(TrainPredict, SameSeedSameBundleAndPredictions) {
  setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  std::string a = dir_->file("a.json"), b = dir_->file("b.json");
  for (const auto& out : {a, b}) {
    RunResult r = run_cli({"train", data(), "--target", "churn", "--id", "customer_id", "--models",
                           "lr,gbm", "-o", out});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  unsetenv("SOURCE_DATE_EPOCH");
  EXPECT_EQ(read_file(a), read_file(b));
  EXPECT_EQ(run_cli({"predict", "--model", a, data()}).out,
            run_cli({"predict", "--model", b, data()}).out);
}

TEST_F(TrainPredict, RepeatableOptionsLeaveTheDataFilePositional) {
  // --na, --id and --models before the file must not swallow it.
  RunResult r = run_cli({"train", "--na", "Unknown", "--id", "customer_id", "--models", "lr",
                         data(), "--target", "churn", "-o", dir_->file("order.json")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = run_cli(
      {"predict", "--model", model(), "--na", "Unknown", data(), "-o", dir_->file("o.csv")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(TrainPredict, UsageErrorsExitWith2) {
  EXPECT_EQ(run_cli({"train", data()}).exit_code, 2);  // no --target
  EXPECT_EQ(run_cli({"train", data(), "--target", "churn", "--models", "svm"}).exit_code, 2);
  EXPECT_EQ(run_cli({"train", data(), "--target", "churn", "--param", "gbm.depth=3"}).exit_code, 2);
  EXPECT_EQ(
      run_cli({"train", data(), "--target", "churn", "--param", "gbm.max_depth=99"}).exit_code, 2);
  EXPECT_EQ(run_cli({"train", data(), "--target", "nope"}).exit_code, 3);
}

TEST_F(TrainPredict, AFailedTrainLeavesTheExistingBundleUntouched) {
  std::string before = read_file(model());
  RunResult r = run_cli({"train", std::string(SMARTCHURN_TEST_DATA) + "/bad/one_class_target.csv",
                         "--target", "Churn", "-o", model()});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(read_file(model()), before);
}

}  // namespace
}  // namespace smartchurn::test
