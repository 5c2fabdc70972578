// Each command lives in its own cmd_<name>.cc, adds a subcommand whose options it owns, and
// registers itself with a static CommandRegistration, so adding a command touches no other file.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <utility>

namespace smartchurn::cli {

using CommandRunner = std::function<int()>;
// Adds the subcommand to `app` and returns it with the function that runs it.
using AddCommand = std::function<std::pair<CLI::App*, CommandRunner>(CLI::App&)>;

struct CommandRegistration {
  // `order` sorts commands in --help (lower first).
  CommandRegistration(int order, AddCommand add);
};

void register_commands(CLI::App& app);
// Runs the subcommand that was parsed; returns the process exit code.
int run_selected();

}  // namespace smartchurn::cli
