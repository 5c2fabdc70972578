// The input fields of a model for a scoring form: type, allowed values, the training data's
// range and a typical value (internal to src/server).
#pragma once

#include <nlohmann/json.hpp>

#include "smartchurn/bundle.h"

namespace smartchurn::server {

// One object per input column the model reads, in the training file's order:
// {name, type (numeric|boolean|categorical), integer?, levels?, true_label?, false_label?,
//  min?, max?, median?, default}. `profile` is the training data set's profile (to_json(Profile))
// or null when that data set is gone; ranges and typical values then stay out and default is null.
nlohmann::json model_inputs(const Bundle& bundle, const nlohmann::json& profile);

}  // namespace smartchurn::server
