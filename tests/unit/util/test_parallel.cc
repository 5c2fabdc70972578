#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "util/parallel.h"

namespace smartchurn {
namespace {

TEST(ParallelFor, RunsEveryTaskOnce) {
  for (int workers : {1, 2, 8}) {
    std::vector<std::atomic<int>> runs(1000);
    parallel_for(runs.size(), workers, [&](std::size_t i) { ++runs[i]; });
    for (const auto& r : runs) ASSERT_EQ(r.load(), 1) << workers << " workers";
  }
  parallel_for(0, 2, [](std::size_t) { FAIL() << "no task to run"; });
}

TEST(ParallelFor, RethrowsTheFailureAndStopsTakingTasks) {
  // One worker: exactly the tasks up to the failing one ran.
  std::atomic<int> started{0};
  EXPECT_THROW(parallel_for(100000, 1,
                            [&](std::size_t i) {
                              ++started;
                              if (i == 10) throw std::runtime_error("task 10 failed");
                            }),
               std::runtime_error);
  EXPECT_EQ(started.load(), 11);

  // Two workers: the first task fails at once while every other task takes a while, so the other
  // worker stops after a few of the 1000 (all of them would take 100 ms).
  started = 0;
  EXPECT_THROW(parallel_for(1000, 2,
                            [&](std::size_t i) {
                              ++started;
                              if (i == 0) throw std::runtime_error("task 0 failed");
                              std::this_thread::sleep_for(std::chrono::microseconds(100));
                            }),
               std::runtime_error);
  EXPECT_LT(started.load(), 1000);
}

TEST(ParallelFor, ZeroRequestedThreadsMeansEveryCore) {
  EXPECT_GE(resolve_threads(0), 1);
  EXPECT_EQ(resolve_threads(3), 3);
}

}  // namespace
}  // namespace smartchurn
