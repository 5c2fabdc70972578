#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "engine/compiled_pipeline.h"
#include "smartchurn/error.h"
#include "test_support/temp_dir.h"

namespace smartchurn::engine {
namespace {

ColumnSchema column(const std::string& name, ColumnType type,
                    std::vector<std::string> levels = {}) {
  ColumnSchema c;
  c.name = name;
  c.type = type;
  c.levels = std::move(levels);
  if (type == ColumnType::kBoolean) {
    c.true_label = "Yes";
    c.false_label = "No";
  }
  return c;
}

Schema test_schema() {
  Schema s;
  s.columns = {column("tenure", ColumnType::kNumeric), column("Charges", ColumnType::kNumeric),
               column("Partner", ColumnType::kBoolean),
               column("Contract", ColumnType::kCategorical, {"Month", "Year", "Two", "Rare"}),
               column("Lines", ColumnType::kCategorical, {"Yes", "No", "None"})};
  s.na_tokens = {"-"};
  return s;
}

const std::vector<std::string> kInputs = {"tenure", "Charges", "Partner", "Contract", "Lines"};

nlohmann::json every_kind() {
  using nlohmann::json;
  const json kept = {"Month", "Year", "Two"};
  return {
      {"format", 1},
      {"style", "tree"},
      {"input_columns", kInputs},
      {"features",
       {{{"kind", "numeric"},
         {"name", "tenure"},
         {"sources", {"tenure"}},
         {"lower", {0}},
         {"upper", {60}}},
        {{"kind", "boolean"}, {"name", "Partner"}, {"sources", {"Partner"}}},
        {{"kind", "category"}, {"name", "Contract"}, {"sources", {"Contract"}}, {"levels", kept}},
        {{"kind", "missing_indicator"}, {"name", "Charges missing"}, {"sources", {"Charges"}}},
        {{"kind", "ratio"},
         {"name", "Charges / tenure"},
         {"sources", {"Charges", "tenure"}},
         {"lower", {0, 0}},
         {"upper", {100, 60}}},
        {{"kind", "product"}, {"name", "tenure * Charges"}, {"sources", {"tenure", "Charges"}}},
        {{"kind", "count"},
         {"name", "Yes count"},
         {"sources", {"Partner", "Lines"}},
         {"level", "Yes"}},
        {{"kind", "one_hot"},
         {"name", "Contract=(other)"},
         {"sources", {"Contract"}},
         {"level", "(other)"},
         {"levels", kept}},
        {{"kind", "one_hot"},
         {"name", "Contract=(missing)"},
         {"sources", {"Contract"}},
         {"level", "(missing)"}},
        {{"kind", "one_hot"}, {"name", "Lines=No"}, {"sources", {"Lines"}}, {"level", "No"}},
        {{"kind", "numeric"},
         {"name", "Charges scaled"},
         {"sources", {"Charges"}},
         {"fill", 5.0},
         {"center", 2.0},
         {"scale", 4.0}}}}};
}

std::vector<float> transform(const CompiledPipeline& compiled,
                             const std::vector<std::string_view>& fields) {
  CompiledPipeline::Scratch scratch;
  std::vector<float> out(compiled.feature_count(), -99.0f);
  compiled.transform_record(fields, out.data(), scratch);
  return out;
}

void expect_features(const std::vector<float>& actual, const std::vector<float>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    if (std::isnan(expected[i])) {
      EXPECT_TRUE(std::isnan(actual[i])) << "feature " << i << " is " << actual[i];
    } else {
      EXPECT_FLOAT_EQ(actual[i], expected[i]) << "feature " << i;
    }
  }
}

TEST(CompiledPipeline, ComputesEveryFeatureKind) {
  const CompiledPipeline compiled(test_schema(), Pipeline::from_json(every_kind()));
  EXPECT_EQ(compiled.input_columns(), kInputs);
  ASSERT_EQ(compiled.feature_count(), 11u);
  expect_features(transform(compiled, {"72", " 30.5 ", "yes", "Rare", "Yes"}),
                  {60, 1, 3, 0, 30.5f / 60, 72 * 30.5f, 2, 1, 0, 0, (30.5f - 2) / 4});
}

TEST(CompiledPipeline, MissingAndUnseenValues) {
  const CompiledPipeline compiled(test_schema(), Pipeline::from_json(every_kind()));
  // Missing tokens: "NA", empty, the user's "-"; an unseen Lines level.
  expect_features(transform(compiled, {"0", "NA", "", "-", "Maybe"}),
                  {0, NAN, NAN, 1, NAN, NAN, 0, 0, 1, 0, 0.75f});
  // An unseen Contract level is "(other)": code levels.size() and the (other) one-hot.
  expect_features(transform(compiled, {"+3", "1e1", "No", "Brand new", "No"}),
                  {3, 0, 3, 0, 10.0f / 3, 30, 0, 1, 0, 1, 2});
}

TEST(CompiledPipeline, BadFieldsNameTheColumn) {
  const CompiledPipeline compiled(test_schema(), Pipeline::from_json(every_kind()));
  CompiledPipeline::Scratch scratch;
  std::vector<float> out(compiled.feature_count());
  const auto column_of_error = [&](std::vector<std::string_view> fields) -> std::string {
    try {
      compiled.transform_record(fields, out.data(), scratch);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kBadData);
      return e.where().column;
    }
    return "(no error)";
  };
  EXPECT_EQ(column_of_error({"12x", "1", "Yes", "Two", "No"}), "tenure");
  EXPECT_EQ(column_of_error({"1", "inf", "Yes", "Two", "No"}), "Charges");
  EXPECT_EQ(column_of_error({"1", "1", "Maybe", "Two", "No"}), "Partner");
  EXPECT_EQ(column_of_error({"1", "1", "Yes"}), "");  // wrong field count
}

