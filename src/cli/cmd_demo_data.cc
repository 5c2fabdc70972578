// `smartchurn demo-data`: writes the seeded demo customer base as CSV, to a file or stdout.
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "smartchurn/demo.h"
#include "smartchurn/error.h"

namespace smartchurn::cli {

namespace {

struct DemoDataArgs {
  DemoOptions options;
  std::string output = "-";
};

// CLI11 would wrap "-5" into a huge unsigned value; refuse it with a plain message instead.
CLI::Validator non_negative() {
  return CLI::Validator(
      [](std::string& value) {
        return value.find('-') == std::string::npos ? std::string() : "must not be negative";
      },
      "");
}

int run_demo_data(const DemoDataArgs& args) {
  if (args.output.empty()) throw_usage("the output path is empty (use '-' for stdout)");
  if (args.output == "-") {
    write_demo_data(std::cout, args.options);
  } else {
    write_demo_data(args.output, args.options);
  }
  return 0;
}

const CommandRegistration kDemoDataRegistration(10, [](CLI::App& app) {
  auto args = std::make_shared<DemoDataArgs>();
  CLI::App* sub = app.add_subcommand(
      "demo-data", "Write a realistic, seeded demo customer base (telecom-like CSV with churn)");
  sub->add_option("--rows", args->options.rows, "Number of data rows, duplicates included (>= 100)")
      ->check(non_negative())
      ->capture_default_str();
  sub->add_option("--seed", args->options.seed, "Random seed: same rows and seed, same bytes")
      ->check(non_negative())
      ->capture_default_str();
  sub->add_option("-o,--output", args->output, "Output CSV file ('-' for stdout)")
      ->capture_default_str();
  return std::pair<CLI::App*, CommandRunner>{sub, [args] { return run_demo_data(*args); }};
});

}  // namespace

}  // namespace smartchurn::cli
