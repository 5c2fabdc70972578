#include "server/service/batch_queue.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>

#include "server/client_message.h"
#include "smartchurn/bundle.h"  // timestamp_utc
#include "smartchurn/error.h"

namespace smartchurn::server {

namespace fs = std::filesystem;

const char* to_string(BatchStatus status) {
  switch (status) {
    case BatchStatus::kQueued:
      return "queued";
    case BatchStatus::kRunning:
      return "running";
    case BatchStatus::kSucceeded:
      return "succeeded";
    case BatchStatus::kFailed:
      return "failed";
    case BatchStatus::kCancelled:
      return "cancelled";
  }
  return "failed";
}

BatchStatus batch_status_from_string(const std::string& text) {
  for (BatchStatus status : {BatchStatus::kQueued, BatchStatus::kRunning, BatchStatus::kSucceeded,
                             BatchStatus::kFailed, BatchStatus::kCancelled}) {
    if (text == to_string(status)) return status;
  }
  throw_usage("unknown batch status '" + text +
              "'; expected queued, running, succeeded, failed or cancelled");
}

nlohmann::json batch_job_json(const BatchJob& job) {
  nlohmann::json j = {
      {"id", job.id},
      {"status", to_string(job.status)},
      {"rows", job.rows},
      {"rejected_rows", job.rejected},
      {"model_version", job.model_version},
      {"created_at", job.created_at},
      {"finished_at", job.finished_at},
      {"error", job.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(job.error)}};
  if (job.status == BatchStatus::kSucceeded) {
    j["result"] = "/api/v1/predict/batch/" + std::to_string(job.id) + "/result";
  }
  return j;
}

BatchQueue::BatchQueue(std::string folder, ScoreFile score)
    : folder_(std::move(folder)), score_(std::move(score)) {
  // Files an earlier process left (a crash skips stop()): ids restart, so none can be asked for.
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder_, error)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".input.csv") || name.ends_with(".scored.csv")) {
      fs::remove(entry.path(), error);
    }
  }
}

BatchQueue::~BatchQueue() { stop(); }

void BatchQueue::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    cancel_queued();  // the worker may be busy with a long job: do not wait for it to see this
  }
  changed_.notify_all();
  if (worker_.joinable()) worker_.join();
}

// Ids restart with the process, so nobody can ask for a queued upload again: it is removed, and
// the job says why it never ran.
void BatchQueue::cancel_queued() {
  std::error_code ignored;
  for (const int64_t queued : queue_) {
    BatchJob& job = jobs_[queued];
    fs::remove(job.input_path, ignored);
    job.status = BatchStatus::kCancelled;
    job.error = "the server stopped before this job ran";
    job.finished_at = timestamp_utc();
  }
  queue_.clear();
}

int64_t BatchQueue::start(const std::string& upload_path, CsvCells cells) {
  std::lock_guard lock(mutex_);
  if (stopping_) throw_unavailable("the server is shutting down");
  if (!worker_.joinable()) worker_ = std::thread([this] { loop(); });
  BatchJob job;
  job.id = next_id_++;
  const fs::path folder(folder_);
  fs::create_directories(folder);
  job.input_path = (folder / (std::to_string(job.id) + ".input.csv")).string();
  job.result_path = (folder / (std::to_string(job.id) + ".scored.csv")).string();
  fs::rename(upload_path, job.input_path);
  job.created_at = timestamp_utc();
  job.cells = cells;
  jobs_[job.id] = job;
  queue_.push_back(job.id);
  changed_.notify_all();
  return job.id;
}

std::optional<BatchJob> BatchQueue::batch(int64_t id) const {
  std::lock_guard lock(mutex_);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  return it->second;
}

void BatchQueue::loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_) {
      cancel_queued();
      return;
    }
    int64_t id = queue_.front();
    queue_.pop_front();
    jobs_[id].status = BatchStatus::kRunning;
    std::string input = jobs_[id].input_path, output = jobs_[id].result_path;
    const CsvCells cells = jobs_[id].cells;
    lock.unlock();
    BatchJob outcome;
    std::error_code ignored;
    try {
      std::ofstream file(output, std::ios::binary);
      if (!file) throw_io("cannot write " + output);
      const BatchCounts result = score_(input, file, cells);
      file.close();
      if (!file) throw_io("cannot write " + output);
      outcome.status = BatchStatus::kSucceeded;
      outcome.rows = result.rows;
      outcome.rejected = result.rejected;
      outcome.model_version = result.model_version;
    } catch (const std::exception& e) {
      spdlog::warn("batch scoring job {} failed: {}", id, e.what());
      outcome.status = BatchStatus::kFailed;
      outcome.error = client_message(e);
      fs::remove(output, ignored);  // a half-written result must not be served
    }
    fs::remove(input, ignored);
    lock.lock();
    BatchJob& job = jobs_[id];
    job.status = outcome.status;
    job.error = outcome.error;
    job.rows = outcome.rows;
    job.rejected = outcome.rejected;
    job.model_version = outcome.model_version;
    job.finished_at = timestamp_utc();
    changed_.notify_all();
  }
}

}  // namespace smartchurn::server
