// smartchurn predict --model BUNDLE DATA.csv [-o OUT.csv] [--explain K]: scores customers with a
// saved model, streaming the file through the engine's batch scorer (Scorer::score_csv); with
// --explain, also the top K reasons and the recommended action, as `smartchurn explain` writes
// them.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/explained_rows.h"
#include "cli/scoring_input.h"
#include "smartchurn/error.h"
#include "smartchurn/scorer.h"

namespace smartchurn::cli {

namespace {

struct PredictArgs {
  DataOptions data;
  std::string model;
  std::string out;  // empty: stdout
  std::string rejects;
  std::vector<double> tiers;
  int threads = 0;  // 0: every core
  // Input bytes a thread scores at a time: large enough that the per-block work is noise, small
  // enough that the blocks in flight take a few megabytes whatever the file size.
  std::size_t block_bytes = std::size_t{1} << 20;
  std::size_t explain = 0;  // reasons per customer; 0: none
  std::string playbook;     // with --explain; empty: the built-in telecom playbook
  bool raw_csv = false;     // no spreadsheet-formula escaping (machine pipelines)
  int precision = 6;        // decimals of churn_probability
};

void remove_file(const std::string& path) {
  std::error_code ignored;
  if (std::filesystem::is_regular_file(path, ignored)) std::filesystem::remove(path, ignored);
}

int run(PredictArgs args) {
  args.out = output_path(args.out);
  Bundle bundle = load_bundle(args.model);
  if (!args.tiers.empty()) {
    if (args.tiers.size() != 2 ||
        !(0 < args.tiers[0] && args.tiers[0] < args.tiers[1] && args.tiers[1] < 1)) {
      throw_usage("--tiers takes two cut points 0 < medium < high < 1, e.g. 0.3,0.6");
    }
    bundle.tiers = {args.tiers[0], args.tiers[1]};
  }
  if (args.threads < 0) throw_usage("--threads must be 0 (every core) or more");
  if (args.block_bytes == 0) throw_usage("--block-bytes must be at least 1");
  if (!args.playbook.empty() && args.explain == 0) {
    throw_usage("--playbook needs --explain K: actions follow from the reasons");
  }
  if (args.explain > 0) {
    ExplainedCsvOptions explained;
    explained.data = args.data;
    explained.out = args.out;
    explained.rejects = args.rejects;
    explained.playbook = args.playbook;
    explained.top = args.explain;
    explained.threads = args.threads;
    explained.raw_csv = args.raw_csv;
    explained.precision = args.precision;
    return write_explained_csv(bundle, explained);
  }
  const Scorer scorer(bundle);  // the fast engine: flat trees, compiled preparation

  RejectsFile rejects(rejects_path_for(args.rejects, args.out));
  BatchOptions options;
  options.csv = args.data.csv();
  options.na_tokens = args.data.na_tokens;
  options.threads = args.threads;
  options.block_bytes = args.block_bytes;
  options.output_cells = args.raw_csv ? CsvCells::kRaw : CsvCells::kSpreadsheetSafe;
  options.probability_decimals = args.precision;
  options.on_reject = [&](const RejectedRow& row) { rejects.add(row); };

  std::vector<char> file_buffer(std::size_t{1} << 20);  // outlives `file`, which writes through it
  std::ofstream file;
  if (!args.out.empty()) {
    file.rdbuf()->pubsetbuf(file_buffer.data(), static_cast<std::streamsize>(file_buffer.size()));
    file.open(args.out, std::ios::binary);
    if (!file) throw_io("cannot write " + args.out);
  }
  std::ostream& out = args.out.empty() ? std::cout : file;
  BatchSummary summary;
  try {
    summary = scorer.score_csv_file(args.data.path, out, options);
    out.flush();
    if (!out) throw_io("cannot write " + (args.out.empty() ? std::string("stdout") : args.out));
  } catch (...) {
    // A half-written scored file must not pass for a complete one, nor its rejects for all.
    if (!args.out.empty()) {
      file.close();
      remove_file(args.out);
    }
    rejects.discard();
    throw;
  }
  warn_unseen(summary.unseen);
  return rejects.report(summary.rows);
}

std::pair<CLI::App*, CommandRunner> add_predict(CLI::App& app) {
  auto args = std::make_shared<PredictArgs>();
  auto* cmd = app.add_subcommand("predict", "Score customers with a saved model");
  args->data.add_to(*cmd, false);
  cmd->add_option("--model,-m", args->model, "Model bundle written by train")->required();
  cmd->add_option("--out,-o", args->out, "Scored CSV ('-' or none: standard output)");
  cmd->add_option("--rejects", args->rejects,
                  "Where rows that cannot be read are listed (default: OUT.rejects.csv; with "
                  "standard output, none: only the count on stderr)");
  cmd->add_option("--precision", args->precision, "Decimals of churn_probability")
      ->capture_default_str()
      ->check(CLI::Range(0, 17));
  cmd->add_option("--tiers", args->tiers, "Risk tier cut points medium,high (default: the model's)")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option("--threads", args->threads,
                  "Threads that parse and score blocks of the file (0: every core)")
      ->capture_default_str();
  cmd->add_option("--block-bytes", args->block_bytes,
                  "Input bytes a thread scores at a time (whole records; tuning)")
      ->capture_default_str();
  cmd->add_option("--explain", args->explain,
                  "Also write the top K reasons per customer and a recommended action "
                  "(the columns of `smartchurn explain`)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000}));
  cmd->add_flag("--raw-csv", args->raw_csv,
                "Write cells as they are (default: text starting with = + - @ tab or CR gets a "
                "leading ' so spreadsheets do not run it)");
  cmd->add_option(
      "--playbook", args->playbook,
      "With --explain: retention playbook (JSON, docs/playbook.md; default: built-in telecom)");
  return {cmd, [args] { return run(*args); }};
}

const CommandRegistration kPredictRegistration(50, add_predict);

}  // namespace

}  // namespace smartchurn::cli
