// The preparation pipeline compiled for one-record scoring: each input column becomes a parser plan
// (numbers, yes/no labels, a level table) and each output feature a small instruction that reads
// the parsed values, so a raw record turns into model inputs without allocating.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "data/text_util.h"
#include "features/candidate.h"
#include "features/pca.h"
#include "smartchurn/dataset.h"
#include "smartchurn/pipeline.h"

namespace smartchurn::engine {

// A categorical column's levels by text: open addressing over a power-of-two table at most half
// full, hashed by detail::text_hash. Cheaper than std::unordered_map's node walk and prime
// modulo for the short texts of CSV cells.
class LevelTable {
 public:
  LevelTable() = default;
  explicit LevelTable(const std::vector<std::string>& levels);
  // The level's code (index), or -1.
  int32_t find(std::string_view text) const;

 private:
  std::vector<std::string> levels_;
  std::vector<int32_t> slots_;  // level index, -1 when empty
  uint64_t mask_ = 0;
};

// How one raw column is read, exactly as read_with_schema reads it. Identifier columns are only
// checked for missing values; constant ones are read like categorical ones (for unseen counts).
struct ColumnPlan {
  std::string name;
  ColumnType type = ColumnType::kNumeric;
  LevelTable level_code;                // categorical with many levels
  std::vector<std::string> few_levels;  // categorical with few levels: scanned, not hashed
  bool many_levels = false;             // level_code is used, not few_levels
  std::string true_label, false_label;  // boolean
  std::string trimmed_true, trimmed_false;
  std::optional<double> true_number, false_number;  // the labels read as numbers, when they are
  // A level or yes/no label that the missing-value tokens make missing: a field equal to a
  // label must then take the slow path, which checks for missing values first.
  bool labels_may_be_missing = true;
};

// One parsed cell: `value` for numeric / boolean columns (NaN = missing), `code` for categorical
// ones (kMissingCode, kUnseenCode or an index into the schema's levels).
struct ParsedCell {
  double value;
  int32_t code;
};

class CellReader;
// The plan for `column` as `reader` reads it (its missing-value tokens decide the fast paths).
ColumnPlan column_plan(const ColumnSchema& column, const CellReader& reader);

// Reads cells with a set of missing-value tokens (the schema's, plus the user's at scoring time).
// The common cells take a fast path on the untrimmed field (a plain decimal, an exact level or
// label) when no missing-value token could equal them; the rest are trimmed and checked for
// missing values first, as read_with_schema reads them.
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
  bool read_slowly(const ColumnPlan& plan, std::string_view field, ParsedCell& cell) const;
  std::vector<std::string> na_tokens_;  // trimmed
  bool token_is_plain_number_ = false;  // a token reads as a plain decimal: no number fast path
};

// "Does the cell hold level L" for one source column: a lookup table over the categorical codes
// (shifted by 2 so missing and unseen have slots), or a comparison for a yes/no column.
struct LevelTest {
  uint32_t column = 0;
  bool boolean = false;
  double wanted = -1.0;  // boolean: 1 for the true label, 0 for the false one
  uint32_t table = 0;    // categorical: offset into CompiledPipeline::tables_
};

struct CompiledFeature {
  features::FeatureKind kind = features::FeatureKind::kNumeric;
  uint32_t source[2] = {0, 0};
  double lower[2] = {0, 0}, upper[2] = {0, 0};
  double fill = features::kNoFill;
  double center = 0.0, scale = 1.0;
  bool standardized = false;                // center or scale is not 0 / 1
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

// The fast paths of CellReader::read, inline: they run for every cell of a batch.

namespace cell_text {

// a == b for the short texts of cells: a byte loop beats a call to memcmp.
inline bool same_text(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

inline constexpr double kPowersOfTen[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                          1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

// A plain decimal ("-12.50") of at most 15 digits, by Clinger's fast path: its digits as an
// integer (exact in a double) divided by a power of ten (exact) is the correctly rounded value,
// the one from_chars gives. False for anything else (exponents, long numbers, text).
inline bool plain_decimal(std::string_view text, double& value) {
  std::size_t i = text.size() > 1 && text[0] == '-' ? 1 : 0;
  const bool negative = i == 1;
  uint64_t digits = 0;
  int count = 0, decimals = -1;  // decimals: digits after the point; -1 before one
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      digits = digits * 10 + static_cast<uint64_t>(c - '0');
      ++count;
      if (decimals >= 0) ++decimals;
    } else if (c == '.' && decimals < 0) {
      decimals = 0;
    } else {
      return false;
    }
  }
  if (count == 0 || count > 15) return false;
  value = static_cast<double>(digits) / kPowersOfTen[decimals > 0 ? decimals : 0];
  if (negative) value = -value;
  return true;
}

}  // namespace cell_text

inline int32_t LevelTable::find(std::string_view text) const {
  if (slots_.empty()) return -1;
  for (uint64_t at = detail::text_hash(text) & mask_;; at = (at + 1) & mask_) {
    const int32_t level = slots_[at];
    if (level < 0 || cell_text::same_text(levels_[static_cast<std::size_t>(level)], text)) {
      return level;
    }
  }
}

// The code of `field` among the plan's levels, matched whole; kUnseenCode when none.
inline int32_t level_of(const ColumnPlan& plan, std::string_view field) {
  if (plan.many_levels) {
    const int32_t code = plan.level_code.find(field);
    return code >= 0 ? code : kUnseenCode;
  }
  for (std::size_t i = 0; i < plan.few_levels.size(); ++i) {
    if (cell_text::same_text(plan.few_levels[i], field)) return static_cast<int32_t>(i);
  }
  return kUnseenCode;
}

inline bool CellReader::read(const ColumnPlan& plan, std::string_view field,
                             ParsedCell& cell) const {
  // What the fast paths accept, the slow path reads the same way: a plain decimal or an exact
  // level or label has no spaces to trim and, by the checks, is no missing-value token.
  switch (plan.type) {
    case ColumnType::kNumeric:
      if (!token_is_plain_number_ && cell_text::plain_decimal(field, cell.value)) {
        cell.code = kMissingCode;
        return true;
      }
      break;
    case ColumnType::kBoolean:
      if (plan.labels_may_be_missing) break;
      if (cell_text::same_text(field, plan.true_label)) {
        cell = {1.0, kMissingCode};
        return true;
      }
      if (cell_text::same_text(field, plan.false_label)) {
        cell = {0.0, kMissingCode};
        return true;
      }
      break;
    case ColumnType::kCategorical:
      if (plan.labels_may_be_missing) break;
      if (const int32_t code = level_of(plan, field); code != kUnseenCode) {
        cell = {std::numeric_limits<double>::quiet_NaN(), code};
        return true;
      }
      break;
    default:
      break;
  }
  return read_slowly(plan, field, cell);
}

}  // namespace smartchurn::engine
