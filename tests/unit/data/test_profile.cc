#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "smartchurn/error.h"
#include "smartchurn/profile.h"
#include "unit/data/temp_csv.h"

namespace smartchurn {
namespace {

struct Loaded {
  Dataset data;
  std::optional<Target> target;
};

Loaded load(const std::string& text, const std::string& target_column = "",
            std::vector<std::string> categorical = {}) {
  test::TempCsv file(text);
  ReadOptions options;
  options.keep_as_categorical = std::move(categorical);
  if (!target_column.empty()) options.keep_as_categorical.push_back(target_column);
  Loaded out{read_dataset(file.path(), options), std::nullopt};
  if (!target_column.empty()) out.target = resolve_target(out.data, target_column);
  return out;
}

const ColumnProfile& column(const Profile& p, const std::string& name) {
  for (const auto& c : p.column_profiles) {
    if (c.name == name) return c;
  }
  throw std::runtime_error("no column " + name);
}

std::vector<std::pair<WarningKind, std::vector<std::string>>> warnings(const Profile& p) {
  std::vector<std::pair<WarningKind, std::vector<std::string>>> out;
  for (const auto& w : p.warnings) out.emplace_back(w.kind, w.columns);
  return out;
}

TEST(Profile, NumericSummaryMatchesNumpy) {
  Loaded l = load("x\n1\n2\n3\n4\n5\n6\n7\n8\n9\n100\nNA\n");
  Profile p = profile_dataset(l.data, std::nullopt);
  const ColumnProfile& x = column(p, "x");
  ASSERT_TRUE(x.numeric.has_value());
  EXPECT_EQ(x.missing, 1u);
  EXPECT_NEAR(x.missing_pct, 100.0 / 11.0, 1e-12);
  EXPECT_EQ(x.distinct, 10u);
  EXPECT_DOUBLE_EQ(x.numeric->min, 1);
  EXPECT_DOUBLE_EQ(x.numeric->max, 100);
  EXPECT_DOUBLE_EQ(x.numeric->q1, 3.25);
  EXPECT_DOUBLE_EQ(x.numeric->median, 5.5);
  EXPECT_DOUBLE_EQ(x.numeric->q3, 7.75);
  EXPECT_DOUBLE_EQ(x.numeric->mean, 14.5);
  EXPECT_NEAR(x.numeric->std, 30.152390728873666, 1e-12);
  EXPECT_EQ(x.numeric->outliers, 1u);  // 100 > 7.75 + 1.5 * 4.5
  EXPECT_FALSE(x.target_auc.has_value());
  EXPECT_FALSE(p.target.has_value());
}

TEST(Profile, NumericHistogramHasEqualWidthBinsOverTheRange) {
  // 0..11 over 12 bins of width 11/12: one value per bin, and the maximum lands in the last bin.
  Loaded l = load("x\n0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\nNA\n");
  Profile p = profile_dataset(l.data, std::nullopt);
  const auto& x = column(p, "x").numeric->histogram;
  ASSERT_EQ(x.size(), kHistogramBins);
  EXPECT_EQ(x, std::vector<std::size_t>(kHistogramBins, 1));  // the missing cell is not counted
  // Skewed values pile up in the first bin.
  Loaded skewed = load("y\n1\n2\n3\n4\n1000\n");
  EXPECT_EQ(column(profile_dataset(skewed.data, std::nullopt), "y").numeric->histogram.front(), 4u);
  EXPECT_EQ(column(profile_dataset(skewed.data, std::nullopt), "y").numeric->histogram.back(), 1u);
}

TEST(Profile, TopLevelsAndDistinct) {
  Loaded l = load("c,b\nx,Yes\ny,No\nx,Yes\n,Yes\nz,No\nx,\n");
  Profile p = profile_dataset(l.data, std::nullopt);
  const ColumnProfile& c = column(p, "c");
  EXPECT_EQ(c.distinct, 3u);
  EXPECT_EQ(c.missing, 1u);
  ASSERT_EQ(c.top.size(), 3u);
  EXPECT_EQ(c.top[0].value, "x");
  EXPECT_EQ(c.top[0].count, 3u);
  EXPECT_DOUBLE_EQ(c.top_share, 0.6);
  const ColumnProfile& b = column(p, "b");
  EXPECT_EQ(b.type, ColumnType::kBoolean);
  ASSERT_EQ(b.top.size(), 2u);
  EXPECT_EQ(b.top[0].value, "Yes");
  EXPECT_EQ(b.top[0].count, 3u);
  EXPECT_EQ(b.top[1].value, "No");
}

TEST(Profile, CountsDuplicateRowsIgnoringIdentifiers) {
  Loaded l = load("customerID,a,b\nC1,1,x\nC2,1,x\nC3,1,y\nC4,,x\nC5,,x\nC6,1,x\n");
  Profile p = profile_dataset(l.data, std::nullopt);
  EXPECT_EQ(p.rows, 6u);
  EXPECT_EQ(p.columns, 3u);
  EXPECT_EQ(p.duplicate_rows, 3u);  // C2 and C6 repeat C1, C5 repeats C4
}

TEST(Profile, WarnsAboutIdentifiersConstantsAndCardinality) {
  std::string text = "customerID,country,flag,city,t\n";
  for (int i = 0; i < 100; ++i) {
    text += "C" + std::to_string(i) + ",FR," + (i == 0 ? "b" : "a") + ",city" +
            std::to_string(i % 60) + "," + (i % 2 ? "Yes" : "No") + "\n";
  }
  Loaded l = load(text, "t");
  Profile p = profile_dataset(l.data, l.target);
  using W = WarningKind;
  EXPECT_EQ(warnings(p),
            (std::vector<std::pair<W, std::vector<std::string>>>{{W::kIdentifier, {"customerID"}},
                                                                 {W::kConstant, {"country"}},
                                                                 {W::kNearConstant, {"flag"}},
                                                                 {W::kHighCardinality, {"city"}}}));
  EXPECT_NE(p.warnings[2].message.find("99.0%"), std::string::npos) << p.warnings[2].message;
  EXPECT_TRUE(leakage_columns(p).empty());
  ASSERT_TRUE(p.target.has_value());
  EXPECT_EQ(p.target->positives, 50u);
  EXPECT_DOUBLE_EQ(p.target->rate, 0.5);
}

TEST(Profile, FlagsLeakageAndCollinearity) {
  // leak is the target itself as a number; twice is 2 * x; noise is unrelated.
  std::string text = "x,twice,leak,level,noise,t\n";
  const int rows = 200;
  for (int i = 0; i < rows; ++i) {
    const bool churn = (i * 7) % 3 == 0;
    text += std::to_string(i) + "," + std::to_string(2 * i) + "," + (churn ? "0.9" : "0.1") + "," +
            (churn ? "gone" : "here") + "," + std::to_string((i * 37) % 11) + "," +
            (churn ? "Yes" : "No") + "\n";
  }
  Loaded l = load(text, "t");
  Profile p = profile_dataset(l.data, l.target);
  EXPECT_EQ(leakage_columns(p), (std::vector<std::string>{"leak", "level"}));
  EXPECT_DOUBLE_EQ(*column(p, "leak").target_auc, 1.0);
  EXPECT_DOUBLE_EQ(*column(p, "level").target_auc, 1.0);
  EXPECT_FALSE(column(p, "t").target_auc.has_value());
  auto w = warnings(p);
  EXPECT_NE(
      std::find(w.begin(), w.end(),
                std::make_pair(WarningKind::kCollinear, std::vector<std::string>{"x", "twice"})),
      w.end());
}

TEST(Profile, UniqueLevelsDoNotLookLikeLeakage) {
  // Each level once: in-sample rates would be perfect, out-of-fold rates carry nothing.
  std::string text = "code,t\n";
  for (int i = 0; i < 300; ++i)
    text += "k" + std::to_string(i) + "," + (i % 4 == 0 ? "Yes" : "No") + "\n";
  Loaded l = load(text, "t", {"code"});
  Profile p = profile_dataset(l.data, l.target);
  ASSERT_TRUE(column(p, "code").target_auc.has_value());
  // Every row is scored by its training folds' overall rate, which carries nothing about the row.
  EXPECT_GT(*column(p, "code").target_auc, 0.3);
  EXPECT_LT(*column(p, "code").target_auc, 0.7);
  EXPECT_TRUE(leakage_columns(p).empty());
}

TEST(Profile, MissingNumbersRankLowest) {
  // Scores 1, 2, 3, missing(-> lowest), 5, 4 against 0,0,1,0,1,1: sklearn gives 8.5/9.
  Loaded l = load("v,t\n1,No\n2,No\n3,Yes\n,No\n5,Yes\n4,Yes\n", "t");
  Profile p = profile_dataset(l.data, l.target);
  EXPECT_NEAR(*column(p, "v").target_auc, 1.0, 1e-12);
  Loaded tie = load("v,t\n1,No\n2,No\n3,Yes\n3,No\n5,Yes\n4,Yes\n", "t");
  EXPECT_NEAR(*column(profile_dataset(tie.data, tie.target), "v").target_auc, 0.9444444444444444,
              1e-12);
}

TEST(Profile, RendersJsonAndText) {
  Loaded l = load("customerID,x,t\nC1,1,Yes\nC2,2,No\nC3,3,Yes\n", "t");
  Profile p = profile_dataset(l.data, l.target);
  nlohmann::json j = to_json(p);
  EXPECT_EQ(j["rows"], 3);
  EXPECT_EQ(j["target"]["positive_label"], "Yes");
  EXPECT_EQ(j["target"]["positives"], 2);
  EXPECT_EQ(j["column_profiles"][1]["target_auc"], 0.5);
  EXPECT_EQ(j["column_profiles"][1]["numeric"]["median"], 2.0);
  EXPECT_EQ(j["warnings"][0]["kind"], "identifier");
  std::string text = render_profile_text(p);
  EXPECT_NE(text.find("3 rows x 3 columns"), std::string::npos) << text;
  EXPECT_NE(text.find("rate 66.67%"), std::string::npos) << text;
  EXPECT_NE(text.find("warnings (1):\n  [identifier] 'customerID'"), std::string::npos) << text;
  EXPECT_EQ(to_json(profile_dataset(l.data, std::nullopt))["target"], nullptr);
}

std::string shared(const std::string& relative) {
  return std::string(SMARTCHURN_SHARED_DATA) + "/" + relative;
}

Profile profile_shared(const std::string& file, const std::string& target,
                       const std::optional<std::string>& positive = std::nullopt) {
  ReadOptions options;
  options.keep_as_categorical = {target};
  Dataset d = read_dataset(shared(file), options);
  return profile_dataset(d, resolve_target(d, target, positive));
}

TEST(ProfileSharedData, Telco) {
  const std::string file = "telco-customer-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv";
  if (!std::filesystem::exists(shared(file))) GTEST_SKIP() << "shared data not found";
  Profile p = profile_shared(file, "Churn");
  EXPECT_EQ(p.rows, 7043u);
  EXPECT_EQ(p.duplicate_rows, 22u);
  EXPECT_EQ(column(p, "TotalCharges").missing, 11u);
  EXPECT_EQ(p.target->positives, 1869u);
  EXPECT_TRUE(leakage_columns(p).empty());
}

TEST(ProfileSharedData, BankChurnersLeakageIsTheTwoNaiveBayesColumns) {
  const std::string file = "credit-card-churners/BankChurners.csv";
  if (!std::filesystem::exists(shared(file))) GTEST_SKIP() << "shared data not found";
  Profile p = profile_shared(file, "Attrition_Flag", std::string("Attrited Customer"));
  const std::string prefix =
      "Naive_Bayes_Classifier_Attrition_Flag_Card_Category_Contacts_Count_12_mon_Dependent_count_"
      "Education_Level_Months_Inactive_12_mon_";
  EXPECT_EQ(leakage_columns(p), (std::vector<std::string>{prefix + "1", prefix + "2"}));
  EXPECT_EQ(p.target->positives, 1627u);
}

TEST(ProfileSharedData, BankAndIspHaveNoLeakage) {
  const std::string bank = "bank-churn-modelling/Churn_Modelling.csv";
  const std::string isp = "isp-customer-churn/internet_service_churn.csv";
  if (!std::filesystem::exists(shared(bank))) GTEST_SKIP() << "shared data not found";
  EXPECT_TRUE(leakage_columns(profile_shared(bank, "Exited")).empty());
  Profile p = profile_shared(isp, "churn");
  EXPECT_TRUE(leakage_columns(p).empty());
  EXPECT_EQ(p.duplicate_rows, 2149u);
  EXPECT_EQ(column(p, "reamining_contract").missing, 21572u);
}

}  // namespace
}  // namespace smartchurn
