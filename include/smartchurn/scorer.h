// The fast scoring engine: a model bundle compiled for prediction. Preparation becomes flat
// per-column plans and lookup tables, trees become contiguous node arrays, so scoring one raw
// customer record (text fields in, probability out) allocates nothing after the first call on a
// thread, and a batch is evaluated tree by tree over blocks of rows. Results equal Bundle::predict
// (the training library's predictions) up to float rounding.
#pragma once

#include <cstddef>
#include <functional>
#include <istream>
#include <memory>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "smartchurn/bundle.h"

namespace smartchurn {

// One block of rows scored by Scorer::score_csv, for BatchOptions::on_rows; valid during the
// call only.
struct ScoredRows {
  const std::vector<std::string>* header = nullptr;  // the file's column names
  std::span<const std::string_view> fields;  // size() x header->size() cells, a row after another
  std::span<const double> probabilities;
  std::span<const std::size_t> lines;  // physical line of each row
  std::size_t size() const { return probabilities.size(); }
  std::span<const std::string_view> row(std::size_t r) const {
    return fields.subspan(r * header->size(), header->size());
  }
};

struct BatchOptions {
  CsvOptions csv;                      // delimiter ('\0': detected) and field size limit
  std::vector<std::string> na_tokens;  // missing-value tokens on top of the bundle's (--na)
  int threads = 0;                     // scoring threads; 0: every core
  std::size_t block_bytes = 1 << 20;   // input bytes a thread takes at a time
  CsvCells output_cells = CsvCells::kSpreadsheetSafe;  // how the id cells of the output are written
  int probability_decimals = 6;  // of churn_probability, 0 to 17 (Scorer checks)
  // Rows that cannot be read, in file order. Without it they are kept in BatchSummary::rejects.
  std::function<void(const RejectedRow&)> on_reject;
  // The scored rows, a block at a time in file order, for a caller that stores them.
  std::function<void(const ScoredRows&)> on_rows;
};

struct BatchSummary {
  std::size_t rows = 0;              // scored
  std::size_t rejected = 0;          // rows that could not be read
  std::vector<RejectedRow> rejects;  // those rows, when BatchOptions::on_reject is not set
  // Per column with any (schema order): cells with a category not seen in training, scored as
  // the "(other)" level.
  std::vector<std::pair<std::string, std::size_t>> unseen;
};

class Scorer {
 public:
  // Compiles the bundle's preparation and model. Throws Error(kIncompatible) for a model family
  // the engine cannot compile (none today).
  explicit Scorer(const Bundle& bundle);
  ~Scorer();
  Scorer(Scorer&&) noexcept;
  Scorer& operator=(Scorer&&) noexcept;

  // The raw input columns a record must give, in the order score_record() expects them.
  const std::vector<std::string>& input_columns() const;

  // Scores one raw record: `fields[i]` is the text of input_columns()[i] as it would appear in a
  // CSV cell (missing-value tokens allowed). Throws Error(kBadData) naming the column when a
  // numeric field is not a number or a yes/no field is neither label. Thread-safe; no allocation
  // per call after a thread's first.
  double score_record(std::span<const std::string_view> fields) const;

  // Scores every row of a data set read with the bundle's schema (read_dataset/read_with_schema);
  // uses `threads` threads (0: every core). Equal to Bundle::predict up to float rounding.
  std::vector<double> score(const Dataset& data, int threads = 1) const;

  // The model output before the logistic link (log-odds), for explanations' base values.
  double margin_record(std::span<const std::string_view> fields) const;

  // Scores a CSV of raw customer records, streaming: writes `id,churn_probability,risk_tier` rows
  // (id: the bundle's first identifier column the file has, left out when none; probability with
  // 6 decimals; tier by the bundle's cut points) to `out` in input order, header first. Columns
  // are found by name (extra ones ignored); CSV rules, missing values and rejects are those of
  // read_with_schema, with physical line numbers. The input is cut into blocks of whole records
  // that `options.threads` threads parse, prepare and score (trees evaluated tree by tree over
  // rows); memory stays flat in the file size. Throws Error: kBadData for a missing required
  // column or a malformed file (unterminated quote, binary data; `out` then holds the rows before
  // the problem), kIo when reading fails. `name` names the input in errors.
  BatchSummary score_csv(std::istream& in, const std::string& name, std::ostream& out,
                         const BatchOptions& options = {}) const;
  // The same for a file; one that cannot be opened is kIo.
  BatchSummary score_csv_file(const std::string& path, std::ostream& out,
                              const BatchOptions& options = {}) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace smartchurn
