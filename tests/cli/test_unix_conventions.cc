// What a shell user expects of a Unix tool: "-" for standard input and output, gzip-compressed
// input read as it is, a chosen precision, nothing written to the current directory unasked, and
// clear words for an unknown command or config key.
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli_runner.h"

namespace smartchurn::test {
namespace {

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

void write_gzip(const std::string& path, const std::string& text) {
  gzFile file = gzopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  ASSERT_EQ(gzwrite(file, text.data(), static_cast<unsigned>(text.size())),
            static_cast<int>(text.size()));
  ASSERT_EQ(gzclose(file), Z_OK);
}

class UnixConventions : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    RunResult r = run_cli({"demo-data", "--rows", "600", "--seed", "5", "-o", data()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run_cli({"train", data(), "--models", "lr", "--target", "churn", "--id", "customer_id",
                 "--no-global-view", "-o", model()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run_cli({"predict", "-m", model(), data()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    *scored_ = r.out;
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string data() { return dir_->file("customers.csv"); }
  static std::string model() { return dir_->file("model.json"); }
  static std::string scored() { return *scored_; }

  static TempDir* dir_;
  static std::string* scored_;
};
TempDir* UnixConventions::dir_ = nullptr;
std::string* UnixConventions::scored_ = new std::string;

TEST_F(UnixConventions, DashReadsStandardInputAndWritesStandardOutput) {
  const RunResult r = run_cli({"predict", "-m", model(), "-", "-o", "-"}, {data(), ""});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, scored());
  EXPECT_FALSE(std::filesystem::exists("-"));

  const RunResult bundle_in = run_cli({"predict", "-m", "-", data()}, {model(), ""});
  ASSERT_EQ(bundle_in.exit_code, 0) << bundle_in.err;
  EXPECT_EQ(bundle_in.out, scored());

  TempDir cwd;
  const RunResult exported =
      run_cli({"export", "-m", model(), "-f", "json", "-o", "-"}, {"/dev/null", cwd.path()});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_EQ(exported.out.front(), '{');
  EXPECT_TRUE(std::filesystem::is_empty(cwd.path()));
  EXPECT_EQ(run_cli({"export", "-m", model(), "-f", "c", "-o", "-"}).exit_code, 2);
}

TEST_F(UnixConventions, TrainWritesTheBundleToStandardOutputAndTheReportToStderr) {
  const RunResult r = run_cli({"train", "-", "--models", "lr", "--target", "churn", "--id",
                               "customer_id", "--no-global-view", "-o", "-"},
                              {data(), ""});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("Leaderboard"), std::string::npos) << r.err;
  ASSERT_EQ(r.out.front(), '{');
  write_text(dir_->file("piped.json"), r.out);
  const RunResult scored_again = run_cli({"predict", "-m", dir_->file("piped.json"), data()});
  ASSERT_EQ(scored_again.exit_code, 0) << scored_again.err;
  EXPECT_EQ(scored_again.out, scored());
}

TEST_F(UnixConventions, GzipInputIsReadWhateverItsNameAndFromStandardInput) {
  write_gzip(dir_->file("customers.csv.gz"), read_file(data()));
  write_gzip(dir_->file("plain-name.csv"), read_file(data()));
  for (const auto& path : {dir_->file("customers.csv.gz"), dir_->file("plain-name.csv")}) {
    const RunResult r = run_cli({"predict", "-m", model(), path});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, scored()) << path;
  }
  const RunResult piped =
      run_cli({"predict", "-m", model(), "-"}, {dir_->file("customers.csv.gz"), ""});
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(piped.out, scored());
  // Training data compressed or not has one fingerprint: that of its CSV text.
  const RunResult trained = run_cli({"train", dir_->file("customers.csv.gz"), "--models", "lr",
                                     "--target", "churn", "--no-global-view", "-o", "-"});
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  const std::string sha_key = "\"sha256\":\"";
  const auto sha_of = [&](const std::string& bundle) {
    const auto at = bundle.find(sha_key);
    return at == std::string::npos ? std::string() : bundle.substr(at + sha_key.size(), 64);
  };
  EXPECT_EQ(sha_of(trained.out).size(), 64u);
  EXPECT_EQ(sha_of(trained.out), sha_of(read_file(model())));
}

TEST_F(UnixConventions, DamagedGzipIsBadDataNamingTheFile) {
  std::string compressed;
  write_gzip(dir_->file("whole.csv.gz"), read_file(data()));
  compressed = read_file(dir_->file("whole.csv.gz"));
  write_text(dir_->file("cut.csv.gz"), compressed.substr(0, compressed.size() / 2));
  std::string flipped = compressed;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x55);
  write_text(dir_->file("flipped.csv.gz"), flipped);
  for (const char* name : {"cut.csv.gz", "flipped.csv.gz"}) {
    const RunResult r =
        run_cli({"predict", "-m", model(), dir_->file(name), "-o", dir_->file("o.csv")});
    EXPECT_EQ(r.exit_code, 3) << name << ": " << r.err;
    EXPECT_NE(r.err.find(name), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("gzip"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir_->file("o.csv"))) << "a half-written output is left";
  }
}

TEST_F(UnixConventions, PrecisionSetsTheDecimalsOfProbabilities) {
  for (const std::string command : {"predict", "explain"}) {
    const RunResult r = run_cli({command, "-m", model(), data(), "--precision", "2"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto lines = lines_of(r.out);
    ASSERT_GT(lines.size(), 1u);
    const std::string first = lines[1].substr(lines[1].find(',') + 1);
    EXPECT_EQ(first.find(','), 4u) << command << ": " << lines[1];  // "0.xx,"
  }
  EXPECT_EQ(run_cli({"predict", "-m", model(), data(), "--precision", "18"}).exit_code, 2);
}

TEST_F(UnixConventions, RejectedRowsNeverLandInTheWorkingDirectoryUnasked) {
  const std::string bad = dir_->file("bad.csv");
  write_text(bad, read_file(data()) + "C999,oops\n");
  TempDir cwd;
  for (const std::string command : {"predict", "explain", "evaluate", "transform"}) {
    const RunResult r = run_cli({command, "-m", model(), bad}, {"/dev/null", cwd.path()});
    EXPECT_EQ(r.exit_code, 3) << command << ": " << r.err;
    EXPECT_NE(r.err.find("--rejects FILE"), std::string::npos) << r.err;
    EXPECT_TRUE(std::filesystem::is_empty(cwd.path())) << command << " wrote into the directory";
  }
  // With an output file, the rejects go beside it; --rejects puts them where asked.
  const RunResult beside = run_cli({"predict", "-m", model(), bad, "-o", dir_->file("s.csv")});
  EXPECT_EQ(beside.exit_code, 3);
  EXPECT_TRUE(std::filesystem::exists(dir_->file("s.csv.rejects.csv")));
  const RunResult asked =
      run_cli({"evaluate", "-m", model(), bad, "--rejects", dir_->file("r.csv")});
  EXPECT_EQ(asked.exit_code, 3);
  EXPECT_NE(read_file(dir_->file("r.csv")).find("line,column,reason"), std::string::npos);
}

TEST(UnixCommandLine, AnUnknownCommandIsNamed) {
  const RunResult r = run_cli({"frobnicate", "x"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown command 'frobnicate'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("predict"), std::string::npos) << r.err;
}

TEST(UnixCommandLine, AnUnknownConfigKeyIsAnErrorNamingIt) {
  TempDir dir;
  write_text(dir.file("serve.json"), R"({"port": 8080, "max_conections": 10})");
  const RunResult r =
      run_cli({"serve", "--config", dir.file("serve.json"), "--data-dir", dir.file("data")});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("unknown key 'max_conections'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("max_connections"), std::string::npos) << r.err;  // the right spelling
  EXPECT_FALSE(std::filesystem::exists(dir.file("data"))) << "the store was opened first";
}

}  // namespace
}  // namespace smartchurn::test
