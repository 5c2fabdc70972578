// smartchurn evaluate --model BUNDLE DATA.csv [--json]: how well a saved model does on labelled
// data.
#include <fmt/core.h>

#include <iostream>

#include "cli/commands.h"
#include "cli/scoring_input.h"
#include "smartchurn/metrics.h"

namespace smartchurn::cli {

namespace {

struct EvaluateArgs {
  DataOptions data;
  std::string model;
  std::string rejects;  // empty: only the count on stderr
  double threshold = 0.5;
  bool json = false;
};

void print_report(const nlohmann::json& report, const Bundle& bundle, std::size_t rows) {
  const auto& m = report["metrics"];
  fmt::print("Model {} on {} rows (target '{}' = '{}')\n\n", bundle.model_name, rows,
             bundle.target_column, bundle.positive_label);
  for (const char* name :
       {"roc_auc", "pr_auc", "accuracy", "precision", "recall", "f1", "log_loss", "brier"}) {
    fmt::print("  {:<10} {:.4f}\n", name, m[name].get<double>());
  }
  const auto& cm = m["confusion"];
  fmt::print("\nConfusion matrix at threshold {:.2f}\n", m["threshold"].get<double>());
  fmt::print("                  predicted churn  predicted stay\n");
  fmt::print("  actual churn    {:>15}  {:>14}\n", cm["tp"].get<std::size_t>(),
             cm["fn"].get<std::size_t>());
  fmt::print("  actual stay     {:>15}  {:>14}\n", cm["fp"].get<std::size_t>(),
             cm["tn"].get<std::size_t>());
  fmt::print(
      "\nLift by decile (1 = highest risk)\n  decile  rows  churners  rate    lift  captured\n");
  for (const auto& d : report["lift"]) {
    fmt::print("  {:>6}  {:>4}  {:>8}  {:.3f}  {:>5.2f}  {:>7.1f}%\n", d["decile"].get<int>(),
               d["count"].get<std::size_t>(), d["positives"].get<std::size_t>(),
               d["rate"].get<double>(), d["lift"].get<double>(),
               100 * d["cumulative_gain"].get<double>());
  }
}

int run(const EvaluateArgs& args) {
  Bundle bundle = load_bundle(args.model);
  ScoringInput input = read_scoring_input(bundle, args.data, {bundle.target_column});
  Target target = resolve_target(input.data, bundle.target_column, bundle.positive_label);
  auto probabilities = bundle.predict(input.data);
  nlohmann::json report = evaluation_report(target.y, probabilities, args.threshold);
  if (args.json) {
    report["model"] = bundle.model_name;
    report["rows"] = input.data.rows();
    report["rejected_rows"] = input.rejects.size();
    std::cout << report.dump(2) << "\n";
  } else {
    print_report(report, bundle, input.data.rows());
  }
  return report_rejects(input.rejects, input.data.rows(), args.rejects);
}

std::pair<CLI::App*, CommandRunner> add_evaluate(CLI::App& app) {
  auto args = std::make_shared<EvaluateArgs>();
  auto* cmd = app.add_subcommand("evaluate", "Measure a saved model on labelled data");
  args->data.add_to(*cmd, false);
  cmd->add_option("--model,-m", args->model, "Model bundle written by train")->required();
  cmd->add_option("--threshold", args->threshold, "Probability from which churn is predicted")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--rejects", args->rejects,
                  "Where rows that cannot be read are listed (default: none, only the count on "
                  "stderr)");
  cmd->add_flag("--json", args->json, "Print one JSON object");
  return {cmd, [args] { return run(*args); }};
}

const CommandRegistration kEvaluateRegistration(40, add_evaluate);

}  // namespace

}  // namespace smartchurn::cli
