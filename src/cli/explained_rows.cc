#include "cli/explained_rows.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "cli/scoring_input.h"
#include "smartchurn/csv.h"
#include "smartchurn/error.h"
#include "smartchurn/scorer.h"

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

void ExplanationColumns::add_numeric_flags(std::vector<bool>& numeric) const {
  numeric.push_back(true);  // base_value
  for (std::size_t k = 1; k <= top_; ++k) numeric.insert(numeric.end(), {false, false, true});
  numeric.push_back(false);  // recommended_action
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

namespace {

// What the whole file says: which columns drive risk, and how many customers each action targets.
class FileSummary {
 public:
  void add(const Explanation& e, const std::string& action) {
    ++rows_;
    for (const auto& r : e.reasons) mean_abs_[r.column] += std::abs(r.contribution);
    ++actions_[action.empty() ? "(none)" : action];
  }

  void print(const std::string& method) const {
    std::vector<std::pair<double, std::string>> ranked;
    for (const auto& [column, sum] : mean_abs_) ranked.emplace_back(sum / double(rows_), column);
    std::sort(ranked.begin(), ranked.end(), std::greater<>());
    fmt::print(stderr,
               "Explained {} customers ({})\nTop reasons (mean |contribution|, log-odds):\n", rows_,
               method);
    for (std::size_t i = 0; i < ranked.size() && i < 8; ++i) {
      fmt::print(stderr, "  {:<24} {:.4f}\n", ranked[i].second, ranked[i].first);
    }
    fmt::print(stderr, "Recommended actions:\n");
    for (const auto& [action, count] : actions_) fmt::print(stderr, "  {:<28} {}\n", action, count);
  }

 private:
  std::size_t rows_ = 0;
  std::map<std::string, double> mean_abs_;
  std::map<std::string, std::size_t> actions_;
};

// 0 (every core) is resolved by the scorer and the explainer themselves.
int checked_threads(int requested) {
  if (requested < 0) throw_usage("--threads must be 0 (every core) or more");
  return requested;
}

// Reads, scores, explains and writes chunk by chunk; returns the rows written.
std::size_t explain_file(const Bundle& bundle, const ExplainedCsvOptions& args,
                         const Playbook& playbook, SchemaReader& reader,
                         std::vector<RejectedRow>& rejects, std::ostream& out, UnseenCounts& unseen,
                         FileSummary& summary, std::string& method) {
  const int threads = checked_threads(args.threads);
  const Scorer scorer(bundle);
  const Explainer explainer(bundle,
                            {explain_method_from_string(args.method), args.samples, args.seed});
  const ExplanationColumns columns(args.top, explainer.input_columns().size(), playbook);
  method = to_string(explainer.method());
  std::size_t rows = 0;
  bool header_written = false;
  Dataset chunk;
  for (bool more = true; more;) {
    more = reader.next_chunk(chunk, args.chunk_rows, rejects);
    const Column* id = bundle.id_column(chunk);
    std::ostringstream buffer;
    CsvWriter writer(buffer, ',', args.raw_csv ? CsvCells::kRaw : CsvCells::kSpreadsheetSafe);
    if (!header_written) {
      std::vector<std::string> header;
      if (id) header.push_back(id->name());
      header.insert(header.end(), {"churn_probability", "risk_tier"});
      columns.add_header(header);
      writer.write_row(header);
      header_written = true;
    }
    // The numbers written here stay as they are (a negative contribution is not a formula).
    std::vector<bool> numeric(id ? 1 : 0, false);
    numeric.insert(numeric.end(), {true, false});
    columns.add_numeric_flags(numeric);
    writer.set_numeric_columns(std::move(numeric));
    if (!more) {
      out << buffer.str();
      break;
    }
    unseen.add(chunk);
    const auto probabilities = scorer.score(chunk, threads);
    const auto explanations = explainer.explain(chunk, threads);
    std::vector<std::string> row;
    for (std::size_t r = 0; r < chunk.rows(); ++r) {
      row.clear();
      if (id) row.push_back(id->text_at(r));
      const std::string tier = bundle.tiers.tier(probabilities[r]);
      row.push_back(fmt::format("{:.{}f}", probabilities[r], args.precision));
      row.push_back(tier);
      summary.add(explanations[r], columns.add_cells(explanations[r], tier, row));
      writer.write_row(row);
    }
    out << buffer.str();
    rows += chunk.rows();
  }
  return rows;
}

}  // namespace

int write_explained_csv(const Bundle& bundle, ExplainedCsvOptions args) {
  args.out = output_path(args.out);
  const Playbook playbook =
      args.playbook.empty() ? Playbook::telecom_default() : Playbook::load(args.playbook);
  if (args.chunk_rows == 0) throw_usage("--chunk-rows must be at least 1");
  SchemaReader reader = open_scoring_input(bundle, args.data);

  std::ofstream file;
  if (!args.out.empty()) {
    file.open(args.out, std::ios::binary);
    if (!file) throw_io("cannot write " + args.out);
  }
  std::ostream& out = args.out.empty() ? std::cout : file;
  std::vector<RejectedRow> rejects;
  UnseenCounts unseen;
  FileSummary summary;
  std::size_t rows = 0;
  std::string method;
  try {
    rows = explain_file(bundle, args, playbook, reader, rejects, out, unseen, summary, method);
    out.flush();
    if (!out) throw_io("cannot write " + (args.out.empty() ? std::string("stdout") : args.out));
  } catch (...) {
    // A half-written file must not pass for a complete one.
    if (!args.out.empty()) {
      file.close();
      std::error_code ignored;
      std::filesystem::remove(args.out, ignored);
    }
    throw;
  }
  unseen.warn();
  if (!args.out.empty()) summary.print(method);
  return report_rejects(rejects, rows, rejects_path_for(args.rejects, args.out));
}

}  // namespace smartchurn::cli
