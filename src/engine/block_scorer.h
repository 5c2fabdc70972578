// The work of one batch-scoring thread: a block of whole CSV records in, the block's scored CSV
// rows out. Records are parsed into field views, every column the preparation uses is read as
// read_with_schema reads it (so the same rows are rejected for them, with the same reasons;
// columns the model does not read are not decoded), the compiled preparation writes a block of
// feature rows, the trees go tree by tree over it, and the rows are formatted into the block's
// output. Not part of the public API.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "data/csv_parser.h"
#include "engine/compiled_model.h"
#include "smartchurn/bundle.h"

namespace smartchurn::engine {

// A record still running after this many bytes (or 4 field limits, when more) stops the run:
// binary data or an unclosed quote.
constexpr std::size_t kMaxRecordBytes = std::size_t{64} << 20;

// Where each column the scorer reads is in a file's records.
struct RecordLayout {
  struct Column {
    std::size_t field = 0;  // index in the record
    ColumnPlan plan;
    int32_t input = 0;  // index among the pipeline's input columns
  };
  std::size_t field_count = 0;  // of the header
  // The pipeline's input columns, in schema order: the only columns decoded. Other schema
  // columns (the target, ids, dropped or leaky columns) are not read: a value there that
  // read_with_schema would refuse does not reject the row.
  std::vector<Column> columns;
  // Indices into `columns` grouped by type, the order they are decoded in (the type switch then
  // takes the same branch many times running); a refused row is read again in schema order for
  // the reject to name the first column read_with_schema names.
  std::vector<std::size_t> decode_order;
  std::size_t id_field = kNoId;  // the bundle's first identifier column the file has
  std::string id_name;
  static constexpr std::size_t kNoId = static_cast<std::size_t>(-1);

  // `columns_present` / `fields`: RecordDecoder's columns() and field_indices() for the file.
  RecordLayout(const std::vector<ColumnSchema>& columns_present,
               const std::vector<std::size_t>& fields, std::size_t header_fields,
               const std::vector<std::string>& input_columns,
               const std::vector<std::string>& id_columns, const CellReader& cells);
};

// A block of input and, once scored, its results. Lines are counted from the block's first byte
// (line 1); the ordered writer shifts them to file lines.
struct Block {
  std::size_t sequence = 0;
  std::vector<char> bytes;
  bool cut_short = false;  // ends inside a record too long to read

  std::string output;  // the scored rows as CSV
  std::vector<RejectedRow> rejects;
  std::vector<std::size_t> unseen;  // per layout column: unseen categories in kept rows
  std::size_t rows = 0;             // scored
  std::size_t line_ends = 0;        // physical lines the block spans
  // A malformed record stops the run here: the CSV problem (lines from the block's start), or
  // another error (its Location line from the block's start).
  std::optional<detail::CsvRecordParser::Failure> failure;
  std::exception_ptr error;
  // Kept only when the caller stores scored rows (BatchOptions::on_rows).
  std::vector<std::string_view> fields;
  std::vector<double> probabilities;
  std::vector<std::size_t> lines;

  void clear_results(std::size_t layout_columns);
};

struct BlockContext {
  const CompiledModel& model;
  const RecordLayout& layout;
  CellReader cells;  // the schema's and the user's missing-value tokens
  RiskTiers tiers;
  std::string name;  // of the input, for errors
  const std::vector<std::string>& header;
  char delimiter;
  std::size_t max_field_bytes;
  std::size_t max_record_bytes;  // a block cut short ends inside a record longer than this
  bool keep_rows;
  CsvCells output_cells;  // how the id cells are written
  int probability_decimals;
};

// One per thread: its parser and scratch buffers, reused block after block.
class BlockScorer {
 public:
  explicit BlockScorer(const BlockContext& context);
  // Scores `block`; never throws: a problem met is left in block.failure or block.error.
  void score(Block& block);

 private:
  void read_records(Block& block);
  // Reads one record's columns; false (and a reject) when the row cannot be read.
  bool read_row(std::size_t line, Block& block);
  // The reject for a row read_row refused: its first unreadable column in schema order.
  void reject_row(std::size_t line, Block& block);
  void flush(Block& block);  // scores and formats the pending rows

  const BlockContext& context_;
  detail::CsvRecordParser parser_;
  std::vector<detail::CsvField> record_;
  std::vector<ParsedCell> cells_;        // the current row, by input column
  std::vector<std::size_t> row_unseen_;  // layout columns with an unseen level in this row
  CompiledPipeline::Scratch pipeline_scratch_;
  // Rows read, waiting to be scored together.
  std::size_t pending_ = 0;
  std::vector<float> features_;
  std::vector<std::string_view> ids_;
  std::vector<float> margins_;
  std::vector<double> probabilities_;
};

}  // namespace smartchurn::engine
