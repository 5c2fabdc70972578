// Reading a file to score against a bundle's schema, shared by predict and evaluate.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
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

// Opens `options.path` against the bundle's schema for reading in chunks, with the same column
// rules as read_scoring_input.
SchemaReader open_scoring_input(const Bundle& bundle, const DataOptions& options,
                                const std::vector<std::string>& also_required = {});

// Sums the unseen category values of a file's chunks, and warns about them once on stderr.
class UnseenCounts {
 public:
  void add(const Dataset& chunk);
  void warn() const;

 private:
  std::vector<std::pair<std::string, std::size_t>> counts_;  // per column, in schema order
};

// Writes the rejects as CSV (line, column, reason) and prints a warning naming the file. Returns
// the exit code the command should end with: 0 without rejects, 3 (bad data) with.
int report_rejects(const std::vector<RejectedRow>& rejects, std::size_t rows_read,
                   const std::string& path);

}  // namespace smartchurn::cli
