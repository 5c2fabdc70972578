#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

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
              std::string::npos)
        << e.what();
  }
  // Without "Churn" among the optional columns, it is required too.
  test::TempCsv full("customerID,tenure,Partner,Senior,Contract\nB1,1,Yes,0,Monthly\n");
  EXPECT_THROW(read_with_schema(full.path(), training_schema(), {}, rejects), Error);
}

// Row i (0-based) of a generated scoring file sits on physical line i + 2 and is:
//   ragged when i % 11 == 4, a non-number tenure when i % 7 == 3 (and not ragged), otherwise kept
//   with tenure i, Partner Yes for even i, Contract "Biennial" (unseen) when i % 5 == 0.
struct Generated {
  std::string text = "customerID,tenure,Partner,Senior,Contract\n";
  std::vector<std::size_t> kept_lines, rejected_lines;
  std::vector<std::string> kept_ids;
  std::vector<double> kept_tenure;
  std::vector<bool> kept_unseen;
};

Generated generate(int rows) {
  Generated g;
  for (int i = 0; i < rows; ++i) {
    const std::size_t line = static_cast<std::size_t>(i) + 2;
    const std::string id = "C" + std::to_string(i);
    if (i % 11 == 4) {
      g.text += id + "," + std::to_string(i) + ",Yes,0\n";
      g.rejected_lines.push_back(line);
      continue;
    }
    const bool bad = i % 7 == 3;
    const bool unseen = i % 5 == 0;
    g.text += id + "," + (bad ? std::string("x") : std::to_string(i)) + "," +
              (i % 2 == 0 ? "Yes" : "No") + ",0," + (unseen ? "Biennial" : "Monthly") + "\n";
    if (bad) {
      g.rejected_lines.push_back(line);
      continue;
    }
    g.kept_lines.push_back(line);
    g.kept_ids.push_back(id);
    g.kept_tenure.push_back(i);
    g.kept_unseen.push_back(unseen);
  }
  return g;
}

class SchemaReaderChunks : public ::testing::TestWithParam<std::size_t> {};

TEST_P(SchemaReaderChunks, ChunksConcatenateToTheWholeFile) {
  const std::size_t chunk_rows = GetParam();
  const Generated g = generate(60);
  test::TempCsv file(g.text);
  SchemaReader reader(file.path(), training_schema(), {"Churn"});
  std::vector<RejectedRow> rejects;
  std::vector<std::size_t> lines;
  std::vector<std::string> ids;
  std::vector<double> tenure;
  std::vector<bool> unseen;
  std::size_t unseen_total = 0, chunks = 0;
  Dataset chunk;
  while (reader.next_chunk(chunk, chunk_rows, rejects)) {
    ++chunks;
    ASSERT_LE(chunk.rows(), chunk_rows);
    ASSERT_EQ(chunk.columns.size(), 5u);
    EXPECT_EQ(chunk.source, file.path());
    const Column& id = chunk.column("customerID");
    EXPECT_EQ(id.schema.levels.size(), chunk.rows());  // identifier levels are per chunk
    const Column& contract = chunk.column("Contract");
    std::size_t unseen_here = 0;
    for (std::size_t r = 0; r < chunk.rows(); ++r) {
      lines.push_back(chunk.lines[r]);
      ids.push_back(id.text_at(r));
      tenure.push_back(chunk.column("tenure").values[r]);
      unseen.push_back(contract.codes[r] == kUnseenCode);
      if (contract.codes[r] == kUnseenCode) ++unseen_here;
    }
    EXPECT_EQ(contract.unseen, unseen_here);
    unseen_total += contract.unseen;
  }
  EXPECT_EQ(chunk.rows(), 0u);
  EXPECT_EQ(chunk.columns.size(), 5u);                          // the end still names the columns
  EXPECT_FALSE(reader.next_chunk(chunk, chunk_rows, rejects));  // stays at the end

  EXPECT_EQ(lines, g.kept_lines);
  EXPECT_EQ(ids, g.kept_ids);
  EXPECT_EQ(tenure, g.kept_tenure);
  EXPECT_EQ(unseen, g.kept_unseen);
  // 60 rows: 6 ragged (i = 4, 15, 26, 37, 48, 59), 8 more not numbers (i = 3, 10, 17, 24, 31, 38,
  // 45, 52), 46 kept; of the 12 multiples of 5, 15 is ragged and 10, 45 are not numbers: 9 unseen.
  EXPECT_EQ(g.kept_lines.size(), 46u);
  EXPECT_EQ(unseen_total, 9u);
  EXPECT_EQ(chunks, 46 / chunk_rows + (46 % chunk_rows == 0 ? 0 : 1));
  ASSERT_EQ(rejects.size(), g.rejected_lines.size());
  for (std::size_t k = 0; k < rejects.size(); ++k) {
    EXPECT_EQ(rejects[k].line, g.rejected_lines[k]) << k;
  }
  EXPECT_EQ(rejects[0].line, 5u);
  EXPECT_EQ(rejects[0].column, "tenure");
  EXPECT_EQ(rejects[1].line, 6u);
  EXPECT_EQ(rejects[1].column, "");
}

