// Shell completions and the man page, rendered from the CLI11 tree itself so they never go stale:
// describe_cli() reads the commands, options and help texts once, the renderers only format.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace smartchurn::cli {

struct OptionDoc {
  std::vector<std::string> names;    // "-m", "--model"; empty for a positional argument
  std::string positional_name;       // "data" for a positional argument
  std::string value_name;            // "TEXT", "UINT"; empty for a flag
  std::vector<std::string> choices;  // from an IsMember check, e.g. {"bash", "zsh"}
  std::string description;
  std::string default_value;
  bool required = false;
  bool repeatable = false;

  bool is_flag() const { return value_name.empty(); }
  // A number completes to nothing rather than to file names.
  bool takes_number() const {
    return value_name == "INT" || value_name == "UINT" || value_name == "FLOAT" ||
           value_name == "NUMBER";
  }
};

struct CommandDoc {
  std::string name;
  std::string description;
  std::vector<OptionDoc> options;      // named options and flags, in definition order
  std::vector<OptionDoc> positionals;  // in the order they are read
};

struct CliDoc {
  std::string program;  // "smartchurn"
  std::string description;
  std::string version;
  std::vector<OptionDoc> options;  // the program's own: --help, --version
  std::vector<CommandDoc> commands;
};

// Every visible (non-hidden) command and option of `app`.
CliDoc describe_cli(const CLI::App& app, const std::string& version);

std::string bash_completion(const CliDoc& cli);
std::string zsh_completion(const CliDoc& cli);
// roff, section 1.
std::string man_page(const CliDoc& cli);

}  // namespace smartchurn::cli
