// A training request checked against its data set and the model registry before a job is queued,
// so a wrong column or parameter is refused at once, naming the field (internal to src/server).
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "smartchurn/store.h"
#include "smartchurn/trainer.h"

namespace smartchurn::server {

// What POST /training-jobs asks for, checked for types and ranges by the route; the training queue
// checks it against the data set and the model registry before a job is queued.
struct TrainingRequest {
  int64_t dataset_id = 0;
  std::string target;
  std::optional<std::string> positive_label;
  std::vector<std::string> id_columns;
  std::vector<std::string> na_values;
  std::vector<std::string> models;                              // empty: the trainer's default set
  std::map<std::string, std::map<std::string, double>> params;  // model -> parameter -> value
  int folds = 5;
};
// The request as stored with the job and shown by the API (the body's member names).
nlohmann::json to_json(const TrainingRequest& request);

// Error(kUsage) naming the field ("target", "id_column[1]", "models[0]", "params.gbm.max_depth",
// "positive_label", "folds") when the request cannot train on `dataset`, judged from its stored
// profile (the file is not read again).
void check_training_request(const TrainingRequest& request, const DatasetRecord& dataset);

// The trainer's options for a checked request.
TrainOptions train_options(const TrainingRequest& request);

}  // namespace smartchurn::server
