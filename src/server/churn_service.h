// The application behind the REST API: datasets, training jobs, the model registry, scoring and the
// scored customer base. Routes translate HTTP to these calls; tests can call them directly.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/prediction_logger.h"
#include "smartchurn/bundle.h"
#include "smartchurn/explain.h"
#include "smartchurn/playbook.h"
#include "smartchurn/scorer.h"
#include "smartchurn/store.h"

namespace smartchurn::server {

struct ServiceOptions {
  std::string data_dir;                  // the store, datasets/ and models/ live here
  std::size_t max_customers_per_request = 1000;
  int training_threads = 0;              // 0: every core
  std::string revenue_column;            // monetary column for revenue at risk ("" = detect)
  std::size_t demo_rows = 5000;          // customers in the demo data set seeded on first start
  std::size_t batch_job_bytes = 8u << 20;  // uploads to /predict/batch above this run as a job
  std::string playbook_path;             // retention playbook ("" = the built-in telecom one)
  int explain_threads = 0;               // threads that explain stored customers (0: every core)
  PredictionRetention prediction_retention;  // how much of the prediction log is kept
};

// A batch scoring job: a large upload scored in the background.
struct BatchJob {
  int64_t id = 0;
  std::string status = "queued";  // queued, running, succeeded, failed
  std::string error;
  std::size_t rows = 0, rejected = 0;
  int64_t model_version = 0;
  std::string input_path, result_path;
  std::string created_at, finished_at;
  CsvCells cells = CsvCells::kSpreadsheetSafe;  // how the result's id cells are written
};
nlohmann::json batch_job_json(const BatchJob& job);

// A registry model loaded for scoring; shared by in-flight requests, so activation never pulls a
// model out from under one.
struct LoadedModel {
  ModelRecord record;
  Bundle bundle;
  std::unique_ptr<Scorer> scorer;  // the bundle compiled for fast scoring
  std::unique_ptr<Explainer> explainer;  // null when the model cannot be explained:
  std::string explainer_error;           // ... and why
};

struct Prediction {
  std::string customer_id;
  double probability = 0;
  std::string tier;
  // With explain: {base_value, reasons: [{column, value, contribution, probability_effect, text}],
  // recommended_action}; null otherwise.
  nlohmann::json explanation;
};

// What a training job reports while it runs, to the store and to event listeners.
struct JobEvent {
  std::string event;     // "progress", "done"
  nlohmann::json data;   // the job as JSON
};

// The `explain` member of a /predict body: reasons to return (0 when absent); ApiError 400 unless a
// whole number of at least 1.
std::size_t explain_top_of(const nlohmann::json& body);

// A training job as the API shows it.
nlohmann::json training_job_json(const TrainingJobRecord& record);

class ChurnService {
 public:
  ChurnService(Store& store, ServiceOptions options);
  ~ChurnService();  // cancels queued jobs, waits for the running one
  ChurnService(const ChurnService&) = delete;
  ChurnService& operator=(const ChurnService&) = delete;

  // On an empty store: generate the demo customer base, train the default models, activate the
  // best and score every customer, so a newcomer sees real content at once. Otherwise loads the
  // active model. Returns true when it seeded the demo.
  bool start(bool seed_demo);

  // Datasets: `upload_path` is moved into the data dir; the file is read and profiled first so a
  // bad file is refused (Error kBadData) and nothing is stored.
  DatasetRecord add_dataset(const std::string& upload_path, const std::string& name);
  std::vector<DatasetRecord> datasets() const;
  std::optional<DatasetRecord> dataset(int64_t id) const;
  // The data set's profile; with a target also the target rate, each column's ROC-AUC against it
  // and the leakage check. Null when the data set does not exist; ApiError 400 for a bad target.
  nlohmann::json dataset_profile(int64_t id, const std::string& target,
                                 const std::optional<std::string>& positive_label) const;
  bool delete_dataset(int64_t id);

  // Training jobs run one at a time on a background thread. `request`: dataset_id, target,
  // positive_label?, id_column?, models?, folds?. Returns the job id at once.
  int64_t start_training(const nlohmann::json& request);
  std::optional<TrainingJobRecord> job(int64_t id) const;
  // Cancels a queued or running job; false when it had already finished or does not exist.
  bool cancel_job(int64_t id);
  // Calls `listener` with each event of the job until it returns false or the job ends; returns
  // at once (after the final event) when the job has already ended.
  void follow_job(int64_t id, const std::function<bool(const JobEvent&)>& listener);

