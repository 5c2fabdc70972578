// Scored CSVs with reasons: `smartchurn explain` and `smartchurn predict --explain K` both write
// id, churn_probability, risk_tier, base_value, reason_1_column, reason_1_value,
// reason_1_contribution ... reason_K_*, recommended_action, reading and explaining chunk by chunk.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/data_options.h"
#include "smartchurn/bundle.h"
#include "smartchurn/explain.h"
#include "smartchurn/playbook.h"

namespace smartchurn::cli {

// The explanation columns of one scored row.
class ExplanationColumns {
 public:
  // `top` reasons per row (at most the model's input columns; 0 is a usage error).
  ExplanationColumns(std::size_t top, std::size_t input_columns, const Playbook& playbook);

  std::size_t top() const { return top_; }
  // Appends the column names.
  void add_header(std::vector<std::string>& header) const;
  // Appends, per column of add_header, whether it holds a number this program formats.
  void add_numeric_flags(std::vector<bool>& numeric) const;
  // Appends one customer's cells; `tier` is the customer's risk tier. Returns the action id
  // ("" when no rule applies).
  std::string add_cells(const Explanation& explanation, const std::string& tier,
                        std::vector<std::string>& row) const;

 private:
  std::size_t top_;
  const Playbook& playbook_;
};

struct ExplainedCsvOptions {
  DataOptions data;
  std::string out;       // empty or "-": stdout
  std::string rejects;   // empty: rejects_path_for(out)
  std::string playbook;  // empty: the built-in telecom playbook
  std::size_t top = 3;
  std::string method = "auto";
  std::size_t samples = 128;
  uint64_t seed = 42;
  int threads = 0;  // 0: every core
  std::size_t chunk_rows = 16384;
  bool raw_csv = false;  // --raw-csv: cells as they are, no spreadsheet-formula escaping
  int precision = 6;     // decimals of churn_probability
};

// Scores and explains `options.data` with `bundle` into `options.out` (with an output file, the
// top reasons and action counts go to stderr); a failed run leaves no half-written output. Returns
// the command's exit code (rejects reported as for predict).
int write_explained_csv(const Bundle& bundle, ExplainedCsvOptions options);

}  // namespace smartchurn::cli
