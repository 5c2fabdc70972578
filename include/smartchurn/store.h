// The embedded store: datasets, training jobs, the model registry, scored customers, the prediction
// log and observed outcomes, in one SQLite database (WAL mode) with numbered schema migrations.
// Thread-safe: one Store may be used from many threads. It holds one connection behind one mutex,
// so calls are serialised; batched writes take one transaction (~500k rows/s) each.
// Every failure is a smartchurn::Error: kIo when the disk is full, read-only or unopenable,
// kInternal for other SQLite failures, kUsage for impossible requests. Empty timestamp fields
// are filled with the current time (ISO 8601 UTC) on write.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace smartchurn {

struct DatasetRecord {
  int64_t id = 0;
  std::string name;  // the uploaded file's name, for people
  std::string path;  // where the file is kept on disk
  std::string sha256;
  int64_t rows = 0, columns = 0;
  nlohmann::json profile;  // to_json(Profile)
  std::string created_at;  // ISO 8601 UTC
};

enum class JobStatus { kQueued, kRunning, kSucceeded, kFailed, kCancelled };
const char* to_string(JobStatus status);
JobStatus job_status_from_string(const std::string& text);

struct TrainingJobRecord {
  int64_t id = 0;
  int64_t dataset_id = 0;
  nlohmann::json request;  // what was asked: target, positive_label, id_column, models, folds
  JobStatus status = JobStatus::kQueued;
  double progress = 0;              // 0..1
  std::string step;                 // current step, for people
  std::string error;                // when failed
  nlohmann::json leaderboard;       // when succeeded: to_json(TrainReport)
  std::optional<int64_t> model_id;  // the model it registered
  std::string created_at, started_at, finished_at;
};

struct ModelRecord {
  int64_t id = 0;
  std::string name;       // a label for people, e.g. the data set's name
  int64_t version = 0;    // 1, 2, 3 ... across the registry
  std::string algorithm;  // lr, rf, gbm
  nlohmann::json parameters;
  nlohmann::json metrics;  // CV figures, out-of-fold curves, leaderboard
  nlohmann::json schema;   // input columns
  std::string bundle_path;
  std::string bundle_sha256;
  std::optional<int64_t> dataset_id;
  std::optional<int64_t> job_id;
  std::string created_at;
  bool active = false;
};

struct ScoredCustomer {
  std::string customer_id;
  int64_t model_id = 0;
  double probability = 0;
  std::string tier;
  nlohmann::json inputs;  // the customer's input columns as given
  std::string scored_at;
  // The top reasons behind the score, [{column, value, contribution}] most important first; empty
  // when not explained.
  nlohmann::json reasons = nlohmann::json::array();
};

struct PredictionLogEntry {
  int64_t id = 0;
  std::string time;
  int64_t model_id = 0;
  int64_t model_version = 0;
  std::string customer_id;  // empty when the request had none
  double probability = 0;
  std::string tier;
  std::string input_sha256;
};

// How much of the prediction log is kept; 0 turns a limit off. Older rows go first.
struct PredictionRetention {
  int64_t max_rows = 5'000'000;  // about 800 MB of log at ~160 bytes a row
  int64_t max_days = 90;
};

struct Outcome {
  std::string customer_id;
  bool churned = false;
  std::string date;  // YYYY-MM-DD, when the outcome was observed
  std::string recorded_at;
};

struct CustomerQuery {
  std::optional<int64_t> model_id;    // default: the active model
  std::string tier;                   // "" = any
  std::string search;                 // substring of the customer id (ASCII case-insensitive)
  std::string segment_column;         // "" = any; else only customers whose input in this column
  std::string segment_value;          //   reads segment_value ("(missing)" for a missing value)
  std::string sort = "-probability";  // probability, -probability, customer_id, -customer_id;
                                      // anything else is kUsage
  int64_t limit = 50, offset = 0;
};

class Store {
 public:
  // Opens (creating if needed) `directory`/smartchurn.db and migrates it to the current schema
  // version. A database from a newer version is kIncompatible naming both versions.
  explicit Store(const std::string& directory);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  int schema_version() const;
  const std::string& directory() const;

  // Datasets
  int64_t add_dataset(const DatasetRecord& record);  // returns the new id
  std::vector<DatasetRecord> list_datasets() const;  // newest first, without profiles
  std::optional<DatasetRecord> get_dataset(int64_t id) const;
  bool delete_dataset(int64_t id);  // false when absent

  // Training jobs
  int64_t add_job(const TrainingJobRecord& record);
  void update_job(const TrainingJobRecord& record);  // by id, every field; kUsage when absent
  std::optional<TrainingJobRecord> get_job(int64_t id) const;
  std::vector<TrainingJobRecord> list_jobs(int64_t limit = 100) const;  // newest first
  // Jobs left queued or running by a previous process become failed ("interrupted by restart").
  int fail_unfinished_jobs();

  // Models. add_model assigns the next version (above every version ever issued, so a deleted
  // model's version is never reused) and returns the id. With record.active it becomes the only
  // active model.
  int64_t add_model(const ModelRecord& record);
  std::vector<ModelRecord> list_models() const;  // newest first
  std::optional<ModelRecord> get_model(int64_t id) const;
  std::optional<ModelRecord> active_model() const;
  // Makes `id` the only active model, in one transaction. False when absent.
  bool activate_model(int64_t id);
  // Deletes an inactive model and its scored customers. kUsage-free: returns false when absent;
  // throws Error(kUsage) when it is the active one.
  bool delete_model(int64_t id);

  // Scored customers: the latest score per customer per model (an upsert), many in one transaction.
  void upsert_scores(const std::vector<ScoredCustomer>& scores);
  // Sets *total (when not null) to the filtered count before paging. No model given and none
  // active: empty, total 0. Negative limit/offset or an unknown sort: kUsage.
  std::vector<ScoredCustomer> query_customers(const CustomerQuery& query, int64_t* total) const;
  // One model's scores by customer id.
  std::vector<ScoredCustomer> all_scores(int64_t model_id) const;
  // Every score of one customer across models, newest first.
  std::vector<ScoredCustomer> customer_history(const std::string& customer_id) const;

  // Prediction log, many in one transaction.
  void log_predictions(const std::vector<PredictionLogEntry>& entries);
  std::vector<PredictionLogEntry> recent_predictions(int64_t limit) const;  // newest first
  // O(1): a counter read from the table once at open and kept by log and prune.
  int64_t prediction_count() const;
  // Deletes at most `max_delete` of the oldest entries beyond `retention` (over max_rows, or
  // logged more than max_days before `now`, an ISO-8601 UTC time; empty: the current time) in
  // one short transaction; returns how many went. Call again while it returns max_delete.
  int64_t prune_predictions(const PredictionRetention& retention, int64_t max_delete,
                            const std::string& now = "");

  // Outcomes
  void add_outcomes(const std::vector<Outcome>& outcomes);
  std::vector<Outcome> outcomes_for(const std::string& customer_id) const;  // by date
  int64_t outcome_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace smartchurn
