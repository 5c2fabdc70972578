// parallel_for: the one work-sharing loop of the core. Tasks are taken in order from a shared
// counter, so uneven tasks balance themselves; the first failure stops the rest and is rethrown.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace smartchurn {

// `requested` threads, or every core when it is 0 or less.
inline int resolve_threads(int requested) {
  if (requested > 0) return requested;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// Runs task(i) for i in [0, count) on up to `workers` threads (the caller's included).
template <typename Task>
void parallel_for(std::size_t count, int workers, Task&& task) {
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&] {
    for (std::size_t i = next++; i < count; i = next++) {
      try {
        task(i);
      } catch (...) {
        std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        next = count;
      }
    }
  };
  std::vector<std::thread> threads;
  for (int w = 1; w < workers && static_cast<std::size_t>(w) < count; ++w)
    threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace smartchurn
