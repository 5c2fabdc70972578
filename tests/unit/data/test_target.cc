#include <gtest/gtest.h>

#include <filesystem>

#include "smartchurn/dataset.h"
#include "smartchurn/error.h"
#include "unit/data/temp_csv.h"

namespace smartchurn {
namespace {

Dataset read_text(const std::string& text, const std::string& target) {
  test::TempCsv file(text);
  ReadOptions options;
  options.keep_as_categorical = {target};
  return read_dataset(file.path(), options);
}

Error error_for(const Dataset& d, const std::string& column,
                const std::optional<std::string>& positive = std::nullopt) {
  try {
    resolve_target(d, column, positive);
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no error";
  return Error(ErrorCode::kInternal, "none");
}

TEST(ResolveTarget, DetectsCommonPositiveLabels) {
  const std::vector<std::pair<std::string, std::string>> pairs{
      {"Yes", "No"},           {"1", "0"},           {"True", "False"},
      {"churned", "active"},   {"Exited", "Stayed"}, {"LEFT", "stayed"},
      {"Cancelled", "Active"}, {"y", "n"},           {"Attrited", "Existing"},
      {"canceled", "renewed"}, {"CHURN", "retain"}};
  for (const auto& [pos, neg] : pairs) {
    SCOPED_TRACE(pos);
    Dataset d = read_text("x,t\n1," + neg + "\n2," + pos + "\n3," + neg + "\n", "t");
    Target t = resolve_target(d, "t");
    EXPECT_EQ(t.positive_label, pos);
    EXPECT_EQ(t.negative_label, neg);
    EXPECT_EQ(t.y, (std::vector<float>{0, 1, 0}));
    EXPECT_DOUBLE_EQ(t.positive_rate(), 1.0 / 3.0);
  }
}

TEST(ResolveTarget, WorksOnInferredBooleanAndNumericColumns) {
  test::TempCsv file("x,t\n1,0\n2,1\n3,1\n");
  Dataset d = read_dataset(file.path());
  ASSERT_EQ(d.column("t").type(), ColumnType::kBoolean);
  Target t = resolve_target(d, "t");
  EXPECT_EQ(t.positive_label, "1");
  EXPECT_EQ(t.y, (std::vector<float>{0, 1, 1}));
}

TEST(ResolveTarget, AttritedCustomerNeedsPositive) {
  Dataset d =
      read_text("x,flag\n1,Existing Customer\n2,Attrited Customer\n3,Existing Customer\n", "flag");
  Error e = error_for(d, "flag");
  EXPECT_EQ(e.code(), ErrorCode::kUsage);
  EXPECT_NE(e.message().find("'Attrited Customer', 'Existing Customer'"), std::string::npos)
      << e.message();
  EXPECT_NE(e.message().find("--positive \"Attrited Customer\""), std::string::npos) << e.message();
  Target t = resolve_target(d, "flag", std::string("Attrited Customer"));
  EXPECT_EQ(t.y, (std::vector<float>{0, 1, 0}));
  EXPECT_EQ(t.negative_label, "Existing Customer");
  EXPECT_EQ(resolve_target(d, "flag", std::string("attrited customer")).positive_label,
            "Attrited Customer");
}

TEST(ResolveTarget, PositiveMustBeALabel) {
  Dataset d = read_text("x,t\n1,Yes\n2,No\n", "t");
  Error e = error_for(d, "t", std::string("Maybe"));
  EXPECT_EQ(e.code(), ErrorCode::kUsage);
  EXPECT_NE(e.message().find("'Maybe'"), std::string::npos);
  EXPECT_EQ(resolve_target(d, "t", std::string("No")).y, (std::vector<float>{0, 1}));
}

TEST(ResolveTarget, ReportsBadTargets) {
  Dataset d = read_text("x,t\n1,Yes\n2,No\n", "t");
  Error absent = error_for(d, "Churn");
  EXPECT_EQ(absent.code(), ErrorCode::kBadData);
  EXPECT_NE(absent.message().find("target column 'Churn' not found"), std::string::npos);
  EXPECT_NE(absent.message().find("'x', 't'"), std::string::npos);

  Error one = error_for(read_text("x,t\n1,No\n2,No\n", "t"), "t");
  EXPECT_EQ(one.code(), ErrorCode::kBadData);
  EXPECT_NE(one.message().find("only one class ('No')"), std::string::npos) << one.message();

  Error three = error_for(read_text("x,t\n1,a\n2,b\n3,c\n4,a\n", "t"), "t");
  EXPECT_NE(three.message().find("3 distinct values ('a', 'b', 'c')"), std::string::npos)
      << three.message();

  Error missing = error_for(read_text("x,t\n1,Yes\n2,\n3,No\n4,NA\n", "t"), "t");
  EXPECT_EQ(missing.code(), ErrorCode::kBadData);
  EXPECT_EQ(missing.where().line, 3u);
  EXPECT_EQ(missing.where().column, "t");
  EXPECT_NE(missing.message().find("2 missing values (first on lines 3, 5)"), std::string::npos)
      << missing.message();
}

TEST(ResolveTarget, SharedDataSets) {
  const std::string root = SMARTCHURN_SHARED_DATA;
  if (!std::filesystem::is_directory(root)) GTEST_SKIP() << "shared data not found: " << root;
  struct Case {
    std::string file, column, positive;
    std::size_t positives;
  };
  for (const Case& c :
       {Case{"telco-customer-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv", "Churn", "Yes", 1869},
        Case{"bank-churn-modelling/Churn_Modelling.csv", "Exited", "1", 2037},
        Case{"isp-customer-churn/internet_service_churn.csv", "churn", "1", 40050}}) {
    SCOPED_TRACE(c.file);
    ReadOptions options;
    options.keep_as_categorical = {c.column};
    Target t = resolve_target(read_dataset(root + "/" + c.file, options), c.column);
    EXPECT_EQ(t.positive_label, c.positive);
    std::size_t positives = 0;
    for (float v : t.y) positives += v > 0.5f;
    EXPECT_EQ(positives, c.positives);
  }
}

}  // namespace
}  // namespace smartchurn
