#include "server/service/training_queue.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <stdexcept>

#include "server/client_message.h"
#include "smartchurn/dataset.h"
#include "smartchurn/error.h"
#include "smartchurn/trainer.h"

namespace smartchurn::server {

namespace fs = std::filesystem;
using TrainingClock = std::chrono::steady_clock;

namespace {

constexpr auto kStoreWriteInterval = std::chrono::milliseconds(250);
constexpr std::size_t kEndedJobsKept = 32;  // ended jobs kept in memory for late listeners

// Thrown from the trainer's progress callback to stop a cancelled job.
struct TrainingCancelled : std::runtime_error {
  TrainingCancelled() : std::runtime_error("cancelled") {}
};

// The leaderboard with each model's out-of-fold evaluation (curves, calibration, lift, threshold
// sweep), so the dashboard can show every model's details, not only the saved one's.
nlohmann::json leaderboard_json(const TrainReport& report) {
  nlohmann::json board = to_json(report);
  for (std::size_t i = 0; i < report.leaderboard.size() && i < board["models"].size(); ++i) {
    board["models"][i]["out_of_fold"] = report.leaderboard[i].out_of_fold;
  }
  return board;
}

bool training_ended(JobStatus s) {
  return s == JobStatus::kSucceeded || s == JobStatus::kFailed || s == JobStatus::kCancelled;
}

}  // namespace

nlohmann::json training_job_json(const TrainingJobRecord& j) {
  return {{"id", j.id},
          {"dataset_id", j.dataset_id},
          {"request", j.request},
          {"status", to_string(j.status)},
          {"progress", j.progress},
          {"step", j.step},
          {"error", j.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(j.error)},
          {"leaderboard", j.leaderboard},
          {"model_id", j.model_id ? nlohmann::json(*j.model_id) : nlohmann::json(nullptr)},
          {"created_at", j.created_at},
          {"started_at", j.started_at},
          {"finished_at", j.finished_at}};
}

struct TrainingQueue::Job {
  std::mutex mutex;
  std::condition_variable changed;
  TrainingRequest request;   // checked before the job was queued
  TrainingJobRecord record;  // guarded by mutex
  uint64_t sequence = 0;     // bumped on each change
  std::atomic<bool> cancel{false};
  TrainingClock::time_point last_store_write{};
};

TrainingQueue::TrainingQueue(Store& store, ModelRegistry& registry, TrainingQueueOptions options,
                             ScoreDataset score_dataset)
    : store_(store),
      registry_(registry),
      options_(std::move(options)),
      score_dataset_(std::move(score_dataset)) {
  worker_ = std::thread([this] { loop(); });
}

TrainingQueue::~TrainingQueue() { stop(); }

void TrainingQueue::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (auto& [id, job] : live_jobs_) job->cancel = true;
  }
  changed_.notify_all();
  if (worker_.joinable()) worker_.join();
}

int64_t TrainingQueue::start(const TrainingRequest& request) {
  auto dataset = store_.get_dataset(request.dataset_id);
  if (!dataset) {
    throw Error(ErrorCode::kNotFound, fmt::format("dataset {} does not exist", request.dataset_id),
                {"", 0, "dataset_id"});
  }
  check_training_request(request, *dataset);

  auto job = std::make_shared<Job>();
  job->record.dataset_id = dataset->id;
  job->request = request;
  job->record.request = to_json(request);
  job->record.status = JobStatus::kQueued;
  job->record.step = "queued";
  job->record.created_at = timestamp_utc();
  {
    std::lock_guard lock(mutex_);
    // Checked before the store has the job: a job added after stop() would never run.
    if (stopping_) throw_unavailable("the server is shutting down");
  }
  job->record.id = store_.add_job(job->record);
  {
    std::lock_guard lock(mutex_);
    live_jobs_[job->record.id] = job;
    queue_.push_back(job->record.id);
  }
  changed_.notify_all();
  return job->record.id;
}

std::optional<TrainingJobRecord> TrainingQueue::job(int64_t id) const {
  {
    std::lock_guard lock(mutex_);
    if (auto it = live_jobs_.find(id); it != live_jobs_.end()) {
      std::lock_guard job_lock(it->second->mutex);
      return it->second->record;
    }
  }
  return store_.get_job(id);
}

void TrainingQueue::cancel(int64_t id) {
  std::lock_guard lock(mutex_);
  auto it = live_jobs_.find(id);
  if (it == live_jobs_.end()) {
    // Ended long ago (only the store remembers it), or never existed.
    auto stored = store_.get_job(id);
    if (!stored) throw_not_found(fmt::format("training job {} does not exist", id));
    throw_conflict(
        fmt::format("training job {} has already ended ({})", id, to_string(stored->status)));
  }
  Job& job = *it->second;
  std::lock_guard job_lock(job.mutex);
  if (training_ended(job.record.status)) {
    throw_conflict(
        fmt::format("training job {} has already ended ({})", id, to_string(job.record.status)));
  }
  job.cancel = true;
  if (job.record.status == JobStatus::kQueued) {
    // Never started: it ends here. A running job ends at its next progress report.
    std::erase(queue_, id);
    job.record.status = JobStatus::kCancelled;
    job.record.step = "cancelled";
    job.record.finished_at = timestamp_utc();
    store_.update_job(job.record);
    ++job.sequence;
    job.changed.notify_all();
  }
}

