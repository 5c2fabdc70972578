#include <gtest/gtest.h>

#include <filesystem>

#include "smartchurn/dataset.h"
#include "smartchurn/error.h"
#include "unit/data/temp_csv.h"

namespace smartchurn {
namespace {

using test::TempCsv;

Dataset read_dataset_text(const std::string& text, const ReadOptions& options = {}) {
  TempCsv file(text);
  return read_dataset(file.path(), options);
}

TEST(MissingTokens, RecognisesTheUsualSpellings) {
  for (const char* t :
       {"", " ", "\t", "NA", "na", "N/A", "null", "NULL", "NaN", "nan", "?", " ? "}) {
    EXPECT_TRUE(is_missing_token(t, {})) << "'" << t << "'";
  }
  for (const char* t : {"0", "No", "None", "Unknown", "H?", "-"}) {
    EXPECT_FALSE(is_missing_token(t, {})) << "'" << t << "'";
  }
  EXPECT_TRUE(is_missing_token(" Unknown ", {"Unknown"}));
  EXPECT_FALSE(is_missing_token("unknown", {"Unknown"}));
}

TEST(ParseNumber, AcceptsWholeNumbersOnly) {
  EXPECT_EQ(parse_number("42"), 42.0);
  EXPECT_EQ(parse_number(" -3.5 "), -3.5);
  EXPECT_EQ(parse_number("+7"), 7.0);
  EXPECT_EQ(parse_number("9.3448e-05"), 9.3448e-05);
  EXPECT_EQ(parse_number(".5"), 0.5);
  for (const char* t : {"", " ", "abc", "1,5", "12a", "inf", "nan", "-", "+", "0x10", "1 2"}) {
    EXPECT_FALSE(parse_number(t).has_value()) << "'" << t << "'";
  }
}

TEST(ReadDataset, InfersEachType) {
  Dataset d = read_dataset_text(
      "customerID,tenure,charges,Partner,Senior,Contract,Country,Note\n"
      "A-1,1,10.5,Yes,0,Monthly,FR,\n"
      "A-2,5, ,No,1,Yearly,FR,x\n"
      "A-3,7,30,Yes,0,Monthly,FR,y\n"
      "A-4,9,NA,No,1,Monthly,FR,x\n");
  ASSERT_EQ(d.rows(), 4u);
  EXPECT_EQ(d.lines, (std::vector<std::size_t>{2, 3, 4, 5}));
  EXPECT_EQ(d.column("customerID").type(), ColumnType::kIdentifier);
  EXPECT_EQ(d.column("tenure").type(), ColumnType::kNumeric);
  EXPECT_TRUE(d.column("tenure").schema.integer);
  const Column& charges = d.column("charges");
  EXPECT_EQ(charges.type(), ColumnType::kNumeric);
  EXPECT_FALSE(charges.schema.integer);
  EXPECT_EQ(charges.missing, 2u);
  EXPECT_TRUE(charges.is_missing_at(1));
  EXPECT_EQ(charges.values[2], 30.0);
  const Column& partner = d.column("Partner");
  EXPECT_EQ(partner.type(), ColumnType::kBoolean);
  EXPECT_EQ(partner.schema.true_label, "Yes");
  EXPECT_EQ(partner.schema.false_label, "No");
  EXPECT_EQ(partner.values, (std::vector<double>{1, 0, 1, 0}));
  const Column& senior = d.column("Senior");
  EXPECT_EQ(senior.type(), ColumnType::kBoolean);
  EXPECT_EQ(senior.schema.true_label, "1");
  EXPECT_EQ(senior.schema.false_label, "0");
  EXPECT_EQ(senior.values, (std::vector<double>{0, 1, 0, 1}));
  const Column& contract = d.column("Contract");
  EXPECT_EQ(contract.type(), ColumnType::kCategorical);
  EXPECT_EQ(contract.schema.levels, (std::vector<std::string>{"Monthly", "Yearly"}));
  EXPECT_EQ(contract.codes, (std::vector<int32_t>{0, 1, 0, 0}));
  EXPECT_EQ(d.column("Country").type(), ColumnType::kConstant);
  EXPECT_EQ(d.column("Country").schema.levels, (std::vector<std::string>{"FR"}));
  const Column& note = d.column("Note");
  EXPECT_EQ(note.type(), ColumnType::kCategorical);
  EXPECT_EQ(note.missing, 1u);
  EXPECT_EQ(note.text_at(0), "");
  EXPECT_EQ(note.text_at(1), "x");
  EXPECT_EQ(d.sha256.size(), 64u);
}

// Rows are parsed in blocks and the columns take each block in parallel: across many blocks,
// every column must still see its rows in order, including one that turns from numbers to text
// late, after its numeric text was dropped.
TEST(ReadDataset, ManyBlocksKeepEveryColumnInRowOrder) {
  constexpr int kRows = 30000;
  std::string text = "customer_id,amount,plan,late_switch,flag\n";
  for (int r = 0; r < kRows; ++r) {
    text += "C" + std::to_string(1000000 - r) + "," + std::to_string(r) + ".5," +
            (r % 3 == 0   ? "Gold"
             : r % 3 == 1 ? "Silver"
                          : " ") +
            "," + (r == kRows - 5 ? std::string("text") : std::to_string(r % 2000)) + "," +
            (r % 2 ? "Yes" : "No") + "\n";
  }
  Dataset d = read_dataset_text(text);
  ASSERT_EQ(d.rows(), std::size_t(kRows));
  EXPECT_EQ(d.lines.back(), std::size_t(kRows + 1));
  EXPECT_EQ(d.column("customer_id").type(), ColumnType::kIdentifier);
  EXPECT_EQ(d.column("amount").type(), ColumnType::kNumeric);
  EXPECT_EQ(d.column("plan").type(), ColumnType::kCategorical);
  EXPECT_EQ(d.column("late_switch").type(), ColumnType::kCategorical);
  EXPECT_EQ(d.column("flag").type(), ColumnType::kBoolean);
  for (int r = 0; r < kRows; r += 997) {
    const auto row = std::size_t(r);
    EXPECT_EQ(d.column("customer_id").text_at(row), "C" + std::to_string(1000000 - r));
    EXPECT_EQ(d.column("amount").values[row], r + 0.5);
    EXPECT_EQ(d.column("plan").text_at(row), r % 3 == 0 ? "Gold" : r % 3 == 1 ? "Silver" : "");
    EXPECT_EQ(d.column("late_switch").text_at(row), std::to_string(r % 2000));
    EXPECT_EQ(d.column("flag").values[row], r % 2 ? 1.0 : 0.0);
  }
  EXPECT_EQ(d.column("late_switch").text_at(std::size_t(kRows - 5)), "text");
  EXPECT_EQ(d.column("plan").missing, std::size_t(kRows / 3));
  EXPECT_EQ(d.column("late_switch").schema.levels.size(), 2001u);  // 0..1999 and "text"
}

// A wide file gets fewer rows per block (its cells, not columns x 8192 rows, set the block's
// memory); the rows still come out whole and in order across the blocks.
TEST(ReadDataset, AWideFileIsReadInSmallerBlocksWithEveryRowInOrder) {
  constexpr int kColumns = 1500, kRows = 800;  // ~350 rows a block: three blocks
  std::string text;
  for (int c = 0; c < kColumns; ++c) text += (c ? ",c" : "c") + std::to_string(c);
  text += '\n';
  for (int r = 0; r < kRows; ++r) {
    for (int c = 0; c < kColumns; ++c) text += (c ? "," : "") + std::to_string(r * 7 + c % 5);
    text += '\n';
  }
  Dataset d = read_dataset_text(text);
  ASSERT_EQ(d.rows(), std::size_t(kRows));
  ASSERT_EQ(d.columns.size(), std::size_t(kColumns));
  for (int r = 0; r < kRows; r += 37) {
    EXPECT_EQ(d.column("c0").values[std::size_t(r)], r * 7);
    EXPECT_EQ(d.column("c1499").values[std::size_t(r)], r * 7 + 1499 % 5);
  }
}

TEST(ReadDataset, NumericIdentifiersNeedAnIdName) {
  Dataset d = read_dataset_text(
      "CustomerId,RowNumber,client_id,id,CLIENTNUM,Score\n"
      "0015,1,7,10,768805383,3\n0016,2,8,11,818770008,4\n0017,3,9,12,713982108,5\n");
  EXPECT_EQ(d.column("CustomerId").type(), ColumnType::kIdentifier);
  EXPECT_EQ(d.column("CustomerId").text_at(0), "0015");  // keeps the text as written
  EXPECT_EQ(d.column("client_id").type(), ColumnType::kIdentifier);
  EXPECT_EQ(d.column("id").type(), ColumnType::kIdentifier);
  EXPECT_EQ(d.column("RowNumber").type(), ColumnType::kIdentifier);
  EXPECT_EQ(d.column("CLIENTNUM").type(), ColumnType::kIdentifier);
  EXPECT_EQ(d.column("Score").type(), ColumnType::kNumeric);
}

TEST(ReadDataset, IdNamedColumnThatRepeatsIsNotAnIdentifier) {
  Dataset d = read_dataset_text("StoreId,x\n1,a\n1,b\n2,a\n");
  EXPECT_EQ(d.column("StoreId").type(), ColumnType::kNumeric);
}

TEST(ReadDataset, BooleanPairsMustMatch) {
  Dataset d = read_dataset_text("a,b,c,d\nTrue,Y,yes,t\nFalse,N,false,f\n");
  EXPECT_EQ(d.column("a").type(), ColumnType::kBoolean);
  EXPECT_EQ(d.column("a").schema.true_label, "True");
  EXPECT_EQ(d.column("b").type(), ColumnType::kBoolean);
  EXPECT_EQ(d.column("d").type(), ColumnType::kBoolean);
  // yes/false is not a pair: two rows, unique text -> identifier.
  EXPECT_EQ(d.column("c").type(), ColumnType::kIdentifier);
}

TEST(ReadDataset, MixedNumbersAndTextBecomeCategorical) {
  Dataset d = read_dataset_text("v,k\n1,a\n2.50,a\nabc,b\n2.50,b\n");
  const Column& v = d.column("v");
  EXPECT_EQ(v.type(), ColumnType::kCategorical);
  EXPECT_EQ(v.schema.levels, (std::vector<std::string>{"1", "2.50", "abc"}));
  EXPECT_EQ(v.codes, (std::vector<int32_t>{0, 1, 2, 1}));
}

TEST(ReadDataset, LateTextInAManyValuedNumericColumnKeepsLevelsConsistent) {
  // Past 1000 distinct numbers the text is rebuilt from values, so "2.50" and "2.5" share a level.
  std::string text = "v\n2.50\n";
  for (int i = 0; i < 1200; ++i) text += std::to_string(i + 10) + "\n";
  text += "abc\n2.50\n\n";
  Dataset d = read_dataset_text(text);
  const Column& v = d.column("v");
  ASSERT_EQ(v.type(), ColumnType::kCategorical);
  ASSERT_EQ(d.rows(), 1203u);
  EXPECT_EQ(v.text_at(0), "2.5");
  EXPECT_EQ(v.codes[0], v.codes[1202]);
  EXPECT_EQ(v.text_at(1201), "abc");
  EXPECT_EQ(v.text_at(1), "10");
  EXPECT_EQ(v.schema.levels.size(), 1202u);
}

TEST(ReadDataset, ConstantNumberWrittenTwoWaysKeepsTheFirstSpelling) {
  Dataset d = read_dataset_text("a,b\n1.0,x\n1,y\n,x\n");
  const Column& a = d.column("a");
  EXPECT_EQ(a.type(), ColumnType::kConstant);
  EXPECT_EQ(a.schema.levels, (std::vector<std::string>{"1.0"}));
  EXPECT_EQ(a.codes, (std::vector<int32_t>{0, 0, kMissingCode}));
}

TEST(ReadDataset, OptionsForceIdentifiersCategoriesAndTokens) {
  ReadOptions options;
  options.id_columns = {"Surname"};
  options.keep_as_categorical = {"Exited"};
  options.na_tokens = {"Unknown"};
  Dataset d = read_dataset_text(
      "Surname,Exited,Edu\nLee,1,Unknown\nLee,0,College\nKim,0,Graduate\n", options);
  EXPECT_EQ(d.column("Surname").type(), ColumnType::kIdentifier);
  EXPECT_EQ(d.column("Exited").type(), ColumnType::kCategorical);
  EXPECT_EQ(d.column("Exited").schema.levels, (std::vector<std::string>{"0", "1"}));
  EXPECT_EQ(d.column("Edu").missing, 1u);
  EXPECT_EQ(d.column("Edu").type(), ColumnType::kCategorical);
  options.id_columns = {"Nope"};
  try {
    read_dataset_text("a\n1\n", options);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUsage);
    EXPECT_NE(e.message().find("'Nope'"), std::string::npos);
  }
}

TEST(ReadDataset, AllMissingColumnIsConstant) {
  Dataset d = read_dataset_text("a,b\n,1\nNA,2\n");
  EXPECT_EQ(d.column("a").type(), ColumnType::kConstant);
  EXPECT_EQ(d.column("a").missing, 2u);
  EXPECT_TRUE(d.column("a").schema.levels.empty());
}

TEST(ReadDataset, HeaderOnlyIsAnError) {
  try {
    read_dataset_text("a,b\n");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData);
    EXPECT_NE(e.message().find("no data rows"), std::string::npos);
  }
}

