#include <gtest/gtest.h>

#include <cmath>

#include "smartchurn/error.h"
#include "smartchurn/trainer.h"
#include "unit/dataset_builder.h"

namespace smartchurn {
namespace {

// A seeded customer table where churn follows tenure and contract, with a leaking column, an id
// and some exact duplicate rows.
Dataset synthetic_customers(std::size_t rows) {
  std::vector<double> tenure, charges, leak;
  std::vector<std::string> contract, churn, ids;
  uint64_t state = 11;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return double(state >> 11) / 9007199254740992.0;
  };
  for (std::size_t i = 0; i < rows; ++i) {
    double t = std::floor(72 * next());
    bool monthly = next() < 0.5;
    double c = 20 + 80 * next();
    double risk = 1.5 - t / 20 + (monthly ? 1.2 : -1.0) + (c - 60) / 40;
    bool churned = next() < 1 / (1 + std::exp(-risk));
    tenure.push_back(t);
    charges.push_back(std::round(c * 100) / 100);
    contract.push_back(monthly ? "Month-to-month" : "One year");
    churn.push_back(churned ? "Yes" : "No");
    leak.push_back(churned ? 0.9 + next() / 20 : next() / 20);
    ids.push_back("C" + std::to_string(i));
  }
  for (std::size_t i = 0; i < 10; ++i) {  // ten exact duplicates of earlier customers
    tenure.push_back(tenure[i]);
    charges.push_back(charges[i]);
    contract.push_back(contract[i]);
    churn.push_back(churn[i]);
    leak.push_back(leak[i]);
    ids.push_back("C" + std::to_string(rows + i));
  }
  return test::DatasetBuilder()
      .categorical("id", ids, ColumnType::kIdentifier)
      .numeric("tenure", tenure)
      .numeric("charges", charges)
      .categorical("contract", contract)
      .numeric("churn_score_from_crm", leak)
      .categorical("churn", churn)
      .build();
}

TrainOptions options() {
  TrainOptions o;
  o.target = "churn";
  o.threads = 2;
  return o;
}

TEST(Trainer, RanksEveryModelAndRefitsTheBest) {
  Dataset data = synthetic_customers(1200);
  TrainResult result = train(data, options());
  const auto& r = result.report;
  ASSERT_EQ(r.leaderboard.size(), 3u);
  for (std::size_t i = 1; i < r.leaderboard.size(); ++i) {
    EXPECT_GE(r.leaderboard[i - 1].cv.at("roc_auc").mean, r.leaderboard[i].cv.at("roc_auc").mean);
  }
  EXPECT_EQ(r.best, r.leaderboard[0].name);
  EXPECT_EQ(result.bundle.model_name, r.best);
  EXPECT_GT(r.leaderboard[0].cv.at("roc_auc").mean, 0.75);
  EXPECT_LT(r.leaderboard[0].cv.at("roc_auc").mean, 0.97);  // the leaking column was left out
  EXPECT_EQ(r.duplicates_removed, 10u);
  EXPECT_EQ(r.positive_label, "Yes");
  EXPECT_EQ(r.feature_columns, (std::vector<std::string>{"tenure", "charges", "contract"}));
  std::string excluded = r.excluded_columns.dump();
  EXPECT_NE(excluded.find("churn_score_from_crm"), std::string::npos) << excluded;
  EXPECT_NE(excluded.find("leakage"), std::string::npos) << excluded;
  EXPECT_NE(excluded.find("identifier"), std::string::npos) << excluded;
}

TEST(Trainer, KeepsLeakageColumnsWhenAsked) {
  Dataset data = synthetic_customers(600);
  TrainOptions o = options();
  o.models = {"lr"};
  o.keep_leakage = true;
  TrainResult result = train(data, o);
  EXPECT_GT(result.report.leaderboard[0].cv.at("roc_auc").mean, 0.99);
}

TEST(Trainer, SameSeedGivesTheSameBundleAndPredictions) {
  Dataset data = synthetic_customers(500);
  TrainOptions o = options();
  o.models = {"lr", "gbm"};
  auto a = train(data, o), b = train(data, o);
  auto ja = bundle_to_json(a.bundle), jb = bundle_to_json(b.bundle);
  ja["provenance"].erase("created_at");
  jb["provenance"].erase("created_at");
  EXPECT_EQ(ja.dump(), jb.dump());
  EXPECT_EQ(a.bundle.predict(data), b.bundle.predict(data));
}

TEST(Trainer, RejectsUnknownModelsAndTooFewFolds) {
  Dataset data = synthetic_customers(100);
  TrainOptions o = options();
  o.models = {"svm"};
  EXPECT_THROW(train(data, o), Error);
  o = options();
  o.folds = 1;
  EXPECT_THROW(train(data, o), Error);
}

TEST(Trainer, BundleRoundTripPredictsIdentically) {
  Dataset data = synthetic_customers(500);
  for (const char* model : {"lr", "rf", "gbm"}) {
    TrainOptions o = options();
    o.models = {model};
    auto result = train(data, o);
    Bundle loaded = bundle_from_json(nlohmann::json::parse(bundle_to_json(result.bundle).dump()));
    EXPECT_EQ(loaded.predict(data), result.bundle.predict(data)) << model;
  }
}

}  // namespace
}  // namespace smartchurn
