#include <gtest/gtest.h>

#include "smartchurn/dataset.h"
#include "smartchurn/error.h"
#include "unit/data/temp_csv.h"

namespace smartchurn {
namespace {

Schema training_schema() {
  test::TempCsv file(
      "customerID,tenure,Partner,Senior,Contract,Churn\n"
      "A1,1,Yes,0,Monthly,Yes\n"
      "A2,5,No,1,Yearly,No\n"
      "A3,7.5,Yes,0,Monthly,No\n");
  ReadOptions options;
  options.keep_as_categorical = {"Churn"};
  Schema s = read_dataset(file.path(), options).schema();
  s.na_tokens = {"Unknown"};
  return s;
}

TEST(ReadWithSchema, ReadsTypesAsSavedAndCountsUnseenLevels) {
  test::TempCsv file(
      "Contract,extra,tenure,Partner,Senior,customerID\n"
      "Yearly,z,3,No,1,B1\n"
      "Biennial,z,4,yes,0,B2\n"
      "Unknown,z, ,Yes,1.0,B3\n");
  std::vector<RejectedRow> rejects;
  Dataset d = read_with_schema(file.path(), training_schema(), {"Churn"}, rejects);
  EXPECT_TRUE(rejects.empty());
  ASSERT_EQ(d.rows(), 3u);
  EXPECT_EQ(d.index_of("Churn"), -1);  // optional and absent
  EXPECT_EQ(d.index_of("extra"), -1);  // not in the schema
  ASSERT_EQ(d.columns.size(), 5u);
  EXPECT_EQ(d.columns[0].name(), "customerID");  // schema order
  const Column& contract = d.column("Contract");
  EXPECT_EQ(contract.schema.levels, (std::vector<std::string>{"Monthly", "Yearly"}));
  EXPECT_EQ(contract.codes, (std::vector<int32_t>{1, kUnseenCode, kMissingCode}));
  EXPECT_EQ(contract.unseen, 1u);
  EXPECT_EQ(contract.missing, 1u);
  const Column& tenure = d.column("tenure");
  EXPECT_EQ(tenure.values[0], 3.0);
  EXPECT_TRUE(is_missing(tenure.values[2]));
  EXPECT_EQ(d.column("Partner").values, (std::vector<double>{0, 1, 1}));
  EXPECT_EQ(d.column("Senior").values, (std::vector<double>{1, 0, 1}));
  EXPECT_EQ(d.column("customerID").text_at(1), "B2");
  EXPECT_EQ(d.lines, (std::vector<std::size_t>{2, 3, 4}));
}

TEST(ReadWithSchema, RejectsBadRowsWithLinesAndReasons) {
  test::TempCsv file(
      "customerID,tenure,Partner,Senior,Contract\n"
      "B1,abc,Yes,0,Monthly\n"
      "B2,4,Yes,0\n"
      "B3,5,Maybe,0,Monthly\n"
      "B4,6,No,1,Yearly\n");
  std::vector<RejectedRow> rejects;
  Dataset d = read_with_schema(file.path(), training_schema(), {"Churn"}, rejects);
  ASSERT_EQ(d.rows(), 1u);
  EXPECT_EQ(d.lines, (std::vector<std::size_t>{5}));
  EXPECT_EQ(d.column("customerID").text_at(0), "B4");
  EXPECT_EQ(d.column("customerID").schema.levels, (std::vector<std::string>{"B4"}));
  ASSERT_EQ(rejects.size(), 3u);
  EXPECT_EQ(rejects[0].line, 2u);
  EXPECT_EQ(rejects[0].column, "tenure");
  EXPECT_EQ(rejects[0].reason, "'abc' is not a number");
  EXPECT_EQ(rejects[1].line, 3u);
  EXPECT_EQ(rejects[1].column, "");
  EXPECT_EQ(rejects[1].reason, "the record has 4 fields, the header has 5");
  EXPECT_EQ(rejects[2].line, 4u);
  EXPECT_EQ(rejects[2].column, "Partner");
  EXPECT_EQ(rejects[2].reason, "'Maybe' is neither 'Yes' nor 'No'");
}

TEST(ReadWithSchema, MissingRequiredColumnIsNamed) {
  test::TempCsv file("customerID,Partner,Senior,Contract\nB1,Yes,0,Monthly\n");
  std::vector<RejectedRow> rejects;
  try {
    read_with_schema(file.path(), training_schema(), {"Churn"}, rejects);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData);
    EXPECT_EQ(e.where().column, "tenure");
    EXPECT_NE(std::string(e.what()).find("column 'tenure': required column is missing"),
              std::string::npos) << e.what();
  }
  // Without "Churn" among the optional columns, it is required too.
  test::TempCsv full("customerID,tenure,Partner,Senior,Contract\nB1,1,Yes,0,Monthly\n");
  EXPECT_THROW(read_with_schema(full.path(), training_schema(), {}, rejects), Error);
}

TEST(ReadWithSchema, SchemaSurvivesJson) {
  Schema s = training_schema();
  Schema back = nlohmann::json(s).get<Schema>();
  ASSERT_EQ(back.columns.size(), s.columns.size());
  EXPECT_EQ(back.na_tokens, (std::vector<std::string>{"Unknown"}));
  EXPECT_EQ(back.columns[2].type, ColumnType::kBoolean);
  EXPECT_EQ(back.columns[2].true_label, "Yes");
  EXPECT_EQ(back.columns[4].levels, (std::vector<std::string>{"Monthly", "Yearly"}));
  EXPECT_FALSE(back.columns[1].integer);
  EXPECT_THROW(nlohmann::json({{"columns", {{{"name", "a"}, {"type", "weird"}}}}}).get<Schema>(),
               Error);
}

}  // namespace
}  // namespace smartchurn
