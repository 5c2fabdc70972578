// Writes the prediction log in the background, many entries per transaction, so logging never
// holds a scoring request (SQLite does ~5k commits/s one by one, ~500k rows/s batched).
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "smartchurn/store.h"

namespace smartchurn::server {

class PredictionLogger {
 public:
  explicit PredictionLogger(Store& store);
  ~PredictionLogger();  // flushes what is queued
  PredictionLogger(const PredictionLogger&) = delete;
  PredictionLogger& operator=(const PredictionLogger&) = delete;

  void log(std::vector<PredictionLogEntry> entries);
  // Blocks until everything logged so far is in the store (tests, shutdown).
  void flush();

 private:
  void run();

  Store& store_;
  std::mutex mutex_;
  std::condition_variable wake_, flushed_;
  std::vector<PredictionLogEntry> pending_;
  std::size_t written_ = 0, queued_ = 0;
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace smartchurn::server