  // Models
  std::vector<ModelRecord> models() const;
  std::optional<ModelRecord> model(int64_t id) const;
  nlohmann::json model_details(int64_t id) const;  // record + importance + curves; null if absent
  bool activate_model(int64_t id);  // loads the bundle first: a model that cannot load is refused
  bool delete_model(int64_t id);
  std::shared_ptr<const LoadedModel> active() const;  // null when none

  // Scoring with the active model (ApiError 503 when none). Logs each prediction. With
  // `explain_top` > 0 each prediction also carries its top reasons and recommended action.
  std::vector<Prediction> predict(const std::vector<nlohmann::json>& customers,
                                  std::shared_ptr<const LoadedModel>* used = nullptr,
                                  std::size_t explain_top = 0);
  // {customer, changes, explain?}: the changed customer's probability, tier, reasons (each with
  // its value and contribution before the change) and action, beside the unchanged ones. Not
  // logged: nothing was decided about a real customer.
  nlohmann::json what_if(const nlohmann::json& body);
  const Playbook& playbook() const { return playbook_; }
  // Scores an uploaded CSV with the engine's streaming batch scorer: the scored CSV (with each
  // row's recommended action) goes to `out` and the rows are stored as scored customers with
  // their reasons a block at a time, so memory stays flat in the file size. Every reject is
  // counted; the first `keep_rejects` are kept in the result.
  struct BatchResult {
    std::size_t rows = 0;
    std::size_t rejected = 0;
    std::vector<RejectedRow> rejects;
    int64_t model_version = 0;
  };
  BatchResult predict_file(const std::string& path, std::ostream& out,
                           std::size_t keep_rejects = static_cast<std::size_t>(-1),
                           CsvCells cells = CsvCells::kSpreadsheetSafe);

  // Queues an uploaded CSV for scoring in the background (the upload is moved); returns the id.
  int64_t start_batch(const std::string& upload_path,
                      CsvCells cells = CsvCells::kSpreadsheetSafe);
  std::optional<BatchJob> batch(int64_t id) const;
  std::size_t batch_job_bytes() const { return options_.batch_job_bytes; }

  // Customers and the dashboard
  nlohmann::json customers(const CustomerQuery& query) const;
  nlohmann::json customer(const std::string& customer_id) const;  // null when unknown
  nlohmann::json dashboard_summary() const;
  std::size_t add_outcomes(const nlohmann::json& body);

  Store& store() { return store_; }
  int64_t training_jobs_running() const { return running_jobs_.load(); }

 private:
  struct Job;
  void training_loop();
  void run_job(Job& job);
  void publish(Job& job, const std::string& event);
  int64_t register_model(const std::string& bundle_path, const Bundle& bundle,
                         const TrainingJobRecord& job, const std::string& name);
  void score_dataset_into_store(const LoadedModel& model, const std::string& csv_path);
  std::shared_ptr<LoadedModel> load_model(const ModelRecord& record, bool explainable = true) const;
  // The explainer of `model`, or ApiError 409 saying why it has none.
  const Explainer& explainer_of(const LoadedModel& model) const;
  // {base_value, reasons (top `top`, values from `record`), recommended_action}.
  nlohmann::json explanation_json(const Explanation& explanation, const nlohmann::json& record,
                                  std::size_t top, const std::string& tier) const;
  // The top reasons of each scored row as stored with it ([] for rows left unexplained).
  std::vector<nlohmann::json> stored_reasons(const LoadedModel& model, const Dataset& data,
                                             const std::vector<double>& probabilities) const;
  // The playbook's action for a stored score, from its tier and stored reasons.
  std::optional<Recommendation> stored_action(const ScoredCustomer& score) const;

  Store& store_;
  ServiceOptions options_;
  Playbook playbook_;
  PredictionLogger logger_;

  mutable std::mutex active_mutex_;
  std::shared_ptr<const LoadedModel> active_;

  mutable std::mutex jobs_mutex_;
  std::condition_variable jobs_changed_;
  std::deque<int64_t> queue_;
  std::map<int64_t, std::shared_ptr<Job>> live_jobs_;  // queued or running, and recently ended
  std::atomic<int64_t> running_jobs_{0};
  bool stopping_ = false;
  std::thread trainer_;

  void batch_loop();
  mutable std::mutex batch_mutex_;
  std::condition_variable batch_changed_;
  std::map<int64_t, BatchJob> batches_;  // kept in memory: ids restart with the process
  std::deque<int64_t> batch_queue_;
  int64_t next_batch_id_ = 1;
  bool batch_stopping_ = false;
  std::thread batch_worker_;
};

}  // namespace smartchurn::server
