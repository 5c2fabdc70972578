// Small data for the service parts' tests: a demo data set recorded in a store as an upload would
// be, and a training request that trains one quick model on it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "server/training_request.h"
#include "smartchurn/dataset.h"
#include "smartchurn/demo.h"
#include "smartchurn/profile.h"
#include "smartchurn/store.h"

namespace smartchurn::server::test {

// Writes `rows` demo customers (the minimum the demo seeding takes is 200) to `csv_path` and
// records the file in the store with its profile, as ChurnService::add_dataset does.
inline DatasetRecord add_demo_dataset(Store& store, const std::string& csv_path,
                                      std::size_t rows = 200, uint64_t seed = 7) {
  write_demo_data(csv_path, {rows, seed});
  const Dataset data = read_dataset(csv_path);
  DatasetRecord record;
  record.name = "demo.csv";
  record.path = csv_path;
  record.sha256 = data.sha256;
  record.rows = static_cast<int64_t>(data.rows());
  record.columns = static_cast<int64_t>(data.columns.size());
  record.profile = to_json(profile_dataset(data, std::nullopt));
  record.id = store.add_dataset(record);
  return record;
}

// Logistic regression with two folds: the quickest model the trainer has.
inline TrainingRequest quick_training_request(int64_t dataset_id) {
  TrainingRequest request;
  request.dataset_id = dataset_id;
  request.target = "churn";
  request.id_columns = {"customer_id"};
  request.na_values = {"Unknown"};
  request.models = {"lr"};
  request.folds = 2;
  return request;
}

}  // namespace smartchurn::server::test
