// smartchurn export --model BUNDLE --format c|json|xgboost [-o FILE] [--prefix NAME]: the model as
// a dependency-free C99 scorer (FILE.c plus FILE.h beside it), as a documented JSON description,
// or (tree models) as XGBoost's own JSON model.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "smartchurn/bundle.h"
#include "smartchurn/error.h"
#include "smartchurn/export.h"

namespace smartchurn::cli {

namespace {

struct ExportArgs {
  std::string model;
  std::string format;
  std::string out;
  std::string prefix = "smartchurn";
};

// Writes `text` to `path` whole, or throws kIo naming it.
void write_file(const std::string& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary);
  if (!file) throw_io("cannot write " + path);
  file << text;
  file.flush();
  if (!file) throw_io("cannot write " + path);
}

int run(ExportArgs args) {
  if (args.out == "-") {
    if (args.format == "c") throw_usage("--format c writes two files: -o FILE.c, not -");
    args.out.clear();
  }
  if (args.format != "c" && args.format != "json" && args.format != "xgboost") {
    throw_usage("unknown export format '" + args.format + "' (use c, json or xgboost)");
  }
  if (args.format == "c" && args.out.empty()) throw_usage("--format c needs -o FILE.c");
  const Bundle bundle = load_bundle(args.model);
  if (args.format != "c") {
    const std::string text =
        args.format == "json" ? export_json(bundle).dump(2) + "\n" : export_xgboost(bundle);
    if (args.out.empty()) {
      std::cout << text << std::flush;
      if (!std::cout) throw_io("cannot write stdout");
    } else {
      write_file(args.out, text);
    }
    return 0;
  }
  std::filesystem::path source_path(args.out);
  std::filesystem::path header_path = source_path;
  header_path.replace_extension(".h");
  if (header_path == source_path) throw_usage("-o must name the .c file, not " + args.out);
  std::ostringstream source, header;
  export_c(bundle, source, header, args.prefix, header_path.filename().string());
  write_file(header_path.string(), header.str());
  write_file(source_path.string(), source.str());
  std::cerr << "wrote " << source_path.string() << " and " << header_path.string() << "\n";
  return 0;
}

std::pair<CLI::App*, CommandRunner> add_export(CLI::App& app) {
  auto args = std::make_shared<ExportArgs>();
  auto* cmd = app.add_subcommand(
      "export", "Export a model as C source, a JSON description or an XGBoost model");
  cmd->add_option("--model,-m", args->model, "Model bundle written by train")->required();
  cmd->add_option("--format,-f", args->format,
                  "c (C99 scorer), json (model description) or xgboost (XGBoost's own JSON "
                  "model; rf and gbm)")
      ->required()
      ->check(CLI::IsMember({"c", "json", "xgboost"}));
  cmd->add_option(
      "--out,-o", args->out,
      "Output file: FILE.c (header FILE.h beside it) or the JSON file ('-' or none: stdout)");
  cmd->add_option("--prefix", args->prefix, "Prefix of the C symbols (default: smartchurn)");
  return {cmd, [args] { return run(*args); }};
}

const CommandRegistration kExportRegistration(55, add_export);

}  // namespace

}  // namespace smartchurn::cli