INSTANTIATE_TEST_SUITE_P(Sizes, SchemaReaderChunks,
                         ::testing::Values(std::size_t{1}, std::size_t{7}, std::size_t{46},
                                           std::numeric_limits<std::size_t>::max()));

TEST(SchemaReader, RejectLinesCountQuotedNewlinesAcrossChunks) {
  // Line 3 holds a record spanning lines 3-4; the rejects after it are on their physical lines.
  test::TempCsv file(
      "customerID,tenure,Partner,Senior,Contract,note\n"
      "A1,1,Yes,0,Monthly,plain\n"
      "A2,2,Yes,0,Monthly,\"two\nlines\"\n"
      "A3,x,Yes,0,Monthly,plain\n"
      "A4,4,Yes,0,Yearly,plain\n"
      "A5,5,Perhaps,0,Monthly,plain\n"
      "A6,6,No,1,Monthly\n"
      "A7,7,No,1,Biennial,plain\n");
  SchemaReader reader(file.path(), training_schema(), {"Churn"});
  std::vector<RejectedRow> rejects;
  Dataset chunk;
  ASSERT_TRUE(reader.next_chunk(chunk, 2, rejects));
  EXPECT_EQ(chunk.lines, (std::vector<std::size_t>{2, 3}));
  EXPECT_TRUE(rejects.empty());
  ASSERT_TRUE(reader.next_chunk(chunk, 2, rejects));
  EXPECT_EQ(chunk.lines, (std::vector<std::size_t>{6, 9}));
  EXPECT_EQ(chunk.column("customerID").text_at(0), "A4");
  EXPECT_EQ(chunk.column("customerID").text_at(1), "A7");
  EXPECT_EQ(chunk.column("Contract").unseen, 1u);
  EXPECT_EQ(chunk.column("customerID").schema.levels, (std::vector<std::string>{"A4", "A7"}));
  ASSERT_EQ(rejects.size(), 3u);
  EXPECT_EQ(rejects[0].line, 5u);
  EXPECT_EQ(rejects[0].column, "tenure");
  EXPECT_EQ(rejects[1].line, 7u);
  EXPECT_EQ(rejects[1].reason, "'Perhaps' is neither 'Yes' nor 'No'");
  EXPECT_EQ(rejects[2].line, 8u);
  EXPECT_EQ(rejects[2].reason, "the record has 5 fields, the header has 6");
  EXPECT_FALSE(reader.next_chunk(chunk, 2, rejects));
  EXPECT_EQ(rejects.size(), 3u);
}

TEST(SchemaReader, RejectsAfterTheLastKeptRowArriveWithTheEnd) {
  test::TempCsv file(
      "customerID,tenure,Partner,Senior,Contract\n"
      "A1,1,Yes,0,Monthly\n"
      "A2,x,Yes,0,Monthly\n");
  SchemaReader reader(file.path(), training_schema(), {"Churn"});
  std::vector<RejectedRow> rejects;
  Dataset chunk;
  ASSERT_TRUE(reader.next_chunk(chunk, 1, rejects));
  EXPECT_TRUE(rejects.empty());
  EXPECT_FALSE(reader.next_chunk(chunk, 1, rejects));
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(rejects[0].line, 3u);
}

TEST(SchemaReader, HeaderOnlyFileHasColumnsAndNoRows) {
  test::TempCsv file("customerID,tenure,Partner,Senior,Contract\n");
  SchemaReader reader(file.path(), training_schema(), {"Churn"});
  std::vector<RejectedRow> rejects;
  Dataset chunk;
  EXPECT_FALSE(reader.next_chunk(chunk, 10, rejects));
  EXPECT_EQ(chunk.rows(), 0u);
  EXPECT_EQ(chunk.columns.size(), 5u);
  EXPECT_TRUE(rejects.empty());
}

TEST(SchemaReader, MissingColumnsAreNamedWhenOpening) {
  test::TempCsv file("customerID,Partner,Senior\nB1,Yes,0\n");
  try {
    SchemaReader reader(file.path(), training_schema(), {"Churn"});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData);
    EXPECT_NE(std::string(e.what()).find("2 required columns are missing from the file: "
                                         "'tenure', 'Contract'"),
              std::string::npos)
        << e.what();
  }
}

TEST(SchemaReader, CsvErrorsThrowFromTheChunkThatMeetsThem) {
  test::TempCsv file(
      "customerID,tenure,Partner,Senior,Contract\n"
      "A1,1,Yes,0,Monthly\n"
      "A2,2,Yes,0,\"Monthly\n");
  SchemaReader reader(file.path(), training_schema(), {"Churn"});
  std::vector<RejectedRow> rejects;
  Dataset chunk;
  ASSERT_TRUE(reader.next_chunk(chunk, 1, rejects));
  EXPECT_EQ(chunk.lines, (std::vector<std::size_t>{2}));
  EXPECT_THROW(reader.next_chunk(chunk, 1, rejects), Error);
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
