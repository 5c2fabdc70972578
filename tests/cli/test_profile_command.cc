// `smartchurn profile` on good input: text and JSON output.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace smartchurn::test {
namespace {

std::string good_file(const std::string& name) {
  return std::string(SMARTCHURN_TEST_DATA) + "/" + name;
}

TEST(ProfileCommand, PrintsATextTable) {
  RunResult r = run_cli({"profile", good_file("semicolon.csv"), "--target", "Churn"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("2 rows x 3 columns"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("target: Churn (positive 'Yes'): 1 of 2 rows, rate 50.00%"),
            std::string::npos)
      << r.out;
}

TEST(ProfileCommand, PrintsOneJsonObject) {
  RunResult r =
      run_cli({"profile", good_file("quoted.csv"), "--json", "--id", "name", "--na", "x"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["rows"], 3);
  EXPECT_EQ(j["column_profiles"][1]["type"], "identifier");
  EXPECT_EQ(j["column_profiles"][2]["missing"], 2);  // "" and the --na token "x"
  EXPECT_TRUE(j["target"].is_null());
}

TEST(ProfileCommand, RejectsABadDelimiter) {
  RunResult r = run_cli({"profile", good_file("tab.csv"), "--delimiter", "||"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--delimiter takes one character or 'tab'"), std::string::npos) << r.err;
  RunResult tab = run_cli({"profile", good_file("tab.csv"), "--delimiter", "tab", "--json"});
  EXPECT_EQ(tab.exit_code, 0) << tab.err;
}

// The column cap is a flag: a header wider than it is bad data naming the file and the column.
TEST(ProfileCommand, MaxColumnsRefusesAWiderHeader) {
  RunResult narrow = run_cli({"profile", good_file("semicolon.csv"), "--max-columns", "2"});
  EXPECT_EQ(narrow.exit_code, 3) << narrow.err;
  EXPECT_NE(narrow.err.find("semicolon.csv"), std::string::npos) << narrow.err;
  EXPECT_NE(narrow.err.find("at most 2"), std::string::npos) << narrow.err;
  RunResult enough = run_cli({"profile", good_file("semicolon.csv"), "--max-columns", "3"});
  EXPECT_EQ(enough.exit_code, 0) << enough.err;
  RunResult unlimited = run_cli({"profile", good_file("semicolon.csv"), "--max-columns", "0"});
  EXPECT_EQ(unlimited.exit_code, 0) << unlimited.err;
}

}  // namespace
}  // namespace smartchurn::test
