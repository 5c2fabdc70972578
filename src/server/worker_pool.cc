#include "server/worker_pool.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

namespace smartchurn::server {

WorkerPool::WorkerPool(int threads, int max_queued)
    : capacity_(static_cast<std::size_t>(std::max(1, threads) + std::max(0, max_queued))) {
  for (int i = 0; i < std::max(1, threads); ++i) threads_.emplace_back([this] { work(); });
}

WorkerPool::~WorkerPool() { shutdown(); }

bool WorkerPool::try_reserve() {
  std::lock_guard lock(mutex_);
  if (closing_ || reserved_ >= capacity_) return false;
  ++reserved_;
  return true;
}

void WorkerPool::release() {
  std::lock_guard lock(mutex_);
  --reserved_;
}

void WorkerPool::run(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(task));
  }
  ready_.notify_one();
}

void WorkerPool::shutdown() {
  {
    std::lock_guard lock(mutex_);
    if (closing_ && threads_.empty()) return;
    closing_ = true;
  }
  ready_.notify_all();
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

void WorkerPool::work() {
  while (true) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing and nothing left
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      task();
    } catch (const std::exception& e) {  // tasks answer their own errors; this is a last resort
      spdlog::error("a worker task failed: {}", e.what());
    }
    std::lock_guard lock(mutex_);
    --reserved_;
  }
}

}  // namespace smartchurn::server
