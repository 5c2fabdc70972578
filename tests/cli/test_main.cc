#include <gtest/gtest.h>

#include "cli_runner.h"

namespace smartchurn::test {

TEST(Cli, PrintsItsVersion) {
  auto r = run_cli({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("smartchurn 0."), std::string::npos) << r.out;
}

TEST(Cli, UnknownCommandIsAUsageError) {
  auto r = run_cli({"no-such-command"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
}

}  // namespace smartchurn::test
