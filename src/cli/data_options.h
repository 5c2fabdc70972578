// Options shared by the commands that read a customer CSV.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "smartchurn/dataset.h"

namespace smartchurn::cli {

struct DataOptions {
  std::string path;
  std::vector<std::string> na_tokens;
  std::vector<std::string> id_columns;
  std::string delimiter;                               // one character, or "tab"
  std::size_t max_columns = CsvOptions{}.max_columns;  // a wider header is refused (0: no limit)

  // Adds DATA.csv (positional), --na, --delimiter, --max-columns and, when `with_ids`, --id.
  void add_to(CLI::App& command, bool with_ids = true);
  CsvOptions csv() const;
  ReadOptions read_options() const;
};

}  // namespace smartchurn::cli
