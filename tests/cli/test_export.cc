// smartchurn export, end to end: bundles trained on the shared data sets and on a small hand-built
// file are exported as C, compiled with the system cc next to a generated driver holding the rows'
// values as literals, run, and every probability compared with Bundle::predict on the same rows.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_runner.h"
#include "export/c_text.h"
#include "smartchurn/bundle.h"
#include "smartchurn/csv.h"
#include "smartchurn/dataset.h"
#include "smartchurn/trainer.h"

namespace smartchurn::test {
namespace {

constexpr std::size_t kMaxRows = 500;

bool have_cc() { return std::system("command -v cc >/dev/null 2>&1") == 0; }

std::string double_literal(double value) {
  if (std::isnan(value)) return "NAN";
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Raw CSV fields of every record, by the physical line it starts on.
std::map<std::size_t, std::vector<std::string>> records_by_line(const std::string& path,
                                                                std::vector<std::string>& header) {
  CsvReader reader = CsvReader::open(path);
  header = reader.header();
  std::map<std::size_t, std::vector<std::string>> out;
  std::vector<std::string> fields;
  bool ragged = false;
  while (reader.next_lenient(fields, ragged)) out[reader.record_line()] = fields;
  return out;
}

// A C driver printing the probability of each row: numeric and boolean cells as parsed by
// read_with_schema, categorical cells as the raw CSV text (so the C side meets missing tokens and
// unseen levels itself).
std::string driver_source(const Bundle& bundle, const Dataset& data, const std::string& csv,
                          std::size_t rows) {
  std::vector<std::string> header;
  auto records = records_by_line(csv, header);
  const auto& inputs = bundle.required_columns();
  std::ostringstream values, texts;
  for (std::size_t r = 0; r < rows; ++r) {
    values << "  {";
    texts << "  {";
    const auto& fields = records.at(data.lines[r]);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const Column& column = data.column(inputs[i]);
      std::string separator = i ? ", " : "";
      if (column.type() == ColumnType::kCategorical) {
        auto field = std::find(header.begin(), header.end(), inputs[i]) - header.begin();
        values << separator << "NAN";
        texts << separator << exporter::c_string(fields[std::size_t(field)]);
      } else {
        values << separator << double_literal(column.values[r]);
        texts << separator << "NULL";
      }
    }
    values << "},\n";
    texts << "},\n";
  }
  std::ostringstream out;
  out << "#include <math.h>\n#include <stdio.h>\n#include <string.h>\n#include \"scorer.h\"\n"
      << "static const double values[" << rows << "][SMARTCHURN_INPUT_COUNT] = {\n"
      << values.str() << "};\nstatic const char* const texts[" << rows
      << "][SMARTCHURN_INPUT_COUNT] = {\n"
      << texts.str() << "};\n"
      << "int main(void) {\n  int r, i;\n  smartchurn_input in;\n"
      << "  for (r = 0; r < " << rows << "; ++r) {\n"
      << "    smartchurn_input_init(&in);\n"
      << "    for (i = 0; i < SMARTCHURN_INPUT_COUNT; ++i) {\n"
      << "      in.value[i] = values[r][i];\n      in.text[i] = texts[r][i];\n    }\n"
      << "    printf(\"%.17g %s\\n\", smartchurn_predict(&in),\n"
      << "           smartchurn_risk_tier(smartchurn_predict(&in)));\n  }\n  return 0;\n}\n";
  return out.str();
}

// Exports `bundle` through the CLI, compiles it with a driver for the rows of `csv`, and compares.
void expect_c_export_matches(Bundle bundle, const std::string& csv) {
  if (!have_cc()) GTEST_SKIP() << "no C compiler (cc) on PATH; skipping the compiled-export check";
  TempDir dir;
  save_bundle(bundle, dir.file("model.json"));
  RunResult r = run_cli(
      {"export", "--model", dir.file("model.json"), "--format", "c", "-o", dir.file("scorer.c")});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  std::vector<RejectedRow> rejects;
  Dataset data = read_with_schema(csv, bundle.schema, bundle.optional_columns(), rejects);
  const std::vector<double> expected = bundle.predict(data);
  const std::size_t rows = std::min(kMaxRows, data.rows());
  ASSERT_GT(rows, 0u);
  write_text(dir.file("driver.c"), driver_source(bundle, data, csv, rows));

  const std::string compile = "cd '" + dir.path() +
                              "' && cc -std=c99 -Wall -Wextra -pedantic -Werror -O2 -o driver "
                              "driver.c scorer.c -lm > cc.log 2>&1";
  ASSERT_EQ(std::system(compile.c_str()), 0) << read_file(dir.file("cc.log"));
  const std::string run = "cd '" + dir.path() + "' && ./driver > out.txt";
  ASSERT_EQ(std::system(run.c_str()), 0);

  std::istringstream out(read_file(dir.file("out.txt")));
  double worst = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    double p = NAN;
    std::string tier;
    ASSERT_TRUE(out >> p >> tier) << "the driver printed fewer than " << rows << " rows";
    EXPECT_NEAR(p, expected[i], 1e-6) << "row " << i << " (line " << data.lines[i] << ")";
    EXPECT_EQ(tier, bundle.tiers.tier(p)) << "row " << i;
    worst = std::max(worst, std::abs(p - expected[i]));
  }
  std::cout << "[ export ] " << bundle.model_name << ": " << rows << " rows, largest difference "
            << worst << "\n";
}

TrainOptions options_for(const std::string& target, const std::string& model, std::size_t pca = 0) {
  TrainOptions o;
  o.target = target;
  o.models = {model};
  o.folds = 2;
  o.threads = 2;
  o.prep.pca_components = pca;
  return o;
}

// A small file with missing cells, rare and unseen levels, a boolean and missing-value tokens.
std::string tiny_training_csv() {
  std::ostringstream out;
  out << "customer_id,age,plan,paperless,monthly,region,churn\n";
  const char* plans[] = {"Basic", "Plus", "Premium", "Basic", "Plus", "Gold"};
  const char* regions[] = {"North", "South", "East", "West"};
  for (int i = 0; i < 120; ++i) {
    std::string age = i % 13 == 0 ? "NA" : std::to_string(20 + (i * 7) % 50);
    std::string plan = i % 17 == 0 ? "" : plans[i % 6];
    std::string paperless = i % 3 == 0 ? "Yes" : "No";
    std::string monthly = i % 11 == 0 ? "?" : std::to_string(15 + (i * 37) % 90) + ".5";
    bool churn = ((i * 5) % 7 < 3) != (i % 4 == 0);
    out << "C" << i << "," << age << "," << plan << "," << paperless << "," << monthly << ","
        << (i == 5 ? "Central" : regions[i % 4]) << "," << (churn ? "Yes" : "No") << "\n";
  }
  return out.str();
}

// Scoring rows that meet every path: missing tokens in any case, an extra token, unseen and
// space-padded levels, a lower-case boolean label.
std::string tiny_scoring_csv() {
  return "customer_id,age,plan,paperless,monthly,region\n"
         "S1,34,Basic,Yes,40.5,North\n"
         "S2,NA,Platinum,no,,South\n"
         "S3,61, null ,YES,99.5,Central\n"
         "S4,?,Plus,No,12,unknown\n"
         "S5,28, Basic,Yes,n/a,Atlantis\n"
         "S6,45,Gold,,77.25,\n"
         "S7,19,Premium,No,150,East\n"
         "S8,70,NaN,Yes,0,West\n";
}

class TinyExport : public ::testing::TestWithParam<std::string> {};

TEST_P(TinyExport, CompiledScorerMatchesPredict) {
  TempDir dir;
  write_text(dir.file("train.csv"), tiny_training_csv());
  write_text(dir.file("score.csv"), tiny_scoring_csv());
  Dataset data = read_dataset(dir.file("train.csv"));
  TrainResult result = train(data, options_for("churn", GetParam()));
  result.bundle.schema.na_tokens = {" unknown "};  // an extra missing-value token
  expect_c_export_matches(std::move(result.bundle), dir.file("score.csv"));
}

INSTANTIATE_TEST_SUITE_P(Models, TinyExport, ::testing::Values("lr", "rf", "gbm"));

struct SharedCase {
  std::string name, file, target, model;
  std::size_t pca = 0;
  std::string positive;  // empty: detected
};
void PrintTo(const SharedCase& c, std::ostream* os) { *os << c.name; }

class SharedExport : public ::testing::TestWithParam<SharedCase> {};

TEST_P(SharedExport, CompiledScorerMatchesPredict) {
  const SharedCase& c = GetParam();
  if (!shared_data_available()) GTEST_SKIP() << "../shared/data not found; skipping " << c.name;
  const std::string csv = shared_data(c.file);
  Dataset data = read_dataset(csv);
  TrainOptions options = options_for(c.target, c.model, c.pca);
  if (!c.positive.empty()) options.positive = c.positive;
  TrainResult result = train(data, options);
  expect_c_export_matches(std::move(result.bundle), csv);
}

const char* kTelco = "telco-customer-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv";
const char* kBank = "credit-card-churners/BankChurners.csv";

INSTANTIATE_TEST_SUITE_P(
    Data, SharedExport,
    ::testing::Values(
        SharedCase{"telco_lr", kTelco, "Churn", "lr", 0, ""},
        SharedCase{"telco_rf", kTelco, "Churn", "rf", 0, ""},
        SharedCase{"telco_gbm", kTelco, "Churn", "gbm", 0, ""},
        SharedCase{"telco_gbm_pca", kTelco, "Churn", "gbm", 2, ""},
        SharedCase{"telco_lr_pca", kTelco, "Churn", "lr", 2, ""},
        SharedCase{"bank_lr", kBank, "Attrition_Flag", "lr", 0, "Attrited Customer"},
        SharedCase{"bank_rf", kBank, "Attrition_Flag", "rf", 0, "Attrited Customer"},
        SharedCase{"bank_gbm", kBank, "Attrition_Flag", "gbm", 0, "Attrited Customer"},
        SharedCase{"bank_lr_pca", kBank, "Attrition_Flag", "lr", 2, "Attrited Customer"}),
    [](const ::testing::TestParamInfo<SharedCase>& param_info) { return param_info.param.name; });

TEST(ExportCommand, UnknownFormatIsAUsageError) {
  RunResult r = run_cli({"export", "--model", "nowhere.json", "--format", "rust", "-o", "x.rs"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("rust"), std::string::npos) << r.err;
}

TEST(ExportCommand, UnreadableBundleIsAnIoError) {
  TempDir dir;
  RunResult r = run_cli({"export", "--model", dir.file("absent.json"), "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
}

TEST(ExportCommand, DamagedBundleIsBadData) {
  TempDir dir;
  write_text(dir.file("bad.json"), "{\"kind\": \"something else\"}");
  RunResult r = run_cli(
      {"export", "--model", dir.file("bad.json"), "--format", "c", "-o", dir.file("scorer.c")});
  EXPECT_EQ(r.exit_code, 3) << r.err;
}

TEST(ExportCommand, WritesJsonToStdoutAndTheCHeaderBesideTheSource) {
  TempDir dir;
  write_text(dir.file("train.csv"), tiny_training_csv());
  TrainResult result = train(read_dataset(dir.file("train.csv")), options_for("churn", "lr"));
  save_bundle(result.bundle, dir.file("m.json"));
  RunResult json = run_cli({"export", "-m", dir.file("m.json"), "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto description = nlohmann::json::parse(json.out);
  EXPECT_EQ(description["format_version"], 1);
  EXPECT_EQ(description["scorer"]["type"], "logistic_regression");

  RunResult c = run_cli({"export", "-m", dir.file("m.json"), "--format", "c", "-o",
                         dir.file("churn.c"), "--prefix", "acme"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  EXPECT_NE(read_file(dir.file("churn.c")).find("#include \"churn.h\""), std::string::npos);
  EXPECT_NE(read_file(dir.file("churn.h")).find("double acme_predict(const acme_input* in);"),
            std::string::npos);

  RunResult bad_prefix = run_cli({"export", "-m", dir.file("m.json"), "--format", "c", "-o",
                                  dir.file("x.c"), "--prefix", "9lives"});
  EXPECT_EQ(bad_prefix.exit_code, 2);
}

}  // namespace
}  // namespace smartchurn::test