TEST(CompiledPipeline, EqualsPipelineTransformOnTheSameFile) {
  const Schema schema = test_schema();
  const Pipeline pipeline = Pipeline::from_json(every_kind());
  const CompiledPipeline compiled(schema, pipeline);
  const std::vector<std::vector<std::string>> records = {{"72", " 30.5 ", "yes", "Rare", "Yes"},
                                                         {"0", "NA", "", "-", "Maybe"},
                                                         {"+3", "1e1", "No", "Brand new", "No"},
                                                         {"61", "100.25", "YES", "Month", "None"},
                                                         {"5", "0", "no", "Year", ""}};
  const test::TempDir dir("smartchurn-engine-pipeline");
  const std::string path = dir.file("records.csv");
  {
    std::ofstream out(path);
    out << "tenure,Charges,Partner,Contract,Lines\n";
    for (const auto& r : records)
      out << r[0] << ',' << r[1] << ',' << r[2] << ',' << r[3] << ',' << r[4] << '\n';
  }
  std::vector<RejectedRow> rejects;
  const Dataset data = read_with_schema(path, schema, {}, rejects);
  ASSERT_TRUE(rejects.empty());
  const FeatureMatrix expected = pipeline.transform(data);
  ASSERT_EQ(expected.rows, records.size());
  for (std::size_t r = 0; r < records.size(); ++r) {
    const std::vector<std::string_view> fields(records[r].begin(), records[r].end());
    const auto actual = transform(compiled, fields);
    const auto row = expected.row(r);
    expect_features(actual, std::vector<float>(row.begin(), row.end()));
  }
}

