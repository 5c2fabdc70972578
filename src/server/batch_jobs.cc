// Batch scoring jobs of ChurnService: large uploads are scored on a background thread so that no
// request thread is held for long; the scored CSV is kept in the data dir until the process ends.
#include <filesystem>
#include <fstream>

#include <spdlog/spdlog.h>

#include "server/churn_service.h"
#include "server/http.h"
#include "smartchurn/error.h"

namespace smartchurn::server {

namespace fs = std::filesystem;

nlohmann::json batch_job_json(const BatchJob& job) {
  nlohmann::json j = {{"id", job.id},
                      {"status", job.status},
                      {"rows", job.rows},
                      {"rejected_rows", job.rejected},
                      {"model_version", job.model_version},
                      {"created_at", job.created_at},
                      {"finished_at", job.finished_at},
                      {"error", job.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(job.error)}};
  if (job.status == "succeeded") {
    j["result"] = "/api/v1/predict/batch/" + std::to_string(job.id) + "/result";
  }
  return j;
}

int64_t ChurnService::start_batch(const std::string& upload_path, CsvCells cells) {
  if (!active()) throw ApiError(503, "no_active_model", "no model is active yet; train one first");
  std::lock_guard lock(batch_mutex_);
  if (!batch_worker_.joinable()) batch_worker_ = std::thread([this] { batch_loop(); });
  BatchJob job;
  job.id = next_batch_id_++;
  fs::path folder = fs::path(options_.data_dir) / "batches";
  fs::create_directories(folder);
  job.input_path = (folder / (std::to_string(job.id) + ".input.csv")).string();
  job.result_path = (folder / (std::to_string(job.id) + ".scored.csv")).string();
  fs::rename(upload_path, job.input_path);
  job.created_at = timestamp_utc();
  job.cells = cells;
  batches_[job.id] = job;
  batch_queue_.push_back(job.id);
  batch_changed_.notify_all();
  return job.id;
}

std::optional<BatchJob> ChurnService::batch(int64_t id) const {
  std::lock_guard lock(batch_mutex_);
  auto it = batches_.find(id);
  if (it == batches_.end()) return std::nullopt;
  return it->second;
}

void ChurnService::batch_loop() {
  std::unique_lock lock(batch_mutex_);
  while (true) {
    batch_changed_.wait(lock, [&] { return batch_stopping_ || !batch_queue_.empty(); });
    if (batch_stopping_) return;
    int64_t id = batch_queue_.front();
    batch_queue_.pop_front();
    batches_[id].status = "running";
    std::string input = batches_[id].input_path, output = batches_[id].result_path;
    const CsvCells cells = batches_[id].cells;
    lock.unlock();
    BatchJob outcome;
    std::error_code ignored;
    try {
      std::ofstream file(output, std::ios::binary);
      if (!file) throw_io("cannot write " + output);
      BatchResult result = predict_file(input, file, 0, cells);  // streamed: the rejects are counted
      file.close();
      if (!file) throw_io("cannot write " + output);
      outcome.status = "succeeded";
      outcome.rows = result.rows;
      outcome.rejected = result.rejected;
      outcome.model_version = result.model_version;
    } catch (const std::exception& e) {
      spdlog::warn("batch scoring job {} failed: {}", id, e.what());
      outcome.status = "failed";
      outcome.error = e.what();
      fs::remove(output, ignored);  // a half-written result must not be served
    }
    fs::remove(input, ignored);
    lock.lock();
    BatchJob& job = batches_[id];
    job.status = outcome.status;
    job.error = outcome.error;
    job.rows = outcome.rows;
    job.rejected = outcome.rejected;
    job.model_version = outcome.model_version;
    job.finished_at = timestamp_utc();
    batch_changed_.notify_all();
  }
}

}  // namespace smartchurn::server
