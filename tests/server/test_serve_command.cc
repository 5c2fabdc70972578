// `smartchurn serve` as a process: it starts, answers, and stops cleanly on SIGTERM.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "api_fixture.h"

extern char** environ;

namespace smartchurn::server::test {
namespace {

pid_t spawn(const std::vector<std::string>& args, const std::string& out, const std::string& err) {
  std::vector<std::string> storage{SMARTCHURN_BINARY};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  EXPECT_EQ(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Waits for the process to end within `seconds`; returns its exit code, or -1 on a time-out.
int wait_for_exit(pid_t pid, int seconds) {
  for (int i = 0; i < seconds * 10; ++i) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -2;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return -1;
}

TEST(ServeCommand, StartsAnswersAndStopsOnSigterm) {
  TempDirectory dir;
  pid_t pid = spawn({"serve", "--port", "0", "--data-dir", dir.file("data"), "--no-demo"},
                    dir.file("out"), dir.file("err"));
  int port = 0;
  std::regex listening(R"(listening on http://127\.0\.0\.1:(\d+)/)");
  for (int i = 0; i < 200 && port == 0; ++i) {
    std::smatch m;
    std::string out = slurp(dir.file("out"));
    if (std::regex_search(out, m, listening)) port = std::stoi(m[1]);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_GT(port, 0) << slurp(dir.file("err"));
  httplib::Client c("127.0.0.1", port);
  EXPECT_EQ(c.Get("/api/v1/health/live")->status, 200);
  EXPECT_EQ(c.Get("/api/v1/health/ready")->status, 503);  // --no-demo: no model yet
  kill(pid, SIGTERM);
  EXPECT_EQ(wait_for_exit(pid, 20), 0) << slurp(dir.file("err"));
}

// `make run` gives no --static-dir: the binary serves the dashboard built next to it (build/web).
TEST(ServeCommand, ServesTheDashboardBuiltNextToTheBinary) {
#ifndef SMARTCHURN_WEB_BUILT
  GTEST_SKIP() << "the dashboard is not built (SMARTCHURN_WEB off or Node.js too old)";
#else
  TempDirectory dir;
  pid_t pid = spawn({"serve", "--port", "0", "--data-dir", dir.file("data"), "--no-demo"},
                    dir.file("out"), dir.file("err"));
  int port = 0;
  std::regex listening(R"(listening on http://127\.0\.0\.1:(\d+)/ \(dashboard at /)");
  for (int i = 0; i < 200 && port == 0; ++i) {
    std::smatch m;
    std::string out = slurp(dir.file("out"));
    if (std::regex_search(out, m, listening)) port = std::stoi(m[1]);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_GT(port, 0) << slurp(dir.file("out")) << slurp(dir.file("err"));
  httplib::Client c("127.0.0.1", port);
  auto index = c.Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(index->body.find("<title>SmartChurn</title>"), std::string::npos);
  auto route = c.Get("/customers");  // a page of the app without a file: index.html
  ASSERT_TRUE(route);
  EXPECT_EQ(route->status, 200);
  EXPECT_EQ(route->body, index->body);
  EXPECT_EQ(c.Get("/assets/missing.js")->status, 404);
  EXPECT_EQ(c.Get("/api/v1/health/live")->status, 200);  // the API still answers under /api/v1
  kill(pid, SIGTERM);
  EXPECT_EQ(wait_for_exit(pid, 20), 0) << slurp(dir.file("err"));
#endif
}

TEST(ServeCommand, RefusesANetworkAddressWithoutTokens) {
  TempDirectory dir;
  pid_t pid = spawn({"serve", "--host", "0.0.0.0", "--port", "0", "--data-dir", dir.file("data")},
                    dir.file("out"), dir.file("err"));
  EXPECT_EQ(wait_for_exit(pid, 20), 2);
  EXPECT_NE(slurp(dir.file("err")).find("refusing to listen on 0.0.0.0 without API tokens"),
            std::string::npos)
      << slurp(dir.file("err"));
}

TEST(ServeCommand, ABadPlaybookStopsItNamingTheFileAndField) {
  TempDirectory dir;
  const std::string playbook = dir.file("playbook.json");
  std::ofstream(playbook) << R"({"format": 1, "actions": [{"id": "call", "title": "Call", "cost": 5}],
    "rules": [{"tiers": ["high"], "action": "visit"}]})";
  pid_t pid = spawn({"serve", "--port", "0", "--data-dir", dir.file("data"), "--no-demo",
                     "--playbook", playbook},
                    dir.file("out"), dir.file("err"));
  EXPECT_EQ(wait_for_exit(pid, 20), 3);
  EXPECT_NE(slurp(dir.file("err")).find(playbook + ": rules[0].action: unknown action 'visit'"),
            std::string::npos)
      << slurp(dir.file("err"));
}

}  // namespace
}  // namespace smartchurn::server::test
