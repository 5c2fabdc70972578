// The batch scoring queue: its status names, and what a stop leaves behind.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "server/api_fixture.h"  // TempDir
#include "server/service/batch_queue.h"
#include "smartchurn/error.h"
#include "unit/error_code_of.h"

namespace smartchurn::server::test {
namespace {

namespace fs = std::filesystem;

// Holds the first scoring call until the test opens it, so the jobs behind it stay queued.
class BatchGate {
 public:
  void pass() {
    std::unique_lock lock(mutex_);
    entered_ = true;
    changed_.notify_all();
    changed_.wait(lock, [&] { return open_; });
  }
  void wait_until_entered() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return entered_; });
  }
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool entered_ = false, open_ = false;
};

std::string write_upload(const TempDir& dir, const std::string& name) {
  const std::string path = dir.file(name);
  std::ofstream(path) << "customer_id,tenure\nc1,3\n";
  return path;
}

TEST(BatchStatus, NamesRoundTrip) {
  for (BatchStatus status : {BatchStatus::kQueued, BatchStatus::kRunning, BatchStatus::kSucceeded,
                             BatchStatus::kFailed, BatchStatus::kCancelled}) {
    EXPECT_EQ(batch_status_from_string(to_string(status)), status);
  }
  EXPECT_EQ(smartchurn::test::code_of([] { batch_status_from_string("done"); }), ErrorCode::kUsage);
}

TEST(BatchQueue, StopCancelsQueuedJobsAndRemovesTheirUploads) {
  TempDir dir;
  const std::string folder = dir.file("batches");
  BatchGate gate;
  BatchQueue queue(folder, [&](const std::string&, std::ostream& out, CsvCells) {
    gate.pass();
    out << "customer_id,churn_probability\n";
    return BatchCounts{1, 0, 1};
  });
  const int64_t running = queue.start(write_upload(dir, "a.csv"), CsvCells::kSpreadsheetSafe);
  gate.wait_until_entered();
  const int64_t queued = queue.start(write_upload(dir, "b.csv"), CsvCells::kSpreadsheetSafe);
  const std::string queued_input = folder + "/" + std::to_string(queued) + ".input.csv";
  ASSERT_TRUE(fs::exists(queued_input));

  std::thread stopper([&] { queue.stop(); });
  // stop() waits for the running job: open the gate only once the queued one is cancelled.
  for (int i = 0; i < 500 && queue.batch(queued)->status == BatchStatus::kQueued; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  gate.open();
  stopper.join();

  EXPECT_EQ(queue.batch(running)->status, BatchStatus::kSucceeded);
  const BatchJob cancelled = *queue.batch(queued);
  EXPECT_EQ(cancelled.status, BatchStatus::kCancelled);
  EXPECT_FALSE(cancelled.error.empty());
  EXPECT_FALSE(cancelled.finished_at.empty());
  EXPECT_EQ(batch_job_json(cancelled)["status"], "cancelled");
  EXPECT_FALSE(fs::exists(queued_input));
  EXPECT_EQ(smartchurn::test::code_of(
                [&] { queue.start(write_upload(dir, "c.csv"), CsvCells::kSpreadsheetSafe); }),
            ErrorCode::kUnavailable);
}

TEST(BatchQueue, AStartRemovesFilesAnEarlierProcessLeft) {
  TempDir dir;
  const std::string folder = dir.file("batches");
  fs::create_directories(folder);
  std::ofstream(folder + "/1.input.csv") << "left by a crash";
  std::ofstream(folder + "/1.scored.csv") << "left by a crash";
  std::ofstream(folder + "/notes.txt") << "not ours";
  BatchQueue queue(folder,
                   [](const std::string&, std::ostream&, CsvCells) { return BatchCounts{}; });
  EXPECT_FALSE(fs::exists(folder + "/1.input.csv"));
  EXPECT_FALSE(fs::exists(folder + "/1.scored.csv"));
  EXPECT_TRUE(fs::exists(folder + "/notes.txt"));
}

}  // namespace
}  // namespace smartchurn::server::test
