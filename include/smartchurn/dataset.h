// A customer table in memory: typed columns inferred from a CSV, the schema a model is trained on,
// and reading new data against a saved schema.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smartchurn/csv.h"

namespace smartchurn {

enum class ColumnType {
  kNumeric,  // numbers; stored in Column::values, NaN = missing
  kBoolean,  // two values such as Yes/No, True/False, 0/1; values 1 = true_label, 0 = false_label
  kCategorical,  // text levels; stored as codes into Column::levels
  kIdentifier,   // unique per row or named like an id; never a feature
  kConstant,     // one distinct non-missing value; never a feature
};
const char* to_string(ColumnType type);
ColumnType column_type_from_string(const std::string& name);  // throws kBadData on an unknown name

constexpr int32_t kMissingCode = -1;  // categorical value missing
constexpr int32_t kUnseenCode = -2;   // categorical value not seen when the schema was made

inline bool is_missing(double v) { return std::isnan(v); }
inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

// How one input column is read. Saved in model bundles so that scoring data is read exactly as the
// training data was.
struct ColumnSchema {
  std::string name;
  ColumnType type = ColumnType::kCategorical;
  std::vector<std::string> levels;  // categorical / identifier / constant: the distinct values seen
  std::string true_label;           // boolean: the text read as 1 (e.g. "Yes")
  std::string false_label;          // boolean: the text read as 0 (e.g. "No")
  bool integer = false;             // numeric: every value seen was a whole number
};

struct Schema {
  std::vector<ColumnSchema> columns;
  std::vector<std::string> na_tokens;           // extra missing-value tokens given by the user
  int index_of(const std::string& name) const;  // -1 when absent
};
void to_json(nlohmann::json& j, const ColumnSchema& c);
void from_json(const nlohmann::json& j, ColumnSchema& c);
void to_json(nlohmann::json& j, const Schema& s);
void from_json(const nlohmann::json& j, Schema& s);

struct Column {
  ColumnSchema schema;
  std::vector<double> values;  // numeric and boolean columns (size = rows)
  std::vector<int32_t> codes;  // categorical, identifier, constant columns (size = rows)
  std::size_t missing = 0;     // missing cells
  std::size_t unseen = 0;      // cells with a level not in the schema (read_with_schema only)

  const std::string& name() const { return schema.name; }
  ColumnType type() const { return schema.type; }
  bool is_missing_at(std::size_t row) const;
  // The cell as text ("" when missing), for messages and output.
  std::string text_at(std::size_t row) const;
};

struct Dataset {
  std::string source;  // file name, for messages
  std::vector<Column> columns;
  std::vector<std::size_t> lines;  // physical line of each row in the source file
  std::string sha256;              // of the file's bytes (empty when not read from a file)

  std::size_t rows() const { return lines.size(); }
  int index_of(const std::string& name) const;          // -1 when absent
  const Column& column(const std::string& name) const;  // throws kUsage naming the column
  Schema schema() const;
};

// A value is missing when it is empty, whitespace only, NA, N/A, null, NaN or "?" (case-insensitive
// for the words), or equals one of the user's extra tokens after trimming.
bool is_missing_token(std::string_view text, const std::vector<std::string>& extra_tokens);
// Parses a whole field as a number (surrounding spaces allowed); nullopt when it is not one.
std::optional<double> parse_number(std::string_view text);

struct ReadOptions {
  CsvOptions csv;
  std::vector<std::string> na_tokens;   // extra missing-value tokens (--na)
  std::vector<std::string> id_columns;  // forced to kIdentifier; each must exist (kUsage otherwise)
  std::vector<std::string> keep_as_categorical;  // never inferred as numeric / boolean (the target)
};

// Reads a whole CSV and infers each column's type:
//   numeric     every non-missing value parses as a number (and it is not boolean-like)
//   boolean     exactly two distinct values forming a yes/no, true/false, y/n, t/f or 0/1 pair
//   identifier  listed in id_columns, or non-numeric and unique per row, or named like an id
//               ("id", "*_id", "*Id", "*ID", "*num", "*number", "*_no", "*_key") and unique per row
//   constant    at most one distinct non-missing value
//   categorical anything else
// Errors (kBadData): empty file, header without rows, duplicate or empty header names, ragged rows,
// unterminated quotes, binary content.
Dataset read_dataset(const std::string& path, const ReadOptions& options = {});

// One row that could not be read against a schema.
struct RejectedRow {
  std::size_t line = 0;
  std::string column;  // empty when the whole record is bad (ragged)
  std::string reason;
};

// Decodes records already split into fields against a saved schema, by SchemaReader's rules, for
// a reader that splits the file itself (the batch scorer, whose server front end stores the
// scored rows). Every schema column except `optional_columns` must be in `header` (the
// constructor throws kBadData naming the missing ones); extra columns are ignored. A number or
// yes/no value that cannot be read in one of `lenient_columns` reads as missing instead of
// rejecting the row: the batch scorer passes the columns its model does not read.
class RecordDecoder {
 public:
  RecordDecoder(const std::string& source, const Schema& schema,
                const std::vector<std::string>& optional_columns,
                const std::vector<std::string>& header,
                const std::vector<std::string>& lenient_columns = {});
  RecordDecoder(RecordDecoder&&) noexcept;
  RecordDecoder& operator=(RecordDecoder&&) noexcept;
  ~RecordDecoder();

