// What every connection of HttpServer shares (internal to src/server): the routes, the limits,
// the worker pool and the counts stop() waits on.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "server/http_server.h"
#include "server/static_files.h"
#include "server/worker_pool.h"

namespace smartchurn::server {

class Session;

// The routes, limits and counters every connection shares.
struct ServerCore {
  ServerCore(const Router& router, const Tokens& tokens, Metrics& metrics, ServerOptions options);

  const Router& router;
  const Tokens& tokens;
  Metrics& metrics;
  const ServerOptions options;
  std::optional<StaticFiles> static_files;
  WorkerPool pool;
  std::atomic<bool> stopping{false};
  std::atomic<int> connections{0};
  std::atomic<int> event_streams{0};

  // Requests whose head was read and whose answer is not written yet (stop() waits for them).
  void begin_request();
  void end_request();
  bool wait_for_requests(std::chrono::steady_clock::duration grace);

  // Event producers run on their own threads; serve() waits for them before returning.
  void begin_producer();
  void end_producer();
  void wait_for_producers();

  void add(Session* session, const std::shared_ptr<Session>& shared);
  void remove(Session* session);
  // Calls `action` on every open session (on its strand).
  void for_each_session(void (Session::*action)());

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int requests_ = 0;
  int producers_ = 0;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;
};

}  // namespace smartchurn::server
