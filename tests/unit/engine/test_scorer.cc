#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "smartchurn/csv.h"
#include "smartchurn/error.h"
#include "smartchurn/scorer.h"
#include "smartchurn/trainer.h"
#include "test_support/temp_dir.h"
#include "unit/dataset_builder.h"

namespace smartchurn {
namespace {

// ---- Small bundles built by hand --------------------------------------------------------------

// A churn flag that depends on the plan (a set of levels XGBoost can split on as categories)
// and on usage, with missing usage values.
Dataset synthetic_customers() {
  const std::vector<std::string> plans = {"a", "b", "c", "d", "e", "f", "g", "h"};
  std::vector<std::string> plan;
  std::vector<double> usage;
  for (int r = 0; r < 400; ++r) {
    plan.push_back(plans[static_cast<std::size_t>((r * 7 + r / 13) % 8)]);
    usage.push_back(r % 11 == 0 ? NAN : static_cast<double>((r * 37) % 100));
  }
  return test::DatasetBuilder().categorical("plan", plan).numeric("usage", usage).build();
}

std::vector<float> synthetic_labels(const Dataset& data) {
  std::vector<float> y;
  const auto& plan = data.column("plan");
  const auto& usage = data.column("usage");
  for (std::size_t r = 0; r < data.rows(); ++r) {
    const std::string& level = plan.schema.levels[static_cast<std::size_t>(plan.codes[r])];
    const bool risky_plan = level == "b" || level == "e" || level == "g";
    const double u = usage.values[r];
    y.push_back((risky_plan && (std::isnan(u) || u < 70)) || (!risky_plan && u < 10) ? 1.0f : 0.0f);
  }
  return y;
}

Bundle fit_bundle(const Dataset& data, const std::string& model_name,
                  const nlohmann::json& params) {
  const auto y = synthetic_labels(data);
  std::vector<std::size_t> rows(data.rows());
  for (std::size_t r = 0; r < rows.size(); ++r) rows[r] = r;
  Bundle bundle;
  bundle.schema = data.schema();
  bundle.model_name = model_name;
  bundle.model = create_model(model_name, params);
  PrepOptions prep;
  prep.style = bundle.model->input_style();
  prep.rare_min_count = 1;
  prep.combined_features = false;
  bundle.pipeline = Pipeline::fit(data, y, rows, {"plan", "usage"}, prep);
  FitOptions fit;
  fit.threads = 1;
  fit.categorical = bundle.pipeline.categorical_mask();
  bundle.model->fit(bundle.pipeline.transform(data), y, fit);
  return bundle;
}

// Writes records under a header to a temporary CSV and reads it back with the bundle's schema.
Dataset read_records(const Bundle& bundle, const std::vector<std::vector<std::string>>& records) {
  const test::TempDir dir("smartchurn-engine-scorer");
  const std::string path = dir.file("records.csv");
  {
    std::ofstream out(path);
    out << "plan,usage\n";
    for (const auto& r : records) out << r[0] << ',' << r[1] << '\n';
  }
  std::vector<RejectedRow> rejects;
  Dataset data = read_with_schema(path, bundle.schema, bundle.optional_columns(), rejects);
  EXPECT_TRUE(rejects.empty());
  return data;
}

const std::vector<std::vector<std::string>> kRecords = {
    {"a", "5"}, {"b", "50"}, {"b", "90"},   {"e", ""},    {"zzz", "20"},
    {"", "20"}, {"g", "NA"}, {"h", "69.5"}, {"c", "1e3"}, {"f", "-4"}};

class SyntheticScorer : public testing::TestWithParam<std::string> {};

TEST_P(SyntheticScorer, RecordsEqualTheLibraryIncludingUnseenAndMissing) {
  const nlohmann::json params =
      GetParam() == "gbm"  ? nlohmann::json{{"n_rounds", 30}, {"max_cat_to_onehot", 1}}
      : GetParam() == "rf" ? nlohmann::json{{"n_trees", 20}, {"max_cat_to_onehot", 1}}
                           : nlohmann::json::object();
  const Bundle bundle = fit_bundle(synthetic_customers(), GetParam(), params);
  if (GetParam() != "lr") {
    // The test is only worth its name if XGBoost made partition (set) splits.
    EXPECT_NE(bundle.model->save().at("booster").dump().find("\"categories_nodes\":[0"),
              std::string::npos);
  }
  const Scorer scorer(bundle);
  EXPECT_EQ(scorer.input_columns(), (std::vector<std::string>{"plan", "usage"}));
  const Dataset data = read_records(bundle, kRecords);
  const auto expected = bundle.predict(data);
  const auto batch = scorer.score(data);
  ASSERT_EQ(batch.size(), kRecords.size());
  for (std::size_t r = 0; r < kRecords.size(); ++r) {
    const std::vector<std::string_view> fields = {kRecords[r][0], kRecords[r][1]};
    EXPECT_NEAR(batch[r], expected[r], 1e-6) << "record " << r;
    EXPECT_NEAR(scorer.score_record(fields), expected[r], 1e-6) << "record " << r;
    const double margin = scorer.margin_record(fields);
    EXPECT_NEAR(1.0 / (1.0 + std::exp(-margin)), expected[r], 1e-6) << "record " << r;
  }
}

INSTANTIATE_TEST_SUITE_P(Families, SyntheticScorer, testing::Values("lr", "rf", "gbm"));

TEST(Scorer, BadNumericFieldIsBadDataNamingTheColumn) {
  const Bundle bundle = fit_bundle(synthetic_customers(), "gbm", {{"n_rounds", 5}});
  const Scorer scorer(bundle);
  const std::vector<std::string_view> fields = {"a", "12,5"};
  try {
    scorer.score_record(fields);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData);
    EXPECT_EQ(e.where().column, "usage");
    EXPECT_NE(e.message().find("'12,5' is not a number"), std::string::npos) << e.message();
  }
}

TEST(Scorer, ThreadsGiveTheSameScores) {
  const Dataset data = synthetic_customers();
  const Bundle bundle = fit_bundle(data, "gbm", {{"n_rounds", 10}});
  const Scorer scorer(bundle);
  std::vector<std::size_t> rows;
  for (std::size_t copy = 0; copy < 5; ++copy) {
    for (std::size_t r = 0; r < data.rows(); ++r) rows.push_back(r);
  }
  // 2000 rows: enough for several threads.
  Dataset many;
  many.source = data.source;
  for (const auto& c : data.columns) {
    Column copy = c;
    copy.values.clear();
    copy.codes.clear();
    for (std::size_t r : rows) {
      if (!c.values.empty()) copy.values.push_back(c.values[r]);
      if (!c.codes.empty()) copy.codes.push_back(c.codes[r]);
    }
    many.columns.push_back(std::move(copy));
  }
  many.lines.assign(rows.size(), 0);
  const auto one = scorer.score(many, 1);
  EXPECT_EQ(scorer.score(many, 3), one);
  EXPECT_EQ(scorer.score(many, 0), one);
}

// ---- The shared public data sets ---------------------------------------------------------------

struct SharedCase {
  std::string file, target, positive, model;
};

std::string shared(const std::string& relative) {
  return std::string(SMARTCHURN_SHARED_DATA) + "/" + relative;
}

class SharedDataScorer : public testing::TestWithParam<SharedCase> {};

TEST_P(SharedDataScorer, EqualsBundlePredictAndRecordsAndStreamingEqualTheBatch) {
  const SharedCase& c = GetParam();
  const std::string path = shared(c.file);
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared data set absent: " << path;
  const Dataset data = read_dataset(path);
  TrainOptions options;
  options.target = c.target;
  options.positive = c.positive;
  options.models = {c.model};
  options.folds = 2;
  options.threads = 2;
  const TrainResult trained = train(data, options);
  const Bundle& bundle = trained.bundle;
  const Scorer scorer(bundle);

  const auto expected = bundle.predict(data);
  const auto batch = scorer.score(data, 2);
  ASSERT_EQ(batch.size(), expected.size());
  std::size_t differ = 0;
  for (std::size_t r = 0; r < expected.size(); ++r) {
    if (!(std::abs(batch[r] - expected[r]) <= 1e-6) && differ++ < 5) {
      ADD_FAILURE() << "row " << r << ": engine " << batch[r] << ", library " << expected[r];
    }
  }
  EXPECT_EQ(differ, 0u);

  // The streaming batch scorer, straight from the file's bytes, on two threads in small blocks.
  std::vector<double> streamed;
  BatchOptions streaming;
  streaming.threads = 2;
  streaming.block_bytes = 64 * 1024;
  streaming.on_rows = [&](const ScoredRows& rows) {
    streamed.insert(streamed.end(), rows.probabilities.begin(), rows.probabilities.end());
  };
  std::ostringstream scored;
  const BatchSummary summary = scorer.score_csv_file(path, scored, streaming);
  EXPECT_EQ(summary.rejected, 0u);
  ASSERT_EQ(streamed.size(), expected.size());
  differ = 0;
  for (std::size_t r = 0; r < expected.size(); ++r) {
    if (!(std::abs(streamed[r] - expected[r]) <= 1e-6) && differ++ < 5) {
      ADD_FAILURE() << "row " << r << ": streamed " << streamed[r] << ", library " << expected[r];
    }
  }
  EXPECT_EQ(differ, 0u);
  const std::string text = scored.str();
  EXPECT_EQ(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')),
            expected.size() + 1);

  CsvReader reader = CsvReader::open(path);
  std::vector<std::size_t> field_of;
  for (const auto& name : scorer.input_columns()) {
    auto it = std::find(reader.header().begin(), reader.header().end(), name);
    ASSERT_NE(it, reader.header().end()) << name;
    field_of.push_back(static_cast<std::size_t>(it - reader.header().begin()));
  }
  std::vector<std::string> record;
  std::vector<std::string_view> fields(field_of.size());
  for (std::size_t r = 0; r < 300 && reader.next(record); ++r) {
    for (std::size_t k = 0; k < field_of.size(); ++k) fields[k] = record[field_of[k]];
    ASSERT_NEAR(scorer.score_record(fields), batch[r], 1e-6) << "record " << r;
  }
}

std::vector<SharedCase> shared_cases() {
  const std::vector<SharedCase> sets = {
      {"telco-customer-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv", "Churn", "Yes", ""},
      {"bank-churn-modelling/Churn_Modelling.csv", "Exited", "1", ""},
      {"credit-card-churners/BankChurners.csv", "Attrition_Flag", "Attrited Customer", ""},
      {"isp-customer-churn/internet_service_churn.csv", "churn", "1", ""}};
  std::vector<SharedCase> out;
  for (const auto& s : sets) {
    for (const char* model : {"lr", "rf", "gbm"})
      out.push_back({s.file, s.target, s.positive, model});
  }
  return out;
}

std::string case_name(const testing::TestParamInfo<SharedCase>& info) {
  const std::string& file = info.param.file;
  std::string name = file.substr(0, file.find('-'));
  return name + "_" + info.param.model;
}

INSTANTIATE_TEST_SUITE_P(PublicData, SharedDataScorer, testing::ValuesIn(shared_cases()),
                         case_name);

}  // namespace
}  // namespace smartchurn
