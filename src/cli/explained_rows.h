// The explanation columns of a scored CSV: base_value, reason_1_column, reason_1_value,
// reason_1_contribution ... reason_K_*, recommended_action. Shared by `smartchurn explain` and
// (to come) `smartchurn predict --explain K`: explain a chunk with Explainer::explain(chunk,
// threads), then add these cells to each scored row.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "smartchurn/explain.h"
#include "smartchurn/playbook.h"

namespace smartchurn::cli {

class ExplanationColumns {
 public:
  // `top` reasons per row (at most the model's input columns; 0 is a usage error).
  ExplanationColumns(std::size_t top, std::size_t input_columns, const Playbook& playbook);

  std::size_t top() const { return top_; }
  // Appends the column names.
  void add_header(std::vector<std::string>& header) const;
  // Appends one customer's cells; `tier` is the customer's risk tier. Returns the action id
  // ("" when no rule applies).
  std::string add_cells(const Explanation& explanation, const std::string& tier,
                        std::vector<std::string>& row) const;

 private:
  std::size_t top_;
  const Playbook& playbook_;
};

}  // namespace smartchurn::cli
