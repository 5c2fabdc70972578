// Customers sent as JSON objects, read against a model's saved schema exactly as a CSV row would be.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "smartchurn/bundle.h"
#include "smartchurn/dataset.h"
#include "smartchurn/explain.h"
#include "smartchurn/scorer.h"

namespace smartchurn::server {

// Turns JSON objects into a data set with the bundle's schema. Values may be JSON numbers, strings,
// booleans or null (missing). Every required input column must be present in every object (null
// counts as present and missing). Throws ApiError 400 naming the field ("customers[3].tenure") and
// what is expected (a number, or the allowed values of a yes/no column). Unseen categories are kept
// as unseen (scored as "(other)").
Dataset records_to_dataset(const Bundle& bundle, const std::vector<nlohmann::json>& records);

// Scores JSON customer records with the fast engine: each field is read as a CSV cell would be
// (no intermediate data set). Same validation and ApiError 400 messages as records_to_dataset.
std::vector<double> score_records(const Bundle& bundle, const Scorer& scorer,
                                  const std::vector<nlohmann::json>& records);

// Explains JSON customer records (every input column, most important first), read as
// score_records reads them, with the same validation and errors.
std::vector<Explanation> explain_records(const Bundle& bundle, const Explainer& explainer,
                                         const std::vector<nlohmann::json>& records);

// The identifier of a customer record: the first of the bundle's id columns present, or "".
std::string record_id(const Bundle& bundle, const nlohmann::json& record);

}  // namespace smartchurn::server
