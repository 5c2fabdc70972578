// The HTTP server under the Router: Boost.Beast on Asio, with per-connection deadlines, a bound
// on open connections, a bounded worker pool for slow routes and graceful shutdown.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "server/metrics.h"
#include "server/router.h"
#include "server/tokens.h"

namespace smartchurn::server {

// Every limit protects against a kind of hostile or unlucky client (see docs/security.md).
struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;             // 0: any free port (see HttpServer::port())
  int threads = 32;            // worker threads for slow routes (uploads, training, batch scoring)
  int io_threads = 2;          // network threads; quick routes run on them
  int max_queued = 256;        // slow requests waiting for a worker; past it 503 + Retry-After
  int max_connections = 1024;  // open connections; past it 503 + Retry-After and close
  int max_event_streams = 64;  // concurrent server-sent event streams; past it 503
  std::size_t max_json_body = 1 << 20;       // 1 MiB
  std::size_t max_upload_body = 512u << 20;  // 512 MiB, streamed to disk
  std::size_t max_header_bytes = 16u << 10;  // request line and headers; past it 431
  std::string upload_dir;                    // where uploads are streamed; must exist
  int idle_timeout_seconds = 5;      // keep-alive: waiting for the next request's first byte
  int head_timeout_seconds = 10;     // the whole request line and headers
  int body_timeout_seconds = 60;     // the whole body: this base plus ...
  int body_seconds_per_mib = 1;      // ... this per MiB of declared (or received) body
  int write_timeout_seconds = 30;    // each response (each event of a stream)
  int stop_grace_seconds = 20;       // on stop(): time for work in flight before closing hard
  int keep_alive_max_count = 10000;  // requests on one connection before it is closed
  std::string static_dir;  // when set, GET outside /api is served from here (the dashboard)
};

class HttpServer {
 public:
  HttpServer(const Router& router, const Tokens& tokens, Metrics& metrics, ServerOptions options);
  ~HttpServer();
  // Binds, then serves until stop(); throws Error(kIo) when the address cannot be bound.
  void bind();
  void serve();
  int port() const;  // the bound port
  // Stops accepting, answers every request already received (with Connection: close), closes
  // idle connections and event streams, then serve() returns. Safe from any thread (and from a
  // signal-handling thread).
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace smartchurn::server
