// CSV writing: spreadsheet formulas in text cells are neutralised unless raw output is asked for.
#include <gtest/gtest.h>

#include <sstream>

#include "smartchurn/csv.h"

namespace smartchurn {
namespace {

std::string written(const std::vector<std::string>& row, CsvCells cells,
                    std::vector<bool> numeric = {}) {
  std::ostringstream out;
  CsvWriter writer(out, ',', cells);
  writer.set_numeric_columns(std::move(numeric));
  writer.write_row(row);
  return out.str();
}

TEST(CsvWriter, PrefixesFormulaLikeTextWithAQuote) {
  const CsvCells safe = CsvCells::kSpreadsheetSafe;
  EXPECT_EQ(written({"=HYPERLINK(\"http://x\",\"y\")"}, safe),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\n");
  EXPECT_EQ(written({"+cmd", "-1+1", "@SUM(1)", "\tTAB"}, safe), "'+cmd,'-1+1,'@SUM(1),'\tTAB\n");
  EXPECT_EQ(written({"\rCR"}, safe), "\"'\rCR\"\n");
  // A user's value that looks like a negative number is escaped too (OWASP): it is text here.
  EXPECT_EQ(written({"-5"}, safe), "'-5\n");
  // Ordinary cells are unchanged, byte for byte.
  EXPECT_EQ(written({"7590-VHVEG", "0.705434", "high", "a=b", "", "'quoted"}, safe),
            "7590-VHVEG,0.705434,high,a=b,,'quoted\n");
}

TEST(CsvWriter, NumericColumnsAndRawOutputAreWrittenAsTheyAre) {
  EXPECT_EQ(written({"-0.25", "-x"}, CsvCells::kSpreadsheetSafe, {true, false}), "-0.25,'-x\n");
  EXPECT_EQ(written({"=1+1", "+cmd", "-1+1", "@SUM(1)", "\tTAB"}, CsvCells::kRaw),
            "=1+1,+cmd,-1+1,@SUM(1),\tTAB\n");
  EXPECT_EQ(written({"\rCR"}, CsvCells::kRaw), "\"\rCR\"\n");
}

TEST(CsvWriter, AppendCsvFieldEscapesByDefault) {
  std::string out;
  append_csv_field(out, "=cmd");
  out += ',';
  append_csv_field(out, "=cmd", ',', CsvCells::kRaw);
  out += ',';
  append_csv_field(out, "@a;b", ';');
  EXPECT_EQ(out, "'=cmd,=cmd,\"'@a;b\"");
  EXPECT_TRUE(csv_formula_like("=x"));
  EXPECT_FALSE(csv_formula_like(""));
  EXPECT_FALSE(csv_formula_like("x="));
}

}  // namespace
}  // namespace smartchurn
