// Spreadsheet formulas in ids come out neutralised from every CSV the commands write (predict -o,
// explain -o, predict --explain), and unchanged with --raw-csv; numbers we write stay as they are.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace smartchurn::test {
namespace {

const std::vector<std::string> kFormulaIds = {
    "=HYPERLINK(\"http://x\",\"y\")", "+cmd", "-1+1", "@SUM(1)", "\tTAB", "\rCR"};
// How each id reads in the output: a leading ' (then quoted where needed), or as it came.
const std::vector<std::string> kSafeCells = {"\n\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",",
                                             "\n'+cmd,",
                                             "\n'-1+1,",
                                             "\n'@SUM(1),",
                                             "\n'\tTAB,",
                                             "\n\"'\rCR\","};
const std::vector<std::string> kRawCells = {"\n\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",",
                                            "\n+cmd,",
                                            "\n-1+1,",
                                            "\n@SUM(1),",
                                            "\n\tTAB,",
                                            "\n\"\rCR\","};

class CsvCells : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const std::string demo = dir_->file("demo.csv");
    RunResult r = run_cli({"demo-data", "--rows", "600", "--seed", "5", "-o", demo});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run_cli({"train", demo, "--target", "churn", "--id", "customer_id", "--models", "lr",
                 "--folds", "2", "-o", model()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // The first rows get hostile ids (the demo's ids come first on each line, unquoted).
    std::ifstream in(demo);
    std::ofstream out(data(), std::ios::binary);
    std::string line;
    std::getline(in, line);
    out << line << "\n";
    for (std::size_t row = 0; row < kFormulaIds.size() && std::getline(in, line); ++row) {
      std::string quoted = "\"";
      for (char c : kFormulaIds[row]) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      out << quoted << "\"" << line.substr(line.find(',')) << "\n";
    }
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string data() { return dir_->file("hostile.csv"); }
  static std::string model() { return dir_->file("model.json"); }

  // Runs the command writing to an output file and returns that file.
  static std::string output_of(std::vector<std::string> args) {
    const std::string out = dir_->file("out.csv");
    args.insert(args.end(), {"--model", model(), data(), "-o", out});
    const RunResult r = run_cli(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return read_file(out);
  }
  static TempDir* dir_;
};
TempDir* CsvCells::dir_ = nullptr;

void expect_cells(const std::string& csv, const std::vector<std::string>& cells) {
  for (const std::string& cell : cells) EXPECT_NE(csv.find(cell), std::string::npos) << cell;
}

TEST_F(CsvCells, PredictNeutralisesFormulaIdsAndRawCsvKeepsThem) {
  const std::string safe = output_of({"predict"});
  expect_cells(safe, kSafeCells);
  EXPECT_EQ(safe.rfind("customer_id,churn_probability,risk_tier\n", 0), 0u);
  const std::string raw = output_of({"predict", "--raw-csv"});
  expect_cells(raw, kRawCells);
  EXPECT_EQ(raw.find('\''), std::string::npos);
}

TEST_F(CsvCells, ExplainNeutralisesTextButNotItsOwnNegativeNumbers) {
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"explain", "--top", "3"},
        std::vector<std::string>{"predict", "--explain", "3"}}) {
    const std::string safe = output_of(command);
    expect_cells(safe, kSafeCells);
    // Contributions below zero are numbers this program wrote: never escaped.
    EXPECT_NE(safe.find(",-0."), std::string::npos) << command[0];
    EXPECT_EQ(safe.find("'-0."), std::string::npos) << command[0];
    std::vector<std::string> raw_command = command;
    raw_command.push_back("--raw-csv");
    const std::string raw = output_of(raw_command);
    expect_cells(raw, kRawCells);
    EXPECT_EQ(raw.find('\''), std::string::npos) << command[0];
  }
}

}  // namespace
}  // namespace smartchurn::test
