// smartchurn train DATA.csv --target COL [...]: cross-validates models, prints the leaderboard and
// saves the best as a model bundle.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "cli/data_options.h"
#include "cli/progress.h"
#include "smartchurn/bundle.h"
#include "smartchurn/error.h"
#include "smartchurn/trainer.h"

namespace smartchurn::cli {

namespace {

struct TrainArgs {
  DataOptions data;
  TrainOptions train;
  std::string positive;
  std::string out = "smartchurn-model.json";
  std::vector<std::string> params;  // model.param=value
  std::vector<double> tiers;
  bool json = false;
  bool no_combined = false;
  bool no_global_view = false;
};

// "gbm.max_depth=6" -> model_params["gbm"]["max_depth"] = 6
void parse_params(const std::vector<std::string>& specs, TrainOptions& options) {
  for (const auto& spec : specs) {
    auto dot = spec.find('.'), eq = spec.find('=');
    if (dot == std::string::npos || eq == std::string::npos || eq < dot) {
      throw_usage("--param takes MODEL.NAME=VALUE (e.g. gbm.max_depth=6), not '" + spec + "'");
    }
    std::string model = spec.substr(0, dot), name = spec.substr(dot + 1, eq - dot - 1);
    auto value = parse_number(spec.substr(eq + 1));
    if (!value) throw_usage("--param " + spec + ": the value must be a number");
    find_model(model);
    options.model_params[model][name] = *value;
  }
}

std::string cell(const MeanStd& v) { return fmt::format("{:.4f} ± {:.4f}", v.mean, v.std); }

void print_leaderboard(std::FILE* to, const TrainReport& r, const std::string& bundle_path) {
  fmt::print(
      to,
      "Trained on {} rows ({} duplicate rows left out), target '{}' = '{}' ({:.1f}% positive)\n",
      r.rows, r.duplicates_removed, r.target, r.positive_label, 100 * r.positive_rate);
  fmt::print(to, "Features from {} columns", r.feature_columns.size());
  // One line per reason: "left out as identifier: a, b".
  std::vector<std::pair<std::string, std::vector<std::string>>> by_reason;
  for (const auto& e : r.excluded_columns) {
    std::string reason = e["reason"].get<std::string>();
    auto it = std::find_if(by_reason.begin(), by_reason.end(),
                           [&](const auto& entry) { return entry.first == reason; });
    if (it == by_reason.end()) it = by_reason.insert(by_reason.end(), {reason, {}});
    it->second.push_back(e["column"].get<std::string>());
  }
  for (const auto& [reason, columns] : by_reason) {
    fmt::print(to, "\n  left out ({}): {}", reason, fmt::join(columns, ", "));
  }
  fmt::print(to, "\n\nLeaderboard ({}-fold stratified cross-validation, mean ± std)\n", r.folds);
  fmt::print(to, "{:<6} {:<17} {:<17} {:<17} {:<17} {:<17} {:>8}\n", "model", "ROC-AUC", "PR-AUC",
             "F1", "accuracy", "log-loss", "fit s");
  for (const auto& m : r.leaderboard) {
    fmt::print(to, "{:<6} {:<17} {:<17} {:<17} {:<17} {:<17} {:>8.3f}\n", m.name,
               cell(m.cv.at("roc_auc")), cell(m.cv.at("pr_auc")), cell(m.cv.at("f1")),
               cell(m.cv.at("accuracy")), cell(m.cv.at("log_loss")), m.fit_seconds);
  }
  fmt::print(to, "\nBest: {} ({}), refitted on all rows and saved to {} ({:.2f} s in all)\n",
             r.best, r.leaderboard.front().title, bundle_path, r.seconds);
}

int run(TrainArgs& args) {
  if (!args.positive.empty()) args.train.positive = args.positive;
  args.train.prep.combined_features = !args.no_combined;
  args.train.global_view = !args.no_global_view;
  parse_params(args.params, args.train);
  if (!args.tiers.empty()) {
    if (args.tiers.size() != 2 ||
        !(0 < args.tiers[0] && args.tiers[0] < args.tiers[1] && args.tiers[1] < 1)) {
      throw_usage("--tiers takes two cut points 0 < medium < high < 1, e.g. 0.3,0.6");
    }
    args.train.tiers = {args.tiers[0], args.tiers[1]};
  }
  Dataset data = read_dataset(args.data.path, args.data.read_options());
  TrainResult result = [&] {
    ProgressBar bar("training");  // cleared when this scope ends, before the results print
    args.train.progress = [&](double fraction, const std::string& step) {
      bar.update(fraction, step);
    };
    return train(data, args.train);
  }();
  // "-o -": the bundle is the output (for a pipe), and the report goes to stderr.
  const bool bundle_to_stdout = args.out == "-";
  if (bundle_to_stdout) {
    std::cout << bundle_to_json(result.bundle).dump() << "\n" << std::flush;
    if (!std::cout) throw_io("cannot write the model bundle to stdout");
  } else {
    save_bundle(result.bundle, args.out);
  }
  std::FILE* report_to = bundle_to_stdout ? stderr : stdout;
  const std::string saved_to = bundle_to_stdout ? "standard output" : args.out;
  if (args.json) {
    nlohmann::json j = to_json(result.report);
    j["bundle"] = saved_to;
    fmt::print(report_to, "{}\n", j.dump(2));
  } else {
    print_leaderboard(report_to, result.report, saved_to);
  }
  return 0;
}

std::pair<CLI::App*, CommandRunner> add_train(CLI::App& app) {
  auto args = std::make_shared<TrainArgs>();
  auto* cmd = app.add_subcommand("train", "Cross-validate models, rank them, save the best");
  args->data.add_to(*cmd);
  cmd->add_option("--target", args->train.target, "Column that says whether the customer left")
      ->required();
  cmd->add_option("--positive", args->positive, "Label of the target that means churn (detected)");
  cmd->add_option("--models", args->train.models, "Model families to compare: lr, rf, gbm")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->capture_default_str();
  cmd->add_option("--folds", args->train.folds, "Cross-validation folds")->capture_default_str();
  cmd->add_option("--seed", args->train.seed, "Random seed")->capture_default_str();
  cmd->add_option("--threads", args->train.threads, "Worker threads (0: every core)")
      ->capture_default_str();
  cmd->add_option("--out,-o", args->out,
                  "Where to save the model bundle ('-': standard output, the report to stderr)")
      ->capture_default_str();
  cmd->add_option("--drop", args->train.drop_columns, "Column not to learn from (repeatable)")
      ->allow_extra_args(false);
  cmd->add_flag("--keep-leakage", args->train.keep_leakage,
                "Learn from columns flagged as suspected leakage");
  cmd->add_flag("--no-combined", args->no_combined, "Do not add combined features");
  cmd->add_flag("--no-global-view", args->no_global_view,
                "Skip the global explanations (importance, dependence, permutation importance, "
                "partial dependence): one fit less");
  cmd->add_option("--select-top", args->train.prep.select_top_k,
                  "Keep only the K most important features");
  cmd->add_option("--pca", args->train.prep.pca_components,
                  "Replace continuous features by N principal components");
  cmd->add_option("--rare-min", args->train.prep.rare_min_count,
                  "Group category levels seen in fewer rows into (other)")
      ->capture_default_str();
  cmd->add_option("--param", args->params, "Model parameter, MODEL.NAME=VALUE (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--tiers", args->tiers, "Risk tier cut points medium,high (default 0.3,0.6)")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_flag("--json", args->json, "Print one JSON object instead of the table");
  return {cmd, [args] { return run(*args); }};
}

const CommandRegistration kTrainRegistration(30, add_train);

}  // namespace

}  // namespace smartchurn::cli
