// `smartchurn completion bash|zsh` and `smartchurn man`: the shell completion scripts and the man
// page, generated from the commands' own CLI11 definitions (cli_docs.h) so they never go stale.
// The build writes them into build/share and installs them (cmake/cli_docs.cmake).
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "cli/cli_docs.h"
#include "cli/commands.h"
#include "smartchurn/error.h"

namespace smartchurn::cli {

namespace {

struct CliDocArgs {
  std::string shell;
  std::string out = "-";
};

int write_cli_doc(const std::string& text, const std::string& out) {
  if (out.empty()) throw_usage("the output path is empty (use '-' for stdout)");
  if (out == "-") {
    std::cout << text;
    return 0;
  }
  std::ofstream file(out, std::ios::binary);
  file << text;
  file.flush();
  if (!file) throw_io("cannot write " + out);
  return 0;
}

// The runners read the whole tree, so they keep the root app (main's, alive while they run).
const CommandRegistration kCompletionRegistration(90, [](CLI::App& app) {
  auto args = std::make_shared<CliDocArgs>();
  CLI::App* sub = app.add_subcommand(
      "completion", "Print the shell completion script (source <(smartchurn completion bash))");
  sub->add_option("shell", args->shell, "Shell to complete in")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh"}));
  sub->add_option("-o,--out", args->out, "Output file ('-' for stdout)")->capture_default_str();
  CLI::App* root = &app;
  return std::pair<CLI::App*, CommandRunner>{
      sub, [args, root] {
        const CliDoc cli = describe_cli(*root, SMARTCHURN_VERSION);
        return write_cli_doc(args->shell == "zsh" ? zsh_completion(cli) : bash_completion(cli),
                             args->out);
      }};
});

const CommandRegistration kManRegistration(91, [](CLI::App& app) {
  auto args = std::make_shared<CliDocArgs>();
  CLI::App* sub = app.add_subcommand("man", "Print the man page (roff; man -l <(smartchurn man))");
  sub->add_option("-o,--out", args->out, "Output file ('-' for stdout)")->capture_default_str();
  CLI::App* root = &app;
  return std::pair<CLI::App*, CommandRunner>{
      sub, [args, root] {
        return write_cli_doc(man_page(describe_cli(*root, SMARTCHURN_VERSION)), args->out);
      }};
});

}  // namespace

}  // namespace smartchurn::cli
