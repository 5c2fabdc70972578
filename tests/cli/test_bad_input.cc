// `smartchurn profile` and `smartchurn train` on malformed input: exit code 3 and a message that
// says what is wrong.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli_runner.h"

namespace smartchurn::test {
namespace {

struct BadInput {
  std::string file;
  std::string message;
};

std::string bad_file(const std::string& name) {
  return std::string(SMARTCHURN_TEST_DATA) + "/bad/" + name;
}

// Test names and ctest listings show the file, not the bytes of the struct.
void PrintTo(const BadInput& input, std::ostream* os) { *os << input.file; }

class BadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadInputTest, ProfileFailsWithExitCode3AndAMessage) {
  const BadInput& c = GetParam();
  RunResult r = run_cli({"profile", bad_file(c.file), "--target", "Churn"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(c.file), std::string::npos) << r.err;  // the file is named
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST_P(BadInputTest, TrainFailsWithExitCode3AndLeavesNoBundle) {
  const BadInput& c = GetParam();
  TempDir dir;
  RunResult r = run_cli({"train", bad_file(c.file), "--target", "Churn", "-o", dir.file("m.json")});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("m.json")));
}

INSTANTIATE_TEST_SUITE_P(
    Files, BadInputTest,
    ::testing::Values(BadInput{"empty.csv", "empty file"},
                      BadInput{"header_only.csv", "no data rows"},
                      BadInput{"ragged_row.csv",
                               "ragged_row.csv:5: the record has 3 fields, the header has 4"},
                      BadInput{"unterminated_quote.csv", "unterminated quote"},
                      BadInput{"no_target_column.csv", "target column 'Churn' not found"},
                      BadInput{"one_class_target.csv", "only one class ('No')"},
                      BadInput{"binary_garbage.csv", "looks like a binary file, not CSV"}),
    [](const ::testing::TestParamInfo<BadInput>& param_info) {
      return param_info.param.file.substr(0, param_info.param.file.find('.'));
    });

TEST(BadInput, UnterminatedQuoteNamesTheLineItOpened) {
  RunResult r = run_cli({"profile", bad_file("unterminated_quote.csv"), "--target", "Churn"});
  EXPECT_NE(r.err.find("unterminated_quote.csv:3: column 'Contract'"), std::string::npos) << r.err;
}

TEST(BadInput, HugeFieldIsRejected) {
  TempDir dir;
  const std::string path = dir.file("huge_field.csv");
  {
    std::ofstream out(path, std::ios::binary);
    out << "customerID,note,Churn\nC1,short,Yes\nC2," << std::string(1 << 20, 'x') << ",No\n";
  }
  RunResult r = run_cli({"profile", path, "--target", "Churn"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("huge_field.csv:3: column 'note': field longer than 65536 bytes"),
            std::string::npos)
      << r.err;
}

TEST(BadInput, MissingFileIsAnIoError) {
  RunResult r = run_cli({"profile", bad_file("does_not_exist.csv")});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("cannot open"), std::string::npos) << r.err;
}

TEST(BadInput, UndetectedPositiveLabelIsAUsageError) {
  TempDir dir;
  const std::string path = dir.file("flag.csv");
  std::ofstream(path) << "x,Churn\n1,Attrited Customer\n2,Existing Customer\n";
  RunResult r = run_cli({"profile", path, "--target", "Churn"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--positive \"Attrited Customer\""), std::string::npos) << r.err;
}

}  // namespace
}  // namespace smartchurn::test
