// The block splitter must cut only between records, whatever the block size: parsing the blocks
// one by one (as the batch scorer's threads do) gives exactly CsvReader's records and lines.
#include <gtest/gtest.h>

#include <sstream>

#include "data/csv_blocks.h"
#include "data/csv_parser.h"
#include "smartchurn/csv.h"
#include "smartchurn/error.h"

namespace smartchurn::detail {
namespace {

struct Record {
  std::vector<std::string> fields;
  std::size_t line;
  bool operator==(const Record&) const = default;
};

// Each record with the line it starts on, read by CsvReader as one stream.
std::vector<Record> read_whole(const std::string& text) {
  std::istringstream in(text);
  CsvReader reader(in, "t.csv");
  std::vector<Record> out;
  std::vector<std::string> fields;
  bool ragged = false;
  while (reader.next_lenient(fields, ragged)) out.push_back({fields, reader.record_line()});
  return out;
}

struct Split {
  std::vector<Record> records;
  std::size_t blocks = 0;
  std::string joined;  // the blocks end to end
};

// The header by CsvReader, the rest in blocks of about `block_bytes`, each parsed on its own with
// lines counted from the block's start and shifted as the batch scorer's writer does.
Split read_in_blocks(const std::string& text, std::size_t block_bytes,
                     std::size_t max_record_bytes = 1 << 20) {
  std::istringstream in(text);
  CsvReader reader(in, "t.csv");
  std::string first;
  std::size_t line = reader.take_unparsed(first);
  CsvBlockSplitter splitter(in, "t.csv", reader.delimiter(), first, block_bytes, max_record_bytes);
  const CsvRecordParser parser("t.csv", reader.delimiter(), 64 * 1024, &reader.header());
  Split split;
  std::vector<char> block;
  bool cut_short = false;
  std::vector<CsvField> fields;
  while (splitter.next(block, cut_short)) {
    EXPECT_FALSE(cut_short);
    ++split.blocks;
    split.joined.append(block.begin(), block.end());
    char* cursor = block.data();
    std::size_t block_line = 1, record_line = 0;
    while (parser.parse(cursor, block.data() + block.size(), true, block_line, fields,
                        record_line) == CsvRecordParser::Result::kRecord) {
      Record record{{}, record_line + line - 1};
      for (auto& f : fields) record.fields.emplace_back(field_text(f));
      split.records.push_back(std::move(record));
    }
    line += block_line - 1;
  }
  return split;
}

const std::vector<std::pair<std::string, std::string>> kTexts = {
    {"plain", "a,b,c\n1,2,3\n4,5,6\n7,8,9\n"},
    {"no final line end", "a,b\n1,2\n3,4"},
    {"quoted newlines",
     "id,note,n\n1,\"two\nlines\",5\n2,\"a \"\"quoted\"\"\nword\",6\n3,\"\",7\n4,\"x,\ny\nz\",8\n"},
    {"crlf", "a,b\r\n1,\"x\r\ny\"\r\n2,3\r\n\r\n4,5\r\n"},
    {"crlf, long rows", "a,b\r\n1,\"xxxxxxxx\r\ny\"\r\n22222,33333\r\n\r\n444444,55555\r\n6,7\r\n"},
    {"lone cr", "a,b\r1,2\r3,\"q\rq\"\r5,6\r"},
    {"blank lines", "a,b\n\n\n1,2\n\n3,4\n\n"},
    {"quote inside an unquoted field", "a,b\n5\" screen,\"x\ny\"\n7\",8\n9,\"\"\"\"\n"},
    {"quoted header", "\"a\nb\",c\n1,2\n"},
    {"ragged", "a,b\n1\n2,3,4\n\"5\n\",6\n"},
    {"bom",
     "\xEF\xBB\xBF"
     "a,b\n1,2\n\"3\n\",4\n"},
    {"semicolons", "a;b\n\"1;\n2\";3\n4;5\n"},
};

class CsvBlocks : public testing::TestWithParam<std::size_t> {};

TEST_P(CsvBlocks, BlocksHoldWholeRecordsWithTheirLines) {
  for (const auto& [name, text] : kTexts) {
    const Split split = read_in_blocks(text, GetParam());
    EXPECT_EQ(split.records, read_whole(text)) << name;
    std::istringstream in(text);
    CsvReader reader(in, "t.csv");
    std::string rest;
    reader.take_unparsed(rest);
    EXPECT_EQ(split.joined, rest) << name;  // nothing lost, nothing repeated
  }
}

INSTANTIATE_TEST_SUITE_P(BlockBytes, CsvBlocks, testing::Values(1, 2, 3, 5, 8, 13, 64, 1 << 20));

TEST(CsvBlocks, SmallBlocksCutOftenAndBigOnesRarely) {
  std::string text = "id,note\n";
  for (int i = 0; i < 5000; ++i) {
    text += std::to_string(i) + (i % 7 == 0 ? ",\"multi\nline \"\"note\"\"\"\n" : ",plain\n");
  }
  const Split small = read_in_blocks(text, 256);
  const Split big = read_in_blocks(text, 1 << 20);
  EXPECT_GT(small.blocks, 200u);
  EXPECT_EQ(big.blocks, 1u);
  EXPECT_EQ(small.records, read_whole(text));
  EXPECT_EQ(big.records, small.records);
}

TEST(CsvBlocks, ARecordThatNeverEndsIsCutShort) {
  std::string text = "a,b\n1,2\n3,\"" + std::string(5000, 'x');  // unclosed quote
  std::istringstream in(text);
  CsvReader reader(in, "t.csv");
  std::string first;
  reader.take_unparsed(first);
  CsvBlockSplitter splitter(in, "t.csv", ',', first, 16, 1024);
  std::vector<char> block;
  bool cut_short = false;
  ASSERT_TRUE(splitter.next(block, cut_short));
  EXPECT_FALSE(cut_short);
  EXPECT_EQ(std::string(block.begin(), block.end()), "1,2\n");
  ASSERT_TRUE(splitter.next(block, cut_short));
  EXPECT_TRUE(cut_short);
  EXPECT_GE(block.size(), 1024u);
  EXPECT_FALSE(splitter.next(block, cut_short));
}

}  // namespace
}  // namespace smartchurn::detail
