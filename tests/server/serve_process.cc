#include "serve_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

extern char** environ;

namespace smartchurn::server::test {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

ServeProcess::ServeProcess(const std::string& data_dir, const std::vector<std::string>& args,
                           int start_seconds)
    : out_path_(data_dir + ".out"), err_path_(data_dir + ".err") {
  std::vector<std::string> storage{SMARTCHURN_BINARY, "serve", "--port", "0",
                                   "--data-dir",      data_dir};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  EXPECT_EQ(spawned, 0) << "cannot start " << SMARTCHURN_BINARY;
  if (spawned != 0) return;
  pid_ = pid;
  const std::regex listening(R"(listening on http://[^ ]*:(\d+)/)");
  for (int i = 0; i < start_seconds * 20 && port_ == 0; ++i) {
    std::smatch m;
    const std::string text = out();
    if (std::regex_search(text, m, listening)) {
      port_ = std::stoi(m[1]);
      break;
    }
    if (reap(false)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

bool ServeProcess::reap(bool block) {
  int status = 0;
  if (waitpid(pid_, &status, block ? 0 : WNOHANG) != pid_) return false;
  pid_ = -1;
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return true;
}

ServeProcess::~ServeProcess() {
  if (running()) kill_hard();
}

httplib::Client ServeProcess::client(int read_timeout_seconds) const {
  httplib::Client c("127.0.0.1", port_);
  c.set_read_timeout(read_timeout_seconds, 0);
  c.set_connection_timeout(5, 0);
  return c;
}

bool ServeProcess::wait_ready(int seconds) const {
  httplib::Client c = client(5);
  for (int i = 0; i < seconds * 10; ++i) {
    const auto ready = c.Get("/api/v1/health/ready");
    if (ready && ready->status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

int ServeProcess::wait_exit(int seconds) {
  for (int i = 0; running() && i < seconds * 20; ++i) {
    if (reap(false)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (running()) {
    kill_hard();
    return -1;
  }
  return exit_code_;
}

int ServeProcess::terminate(int seconds) {
  if (running()) kill(pid_, SIGTERM);
  return wait_exit(seconds);
}

void ServeProcess::kill_hard() {
  if (!running()) return;
  kill(pid_, SIGKILL);
  reap(true);
}

std::string ServeProcess::out() const { return slurp(out_path_); }
std::string ServeProcess::err() const { return slurp(err_path_); }

}  // namespace smartchurn::server::test
