// `smartchurn profile`: reads a CSV, infers its columns and prints a profile with warnings.
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/data_options.h"
#include "smartchurn/dataset.h"
#include "smartchurn/error.h"
#include "smartchurn/profile.h"

namespace smartchurn::cli {

namespace {

struct ProfileOptions {
  DataOptions data;
  std::string target;
  std::string positive;
  bool json = false;
};

int run_profile(const ProfileOptions& o) {
  ReadOptions read = o.data.read_options();
  if (!o.target.empty()) read.keep_as_categorical = {o.target};
  if (o.target.empty() && !o.positive.empty()) throw_usage("--positive needs --target");
  Dataset data = read_dataset(o.data.path, read);
  std::optional<Target> target;
  if (!o.target.empty()) {
    target = resolve_target(
        data, o.target, o.positive.empty() ? std::nullopt : std::optional<std::string>(o.positive));
  }
  Profile profile = profile_dataset(data, target);
  if (o.json) {
    std::cout << to_json(profile).dump() << "\n";
  } else {
    std::cout << render_profile_text(profile);
  }
  return 0;
}

const CommandRegistration kProfileRegistration(20, [](CLI::App& app) {
  auto options = std::make_shared<ProfileOptions>();
  CLI::App* sub =
      app.add_subcommand("profile", "Profile a CSV: column types, statistics, warnings");
  options->data.add_to(*sub);
  sub->add_option("--target", options->target,
                  "Churn column (adds target rate and leakage checks)");
  sub->add_option("--positive", options->positive, "Label of the target that means churn");
  sub->add_flag("--json", options->json, "Print one JSON object instead of text");
  return std::make_pair(sub, CommandRunner([options] { return run_profile(*options); }));
});

}  // namespace

}  // namespace smartchurn::cli
