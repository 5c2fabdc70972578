// smartchurn explain end to end: reasons that add up to the score, actions from the playbook, clear
// errors for a bad playbook, and sensible top reasons on the public Telco data (skipped without
// it).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_runner.h"
#include "smartchurn/csv.h"

namespace smartchurn::test {
namespace {

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::size_t at(const std::string& name) const {
    auto it = std::find(header.begin(), header.end(), name);
    EXPECT_NE(it, header.end()) << name;
    return static_cast<std::size_t>(it - header.begin());
  }
};

Table read_table(const std::string& path) {
  CsvReader reader = CsvReader::open(path);
  Table t{reader.header(), {}};
  std::vector<std::string> fields;
  while (reader.next(fields)) t.rows.push_back(fields);
  return t;
}

// Copies the header and the first `rows` data rows of `from` (no quoted fields) to `to`, with the
// cell of `column` in data row `row` (0-based) replaced by `value`.
void copy_with_cell(const std::string& from, const std::string& to, int rows, int row,
                    const std::string& column, const std::string& value) {
  std::ifstream in(from);
  std::ofstream out(to);
  std::string line;
  std::getline(in, line);
  out << line << "\n";
  std::size_t index = 0;
  for (std::size_t at = 0; at < line.find(column); ++at) index += line[at] == ',';
  for (int r = 0; r < rows && std::getline(in, line); ++r) {
    if (r == row) {
      std::size_t start = 0;
      for (std::size_t k = 0; k < index; ++k) start = line.find(',', start) + 1;
      const std::size_t end = std::min(line.find(',', start), line.size());
      line.replace(start, end - start, value);
    }
    out << line << "\n";
  }
}

double logistic(double z) { return 1.0 / (1.0 + std::exp(-z)); }

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

class ExplainCommand : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    RunResult r = run_cli({"demo-data", "--rows", "2000", "--seed", "11", "-o", data()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run_cli({"train", data(), "--target", "churn", "--id", "customer_id", "--na", "Unknown",
                 "--models", "lr,gbm", "--folds", "3", "-o", model()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string data() { return dir_->file("customers.csv"); }
  static std::string model() { return dir_->file("model.json"); }
  static TempDir* dir_;
};
TempDir* ExplainCommand::dir_ = nullptr;

TEST_F(ExplainCommand, EveryReasonAddsUpToTheScoreOfEachCustomer) {
  const std::string out = dir_->file("all-reasons.csv");
  RunResult r = run_cli({"explain", "--model", model(), data(), "--top", "100", "-o", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("Explained 2000 customers"), std::string::npos) << r.err;
  const Table t = read_table(out);
  ASSERT_EQ(t.rows.size(), 2000u);
  EXPECT_EQ(t.header[0], "customer_id");
  EXPECT_EQ(t.header.back(), "recommended_action");
  const std::size_t reasons = (t.header.size() - 5) / 3;  // id, p, tier, base ... action
  EXPECT_GE(reasons, 15u);
  EXPECT_EQ(t.header[t.at("base_value") + 1], "reason_1_column");
  for (const auto& row : t.rows) {
    double log_odds = std::stod(row[t.at("base_value")]);
    for (std::size_t k = 1; k <= reasons; ++k) {
      log_odds += std::stod(row[t.at("reason_" + std::to_string(k) + "_contribution")]);
    }
    // Cells carry 6 decimals: 20 contributions round to within 1e-5 of the log-odds.
    EXPECT_NEAR(logistic(log_odds), std::stod(row[t.at("churn_probability")]), 1e-5) << row[0];
  }
}

TEST_F(ExplainCommand, ProbabilitiesEqualPredictAndActionsFollowThePlaybook) {
  const std::string out = dir_->file("explained.csv"), scored = dir_->file("scored.csv");
  ASSERT_EQ(run_cli({"explain", "--model", model(), data(), "-o", out}).exit_code, 0);
  ASSERT_EQ(run_cli({"predict", "--model", model(), data(), "-o", scored}).exit_code, 0);
  const Table explained = read_table(out), predicted = read_table(scored);
  ASSERT_EQ(explained.rows.size(), predicted.rows.size());
  EXPECT_EQ(explained.header.size(), 3u + 1u + 9u + 1u);  // --top 3 by default
  std::size_t checked = 0;
  for (std::size_t i = 0; i < explained.rows.size(); ++i) {
    const auto& row = explained.rows[i];
    EXPECT_EQ(row[0], predicted.rows[i][0]);
    EXPECT_EQ(row[1], predicted.rows[i][1]);  // churn_probability
    EXPECT_EQ(row[2], predicted.rows[i][2]);  // risk_tier
    const std::string& action = row[explained.at("recommended_action")];
    if (row[2] == "low") {
      EXPECT_EQ(action, "") << row[0];
      continue;
    }
    if (row[2] == "high") {
      EXPECT_NE(action, "") << row[0];
    }
    // The first reason, when it raises the risk and a rule of the built-in playbook matches it,
    // decides the action.
    const std::string column = row[explained.at("reason_1_column")];
    const std::string value = row[explained.at("reason_1_value")];
    if (std::stod(row[explained.at("reason_1_contribution")]) <= 0) continue;
    std::string expected;
    if (column == "contract" && value == "Month-to-month") expected = "offer_one_year_contract";
    if (column == "monthly_charges" && std::stod(value) >= 70) expected = "plan_review_discount";
    if (column == "satisfaction_score" && !value.empty() && std::stod(value) < 3) {
      expected = "satisfaction_follow_up";
    }
    if (column == "payment_method" && (value == "Electronic check" || value == "Mailed check")) {
      expected = "automatic_payment_credit";
    }
    if (expected.empty()) continue;
    EXPECT_EQ(action, expected) << row[0] << " " << column << " = " << value;
    ++checked;
  }
  EXPECT_GT(checked, 100u);
}

TEST_F(ExplainCommand, ACustomPlaybookIsUsedAndABadOneIsNamed) {
  const std::string playbook = dir_->file("playbook.json");
  std::ofstream(playbook)
      << R"({"format": 1, "actions": [{"id": "call", "title": "Call", "cost": 5}],
    "rules": [{"tiers": ["low", "medium", "high"], "action": "call"}]})";
  const std::string out = dir_->file("custom.csv");
  RunResult r = run_cli({"explain", "--model", model(), data(), "--playbook", playbook, "-o", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Table t = read_table(out);
  for (const auto& row : t.rows) EXPECT_EQ(row[t.at("recommended_action")], "call");

  std::ofstream(playbook)
      << R"({"format": 1, "actions": [{"id": "call", "title": "Call", "cost": 5}],
    "rules": [{"tiers": ["high"], "column": "contract", "action": "offer"}]})";
  r = run_cli({"explain", "--model", model(), data(), "--playbook", playbook});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find(playbook + ": rules[0].action: unknown action 'offer' (defined: call)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(ExplainCommand, UsageErrorsAndTheSamplingMethod) {
  EXPECT_EQ(run_cli({"explain", "--model", model(), data(), "--top", "0"}).exit_code, 2);
  RunResult r = run_cli({"explain", "--model", model(), data(), "--method", "exact"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown explanation method 'exact'"), std::string::npos) << r.err;
  // Sampling is reproducible for a fixed seed.
  const std::string head = dir_->file("head.csv");
  {
    std::ifstream in(data());
    std::ofstream out(head);
    std::string line;
    for (int i = 0; i < 40 && std::getline(in, line); ++i) out << line << "\n";
  }
  RunResult a =
      run_cli({"explain", "--model", model(), head, "--method", "sampling", "--seed", "5"});
  RunResult b =
      run_cli({"explain", "--model", model(), head, "--method", "sampling", "--seed", "5"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_EQ(std::count(a.out.begin(), a.out.end(), '\n'), 40);
}

TEST_F(ExplainCommand, AnUnreadableRowIsRejectedAndTheRestExplained) {
  const std::string bad = dir_->file("bad.csv");
  copy_with_cell(data(), bad, 5, 1, "tenure_months", "soon");
  const std::string out = dir_->file("bad-explained.csv");
  RunResult r = run_cli({"explain", "--model", model(), bad, "-o", out});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("line 3: column 'tenure_months': 'soon' is not a number"), std::string::npos)
      << r.err;
  EXPECT_EQ(read_table(out).rows.size(), 4u);
  EXPECT_NE(read_file(out + ".rejects.csv").find("3,tenure_months,"), std::string::npos);
}

// As predict: a column the model does not read (the target here) never rejects a row.
TEST_F(ExplainCommand, AnOddValueInTheTargetColumnDoesNotRejectTheRow) {
  const std::string odd = dir_->file("odd-target.csv");
  copy_with_cell(data(), odd, 4, 2, "churn", "Maybe");
  const std::string out = dir_->file("odd-target-explained.csv");
  RunResult r = run_cli({"explain", "--model", model(), odd, "-o", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_table(out).rows.size(), 4u);
  r = run_cli({"predict", "--model", model(), odd, "--explain", "2", "-o", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_table(out).rows.size(), 4u);
}

TEST_F(ExplainCommand, PredictWithExplainWritesTheSameColumnsAsExplain) {
  const std::string explained = dir_->file("explain-top2.csv");
  const std::string predicted = dir_->file("predict-explain2.csv");
  ASSERT_EQ(
      run_cli({"explain", "--model", model(), data(), "--top", "2", "-o", explained}).exit_code, 0);
  RunResult r = run_cli({"predict", "--model", model(), data(), "--explain", "2", "-o", predicted});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_table(predicted).header.size(), 3u + 1u + 6u + 1u);
  EXPECT_EQ(read_file(predicted), read_file(explained));

  r = run_cli({"predict", "--model", model(), data(), "--playbook", "play.json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--playbook needs --explain K"), std::string::npos) << r.err;
  r = run_cli({"predict", "--model", model(), data(), "--explain", "0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--explain"), std::string::npos) << r.err;
}

TEST(ExplainTelco, TopReasonsAreContractTenureServiceAndCharges) {
  if (!shared_data_available()) GTEST_SKIP() << "../shared/data not found";
  TempDir dir;
  const std::string telco =
      shared_data("telco-customer-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv");
  RunResult r = run_cli(
      {"train", telco, "--target", "Churn", "--id", "customerID", "-o", dir.file("telco.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_cli({"explain", "--model", dir.file("telco.json"), telco, "--top", "5", "-o",
               dir.file("explained.csv")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_table(dir.file("explained.csv")).rows.size(), 7043u);
  // The summary lists columns by mean |contribution|; the first five hold the known drivers.
  const auto top = r.err.substr(r.err.find("Top reasons"));
  std::vector<std::string> first;
  std::istringstream lines(top);
  std::string line;
  std::getline(lines, line);
  for (int i = 0; i < 5 && std::getline(lines, line); ++i) {
    first.push_back(line.substr(2, line.find(' ', 2) - 2));
  }
  RecordProperty("top_reasons", joined(first));
  for (const char* expected : {"Contract", "tenure"}) {
    EXPECT_NE(std::find(first.begin(), first.end(), expected), first.end()) << r.err;
  }
  EXPECT_TRUE(std::find(first.begin(), first.end(), "MonthlyCharges") != first.end() ||
              std::find(first.begin(), first.end(), "TotalCharges") != first.end())
      << r.err;
}

}  // namespace
}  // namespace smartchurn::test
