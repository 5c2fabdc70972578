// A training request checked against its data set and the model registry before a job is queued,
// so a wrong column or parameter is refused at once, naming the field (internal to src/server).
#pragma once

#include "server/churn_service.h"
#include "smartchurn/store.h"
#include "smartchurn/trainer.h"

namespace smartchurn::server {

// Error(kUsage) naming the field ("target", "id_column[1]", "models[0]", "params.gbm.max_depth",
// "positive_label", "folds") when the request cannot train on `dataset`, judged from its stored
// profile (the file is not read again).
void check_training_request(const TrainingRequest& request, const DatasetRecord& dataset);

// The trainer's options for a checked request.
TrainOptions train_options(const TrainingRequest& request);

}  // namespace smartchurn::server
