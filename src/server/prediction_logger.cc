#include "server/prediction_logger.h"

#include <spdlog/spdlog.h>

#include <chrono>

namespace smartchurn::server {

namespace {
constexpr auto kFlushInterval = std::chrono::milliseconds(200);
constexpr auto kIdlePruneInterval = std::chrono::minutes(1);
}  // namespace

PredictionLogger::PredictionLogger(Store& store, PredictionRetention retention)
    : store_(store), retention_(retention), writer_([this] { run(); }) {}

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
  flushed_.wait(lock, [&] { return written_ + failed_ >= target || stopping_; });
}

std::size_t PredictionLogger::written() const {
  std::lock_guard lock(mutex_);
  return written_;
}

std::size_t PredictionLogger::failed() const {
  std::lock_guard lock(mutex_);
  return failed_;
}

// Called without the lock: each delete is its own short transaction, so requests that read or
// write the store wait for one batch at most.
void PredictionLogger::prune() {
  try {
    while (store_.prune_predictions(retention_, kPruneBatch) == kPruneBatch) {
    }
  } catch (const std::exception& e) {
    spdlog::error("prediction log: retention not applied: {}", e.what());
  }
}

void PredictionLogger::run() {
  using Clock = std::chrono::steady_clock;
  prune();  // a log left over its retention by an earlier run (or a lowered limit)
  Clock::time_point last_prune = Clock::now();
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait_for(lock, kFlushInterval);
    std::vector<PredictionLogEntry> batch;
    batch.swap(pending_);
    // Days pass on an idle server too.
    const bool prune_due = !batch.empty() || Clock::now() - last_prune > kIdlePruneInterval;
    lock.unlock();
    bool stored = true;
    if (!batch.empty()) {
      try {
        store_.log_predictions(batch);
      } catch (const std::exception& e) {
        stored = false;
        spdlog::error("prediction log: {} entries not written: {}", batch.size(), e.what());
      }
    }
    if (prune_due && stored) {
      prune();
      last_prune = Clock::now();
    }
    lock.lock();
    (stored ? written_ : failed_) += batch.size();
    flushed_.notify_all();
    if (stopping_ && pending_.empty()) return;
  }
}

}  // namespace smartchurn::server
