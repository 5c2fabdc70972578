// The application behind the REST API: datasets, training jobs, the model registry, scoring and the
// scored customer base. It speaks C++: routes parse and check each request into the typed structs
// below, and the service refuses what the state forbids with the core's Error (kNotFound,
// kConflict, kUnavailable, kUsage naming the field in Location::column), which
// src/server/error_response.cc maps to HTTP statuses. Tests can call it directly.
// A facade: the training queue, the batch queue, the model registry and the customer base are
// parts of their own under service/; this class owns them and holds datasets and scoring.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "server/prediction_logger.h"
#include "server/records.h"
#include "server/service/batch_queue.h"
#include "server/service/customer_base.h"
#include "server/service/model_registry.h"
#include "server/service/training_queue.h"
#include "server/training_request.h"
#include "smartchurn/bundle.h"
#include "smartchurn/explain.h"
#include "smartchurn/playbook.h"
#include "smartchurn/scorer.h"
#include "smartchurn/store.h"

namespace smartchurn::server {

struct ServiceOptions {
  std::string data_dir;  // the store, datasets/ and models/ live here
  std::size_t max_customers_per_request = 1000;
  int training_threads = 0;                // 0: every core
  std::string revenue_column;              // monetary column for revenue at risk ("" = detect)
  std::size_t demo_rows = 5000;            // customers in the demo data set seeded on first start
  std::size_t batch_job_bytes = 8u << 20;  // uploads to /predict/batch above this run as a job
  std::string playbook_path;               // retention playbook ("" = the built-in telecom one)
  int explain_threads = 0;                 // threads that explain stored customers (0: every core)
  PredictionRetention prediction_retention;  // how much of the prediction log is kept
  CsvOptions table_limits;  // columns and field size of uploaded tables (the delimiter is detected)
};

// A /predict request: the customers (`paths` names their fields in errors) and how many reasons
// to return with each (0: none).
struct PredictRequest {
  std::vector<CustomerRecord> customers;
  RecordPaths paths;
  std::size_t explain_top = 0;
};

// A /what-if request: a customer, the columns to change and how many reasons to return (every
// input column when absent).
struct WhatIfRequest {
  CustomerRecord customer;
  std::map<std::string, nlohmann::json> changes;
  std::optional<std::size_t> explain_top;
};

struct Prediction {
  std::string customer_id;
  double probability = 0;
  std::string tier;
  // With explain: {base_value, reasons: [{column, value, contribution, probability_effect, text}],
  // recommended_action}; null otherwise.
  nlohmann::json explanation;
};

class ChurnService {
 public:
  ChurnService(Store& store, ServiceOptions options);
  ~ChurnService();  // stops the queues: cancels queued jobs, waits for the running ones
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
  // and the leakage check. Null when the data set does not exist; Error(kUsage) naming "target" or
  // "positive_label" when they do not fit the data.
  nlohmann::json dataset_profile(int64_t id, const std::string& target,
                                 const std::optional<std::string>& positive_label) const;
  bool delete_dataset(int64_t id);

  // Training jobs: the training queue (service/training_queue.h), one job at a time on a
  // background thread. The request is checked against the data set's columns and profile and the
  // model registry first: Error(kNotFound) for an unknown data set, Error(kUsage) naming the field
  // otherwise, and no job is queued. Returns the job id.
  TrainingQueue& training() { return training_; }
  int64_t start_training(const TrainingRequest& request) { return training_.start(request); }
  std::optional<TrainingJobRecord> job(int64_t id) const { return training_.job(id); }
  // Cancels a queued or running job: Error(kNotFound) when there is none, Error(kConflict) when it
  // has already ended.
  void cancel_job(int64_t id) { training_.cancel(id); }
  // Calls `listener` with each event of the job until it returns false or the job ends; returns
  // at once (after the final event) when the job has already ended.
  void follow_job(int64_t id, const std::function<bool(const JobEvent&)>& listener) {
    training_.follow(id, listener);
  }
  int64_t training_jobs_running() const { return training_.running(); }

  // Models: the registry (service/model_registry.h).
  ModelRegistry& registry() { return registry_; }
  std::vector<ModelRecord> models() const { return registry_.models(); }
  std::optional<ModelRecord> model(int64_t id) const { return registry_.model(id); }
  nlohmann::json model_details(int64_t id) const { return registry_.details(id); }
  bool activate_model(int64_t id) { return registry_.activate(id); }
  bool delete_model(int64_t id) { return registry_.remove(id); }
  std::shared_ptr<const LoadedModel> active() const { return registry_.active(); }

  // Scoring with the active model (Error(kUnavailable) when none; Error(kConflict) for reasons
  // from a model that cannot explain). Logs each prediction. With `explain_top` > 0 each
  // prediction also carries its top reasons and recommended action.
  std::vector<Prediction> predict(const PredictRequest& request,
                                  std::shared_ptr<const LoadedModel>* used = nullptr);
  std::size_t max_customers_per_request() const { return options_.max_customers_per_request; }
  // The changed customer's probability, tier, reasons (each with its value and contribution
  // before the change) and action, beside the unchanged ones. Fields are named "customer.x" or
  // "changes.x" in errors. Not logged: nothing was decided about a real customer.
  nlohmann::json what_if(const WhatIfRequest& request);
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
  // Error(kUnavailable) when no model is active. The queue: service/batch_queue.h.
  int64_t start_batch(const std::string& upload_path, CsvCells cells = CsvCells::kSpreadsheetSafe);
  std::optional<BatchJob> batch(int64_t id) const { return batches_.batch(id); }
  std::size_t batch_job_bytes() const { return options_.batch_job_bytes; }

  // Customers and the dashboard: the customer base (service/customer_base.h).
  CustomerBase& customer_base() { return customers_; }
  nlohmann::json customers(const CustomerQuery& query) const { return customers_.customers(query); }
  // Null when unknown.
  nlohmann::json customer(const std::string& customer_id) const {
    return customers_.customer(customer_id);
  }
  nlohmann::json dashboard_summary() const { return customers_.dashboard_summary(); }
  // Records what became of customers (`recorded_at` is set here); returns how many.
  std::size_t add_outcomes(std::vector<Outcome> outcomes) {
    return customers_.add_outcomes(std::move(outcomes));
  }

  Store& store() { return store_; }

 private:
  // How stored and uploaded tables are read: within options_.table_limits.
  ReadOptions read_options() const {
    ReadOptions read;
    read.csv = options_.table_limits;
    return read;
  }
  // The explainer of `model`, or Error(kConflict) saying why it has none.
  const Explainer& explainer_of(const LoadedModel& model) const;

  // Members are destroyed last to first: each part comes after what it uses, and the queues come
  // last, so their threads stop while everything they call still exists.
  Store& store_;
  ServiceOptions options_;
  Playbook playbook_;
  ModelRegistry registry_;
  PredictionLogger logger_;
  CustomerBase customers_;  // uses the registry and the playbook
  TrainingQueue training_;  // scores into the customer base; stopped after the batch queue
  BatchQueue batches_;      // last: stopped first, while what it scores with still exists
};

}  // namespace smartchurn::server
