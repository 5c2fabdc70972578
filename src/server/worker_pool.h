// A fixed set of threads with a bounded queue for the handlers that may take long (internal to
// src/server): a caller reserves a place first, so a full pool is known before a body is read.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace smartchurn::server {

class WorkerPool {
 public:
  // `threads` workers; at most threads + max_queued tasks reserved or running at once.
  WorkerPool(int threads, int max_queued);
  ~WorkerPool();  // runs what is queued, then joins
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // A place for one task; false when the pool is full.
  bool try_reserve();
  void release();  // gives back a reservation that will not be used
  // Runs `task` on a worker, using a reservation made before.
  void run(std::function<void()> task);
  // Lets the queued tasks finish and joins the workers (idempotent).
  void shutdown();

 private:
  void work();

  std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  std::size_t reserved_ = 0;  // reserved, queued or running
  bool closing_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace smartchurn::server