void TrainingQueue::follow(int64_t id, const std::function<bool(const JobEvent&)>& listener) const {
  std::shared_ptr<Job> job;
  {
    std::lock_guard lock(mutex_);
    if (auto it = live_jobs_.find(id); it != live_jobs_.end()) job = it->second;
  }
  if (!job) {
    if (auto record = store_.get_job(id)) listener({"done", training_job_json(*record)});
    return;
  }
  uint64_t seen = 0;
  while (true) {
    TrainingJobRecord snapshot;
    {
      std::unique_lock lock(job->mutex);
      job->changed.wait_for(lock, std::chrono::seconds(15), [&] { return job->sequence != seen; });
      seen = job->sequence;
      snapshot = job->record;
    }
    bool done = training_ended(snapshot.status);
    // A keep-alive "progress" event every 15 s at most also tells a dead client apart.
    if (!listener({done ? "done" : "progress", training_job_json(snapshot)}) || done) return;
  }
}

void TrainingQueue::publish(Job& job) {
  {
    std::lock_guard lock(job.mutex);
    ++job.sequence;
    auto now = TrainingClock::now();
    // Every change of status reaches the store; progress at most every kStoreWriteInterval.
    bool write_now = job.record.status != JobStatus::kRunning ||
                     now - job.last_store_write >= kStoreWriteInterval;
    if (write_now) {
      job.last_store_write = now;
      store_.update_job(job.record);  // before listeners wake, so they can read it back
    }
  }
  job.changed.notify_all();
}

void TrainingQueue::loop() {
  while (true) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = live_jobs_.at(queue_.front());
      queue_.pop_front();
    }
    ++running_;
    run(*job);
    --running_;
    std::lock_guard lock(mutex_);
    // Forget the oldest ended jobs; the store keeps them.
    while (live_jobs_.size() > kEndedJobsKept) {
      auto oldest = live_jobs_.begin();
      std::lock_guard job_lock(oldest->second->mutex);
      if (!training_ended(oldest->second->record.status)) break;
      live_jobs_.erase(oldest);
    }
  }
}

void TrainingQueue::run(Job& job) {
  const TrainingRequest& request = job.request;  // set before the job was queued
  {
    std::lock_guard lock(job.mutex);
    job.record.status = JobStatus::kRunning;
    job.record.step = "reading the data";
    job.record.started_at = timestamp_utc();
  }
  publish(job);
  try {
    auto dataset = store_.get_dataset(job.record.dataset_id);
    if (!dataset) {
      throw Error(ErrorCode::kBadData, "the dataset was deleted before training started");
    }
    ReadOptions read;
    read.csv = options_.table_limits;
    read.id_columns = request.id_columns;
    read.na_tokens = request.na_values;
    Dataset data = read_dataset(dataset->path, read);

    TrainOptions options = train_options(request);
    options.threads = options_.threads;
    options.progress = [&](double fraction, const std::string& step) {
      if (job.cancel) throw TrainingCancelled();
      {
        std::lock_guard lock(job.mutex);
        job.record.progress = std::min(0.95, fraction * 0.95);
        job.record.step = step;
      }
      publish(job);
    };
    TrainResult result = train(data, options);
    if (job.cancel) throw TrainingCancelled();

    // Temp file, fsync and rename inside save_bundle: the registry never points at a torn file.
    const std::string bundle_path = registry_.bundle_path_for_job(job.record.id);
    save_bundle(result.bundle, bundle_path);
    {
      std::lock_guard lock(job.mutex);
      job.record.step = "registering the model";
      job.record.leaderboard = leaderboard_json(result.report);
    }
    publish(job);
    TrainingJobRecord snapshot;
    {
      std::lock_guard lock(job.mutex);
      snapshot = job.record;
    }
    int64_t model_id = registry_.add(bundle_path, result.bundle, snapshot,
                                     fs::path(dataset->name).stem().string());
    if (!registry_.active()) registry_.activate(model_id);  // the first model goes live at once
    if (auto record = store_.get_model(model_id)) {
      score_dataset_(*registry_.load(*record), dataset->path);
    }
    std::lock_guard lock(job.mutex);
    job.record.model_id = model_id;
    job.record.status = JobStatus::kSucceeded;
    job.record.progress = 1.0;
    job.record.step = "done";
  } catch (const TrainingCancelled&) {
    std::lock_guard lock(job.mutex);
    job.record.status = JobStatus::kCancelled;
    job.record.step = "cancelled";
  } catch (const std::exception& e) {
    spdlog::warn("training job {} failed: {}", job.record.id, e.what());
    std::lock_guard lock(job.mutex);
    job.record.status = JobStatus::kFailed;
    job.record.step = "failed";
    job.record.error = client_message(e);  // shown to clients: no server path
  }
  {
    std::lock_guard lock(job.mutex);
    job.record.finished_at = timestamp_utc();
  }
  publish(job);
}

}  // namespace smartchurn::server
