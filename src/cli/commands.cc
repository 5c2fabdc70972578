#include "cli/commands.h"

#include <algorithm>
#include <vector>

namespace smartchurn::cli {

namespace {

struct Pending {
  int order;
  AddCommand add;
};

std::vector<Pending>& pending() {
  static std::vector<Pending> all;
  return all;
}

std::vector<std::pair<CLI::App*, CommandRunner>>& added() {
  static std::vector<std::pair<CLI::App*, CommandRunner>> all;
  return all;
}

}  // namespace

CommandRegistration::CommandRegistration(int order, AddCommand add) {
  pending().push_back({order, std::move(add)});
}

void register_commands(CLI::App& app) {
  auto commands = pending();
  std::stable_sort(commands.begin(), commands.end(),
                   [](const Pending& a, const Pending& b) { return a.order < b.order; });
  for (const auto& c : commands) added().push_back(c.add(app));
}

int run_selected() {
  for (const auto& [sub, run] : added()) {
    if (sub->parsed()) return run();
  }
  return 2;
}

}  // namespace smartchurn::cli
