// The batch scoring queue: large uploads scored one at a time on a background thread, so that no
// request thread is held for long. Jobs are kept in memory (ids restart with the process); each
// scored CSV stays in the folder until the process ends, and the next start removes what is left.
// Internal to src/server.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <thread>

#include "smartchurn/csv.h"

namespace smartchurn::server {

// As the training jobs' JobStatus: kCancelled is a job still queued when the server stopped.
enum class BatchStatus { kQueued, kRunning, kSucceeded, kFailed, kCancelled };
const char* to_string(BatchStatus status);
BatchStatus batch_status_from_string(const std::string& text);  // Error(kUsage) when unknown

// A batch scoring job: a large upload scored in the background.
struct BatchJob {
  int64_t id = 0;
  BatchStatus status = BatchStatus::kQueued;
  std::string error;
  std::size_t rows = 0, rejected = 0;
  int64_t model_version = 0;
  std::string input_path, result_path;
  std::string created_at, finished_at;
  CsvCells cells = CsvCells::kSpreadsheetSafe;  // how the result's id cells are written
};
nlohmann::json batch_job_json(const BatchJob& job);

// What scoring one file gave.
struct BatchCounts {
  std::size_t rows = 0, rejected = 0;
  int64_t model_version = 0;
};

class BatchQueue {
 public:
  // Writes the scored CSV of the file at the first path to the stream, its cells written as the
  // job asked.
  using ScoreFile = std::function<BatchCounts(const std::string&, std::ostream&, CsvCells)>;

  BatchQueue(std::string folder, ScoreFile score);
  ~BatchQueue();  // stop()
  BatchQueue(const BatchQueue&) = delete;
  BatchQueue& operator=(const BatchQueue&) = delete;

  // Moves the upload into the folder and queues it; returns the job id.
  int64_t start(const std::string& upload_path, CsvCells cells);
  std::optional<BatchJob> batch(int64_t id) const;
  // Waits for the running job; jobs still queued are marked cancelled and their uploads removed
  // (nobody can ask for them once the process ends). Idempotent.
  void stop();

 private:
  void loop();
  void cancel_queued();  // with mutex_ held

  std::string folder_;
  ScoreFile score_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<int64_t, BatchJob> jobs_;
  std::deque<int64_t> queue_;
  int64_t next_id_ = 1;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace smartchurn::server
