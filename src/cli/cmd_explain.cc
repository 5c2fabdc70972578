// smartchurn explain --model BUNDLE DATA.csv [--top 3] [-o OUT.csv] [--playbook FILE]: scores
// customers and says why each is at risk (the top reasons, in log-odds) and what to do about it.
#include "cli/commands.h"
#include "cli/explained_rows.h"
#include "smartchurn/bundle.h"

namespace smartchurn::cli {

namespace {

struct ExplainArgs : ExplainedCsvOptions {
  std::string model;
};

std::pair<CLI::App*, CommandRunner> add_explain(CLI::App& app) {
  auto args = std::make_shared<ExplainArgs>();
  auto* cmd = app.add_subcommand(
      "explain", "Score customers with the reasons behind each score and a recommended action");
  args->data.add_to(*cmd, false);
  cmd->add_option("--model,-m", args->model, "Model bundle written by train")->required();
  cmd->add_option("--out,-o", args->out, "Explained CSV ('-' or none: standard output)");
  cmd->add_option("--top", args->top, "Reasons per customer, most important first")
      ->capture_default_str();
  cmd->add_option(
      "--playbook", args->playbook,
      "Retention playbook (JSON, see docs/playbook.md; default: the built-in telecom one)");
  cmd->add_option("--method", args->method,
                  "auto (exact for lr, rf, gbm), tree_shap, linear or sampling (any model)")
      ->capture_default_str();
  cmd->add_option("--samples", args->samples, "sampling: permutations per customer")
      ->capture_default_str();
  cmd->add_option("--seed", args->seed, "sampling: seed of the permutations")
      ->capture_default_str();
  cmd->add_option("--threads", args->threads, "Threads that explain (0: every core)")
      ->capture_default_str();
  cmd->add_option("--chunk-rows", args->chunk_rows, "Rows read and explained at a time")
      ->capture_default_str();
  cmd->add_flag("--raw-csv", args->raw_csv,
                "Write cells as they are (default: text starting with = + - @ tab or CR gets a "
                "leading ' so spreadsheets do not run it)");
  cmd->add_option("--rejects", args->rejects,
                  "Where rows that cannot be read are listed (default: OUT.rejects.csv; with "
                  "standard output, none: only the count on stderr)");
  cmd->add_option("--precision", args->precision, "Decimals of churn_probability")
      ->capture_default_str()
      ->check(CLI::Range(0, 17));
  return {cmd, [args] { return write_explained_csv(load_bundle(args->model), *args); }};
}

const CommandRegistration kExplainRegistration(52, add_explain);

}  // namespace

}  // namespace smartchurn::cli
