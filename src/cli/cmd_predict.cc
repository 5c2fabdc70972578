// smartchurn predict --model BUNDLE DATA.csv [-o OUT.csv]: scores customers with a saved model.
#include <fstream>
#include <iostream>

#include <fmt/core.h>

#include "cli/commands.h"
#include "cli/scoring_input.h"
#include "smartchurn/csv.h"
#include "smartchurn/error.h"

namespace smartchurn::cli {

namespace {

struct PredictArgs {
  DataOptions data;
  std::string model;
  std::string out;  // empty: stdout
  std::string rejects;
  std::vector<double> tiers;
};

int run(const PredictArgs& args) {
  Bundle bundle = load_bundle(args.model);
  if (!args.tiers.empty()) {
    if (args.tiers.size() != 2 || !(0 < args.tiers[0] && args.tiers[0] < args.tiers[1] &&
                                    args.tiers[1] < 1)) {
      throw_usage("--tiers takes two cut points 0 < medium < high < 1, e.g. 0.3,0.6");
    }
    bundle.tiers = {args.tiers[0], args.tiers[1]};
  }
  ScoringInput input = read_scoring_input(bundle, args.data);
  const Dataset& data = input.data;
  std::vector<double> probabilities = bundle.predict(data);

  // The first identifier column of the training data that this file has.
  const Column* id = nullptr;
  for (const auto& name : bundle.id_columns) {
    if (int i = data.index_of(name); i >= 0) {
      id = &data.columns[std::size_t(i)];
      break;
    }
  }
  std::ofstream file;
  if (!args.out.empty()) {
    file.open(args.out, std::ios::binary);
    if (!file) throw_io("cannot write " + args.out);
  }
  std::ostream& out = args.out.empty() ? std::cout : file;
  CsvWriter writer(out);
  std::vector<std::string> header;
  if (id) header.push_back(id->name());
  header.insert(header.end(), {"churn_probability", "risk_tier"});
  writer.write_row(header);
  std::vector<std::string> row;
  for (std::size_t r = 0; r < data.rows(); ++r) {
    row.clear();
    if (id) row.push_back(id->text_at(r));
    row.push_back(fmt::format("{:.6f}", probabilities[r]));
    row.push_back(bundle.tiers.tier(probabilities[r]));
    writer.write_row(row);
  }
  out.flush();
  if (!out) throw_io("cannot write " + (args.out.empty() ? std::string("stdout") : args.out));
  std::string rejects_path = !args.rejects.empty() ? args.rejects
                             : !args.out.empty()   ? args.out + ".rejects.csv"
                                                   : "smartchurn-rejects.csv";
  return report_rejects(input.rejects, data.rows(), rejects_path);
}

std::pair<CLI::App*, CommandRunner> add(CLI::App& app) {
  auto args = std::make_shared<PredictArgs>();
  auto* cmd = app.add_subcommand("predict", "Score customers with a saved model");
  args->data.add_to(*cmd, false);
  cmd->add_option("--model,-m", args->model, "Model bundle written by train")->required();
  cmd->add_option("--out,-o", args->out, "Scored CSV (default: standard output)");
  cmd->add_option("--rejects", args->rejects,
                  "Where rows that cannot be read are listed (default: OUT.rejects.csv)");
  cmd->add_option("--tiers", args->tiers, "Risk tier cut points medium,high (default: the model's)")
      ->delimiter(',');
  return {cmd, [args] { return run(*args); }};
}

const CommandRegistration registration(50, add);

}  // namespace

}  // namespace smartchurn::cli
