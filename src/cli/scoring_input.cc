#include "cli/scoring_input.h"

#include <fmt/core.h>

#include <algorithm>
#include <filesystem>

#include "smartchurn/csv.h"
#include "smartchurn/error.h"

namespace smartchurn::cli {

namespace {

struct ScoringColumns {
  Schema schema;  // the bundle's, with the user's extra missing-value tokens
  std::vector<std::string> optional;
};

ScoringColumns scoring_columns(const Bundle& bundle, const DataOptions& options,
                               const std::vector<std::string>& also_required) {
  ScoringColumns columns{bundle.schema, bundle.optional_columns()};
  std::erase_if(columns.optional, [&](const std::string& c) {
    return std::find(also_required.begin(), also_required.end(), c) != also_required.end();
  });
  columns.schema.na_tokens.insert(columns.schema.na_tokens.end(), options.na_tokens.begin(),
                                  options.na_tokens.end());
  return columns;
}

}  // namespace

ScoringInput read_scoring_input(const Bundle& bundle, const DataOptions& options,
                                const std::vector<std::string>& also_required) {
  ScoringColumns columns = scoring_columns(bundle, options, also_required);
  ScoringInput input;
  input.data = read_with_schema(options.path, columns.schema, columns.optional, input.rejects,
                                options.csv());
  UnseenCounts unseen;
  unseen.add(input.data);
  unseen.warn();
  return input;
}

SchemaReader open_scoring_input(const Bundle& bundle, const DataOptions& options,
                                const std::vector<std::string>& also_required) {
  ScoringColumns columns = scoring_columns(bundle, options, also_required);
  // As the batch scorer: a bad value in a column the model does not read (the target, say) does
  // not reject the row.
  const auto& inputs = bundle.required_columns();
  std::vector<std::string> unread;
  for (const auto& column : bundle.schema.columns) {
    const auto needed = [&](const std::vector<std::string>& names) {
      return std::find(names.begin(), names.end(), column.name) != names.end();
    };
    if (!needed(inputs) && !needed(also_required)) unread.push_back(column.name);
  }
  return SchemaReader(options.path, columns.schema, columns.optional, options.csv(), unread);
}

void UnseenCounts::add(const Dataset& chunk) {
  if (counts_.empty()) {
    for (const auto& column : chunk.columns) counts_.emplace_back(column.name(), 0);
  }
  // Every chunk of a file has the same columns in the same order.
  for (std::size_t i = 0; i < chunk.columns.size() && i < counts_.size(); ++i) {
    counts_[i].second += chunk.columns[i].unseen;
  }
}

void UnseenCounts::warn() const { warn_unseen(counts_); }

void warn_unseen(const std::vector<std::pair<std::string, std::size_t>>& counts) {
  for (const auto& [name, count] : counts) {
    if (count > 0) {
      fmt::print(stderr,
                 "warning: column '{}': {} value(s) not seen in training, scored as '(other)'\n",
                 name, count);
    }
  }
}

std::string output_path(const std::string& out) { return out == "-" ? std::string() : out; }

std::string rejects_path_for(const std::string& rejects, const std::string& out) {
  if (!rejects.empty()) return rejects;
  const std::string file = output_path(out);
  return file.empty() ? std::string() : file + ".rejects.csv";
}

RejectsFile::RejectsFile(std::string path) : path_(std::move(path)) {}

void RejectsFile::add(const RejectedRow& row) {
  if (count_++ == 0) first_ = row;
  if (path_.empty()) return;
  if (count_ == 1) {
    out_.open(path_, std::ios::binary);
    if (!out_) throw_io("cannot write the rejects file " + path_);
    CsvWriter(out_).write_row(std::vector<std::string>{"line", "column", "reason"});
  }
  const std::string line = std::to_string(row.line);
  CsvWriter(out_).write_row(std::vector<std::string_view>{line, row.column, row.reason});
}

int RejectsFile::report(std::size_t rows_read) {
  if (count_ == 0) return 0;
  const std::string first = format_error({"", first_.line, first_.column}, first_.reason);
  if (path_.empty()) {
    fmt::print(stderr,
               "error: {} of {} rows could not be read and were not scored (first: {}); "
               "--rejects FILE lists them all\n",
               count_, rows_read + count_, first);
    return 3;
  }
  out_.flush();
  if (!out_) throw_io("cannot write the rejects file " + path_);
  fmt::print(stderr,
             "error: {} of {} rows could not be read and were not scored; see {} (first: {})\n",
             count_, rows_read + count_, path_, first);
  return 3;
}

void RejectsFile::discard() {
  if (count_ == 0 || path_.empty()) return;
  out_.close();
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

int report_rejects(const std::vector<RejectedRow>& rejects, std::size_t rows_read,
                   const std::string& path) {
  RejectsFile file(path);
  for (const auto& r : rejects) file.add(r);
  return file.report(rows_read);
}

}  // namespace smartchurn::cli