TEST(ReadDataset, ColumnLookupAndSchema) {
  Dataset d = read_dataset_text("id,x,y\na,1,u\nb,2,v\nc,3,u\n");
  EXPECT_EQ(d.index_of("x"), 1);
  EXPECT_EQ(d.index_of("zz"), -1);
  EXPECT_THROW(d.column("zz"), Error);
  Schema s = d.schema();
  ASSERT_EQ(s.columns.size(), 3u);
  EXPECT_TRUE(s.columns[0].levels.empty());  // identifier values are not kept
  EXPECT_EQ(s.columns[2].levels, (std::vector<std::string>{"u", "v"}));
  nlohmann::json j = s;
  Schema back = j.get<Schema>();
  EXPECT_EQ(nlohmann::json(back), j);
  EXPECT_EQ(j["columns"][1]["type"], "numeric");
  EXPECT_EQ(j["columns"][1]["integer"], true);
  EXPECT_EQ(back.index_of("y"), 2);
}

TEST(ColumnType, NamesRoundTrip) {
  for (auto t : {ColumnType::kNumeric, ColumnType::kBoolean, ColumnType::kCategorical,
                 ColumnType::kIdentifier, ColumnType::kConstant}) {
    EXPECT_EQ(column_type_from_string(to_string(t)), t);
  }
  EXPECT_THROW(column_type_from_string("float"), Error);
}

