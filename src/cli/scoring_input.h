// Reading a file to score against a bundle's schema, shared by predict and evaluate.
#pragma once

#include <string>
#include <vector>

#include "cli/data_options.h"
#include "smartchurn/bundle.h"

namespace smartchurn::cli {

struct ScoringInput {
  Dataset data;
  std::vector<RejectedRow> rejects;
};

// Reads `options.path` with the bundle's schema; `also_required` columns (such as the target for
// evaluate) must be present too. Warns on stderr about unseen category values.
ScoringInput read_scoring_input(const Bundle& bundle, const DataOptions& options,
                                const std::vector<std::string>& also_required = {});

// Writes the rejects as CSV (line, column, reason) and prints a warning naming the file. Returns
// the exit code the command should end with: 0 without rejects, 3 (bad data) with.
int report_rejects(const std::vector<RejectedRow>& rejects, std::size_t rows_read,
                   const std::string& path);

}  // namespace smartchurn::cli
