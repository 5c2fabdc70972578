#include <gtest/gtest.h>

#include <sstream>

#include "smartchurn/csv.h"
#include "smartchurn/error.h"

namespace smartchurn {
namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows read_all(CsvReader& reader, std::vector<std::size_t>* lines = nullptr) {
  Rows rows;
  std::vector<std::string> fields;
  while (reader.next(fields)) {
    rows.push_back(fields);
    if (lines) lines->push_back(reader.record_line());
  }
  return rows;
}

Rows read_text(const std::string& text, std::vector<std::size_t>* lines = nullptr,
               CsvOptions options = {}) {
  std::istringstream in(text);
  CsvReader reader(in, "t.csv", options);
  return read_all(reader, lines);
}

// Runs `text` through a reader to the end and returns the error it throws.
Error error_for(const std::string& text, CsvOptions options = {}) {
  std::istringstream in(text);
  try {
    CsvReader reader(in, "t.csv", options);
    read_all(reader);
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no error for: " << text;
  return Error(ErrorCode::kInternal, "none");
}

TEST(CsvReader, ReadsQuotedFieldsWithDelimitersQuotesAndNewlines) {
  CsvReader reader = CsvReader::open(std::string(SMARTCHURN_TEST_DATA) + "/quoted.csv");
  EXPECT_EQ(reader.header(), (std::vector<std::string>{"id", "name", "comment", "amount"}));
  std::vector<std::size_t> lines;
  Rows rows = read_all(reader, &lines);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1", "Smith, John", "He said \"hi\"", "10.5"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"2", "Multi\nline\nnote", "x", "20"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"3", "Plain", "", "30"}));
  // The quoted newlines in row 2 push row 3 to physical line 6.
  EXPECT_EQ(lines, (std::vector<std::size_t>{2, 3, 6}));
  EXPECT_EQ(reader.records_read(), 3u);
}

TEST(CsvReader, HandlesCrlfBomSemicolonAndTab) {
  for (const char* file : {"crlf.csv", "bom.csv", "semicolon.csv", "tab.csv"}) {
    SCOPED_TRACE(file);
    CsvReader reader = CsvReader::open(std::string(SMARTCHURN_TEST_DATA) + "/" + file);
    EXPECT_EQ(reader.header(), (std::vector<std::string>{"a", "b", "Churn"}));
    Rows rows = read_all(reader);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0][2], "Yes");
    EXPECT_EQ(rows[1][2], "No");
  }
  EXPECT_EQ(CsvReader::open(std::string(SMARTCHURN_TEST_DATA) + "/semicolon.csv").delimiter(), ';');
  EXPECT_EQ(CsvReader::open(std::string(SMARTCHURN_TEST_DATA) + "/tab.csv").delimiter(), '\t');
  EXPECT_EQ(read_text("a;b;c\n1,5;2;3\n")[0][0], "1,5");
  EXPECT_EQ(read_text("a\tb\tc\n1 2\t2\t3\n")[0][0], "1 2");
}

TEST(CsvReader, DetectsTheDelimiterOutsideQuotesOnly) {
  // Two semicolons inside quotes must not outvote the single comma.
  Rows rows = read_text("\"a;b;c\",d\n1,2\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1", "2"}));
}

TEST(CsvReader, UsesAGivenDelimiter) {
  CsvOptions options;
  options.delimiter = ';';
  Rows rows = read_text("a,b;c\n1,2;3\n", nullptr, options);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1,2", "3"}));
}

TEST(CsvReader, SkipsBlankLinesAndCountsThem) {
  std::vector<std::size_t> lines;
  Rows rows = read_text("a,b\n\n1,2\r\n\r\n3,4", &lines);
  EXPECT_EQ(rows, (Rows{{"1", "2"}, {"3", "4"}}));
  EXPECT_EQ(lines, (std::vector<std::size_t>{3, 5}));
}

TEST(CsvReader, KeepsEmptyTrailingField) {
  EXPECT_EQ(read_text("a,b,c\n1,,\n"), (Rows{{"1", "", ""}}));
}

TEST(CsvReader, ReadsRecordsSpanningManyBuffers) {
  std::string text = "n,s\n";
  for (int i = 0; i < 200000; ++i)
    text += std::to_string(i) + ",\"v\"\"" + std::to_string(i) + "\"\n";
  std::istringstream in(text);
  CsvReader reader(in, "big.csv");
  std::vector<std::string> fields;
  std::size_t count = 0;
  while (reader.next(fields)) {
    ASSERT_EQ(fields[0], std::to_string(count));
    ASSERT_EQ(fields[1], "v\"" + std::to_string(count));
    ++count;
  }
  EXPECT_EQ(count, 200000u);
  EXPECT_EQ(reader.record_line(), 200001u);
}

TEST(CsvReader, RaggedRowNamesLineAndCounts) {
  Error e = error_for("a,b,c,d\n1,2,3,4\n1,2,3,4\n1,2,3,4\n1,2,3\n");
  EXPECT_EQ(e.code(), ErrorCode::kBadData);
  EXPECT_EQ(e.message(), "the record has 3 fields, the header has 4");
  EXPECT_EQ(e.where().line, 5u);
  EXPECT_EQ(e.where().file, "t.csv");
}

