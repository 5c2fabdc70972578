// smartchurn transform --model BUNDLE DATA.csv [-o FEATURES.csv]: the prepared feature matrix, what
// the model reads, as CSV with the feature names as header (the id column first when the data has
// one). With `export --format xgboost`, Python's xgboost then predicts what `predict` does.
#include <charconv>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/scoring_input.h"
#include "smartchurn/csv.h"
#include "smartchurn/error.h"

namespace smartchurn::cli {

namespace {

struct TransformArgs {
  DataOptions data;
  std::string model;
  std::string out;      // empty: stdout
  std::string rejects;  // empty: rejects_path_for(out)
};

// The shortest text that reads back as exactly `value` (the float widened to double, so a reader
// parsing doubles and rounding to float gets it back); missing (NaN) is the empty cell.
std::string feature_text(float value) {
  if (value != value) return "";
  char text[32];
  const auto result = std::to_chars(text, text + sizeof text, static_cast<double>(value));
  return std::string(text, result.ptr);
}

void write_features(const Bundle& bundle, const Dataset& data, std::ostream& out) {
  const FeatureMatrix x = bundle.pipeline.transform(data);
  const Column* id = bundle.id_column(data);
  // Raw cells: a machine reads this file back, and a negative value is no formula.
  CsvWriter writer(out, ',', CsvCells::kRaw);
  std::vector<std::string> row;
  if (id) row.push_back(id->name());
  for (const auto& feature : bundle.pipeline.features()) row.push_back(feature.name);
  writer.write_row(row);
  for (std::size_t r = 0; r < x.rows; ++r) {
    row.clear();
    if (id) row.push_back(id->text_at(r));
    for (std::size_t c = 0; c < x.cols; ++c) row.push_back(feature_text(x.at(r, c)));
    writer.write_row(row);
  }
}

int run(TransformArgs args) {
  args.out = output_path(args.out);
  const Bundle bundle = load_bundle(args.model);
  const ScoringInput input = read_scoring_input(bundle, args.data);
  if (args.out.empty()) {
    write_features(bundle, input.data, std::cout);
    std::cout.flush();
    if (!std::cout) throw_io("cannot write stdout");
  } else {
    std::ofstream file(args.out, std::ios::binary);
    if (!file) throw_io("cannot write " + args.out);
    write_features(bundle, input.data, file);
    file.flush();
    if (!file) throw_io("cannot write " + args.out);
  }
  return report_rejects(input.rejects, input.data.rows(), rejects_path_for(args.rejects, args.out));
}

std::pair<CLI::App*, CommandRunner> add_transform(CLI::App& app) {
  auto args = std::make_shared<TransformArgs>();
  auto* cmd = app.add_subcommand(
      "transform",
      "Write the prepared feature matrix a model reads (CSV, feature names as header)");
  args->data.add_to(*cmd, false);
  cmd->add_option("--model,-m", args->model, "Model bundle written by train")->required();
  cmd->add_option("--out,-o", args->out, "Output CSV ('-' or none: standard output)");
  cmd->add_option("--rejects", args->rejects,
                  "Where rows that cannot be read are listed (default: OUT.rejects.csv; with "
                  "standard output, none: only the count on stderr)");
  return {cmd, [args] { return run(*args); }};
}

const CommandRegistration kTransformRegistration(57, add_transform);

}  // namespace

}  // namespace smartchurn::cli
