// Customers sent as JSON objects, read against a model's saved schema exactly as a CSV row would
// be.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "smartchurn/bundle.h"
#include "smartchurn/dataset.h"
#include "smartchurn/explain.h"
#include "smartchurn/scorer.h"

namespace smartchurn::server {

// A customer as sent by a client: a JSON object of column: value. Its members are typed by the
// model's input schema, which only the active model knows, so they are checked where it is read.
using CustomerRecord = nlohmann::json;

// How errors name the fields of records: `base` "customers" with `listed` gives
// "customers[3].tenure"; "customer" without gives "customer.tenure"; "" without gives "tenure".
struct RecordPaths {
  std::string base;
  bool listed = false;
  std::string record(std::size_t index) const;
  std::string field(std::size_t index, const std::string& column) const;
};

// What each member may be, by the type of its column in the model's schema (null is missing):
// - numeric: a finite number or a string holding one ("42", " 3.5 ", a missing-value token);
// - yes/no (boolean): one of the column's two labels in any case, true / false for them, and
//   1 / 0 when the labels are "1" / "0";
// - categorical: a string; a number is taken as the text it is written as (3 and 3.0 are "3"),
//   for columns of numeric codes; true / false are refused, as are arrays and objects everywhere.
// A value outside the training levels is kept as unseen (scored in the "(other)" bucket).
// Refusals are Error(kUsage) naming the field (Location::column, e.g. "customers[3].tenure") and
// what is expected. Every input column of the model must be present in every record.
Dataset records_to_dataset(const Bundle& bundle, const std::vector<CustomerRecord>& records,
                           const RecordPaths& paths);

// Scores records with the fast engine: each field is read as a CSV cell would be (no intermediate
// data set). Same checks and errors as records_to_dataset.
std::vector<double> score_records(const Bundle& bundle, const Scorer& scorer,
                                  const std::vector<CustomerRecord>& records,
                                  const RecordPaths& paths);

// Explains records (every input column, most important first), read as score_records reads them,
// with the same checks and errors.
std::vector<Explanation> explain_records(const Bundle& bundle, const Explainer& explainer,
                                         const std::vector<CustomerRecord>& records,
                                         const RecordPaths& paths);

// The identifier of a customer record: the first of the bundle's id columns present, or "".
std::string record_id(const Bundle& bundle, const CustomerRecord& record);

}  // namespace smartchurn::server
