// Runs the smartchurn binary for end-to-end tests and captures its exit code, stdout and stderr.
#pragma once

#include <string>
#include <vector>

#include "test_support/temp_dir.h"  // TempDir

namespace smartchurn::test {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

struct RunOptions {
  std::string stdin_path = "/dev/null";  // the file standard input reads
  std::string cwd;                       // working directory; empty: the test's
};

// Runs SMARTCHURN_BINARY with `args` (no shell involved).
RunResult run_cli(const std::vector<std::string>& args, const RunOptions& options = {});
// Runs `command` (its first word the program's path, no shell involved).
RunResult run_program(const std::vector<std::string>& command, const RunOptions& options = {});

std::string read_file(const std::string& path);
// The lines of `text` without their line ends.
std::vector<std::string> lines_of(const std::string& text);
// True when ../shared/data is beside the project; tests that need it GTEST_SKIP otherwise.
bool shared_data_available();
std::string shared_data(const std::string& relative);

}  // namespace smartchurn::test