TEST(Sha256, MatchesKnownDigests) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  TempCsv file("abc");
  EXPECT_EQ(sha256_file(file.path()), sha256_hex("abc"));
}

TEST(ReadDataset, TelcoSharedData) {
  const std::string path = std::string(SMARTCHURN_SHARED_DATA) +
                           "/telco-customer-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared data not found: " << path;
  ReadOptions options;
  options.keep_as_categorical = {"Churn"};
  Dataset d = read_dataset(path, options);
  EXPECT_EQ(d.rows(), 7043u);
  EXPECT_EQ(d.columns.size(), 21u);
  EXPECT_EQ(d.sha256, "88be4b93fbe0cc83421af1c503794c97c342eca914c1576db7c276e61d61358a");
  EXPECT_EQ(d.column("customerID").type(), ColumnType::kIdentifier);
  EXPECT_EQ(d.column("TotalCharges").type(), ColumnType::kNumeric);
  EXPECT_EQ(d.column("TotalCharges").missing, 11u);
  EXPECT_EQ(d.column("SeniorCitizen").type(), ColumnType::kBoolean);
  EXPECT_EQ(d.column("Partner").type(), ColumnType::kBoolean);
  EXPECT_EQ(d.column("gender").type(), ColumnType::kCategorical);
  EXPECT_EQ(d.column("PaymentMethod").schema.levels.size(), 4u);
  EXPECT_EQ(d.column("Churn").type(), ColumnType::kCategorical);
  EXPECT_EQ(d.lines.back(), 7044u);
}

TEST(ReadDataset, BankSharedDataIdentifiers) {
  const std::string path =
      std::string(SMARTCHURN_SHARED_DATA) + "/bank-churn-modelling/Churn_Modelling.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared data not found: " << path;
  Dataset d = read_dataset(path);
  EXPECT_EQ(d.rows(), 10000u);
  EXPECT_EQ(d.column("CustomerId").type(), ColumnType::kIdentifier);
  EXPECT_EQ(d.column("RowNumber").type(), ColumnType::kIdentifier);
  EXPECT_EQ(d.column("NumOfProducts").type(), ColumnType::kNumeric);
  EXPECT_EQ(d.column("Surname").type(), ColumnType::kCategorical);
  EXPECT_EQ(d.column("Surname").schema.levels.size(), 2932u);
  EXPECT_EQ(d.column("HasCrCard").type(), ColumnType::kBoolean);
  EXPECT_EQ(d.column("Balance").type(), ColumnType::kNumeric);
  EXPECT_EQ(d.column("Exited").type(), ColumnType::kBoolean);
}

}  // namespace
}  // namespace smartchurn
