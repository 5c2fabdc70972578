// A real HttpServer on a free loopback port with test routes, served from a background thread.
#pragma once

#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "server/http_server.h"

namespace smartchurn::server::test {

// A fresh directory under the system temp directory, removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  // The regular files directly inside.
  std::vector<std::string> files() const;

 private:
  std::filesystem::path path_;
};

class ServerFixture {
 public:
  // Routes: POST /api/echo (JSON), GET /api/items/{id}, POST /api/upload (analyst, upload),
  // GET /api/events (3 progress events then done), GET /api/slow (sleeps 300 ms),
  // GET /api/stream-forever (an event every 10 ms until the client leaves), GET /metrics.
  explicit ServerFixture(const std::function<void(ServerOptions&)>& adjust = {},
                         Tokens tokens = Tokens::allow_all());
  ~ServerFixture();

  httplib::Client client() const;
  int port() const { return server_->port(); }
  HttpServer& server() { return *server_; }
  Metrics& metrics() { return metrics_; }
  const TempDir& uploads() const { return uploads_; }
  const std::filesystem::path& root() const { return root_.path(); }
  // Stops the server and waits for serve() to return (idempotent).
  void stop();

  std::atomic<bool> slow_entered{false};
  std::atomic<bool> stream_ended{false};
  std::atomic<int> stream_sent{0};
  std::string last_upload_path;  // written by the upload handler
  std::string last_upload_content;

 private:
  TempDir root_;
  TempDir uploads_;
  Tokens tokens_;
  Metrics metrics_;
  Router router_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
};

}  // namespace smartchurn::server::test
