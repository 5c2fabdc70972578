// XGBoost interop, end to end: a small gbm and rf model are trained, exported with
// `export --format xgboost` and their data written by `transform`; Python's xgboost
// (/usr/bin/python3, Debian's python3-xgboost) loads both and must give `predict`'s probabilities.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "smartchurn/bundle.h"
#include "smartchurn/csv.h"

namespace smartchurn::test {
namespace {

const std::string kPython = "/usr/bin/python3";

bool python_xgboost_available() {
  return std::system((kPython + " -c 'import xgboost' >/dev/null 2>&1").c_str()) == 0;
}

std::string script() { return std::string(SMARTCHURN_TEST_DATA) + "/../cli/xgboost_predict.py"; }

// The second field of each line after the header: the probability of predict and of the script.
std::vector<double> probabilities(const std::string& csv) {
  std::vector<double> out;
  const auto lines = lines_of(csv);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const auto comma = lines[i].find(',');
    out.push_back(std::stod(lines[i].substr(comma + 1)));
  }
  return out;
}

class XgboostInterop : public ::testing::TestWithParam<const char*> {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const RunResult r = run_cli({"demo-data", "--rows", "800", "--seed", "11", "-o", data()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string data() { return dir_->file("customers.csv"); }
  static std::string file(const std::string& name) { return dir_->file(name); }

  static TempDir* dir_;
};

TempDir* XgboostInterop::dir_ = nullptr;

TEST_P(XgboostInterop, PythonXgboostGivesThePredictedProbabilities) {
  const std::string family = GetParam();
  const std::string bundle = file(family + ".json"), booster = file(family + ".xgboost.json");
  const std::string features = file(family + ".features.csv");
  RunResult r = run_cli({"train", data(), "--target", "churn", "--id", "customer_id", "--models",
                         family, "--folds", "2", "-o", bundle});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_cli({"export", "--model", bundle, "--format", "xgboost", "-o", booster});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_cli(
      {"transform", "--model", bundle, data(), "-o", features, "--rejects", file("rejects.csv")});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  // The header: the id column, then the model's features in order (CSV-quoted where needed).
  const Bundle loaded = load_bundle(bundle);
  std::string header = "customer_id";
  for (const auto& feature : loaded.pipeline.features()) {
    header += ",";
    append_csv_field(header, feature.name, ',', CsvCells::kRaw);
  }
  const auto feature_lines = lines_of(read_file(features));
  ASSERT_FALSE(feature_lines.empty());
  EXPECT_EQ(feature_lines[0], header);

  r = run_cli({"predict", "--model", bundle, data(), "--precision", "9", "-o",
               file(family + ".predicted.csv")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  if (!python_xgboost_available()) {
    GTEST_SKIP() << kPython << " cannot import xgboost: install python3-xgboost "
                 << "(scripts/install-deps.sh does) to run the Python round trip";
  }
  const std::string python_out = file(family + ".python.csv");
  const std::string command = kPython + " " + script() + " " + booster + " " + features +
                              " customer_id " + python_out + " >/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;

  const auto ours = probabilities(read_file(file(family + ".predicted.csv")));
  const auto theirs = probabilities(read_file(python_out));
  ASSERT_EQ(ours.size(), 800u);
  ASSERT_EQ(theirs.size(), ours.size());
  for (std::size_t i = 0; i < ours.size(); ++i) {
    // Our forests sum in float, XGBoost's predict in float too: the same to well within 1e-6
    // (predict writes 9 decimals here, so the comparison is not of its rounding).
    EXPECT_NEAR(theirs[i], ours[i], 1e-6) << family << " row " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(TreeFamilies, XgboostInterop, ::testing::Values("gbm", "rf"));

TEST(XgboostExport, LogisticRegressionIsAClearUsageError) {
  TempDir dir;
  RunResult r = run_cli({"demo-data", "--rows", "300", "--seed", "2", "-o", dir.file("d.csv")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_cli({"train", dir.file("d.csv"), "--target", "churn", "--models", "lr", "--folds", "2",
               "-o", dir.file("lr.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_cli(
      {"export", "--model", dir.file("lr.json"), "--format", "xgboost", "-o", dir.file("x.json")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("tree models (rf, gbm)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'lr'"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace smartchurn::test