  // The schema columns the file has, in schema order (identifier levels empty), and the field of
  // a record each is read from.
  const std::vector<ColumnSchema>& columns() const;
  const std::vector<std::size_t>& field_indices() const;

  // Resets `out` to the decoded columns without rows; identifier levels start again.
  void start(Dataset& out);
  // Appends a record (one field per header column) read on physical `line` to `out`; a record
  // that cannot be read (ragged, a bad number or yes/no value) is appended to `rejects` instead
  // and false returned.
  bool append(std::span<const std::string_view> fields, std::size_t line, Dataset& out,
              std::vector<RejectedRow>& rejects);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads scoring data against a saved schema, a chunk of rows at a time, so memory stays flat in the
// file size. Every schema column except `optional_columns` must be present (the constructor throws
// kBadData naming the missing ones); extra columns are ignored. A numeric or boolean cell that
// cannot be read, or a ragged record, sends the row to `rejects` (with its physical line) and it
// is left out; unseen categorical levels get kUnseenCode and are counted in Column::unseen of the
// chunk they are in. Identifier columns collect their levels per chunk.
class SchemaReader {
 public:
  // A value that cannot be read in one of `lenient_columns` reads as missing (as RecordDecoder).
  SchemaReader(const std::string& path, const Schema& schema,
               const std::vector<std::string>& optional_columns, const CsvOptions& csv = {},
               const std::vector<std::string>& lenient_columns = {});
  SchemaReader(SchemaReader&&) noexcept;
  SchemaReader& operator=(SchemaReader&&) noexcept;
  ~SchemaReader();

  // Replaces `out` with the next at most `max_rows` (> 0) readable rows: columns in schema order,
  // each with its rows, `lines` and `source` set (`sha256` left empty). Rejected rows met on the
  // way are appended to `rejects`. Returns false, with `out` holding the columns and no rows, once
  // the file has no more readable rows. CSV errors (unterminated quote, binary data) throw
  // kBadData.
  bool next_chunk(Dataset& out, std::size_t max_rows, std::vector<RejectedRow>& rejects);
  // SHA-256 of the whole input (CsvReader::content_sha256), once the chunks are read.
  std::string content_sha256();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The whole file at once (one SchemaReader chunk), with Dataset::sha256 of the file's bytes.
Dataset read_with_schema(const std::string& path, const Schema& schema,
                         const std::vector<std::string>& optional_columns,
                         std::vector<RejectedRow>& rejects, const CsvOptions& csv = {});

// The binary target: which column, which label is positive, and the 0/1 vector.
struct Target {
  std::string column;
  std::string positive_label;
  std::string negative_label;
  std::vector<float> y;  // 1 = positive (churn)
  double positive_rate() const;
};

// Resolves the target column. The positive label is `positive` when given (it must be one of the
// two labels), otherwise detected from common churn labels (yes, 1, true, churn, churned, exited,
// left, attrited ...). Errors (kBadData or kUsage, naming the column): absent column, missing
// target values (with the first lines), one class, more than two classes, positive label not
// detected (listing the labels and suggesting --positive).
Target resolve_target(const Dataset& data, const std::string& column,
                      const std::optional<std::string>& positive = std::nullopt);

// sha256 of a file's bytes as stored, as lowercase hex.
std::string sha256_file(const std::string& path);
std::string sha256_hex(std::string_view bytes);

}  // namespace smartchurn
