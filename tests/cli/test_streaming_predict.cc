// predict cuts the file into blocks of whole records that threads score, and writes them in file
// order: the output must not depend on the block size, on the number of threads, or on where
// block boundaries fall among rejected rows.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace smartchurn::test {
namespace {

constexpr int kRows = 50000;

void write_lines(const std::string& path, const std::vector<std::string>& lines) {
  std::ofstream out(path, std::ios::binary);
  for (const auto& l : lines) out << l << '\n';
}

class StreamingPredict : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    RunResult r =
        run_cli({"demo-data", "--rows", "3000", "--seed", "11", "-o", dir_->file("t.csv")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run_cli({"train", dir_->file("t.csv"), "--models", "gbm", "--target", "churn", "--id",
                 "customer_id", "--na", "Unknown", "-o", model()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run_cli({"demo-data", "--rows", std::to_string(kRows), "--seed", "12", "-o", data()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string model() { return dir_->file("model.json"); }
  static std::string data() { return dir_->file("customers.csv"); }

  // Scores `input` into `name` and returns the run; the output is read with read_file(file(name)).
  static RunResult predict(const std::string& input, const std::string& name,
                           const std::vector<std::string>& options) {
    std::vector<std::string> args = {"predict", "--model", model(), input, "-o", dir_->file(name)};
    args.insert(args.end(), options.begin(), options.end());
    return run_cli(args);
  }

  static TempDir* dir_;
};
TempDir* StreamingPredict::dir_ = nullptr;

TEST_F(StreamingPredict, SameBytesWhateverThreadsAndBlockSize) {
  RunResult one = predict(data(), "one.csv", {"--threads", "1"});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const std::string expected = read_file(dir_->file("one.csv"));
  auto lines = lines_of(expected);
  ASSERT_EQ(lines.size(), std::size_t{kRows} + 1);
  EXPECT_EQ(lines[0], "customer_id,churn_probability,risk_tier");
  struct Run {
    std::string name;
    std::vector<std::string> options;
  };
  for (const Run& run : {Run{"two.csv", {"--threads", "2"}},
                         Run{"two-small.csv", {"--threads", "2", "--block-bytes", "997"}},
                         Run{"one-small.csv", {"--threads", "1", "--block-bytes", "4096"}},
                         Run{"three-rows.csv", {"--threads", "3", "--block-bytes", "1"}}}) {
    RunResult r = predict(data(), run.name, run.options);
    ASSERT_EQ(r.exit_code, 0) << run.name << ": " << r.err;
    EXPECT_TRUE(read_file(dir_->file(run.name)) == expected) << run.name;
    EXPECT_EQ(r.err, one.err) << run.name;  // the same unseen-value warnings, summed
  }
}

TEST_F(StreamingPredict, SameAsScoringThePiecesOfTheFileSeparately) {
  auto lines = lines_of(read_file(data()));
  const std::size_t split = 20001;  // data rows 1..20000 in the first piece
  write_lines(dir_->file("a.csv"), std::vector<std::string>(lines.begin(), lines.begin() + split));
  std::vector<std::string> second = {lines[0]};
  second.insert(second.end(), lines.begin() + split, lines.end());
  write_lines(dir_->file("b.csv"), second);
  ASSERT_EQ(predict(dir_->file("a.csv"), "a-scored.csv", {"--threads", "1"}).exit_code, 0);
  ASSERT_EQ(predict(dir_->file("b.csv"), "b-scored.csv", {"--threads", "1"}).exit_code, 0);
  std::string joined = read_file(dir_->file("a-scored.csv"));
  std::string b = read_file(dir_->file("b-scored.csv"));
  joined += b.substr(b.find('\n') + 1);  // without its header
  RunResult whole = predict(data(), "whole.csv", {"--threads", "2", "--block-bytes", "300000"});
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  EXPECT_TRUE(read_file(dir_->file("whole.csv")) == joined);
}

TEST_F(StreamingPredict, RejectsAcrossChunkBoundariesKeepTheirLines) {
  auto lines = lines_of(read_file(data()));
  // Physical line n is lines[n - 1]. With blocks of 1 byte every record is a block of its own;
  // with 64 KiB blocks some of lines 1001-1003 likely straddle a boundary. The last line is
  // rejected after the last kept row.
  for (std::size_t line : {std::size_t{1001}, std::size_t{1002}, std::size_t{1003}}) {
    lines[line - 1] = "X" + std::to_string(line) + ",ragged";
  }
  lines[kRows] = "XLAST,ragged";  // physical line 50001
  std::string bad = dir_->file("bad.csv");
  write_lines(bad, lines);
  const std::string expected_rejects =
      "line,column,reason\n"
      "1001,,\"the record has 2 fields, the header has 23\"\n"
      "1002,,\"the record has 2 fields, the header has 23\"\n"
      "1003,,\"the record has 2 fields, the header has 23\"\n"
      "50001,,\"the record has 2 fields, the header has 23\"\n";
  std::string first_scored;
  for (const char* threads : {"1", "2"}) {
    const std::string name = std::string("bad-scored-") + threads + ".csv";
    RunResult r = predict(
        bad, name, {"--threads", threads, "--block-bytes", threads[0] == '1' ? "1" : "65536"});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("4 of 50000 rows could not be read"), std::string::npos) << r.err;
    EXPECT_EQ(read_file(dir_->file(name) + ".rejects.csv"), expected_rejects);
    std::string scored = read_file(dir_->file(name));
    EXPECT_EQ(lines_of(scored).size(), std::size_t{kRows} - 4 + 1);
    if (first_scored.empty()) {
      first_scored = scored;
    } else {
      EXPECT_TRUE(scored == first_scored);
    }
  }
}

TEST_F(StreamingPredict, AnUnreadableFileLeavesNoHalfWrittenOutput) {
  auto lines = lines_of(read_file(data()));
  lines[5] = "X6,ragged";  // a reject before the problem: its rejects file goes too
  lines[30000] += ",\"unterminated";
  std::string broken = dir_->file("broken.csv");
  write_lines(broken, lines);
  RunResult r = predict(broken, "broken-scored.csv", {"--threads", "2", "--block-bytes", "1000"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  // The quote opened on line 30001 runs to the end of the file, past the field size limit.
  EXPECT_NE(r.err.find("broken.csv:30001: field longer than 65536 bytes (is the quote opened on "
                       "line 30001 closed?)"),
            std::string::npos)
      << r.err;
  std::ifstream out(dir_->file("broken-scored.csv"));
  EXPECT_FALSE(out.good());
  std::ifstream rejects(dir_->file("broken-scored.csv.rejects.csv"));
  EXPECT_FALSE(rejects.good());
}

TEST_F(StreamingPredict, BadThreadOrBlockSizesAreUsageErrors) {
  EXPECT_EQ(predict(data(), "x.csv", {"--threads", "-1"}).exit_code, 2);
  EXPECT_EQ(predict(data(), "x.csv", {"--block-bytes", "0"}).exit_code, 2);
}

}  // namespace
}  // namespace smartchurn::test
