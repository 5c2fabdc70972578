#include "cli/explained_rows.h"

#include <fmt/format.h>

#include <algorithm>

#include "smartchurn/error.h"

namespace smartchurn::cli {

ExplanationColumns::ExplanationColumns(std::size_t top, std::size_t input_columns,
                                       const Playbook& playbook)
    : top_(std::min(top, input_columns)), playbook_(playbook) {
  if (top == 0) throw_usage("--top must be at least 1");
}

void ExplanationColumns::add_header(std::vector<std::string>& header) const {
  header.push_back("base_value");
  for (std::size_t k = 1; k <= top_; ++k) {
    for (const char* part : {"column", "value", "contribution"}) {
      header.push_back(fmt::format("reason_{}_{}", k, part));
    }
  }
  header.push_back("recommended_action");
}

std::string ExplanationColumns::add_cells(const Explanation& e, const std::string& tier,
                                          std::vector<std::string>& row) const {
  row.push_back(fmt::format("{:.6f}", e.base_value));
  for (std::size_t k = 0; k < top_; ++k) {
    if (k >= e.reasons.size()) {
      row.insert(row.end(), {"", "", ""});
      continue;
    }
    const Reason& r = e.reasons[k];
    row.push_back(r.column);
    row.push_back(r.value);
    row.push_back(fmt::format("{:.6f}", r.contribution));
  }
  auto recommendation = playbook_.recommend(tier, e.reasons);
  std::string action = recommendation && recommendation->action ? recommendation->action->id : "";
  row.push_back(action);
  return action;
}

}  // namespace smartchurn::cli
