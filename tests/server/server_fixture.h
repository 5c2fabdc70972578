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
#include "test_support/temp_dir.h"

namespace smartchurn::server::test {

using smartchurn::test::TempDir;

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
  const std::string& root() const { return root_.path(); }
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
