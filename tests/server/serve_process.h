// `smartchurn serve` as a child process on a free loopback port: the real binary, as a user or an
// attacker meets it. Tests spawn it, talk to it over sockets, signal it and read what it printed.
#pragma once

#include <httplib.h>
#include <sys/types.h>

#include <string>
#include <vector>

namespace smartchurn::server::test {

class ServeProcess {
 public:
  // Runs `smartchurn serve --port 0 --data-dir DATA_DIR ARGS...` with stdout and stderr in files
  // beside DATA_DIR, and waits (up to `start_seconds`) until it says where it listens; port()
  // stays 0 when it exits or stays silent. The process is killed when this object goes.
  ServeProcess(const std::string& data_dir, const std::vector<std::string>& args = {},
               int start_seconds = 60);
  ~ServeProcess();
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }
  httplib::Client client(int read_timeout_seconds = 60) const;
  // Waits until GET /api/v1/health/ready answers 200 (an active model); false after `seconds`.
  bool wait_ready(int seconds = 120) const;

  // SIGTERM, then waits for the exit: its exit code (128 + the signal when a signal ended it), or
  // -1 when it had to be killed after `seconds`.
  int terminate(int seconds = 30);
  // SIGKILL, as a crash or the OOM killer would, and reaps it.
  void kill_hard();
  // Waits for an exit without signalling (or returns the one already seen): the exit code, or -1
  // (and killed) after `seconds`.
  int wait_exit(int seconds);

  std::string out() const;  // what it printed so far
  std::string err() const;

 private:
  std::string out_path_;
  std::string err_path_;
  bool reap(bool block);  // true once the process has exited; keeps its exit code

  pid_t pid_ = -1;
  int port_ = 0;
  int exit_code_ = -1;
};

}  // namespace smartchurn::server::test
