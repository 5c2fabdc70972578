// Writes the prediction log in the background, many entries per transaction, so logging never
// holds a scoring request (SQLite does ~5k commits/s one by one, ~500k rows/s batched). The same
// thread enforces the log's retention in small deletes between writes.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "smartchurn/store.h"

namespace smartchurn::server {

class PredictionLogger {
 public:
  // Rows deleted per transaction when pruning: a few milliseconds of the store's lock at a time.
  static constexpr int64_t kPruneBatch = 2000;

  explicit PredictionLogger(Store& store, PredictionRetention retention = {});
  ~PredictionLogger();  // flushes what is queued
  PredictionLogger(const PredictionLogger&) = delete;
  PredictionLogger& operator=(const PredictionLogger&) = delete;

  void log(std::vector<PredictionLogEntry> entries);
  // Blocks until everything logged so far was written or failed (tests, shutdown), and the log
  // was pruned to its retention.
  void flush();
  // Entries in the store, and entries lost because their batch could not be written.
  std::size_t written() const;
  std::size_t failed() const;

 private:
  void run();
  void prune();

  Store& store_;
  const PredictionRetention retention_;
  mutable std::mutex mutex_;
  std::condition_variable wake_, flushed_;
  std::vector<PredictionLogEntry> pending_;
  std::size_t written_ = 0, failed_ = 0, queued_ = 0;
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace smartchurn::server
