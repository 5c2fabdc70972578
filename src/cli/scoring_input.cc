#include "cli/scoring_input.h"

#include <algorithm>
#include <fstream>

#include <fmt/core.h>

#include "smartchurn/csv.h"
#include "smartchurn/error.h"

namespace smartchurn::cli {

ScoringInput read_scoring_input(const Bundle& bundle, const DataOptions& options,
                                const std::vector<std::string>& also_required) {
  auto optional = bundle.optional_columns();
  std::erase_if(optional, [&](const std::string& c) {
    return std::find(also_required.begin(), also_required.end(), c) != also_required.end();
  });
  ScoringInput input;
  Schema schema = bundle.schema;
  schema.na_tokens.insert(schema.na_tokens.end(), options.na_tokens.begin(), options.na_tokens.end());
  input.data = read_with_schema(options.path, schema, optional, input.rejects, options.csv());
  for (const auto& column : input.data.columns) {
    if (column.unseen > 0) {
      fmt::print(stderr,
                 "warning: column '{}': {} value(s) not seen in training, scored as '(other)'\n",
                 column.name(), column.unseen);
    }
  }
  return input;
}

int report_rejects(const std::vector<RejectedRow>& rejects, std::size_t rows_read,
                   const std::string& path) {
  if (rejects.empty()) return 0;
  std::ofstream out(path, std::ios::binary);
  if (!out) throw_io("cannot write the rejects file " + path);
  CsvWriter writer(out);
  writer.write_row(std::vector<std::string>{"line", "column", "reason"});
  for (const auto& r : rejects) writer.write_row(std::vector<std::string>{std::to_string(r.line), r.column, r.reason});
  const auto& first = rejects.front();
  fmt::print(stderr, "error: {} of {} rows could not be read and were not scored; see {} (first: {})\n",
             rejects.size(), rows_read + rejects.size(), path,
             format_error({"", first.line, first.column}, first.reason));
  return 3;
}

}  // namespace smartchurn::cli
