#include "server/prediction_logger.h"

#include <chrono>

#include <spdlog/spdlog.h>

namespace smartchurn::server {

namespace {
constexpr auto kFlushInterval = std::chrono::milliseconds(200);
}

PredictionLogger::PredictionLogger(Store& store) : store_(store), writer_([this] { run(); }) {}

PredictionLogger::~PredictionLogger() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  writer_.join();
}

void PredictionLogger::log(std::vector<PredictionLogEntry> entries) {
  std::lock_guard lock(mutex_);
  queued_ += entries.size();
  pending_.insert(pending_.end(), std::make_move_iterator(entries.begin()),
                  std::make_move_iterator(entries.end()));
}

void PredictionLogger::flush() {
  std::unique_lock lock(mutex_);
  std::size_t target = queued_;
  wake_.notify_all();
  flushed_.wait(lock, [&] { return written_ >= target || stopping_; });
}

void PredictionLogger::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait_for(lock, kFlushInterval);
    if (!pending_.empty()) {
      std::vector<PredictionLogEntry> batch;
      batch.swap(pending_);
      lock.unlock();
      try {
        store_.log_predictions(batch);
      } catch (const std::exception& e) {
        spdlog::error("prediction log: {} entries not written: {}", batch.size(), e.what());
      }
      lock.lock();
      written_ += batch.size();
    }
    flushed_.notify_all();
    if (stopping_ && pending_.empty()) return;
  }
}

}  // namespace smartchurn::server