TEST(CompiledPipeline, PrincipalComponentsFollowTheOtherFeatures) {
  nlohmann::json j = every_kind();
  j["features"] = {{{"kind", "numeric"}, {"name", "tenure"}, {"sources", {"tenure"}}},
                   {{"kind", "numeric"}, {"name", "Charges"}, {"sources", {"Charges"}}},
                   {{"kind", "boolean"}, {"name", "Partner"}, {"sources", {"Partner"}}}};
  j["pca"] = {{"inputs", {0, 1}},
              {"state",
               {{"mean", {10.0, 20.0}},
                {"scale", {2.0, 4.0}},
                {"components", {{0.6, 0.8}, {0.8, -0.6}}},
                {"explained_variance_ratio", {0.7, 0.3}}}}};
  const CompiledPipeline compiled(test_schema(), Pipeline::from_json(j));
  ASSERT_EQ(compiled.feature_count(), 3u);
  // z = (2, 2): components 0.6*2 + 0.8*2 and 0.8*2 - 0.6*2.
  expect_features(transform(compiled, {"14", "28", "Yes", "Two", "No"}), {1, 2.8f, 0.4f});
  // A missing input counts as the mean (z = 0).
  expect_features(transform(compiled, {"14", "", "No", "Two", "No"}), {0, 1.2f, 1.6f});
}

TEST(CompiledPipeline, RejectsAColumnAbsentFromTheSchema) {
  Schema schema = test_schema();
  schema.columns.pop_back();  // Lines
  try {
    CompiledPipeline compiled(schema, Pipeline::from_json(every_kind()));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIncompatible);
    EXPECT_NE(e.message().find("Lines"), std::string::npos) << e.message();
  }
}

}  // namespace
}  // namespace smartchurn::engine

namespace smartchurn::engine {
namespace {

// Numbers take a fast path for plain decimals; every text must read as parse_number reads it.
TEST(CellReader, NumbersReadExactlyAsParseNumber) {
  const CellReader reader({"-"});
  ColumnSchema schema;
  schema.name = "x";
  schema.type = ColumnType::kNumeric;
  const ColumnPlan plan = column_plan(schema, reader);
  std::vector<std::string> texts = {"0",
                                    "-0",
                                    "5.",
                                    ".5",
                                    "-.5",
                                    "+3.25",
                                    " 7 ",
                                    "007.10",
                                    "123456789012345",
                                    "1234567890123456",
                                    "0.1",
                                    "0.3",
                                    "9007199254740993",
                                    "1e3",
                                    "1.5E-7",
                                    "-",
                                    "--5",
                                    "5-",
                                    "1.2.3",
                                    "abc",
                                    "0x1A",
                                    "inf",
                                    "nan",
                                    "12,5",
                                    "",
                                    "999999999999999.9",
                                    "0.000000000000001"};
  uint64_t state = 0x9E3779B97F4A7C15ull;
  const auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  for (int i = 0; i < 50000; ++i) {
    std::string text = next() % 4 == 0 ? "-" : "";
    const auto whole = std::to_string(next() % 100000000);
    text += whole;
    const auto decimals = static_cast<int>(next() % 9);
    if (decimals > 0) {
      text += '.';
      for (int d = 0; d < decimals; ++d) text += static_cast<char>('0' + next() % 10);
    }
    texts.push_back(text);
  }
  for (const auto& text : texts) {
    ParsedCell cell{};
    const bool read = reader.read(plan, text, cell);
    if (text == "-" || text.empty() || text == "nan") {
      EXPECT_TRUE(read && std::isnan(cell.value)) << text;  // missing
      continue;
    }
    const auto expected = parse_number(text);
    ASSERT_EQ(read, expected.has_value()) << text;
    if (!read) continue;
    EXPECT_EQ(cell.value, *expected) << text;
    EXPECT_EQ(std::signbit(cell.value), std::signbit(*expected)) << text;
  }
}

}  // namespace
}  // namespace smartchurn::engine

