#include "cli/data_options.h"

#include "smartchurn/error.h"

namespace smartchurn::cli {

void DataOptions::add_to(CLI::App& command, bool with_ids) {
  command.add_option("data", path, "Customer table (CSV with a header row)")->required();
  // Repeatable options take one value each, so `--na Unknown data.csv` leaves the file positional.
  command
      .add_option("--na", na_tokens, "Extra text that means 'missing' (repeatable), e.g. Unknown")
      ->allow_extra_args(false);
  command.add_option("--delimiter", delimiter,
                     "Field delimiter: one character or 'tab' (default: detected)");
  command.add_option("--max-columns", max_columns, "Widest header accepted (0: no limit)")
      ->capture_default_str();
  if (with_ids) {
    command
        .add_option("--id", id_columns, "Identifier column, never used as a feature (repeatable)")
        ->allow_extra_args(false);
  }
}

CsvOptions DataOptions::csv() const {
  CsvOptions options;
  options.max_columns = max_columns;
  if (delimiter == "tab" || delimiter == "\\t") {
    options.delimiter = '\t';
  } else if (delimiter.size() == 1) {
    options.delimiter = delimiter[0];
  } else if (!delimiter.empty()) {
    throw_usage("--delimiter takes one character or 'tab', not '" + delimiter + "'");
  }
  return options;
}

ReadOptions DataOptions::read_options() const {
  ReadOptions options;
  options.csv = csv();
  options.na_tokens = na_tokens;
  options.id_columns = id_columns;
  return options;
}

}  // namespace smartchurn::cli
