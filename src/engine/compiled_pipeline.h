// The preparation pipeline compiled for one-record scoring: each input column becomes a parser plan
// (numbers, yes/no labels, a level table) and each output feature a small instruction that reads
// the parsed values, so a raw record turns into model inputs without allocating.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "features/pca.h"
#include "prep/candidate.h"
#include "smartchurn/dataset.h"
#include "smartchurn/pipeline.h"

namespace smartchurn::engine {

// Hash and equality that let an unordered_map<std::string, ...> be searched with a string_view.
struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const noexcept {
    return std::hash<std::string_view>{}(text);
  }
};

// How one raw column is read, exactly as read_with_schema reads it. Identifier columns are only
// checked for missing values; constant ones are read like categorical ones (for unseen counts).
struct ColumnPlan {
  std::string name;
  ColumnType type = ColumnType::kNumeric;
  std::unordered_map<std::string, int32_t, TextHash, std::equal_to<>> level_code;  // categorical
  std::vector<std::string> few_levels;  // categorical with few levels: scanned, not hashed
  std::string true_label, false_label;                                             // boolean
  std::string trimmed_true, trimmed_false;
  std::optional<double> true_number, false_number;  // the labels read as numbers, when they are
};

// One parsed cell: `value` for numeric / boolean columns (NaN = missing), `code` for categorical
// ones (kMissingCode, kUnseenCode or an index into the schema's levels).
struct ParsedCell {
  double value;
  int32_t code;
};

ColumnPlan column_plan(const ColumnSchema& column);

// Reads cells with a set of missing-value tokens (the schema's, plus the user's at scoring time).
class CellReader {
 public:
  explicit CellReader(const std::vector<std::string>& na_tokens);

  // True when the trimmed field is empty, a built-in missing word or one of the tokens.
  bool is_missing(std::string_view field) const;
  // Parses `field`; false when a numeric field is not a number or a yes/no field is neither
  // label (identifier fields always read, as missing or not).
  bool read(const ColumnPlan& plan, std::string_view field, ParsedCell& cell) const;
  // Why read() refused `field`, in read_with_schema's words.
  static std::string refusal(const ColumnPlan& plan, std::string_view field);

 private:
  bool is_missing_trimmed(std::string_view text) const;
  std::vector<std::string> na_tokens_;  // trimmed
};

// "Does the cell hold level L" for one source column: a lookup table over the categorical codes
// (shifted by 2 so missing and unseen have slots), or a comparison for a yes/no column.
struct LevelTest {
  uint32_t column = 0;
  bool boolean = false;
  double wanted = -1.0;    // boolean: 1 for the true label, 0 for the false one
  uint32_t table = 0;      // categorical: offset into CompiledPipeline::tables_
};

struct CompiledFeature {
  prep::FeatureKind kind = prep::FeatureKind::kNumeric;
  uint32_t source[2] = {0, 0};
  double lower[2] = {0, 0}, upper[2] = {0, 0};
  double fill = prep::kNoFill;
  double center = 0.0, scale = 1.0;
  uint32_t tests_begin = 0, tests_end = 0;  // LevelTests of one_hot, category (table) and count
  bool to_pca = false;                      // goes to the PCA inputs instead of the output
  uint32_t slot = 0;                        // output column, or PCA input position
};

class CompiledPipeline {
 public:
  CompiledPipeline(const Schema& schema, const Pipeline& pipeline);

  const std::vector<std::string>& input_columns() const { return input_columns_; }
  std::size_t feature_count() const { return feature_count_; }

  // Scratch a caller keeps per thread; sized by prepare_scratch, reused without allocating.
  struct Scratch {
    std::vector<ParsedCell> cells;
    std::vector<double> pca_inputs, pca_scores;
  };
  void prepare_scratch(Scratch& scratch) const;

  // Parses `fields` (one per input column) and writes feature_count() model inputs to `out`.
  // Throws Error(kBadData) naming the column for a field that cannot be read.
  void transform_record(std::span<const std::string_view> fields, float* out,
                        Scratch& scratch) const;
  // Writes feature_count() model inputs to `out` from cells already parsed (one per input
  // column, in input_columns() order): the batch scorer parses its records itself.
  void transform_cells(const ParsedCell* cells, float* out, Scratch& scratch) const;

 private:
  double raw_value(const CompiledFeature& f, const ParsedCell* cells) const;
  double level_hit(const LevelTest& test, const ParsedCell* cells) const;

  std::vector<std::string> input_columns_;
  CellReader reader_;
  std::vector<ColumnPlan> columns_;
  std::vector<CompiledFeature> features_;
  std::vector<LevelTest> tests_;
  std::vector<double> tables_;  // per categorical test: value for code + 2
  std::optional<features::Pca> pca_;
  std::size_t pca_inputs_ = 0;
  std::size_t feature_count_ = 0;
};

}  // namespace smartchurn::engine
