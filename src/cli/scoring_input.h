// Reading a file to score against a bundle's schema, and reporting what could not be read; shared
// by predict, evaluate and explain.
#pragma once

#include <cstddef>
#include <fstream>
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

// Warns on stderr about each column's values not seen in training (name, count).
void warn_unseen(const std::vector<std::pair<std::string, std::size_t>>& counts);

// Sums the unseen category values of a file's chunks, and warns about them once on stderr.
class UnseenCounts {
 public:
  void add(const Dataset& chunk);
  void warn() const;

 private:
  std::vector<std::pair<std::string, std::size_t>> counts_;  // per column, in schema order
};

// The output path a command writes: "-" (and no -o) mean standard output, returned as "".
std::string output_path(const std::string& out);

// Where rejected rows are listed: --rejects when given, else OUT.rejects.csv beside an output file;
// "" (no file, only the summary on stderr) when the output goes to standard output, so nothing
// lands in the current directory unasked.
std::string rejects_path_for(const std::string& rejects, const std::string& out);

// Rows that could not be read, written as CSV (line, column, reason) as they come, so memory
// stays flat however many there are; the file is created with the first. With an empty path
// they are only counted, and the first is named in the report.
class RejectsFile {
 public:
  explicit RejectsFile(std::string path);
  void add(const RejectedRow& row);
  // Prints an error naming the file (if any) and the first reject. Returns the exit code the
  // command should end with: 0 without rejects, 3 (bad data) with.
  int report(std::size_t rows_read);
  // Removes the file of a run that failed.
  void discard();

 private:
  std::string path_;
  std::ofstream out_;
  std::size_t count_ = 0;
  RejectedRow first_;
};

// Writes `rejects` through a RejectsFile at `path` and reports them.
int report_rejects(const std::vector<RejectedRow>& rejects, std::size_t rows_read,
                   const std::string& path);

}  // namespace smartchurn::cli
