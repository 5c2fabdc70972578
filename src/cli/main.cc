// The smartchurn command line: parses arguments, dispatches to one command, and translates the
// core's Error into a message and an exit code (0 ok, 2 usage, 3 bad data, 1 anything else).
#include <fmt/core.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "cli/commands.h"
#include "smartchurn/error.h"

namespace {

int exit_code_for(smartchurn::ErrorCode code) {
  switch (code) {
    case smartchurn::ErrorCode::kUsage:
      return 2;
    case smartchurn::ErrorCode::kBadData:
      return 3;
    default:
      return 1;
  }
}

// XGBoost's OpenMP threads spin while they wait by default; with another busy process on a
// 2-core machine that slows training 10x (measured: 34 s instead of 3.6 s). libgomp reads the
// policy once, when it loads, so set it and restart the program once. A user's value is kept.
void prefer_passive_openmp_threads(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") != nullptr) return;
  setenv("OMP_WAIT_POLICY", "passive", 1);
  execv("/proc/self/exe", argv);  // returns only on failure: then go on with the default policy
}

// CLI11 reads an unknown first word as a stray argument ("A subcommand is required"); say what
// it is instead.
bool is_unknown_command(const CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return false;
  const std::string word = argv[1];
  std::string names;
  for (const CLI::App* sub : app.get_subcommands({})) {
    if (sub->check_name(word)) return false;
    names += (names.empty() ? "" : ", ") + sub->get_name();
  }
  fmt::print(stderr, "error: unknown command '{}' (the commands are: {}; see --help)\n", word,
             names);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  prefer_passive_openmp_threads(argv);
  CLI::App app{"SmartChurn: learn who is likely to leave, why, and score customers."};
  app.set_version_flag("--version", std::string("smartchurn ") + SMARTCHURN_VERSION);
  app.require_subcommand(1);
  smartchurn::cli::register_commands(app);
  if (is_unknown_command(app, argc, argv)) return 2;
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
