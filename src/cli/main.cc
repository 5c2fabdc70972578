// The smartchurn command line: parses arguments, dispatches to one command, and translates the
// core's Error into a message and an exit code (0 ok, 2 usage, 3 bad data, 1 anything else).
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "cli/commands.h"
#include "smartchurn/error.h"

namespace {

int exit_code_for(smartchurn::ErrorCode code) {
  switch (code) {
    case smartchurn::ErrorCode::kUsage: return 2;
    case smartchurn::ErrorCode::kBadData: return 3;
    default: return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"SmartChurn: learn who is likely to leave, why, and score customers."};
  app.set_version_flag("--version", std::string("smartchurn ") + SMARTCHURN_VERSION);
  app.require_subcommand(1);
  smartchurn::cli::register_commands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  try {
    return smartchurn::cli::run_selected();
  } catch (const smartchurn::Error& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return exit_code_for(e.code());
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "error: out of memory\n");
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
}
