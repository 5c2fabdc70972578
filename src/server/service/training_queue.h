// The training queue: jobs trained one at a time on a background thread (training itself uses
// every core), their progress written to the store and sent to listeners, cancellation. A job that
// succeeds registers its model, activates it when no model is active, and has its data set scored
// into the customer base. Internal to src/server.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>

#include "server/service/model_registry.h"
#include "server/training_request.h"
#include "smartchurn/csv.h"
#include "smartchurn/store.h"

namespace smartchurn::server {

// What a training job reports while it runs, to the store and to event listeners.
struct JobEvent {
  std::string event;    // "progress", "done"
  nlohmann::json data;  // the job as JSON
};

// A training job as the API shows it.
nlohmann::json training_job_json(const TrainingJobRecord& record);

struct TrainingQueueOptions {
  int threads = 0;          // training threads (0: every core)
  CsvOptions table_limits;  // columns and field size of the data set read for training
};

class TrainingQueue {
 public:
  // Scores the data set at the path into the store with the model just trained.
  using ScoreDataset = std::function<void(const LoadedModel&, const std::string&)>;

  // Starts the worker thread.
  TrainingQueue(Store& store, ModelRegistry& registry, TrainingQueueOptions options,
                ScoreDataset score_dataset);
  ~TrainingQueue();  // stop()
  TrainingQueue(const TrainingQueue&) = delete;
  TrainingQueue& operator=(const TrainingQueue&) = delete;

  // Checks the request against the data set's columns and profile and the trainers' parameters:
  // Error(kNotFound) for an unknown data set, Error(kUsage) naming the field otherwise, and no job
  // is queued. Error(kUnavailable) once stopped. Returns the job id.
  int64_t start(const TrainingRequest& request);
  std::optional<TrainingJobRecord> job(int64_t id) const;
  // Cancels a queued or running job: Error(kNotFound) when there is none, Error(kConflict) when it
  // has already ended.
  void cancel(int64_t id);
  // Calls `listener` with each event of the job until it returns false or the job ends; returns
  // at once (after the final event) when the job has already ended.
  void follow(int64_t id, const std::function<bool(const JobEvent&)>& listener) const;
  int64_t running() const { return running_.load(); }
  // Cancels every job, waits for the running one to end; queued jobs stay queued in the store
  // (the next start marks them interrupted). Idempotent.
  void stop();

 private:
  struct Job;
  void loop();
  void run(Job& job);
  void publish(Job& job);

  Store& store_;
  ModelRegistry& registry_;
  TrainingQueueOptions options_;
  ScoreDataset score_dataset_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<int64_t> queue_;
  std::map<int64_t, std::shared_ptr<Job>> live_jobs_;  // queued or running, and recently ended
  std::atomic<int64_t> running_{0};
  bool stopping_ = false;
  std::thread worker_;  // last: started once everything it uses is initialised
};

}  // namespace smartchurn::server