TEST(CsvReader, LenientReadReportsRaggedRecords) {
  std::istringstream in("a,b\n1,2\n1,2,3\n4,5\n");
  CsvReader reader(in, "t.csv");
  std::vector<std::string> fields;
  bool ragged = true;
  ASSERT_TRUE(reader.next_lenient(fields, ragged));
  EXPECT_FALSE(ragged);
  ASSERT_TRUE(reader.next_lenient(fields, ragged));
  EXPECT_TRUE(ragged);
  EXPECT_EQ(fields.size(), 3u);
  EXPECT_EQ(reader.record_line(), 3u);
  ASSERT_TRUE(reader.next_lenient(fields, ragged));
  EXPECT_FALSE(ragged);
  EXPECT_EQ(fields, (std::vector<std::string>{"4", "5"}));
  EXPECT_FALSE(reader.next_lenient(fields, ragged));
}

TEST(CsvReader, UnterminatedQuoteNamesTheLineWhereItOpened) {
  Error e = error_for("a,b\n1,2\n3,\"open\n4,5\n6,7\n");
  EXPECT_EQ(e.code(), ErrorCode::kBadData);
  EXPECT_EQ(e.where().line, 3u);
  EXPECT_EQ(e.where().column, "b");
  EXPECT_NE(e.message().find("unterminated quote"), std::string::npos) << e.message();
}

TEST(CsvReader, TextAfterClosingQuoteIsAnError) {
  Error e = error_for("a,b\n\"x\"y,2\n");
  EXPECT_EQ(e.where().line, 2u);
  EXPECT_EQ(e.where().column, "a");
}

TEST(CsvReader, FieldLongerThanTheLimitIsAnError) {
  CsvOptions options;
  options.max_field_bytes = 10;
  Error e = error_for("a,b\n1,12345678901\n", options);
  EXPECT_EQ(e.code(), ErrorCode::kBadData);
  EXPECT_EQ(e.where().line, 2u);
  EXPECT_EQ(e.where().column, "b");
  EXPECT_NE(e.message().find("longer than 10 bytes"), std::string::npos) << e.message();
  EXPECT_EQ(read_text("a,b\n1,1234567890\n", nullptr, options)[0][1], "1234567890");
}

TEST(CsvReader, BinaryContentIsRejected) {
  Error nul = error_for(std::string("a,b\n1,\0\n", 8));
  EXPECT_NE(nul.message().find("looks like a binary file, not CSV"), std::string::npos);
  Error late_nul = error_for(std::string("a,b\n1,2\n3,x\0y\n", 14));
  EXPECT_NE(late_nul.message().find("looks like a binary file"), std::string::npos);
  EXPECT_EQ(late_nul.where().line, 3u);
  Error bad_utf8 = error_for("a,b\n1,\xff\xfe\n");
  EXPECT_NE(bad_utf8.message().find("looks like a binary file"), std::string::npos);
  EXPECT_EQ(read_text("a,b\n1,caf\xc3\xa9\n")[0][1], "caf\xc3\xa9");
}

TEST(CsvReader, HeaderProblems) {
  EXPECT_EQ(error_for("").message(), "empty file");
  EXPECT_EQ(error_for("\n\r\n").message(), "empty file");
  Error dup = error_for("a,b,a\n1,2,3\n");
  EXPECT_EQ(dup.message(), "duplicate column name 'a' in the header");
  EXPECT_EQ(dup.where().line, 1u);
  EXPECT_EQ(error_for("a,,c\n1,2,3\n").message(), "header column 2 has no name");
}

TEST(CsvReader, HeaderOnlyHasNoRecords) { EXPECT_TRUE(read_text("a,b\n").empty()); }

TEST(CsvReader, MissingFileIsAnIoError) {
  try {
    CsvReader::open("/nonexistent/file.csv");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIo);
  }
}

TEST(CsvReader, RefusesAHeaderWiderThanTheColumnCap) {
  CsvOptions options;
  options.max_columns = 3;
  EXPECT_EQ(read_text("a,b,c\n1,2,3\n", nullptr, options), (Rows{{"1", "2", "3"}}));
  const Error wide = error_for("a,b,c,d\n1,2,3,4\n", options);
  EXPECT_EQ(wide.code(), ErrorCode::kBadData);
  EXPECT_EQ(wide.where().line, 1u);
  EXPECT_EQ(wide.where().column, "4");  // no name yet: its position
  EXPECT_NE(std::string(wide.what()).find("at most 3 columns"), std::string::npos) << wide.what();
  EXPECT_EQ(CsvOptions{}.max_columns, 2000u);
}

TEST(CsvReader, RefusesARecordWithMoreFieldsThanTheCapBeforeReadingThemAll) {
  CsvOptions options;
  options.max_columns = 3;
  const Error wide = error_for("a,b\n1,2\n1,2,3,4,5,6,7\n", options);
  EXPECT_EQ(wide.where().line, 3u);
  EXPECT_NE(std::string(wide.what()).find("more than 3 fields"), std::string::npos) << wide.what();
}

TEST(CsvWriter, QuotesOnlyWhenNeededAndRoundTrips) {
  std::ostringstream out;
  CsvWriter writer(out);
  writer.write_row(std::vector<std::string>{"id", "note"});
  writer.write_row(std::vector<std::string>{"1", "plain"});
  writer.write_row(std::vector<std::string_view>{"2", "a,b \"q\"\nx"});
  EXPECT_EQ(out.str(), "id,note\n1,plain\n2,\"a,b \"\"q\"\"\nx\"\n");
  EXPECT_EQ(read_text(out.str()), (Rows{{"1", "plain"}, {"2", "a,b \"q\"\nx"}}));
}

TEST(CsvWriter, UsesItsDelimiter) {
  std::ostringstream out;
  CsvWriter writer(out, ';');
  writer.write_row(std::vector<std::string>{"1,5", "a;b"});
  EXPECT_EQ(out.str(), "1,5;\"a;b\"\n");
}

}  // namespace
}  // namespace smartchurn
