#include "server/server_core.h"

#include <vector>

#include "server/http_session.h"

namespace smartchurn::server {

using Clock = std::chrono::steady_clock;

ServerCore::ServerCore(const Router& router_in, const Tokens& tokens_in, Metrics& metrics_in,
                       ServerOptions options_in)
    : router(router_in),
      tokens(tokens_in),
      metrics(metrics_in),
      options(std::move(options_in)),
      pool(options.threads, options.max_queued) {
  if (!options.static_dir.empty()) static_files.emplace(options.static_dir);
}

void ServerCore::begin_request() {
  std::lock_guard lock(mutex_);
  ++requests_;
}

void ServerCore::end_request() {
  std::lock_guard lock(mutex_);
  if (--requests_ == 0) changed_.notify_all();
}

bool ServerCore::wait_for_requests(Clock::duration grace) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, grace, [this] { return requests_ == 0; });
}

void ServerCore::begin_producer() {
  std::lock_guard lock(mutex_);
  ++producers_;
}

void ServerCore::end_producer() {
  std::lock_guard lock(mutex_);
  if (--producers_ == 0) changed_.notify_all();
}

void ServerCore::wait_for_producers() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return producers_ == 0; });
}

void ServerCore::add(Session* session, const std::shared_ptr<Session>& shared) {
  std::lock_guard lock(mutex_);
  sessions_.emplace(session, shared);
}

void ServerCore::remove(Session* session) {
  std::lock_guard lock(mutex_);
  sessions_.erase(session);
}

void ServerCore::for_each_session(void (Session::*action)()) {
  std::vector<std::shared_ptr<Session>> open;
  {
    std::lock_guard lock(mutex_);
    for (auto& [raw, weak] : sessions_) {
      if (auto session = weak.lock()) open.push_back(std::move(session));
    }
  }
  for (auto& session : open) (session.get()->*action)();
}

}  // namespace smartchurn::server
