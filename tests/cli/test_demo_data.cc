#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "cli_runner.h"

namespace smartchurn::test {

namespace {

std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

TEST(CliDemoData, WritesTheRequestedRowsToAFile) {
  TempDir dir;
  const std::string path = dir.file("demo.csv");
  auto r = run_cli({"demo-data", "--rows", "250", "--seed", "3", "-o", path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string csv = read_file(path);
  EXPECT_EQ(csv.rfind("customer_id,signup_month,", 0), 0u);
  EXPECT_EQ(line_count(csv), 251u);
  EXPECT_TRUE(r.out.empty());
}

TEST(CliDemoData, WritesToStdoutWithoutOutputOrWithDash) {
  TempDir dir;
  const std::string path = dir.file("demo.csv");
  ASSERT_EQ(run_cli({"demo-data", "--rows", "120", "--seed", "9", "-o", path}).exit_code, 0);
  auto plain = run_cli({"demo-data", "--rows", "120", "--seed", "9"});
  auto dash = run_cli({"demo-data", "--rows", "120", "--seed", "9", "-o", "-"});
  EXPECT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(dash.exit_code, 0) << dash.err;
  EXPECT_EQ(plain.out, read_file(path));
  EXPECT_EQ(dash.out, plain.out);
}

TEST(CliDemoData, TooFewRowsIsAUsageError) {
  auto r = run_cli({"demo-data", "--rows", "5"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("rows"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST(CliDemoData, NonNumericOrNegativeRowsIsAUsageError) {
  EXPECT_EQ(run_cli({"demo-data", "--rows", "many"}).exit_code, 2);
  auto negative = run_cli({"demo-data", "--rows", "-500"});
  EXPECT_EQ(negative.exit_code, 2);
  EXPECT_NE(negative.err.find("negative"), std::string::npos) << negative.err;
}

TEST(CliDemoData, UnwritableOutputIsAnIoError) {
  auto r = run_cli({"demo-data", "--rows", "100", "-o", "/nonexistent-dir/demo.csv"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/nonexistent-dir/demo.csv"), std::string::npos) << r.err;
}

}  // namespace smartchurn::test