namespace smartchurn::engine {
namespace {

ColumnSchema categorical(std::vector<std::string> levels) {
  ColumnSchema schema;
  schema.name = "c";
  schema.type = ColumnType::kCategorical;
  schema.levels = std::move(levels);
  return schema;
}

// The fast paths read an exact level, label or plain decimal without checking for missing
// values first: a missing-value token given at scoring time that equals one must still win.
TEST(CellReader, ATokenThatEqualsALevelLabelOrNumberReadsAsMissing) {
  const CellReader reader({"Fiber optic", " Yes ", "-1"});
  ParsedCell cell{};
  const ColumnPlan few = column_plan(categorical({"DSL", "Fiber optic", "No"}), reader);
  ASSERT_TRUE(reader.read(few, "Fiber optic", cell));
  EXPECT_EQ(cell.code, kMissingCode);
  ASSERT_TRUE(reader.read(few, "DSL", cell));
  EXPECT_EQ(cell.code, 0);
  ASSERT_TRUE(reader.read(few, " DSL", cell));  // levels match the whole field
  EXPECT_EQ(cell.code, kUnseenCode);

  ColumnSchema yes_no;
  yes_no.name = "b";
  yes_no.type = ColumnType::kBoolean;
  yes_no.true_label = "Yes";
  yes_no.false_label = "No";
  const ColumnPlan boolean = column_plan(yes_no, reader);
  ASSERT_TRUE(reader.read(boolean, "Yes", cell));
  EXPECT_TRUE(std::isnan(cell.value));
  ASSERT_TRUE(reader.read(boolean, "No", cell));
  EXPECT_EQ(cell.value, 0.0);
  const ColumnPlan plain_boolean = column_plan(yes_no, CellReader({}));
  ASSERT_TRUE(CellReader({}).read(plain_boolean, "Yes", cell));
  EXPECT_EQ(cell.value, 1.0);
  ASSERT_TRUE(CellReader({}).read(plain_boolean, " no ", cell));  // the slow path's rules
  EXPECT_EQ(cell.value, 0.0);
  EXPECT_FALSE(CellReader({}).read(plain_boolean, "Maybe", cell));

  ColumnSchema number;
  number.name = "n";
  number.type = ColumnType::kNumeric;
  const ColumnPlan numeric = column_plan(number, reader);
  ASSERT_TRUE(reader.read(numeric, "-1", cell));
  EXPECT_TRUE(std::isnan(cell.value));
  ASSERT_TRUE(reader.read(numeric, "-2", cell));
  EXPECT_EQ(cell.value, -2.0);
}

// Columns with many levels are hashed: every level is found, whatever its length, and texts that
// are not levels (prefixes, other cases, spaces) are unseen.
TEST(CellReader, ManyLevelsAreFoundByTheirWholeText) {
  std::vector<std::string> levels = {"",         "a",         "ab",
                                     "abc",      "abcd",      "abcde",
                                     "abcdefgh", "abcdefghi", "a longer level than sixteen bytes"};
  for (int month = 1; month <= 36; ++month) {
    levels.push_back(std::to_string(2024 + (month - 1) / 12) + "-" +
                     (month % 12 + 1 < 10 ? "0" : "") + std::to_string(month % 12 + 1));
  }
  levels.erase(levels.begin());  // "" is a missing value, never a level
  const CellReader reader({});
  const ColumnPlan plan = column_plan(categorical(levels), reader);
  ParsedCell cell{};
  for (std::size_t i = 0; i < levels.size(); ++i) {
    ASSERT_TRUE(reader.read(plan, levels[i], cell));
    EXPECT_EQ(cell.code, static_cast<int32_t>(i)) << levels[i];
  }
  for (const char* other : {"abcdefg", "ABC", "a ", "2023-01", "2024-1", "abcdefghij", "b"}) {
    ASSERT_TRUE(reader.read(plan, other, cell));
    EXPECT_EQ(cell.code, kUnseenCode) << other;
  }
  ASSERT_TRUE(reader.read(plan, " ", cell));
  EXPECT_EQ(cell.code, kMissingCode);
}

}  // namespace
}  // namespace smartchurn::engine
