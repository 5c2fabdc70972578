// `smartchurn profile`: reads a CSV, infers its columns and prints a profile with warnings.
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "smartchurn/dataset.h"
#include "smartchurn/error.h"
#include "smartchurn/profile.h"

namespace smartchurn::cli {

namespace {

struct ProfileOptions {
  std::string data;
  std::string target;
  std::string positive;
  std::vector<std::string> ids;
  std::vector<std::string> na_tokens;
  std::string delimiter;
  bool json = false;
};

char parse_delimiter(const std::string& text) {
  if (text.empty()) return '\0';
  if (text == "," || text == ";") return text[0];
  if (text == "\t" || text == "\\t" || text == "tab") return '\t';
  throw_usage("--delimiter must be ',', ';' or tab, not '" + text + "'");
}

int run_profile(const ProfileOptions& o) {
  ReadOptions read;
  read.csv.delimiter = parse_delimiter(o.delimiter);
  read.na_tokens = o.na_tokens;
  read.id_columns = o.ids;
  if (!o.target.empty()) read.keep_as_categorical = {o.target};
  if (o.target.empty() && !o.positive.empty()) throw_usage("--positive needs --target");
  Dataset data = read_dataset(o.data, read);
  std::optional<Target> target;
  if (!o.target.empty()) {
    target = resolve_target(data, o.target,
                            o.positive.empty() ? std::nullopt : std::optional<std::string>(o.positive));
  }
  Profile profile = profile_dataset(data, target);
  if (o.json) {
    std::cout << to_json(profile).dump() << "\n";
  } else {
    std::cout << render_profile_text(profile);
  }
  return 0;
}

const CommandRegistration kRegistration(20, [](CLI::App& app) {
  auto options = std::make_shared<ProfileOptions>();
  CLI::App* sub = app.add_subcommand("profile", "Profile a CSV: column types, statistics, warnings");
  sub->add_option("data", options->data, "CSV file")->required();
  sub->add_option("--target", options->target, "Churn column (adds target rate and leakage checks)");
  sub->add_option("--positive", options->positive, "Label of the target that means churn");
  sub->add_option("--id", options->ids, "Column to treat as an identifier (repeatable)")
      ->allow_extra_args(false);
  sub->add_option("--na", options->na_tokens, "Extra missing-value token (repeatable)")
      ->allow_extra_args(false);
  sub->add_option("--delimiter", options->delimiter, "Field delimiter: ',', ';' or tab (default: detect)");
  sub->add_flag("--json", options->json, "Print one JSON object instead of text");
  return std::make_pair(sub, CommandRunner([options] { return run_profile(*options); }));
});

}  // namespace

}  // namespace smartchurn::cli
