// Streaming RFC 4180 CSV reading and writing.
#pragma once

#include <cstddef>
#include <fstream>
#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace smartchurn {

struct CsvOptions {
  char delimiter = '\0';  // '\0': detect among ',', ';' and '\t' from the header line
  // A longer field is an error (binary data, wrong delimiter).
  std::size_t max_field_bytes = 64 * 1024;
  // A header with more columns is an error: each column costs a builder and per-row work, so a
  // small file with 100,000 columns must not take gigabytes.
  std::size_t max_columns = 2000;
};

// Reads one record at a time from a stream, so memory does not grow with the file.
// Handles quoted fields with delimiters, doubled quotes and newlines, CRLF or LF, a UTF-8 BOM.
// Errors are smartchurn::Error with code kBadData naming file, line and (where known) column.
class CsvReader {
 public:
  // Opens a file ("-": standard input; gzip-compressed input is decompressed, whatever its
  // name); a missing or unreadable file is ErrorCode::kIo.
  static CsvReader open(const std::string& path, CsvOptions options = {});
  // Reads from a stream the caller keeps alive; `name` is used in error messages.
  CsvReader(std::istream& in, std::string name, CsvOptions options = {});
  CsvReader(CsvReader&&) noexcept;
  CsvReader& operator=(CsvReader&&) noexcept;
  ~CsvReader();

  const std::vector<std::string>& header() const;
  char delimiter() const;
  const std::string& name() const;
  // SHA-256 (hex) of the whole input as read (decompressed); reads what is left unparsed, so call
  // it once, at the end.
  std::string content_sha256();

  // Reads the next record into `fields`; false at the end of the input. A record with a different
  // number of fields than the header is an error (ragged row). Blank lines are skipped.
  bool next(std::vector<std::string>& fields);
  // Like next() but a ragged record is returned with `ragged` set instead of throwing, so a
  // scorer can send it to a rejects file and go on.
  bool next_lenient(std::vector<std::string>& fields, bool& ragged);

  // Physical line (1-based) on which the record last returned by next() starts.
  std::size_t record_line() const;
  // Records returned so far (header excluded).
  std::size_t records_read() const;

  // Hands over the bytes read from the input but not parsed yet, and returns the physical line
  // they start on; next() then reports the end. For a reader that parses the rest of the input
  // itself (the batch scorer, a block per thread) after this one has read and checked the header.
  std::size_t take_unparsed(std::string& bytes);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// How text cells are written. kSpreadsheetSafe (the default, OWASP's advice against CSV formula
// injection): a cell starting with '=', '+', '-', '@', a tab or a carriage return gets a leading
// "'" so a spreadsheet shows it as text instead of running it. kRaw writes every cell as it is,
// for machine pipelines that read the file back.
enum class CsvCells { kSpreadsheetSafe, kRaw };

// True when a spreadsheet could read `field` as a formula (its first character is one above).
bool csv_formula_like(std::string_view field);

// Appends `field` to `out` as CsvWriter writes it: escaped by `cells`, then quoted (doubling its
// quotes) only when it holds the delimiter, a quote or a line break.
void append_csv_field(std::string& out, std::string_view field, char delimiter = ',',
                      CsvCells cells = CsvCells::kSpreadsheetSafe);

// Writes RFC 4180 records, quoting only fields that need it, text cells escaped by `cells`.
class CsvWriter {
 public:
  explicit CsvWriter(std::ostream& out, char delimiter = ',',
                     CsvCells cells = CsvCells::kSpreadsheetSafe);
  // Columns (by position) that hold numbers this program formats itself (a negative contribution):
  // written as they are, never escaped.
  void set_numeric_columns(std::vector<bool> numeric);
  void write_row(const std::vector<std::string>& fields);
  void write_row(const std::vector<std::string_view>& fields);

 private:
  void write_field(std::string_view field, std::size_t column);
  std::ostream& out_;
  char delimiter_;
  CsvCells cells_;
  std::vector<bool> numeric_;
  std::string scratch_;
};

}  // namespace smartchurn
