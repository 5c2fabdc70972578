// The customer base: customers scored into the store with their inputs and top reasons, the
// recommended retention action of each, the outcomes observed later, and the dashboard's overview
// of the active model's customers. Internal to src/server.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "server/service/model_registry.h"
#include "smartchurn/csv.h"
#include "smartchurn/dataset.h"
#include "smartchurn/playbook.h"
#include "smartchurn/store.h"

namespace smartchurn::server {

struct CustomerBaseOptions {
  std::string revenue_column;  // monetary column for revenue at risk ("" = detect)
  int explain_threads = 0;     // threads that explain stored customers (0: every core)
  CsvOptions table_limits;     // columns and field size of a data set scored into the store
};

// The input columns of a scored row as stored with it (numbers as numbers, missing as null).
nlohmann::json stored_inputs(const Dataset& data, std::size_t row);

class CustomerBase {
 public:
  // The registry gives the active model; the playbook the retention actions. Both must outlive
  // the customer base.
  CustomerBase(Store& store, const ModelRegistry& registry, const Playbook& playbook,
               CustomerBaseOptions options);

  // A page of the active model's (or the query's model's) scored customers:
  // {total, limit, offset, customers: [{customer_id, churn_probability, ..., recommended_action}]}.
  nlohmann::json customers(const CustomerQuery& query) const;
  // One customer's current score, inputs, history, outcomes and, when the active model scored
  // it, every reason explained now. Null when unknown.
  nlohmann::json customer(const std::string& customer_id) const;
  // The overview numbers of the active model's scored customers: tiers, histogram, revenue at
  // risk, retention actions, segments and trend.
  nlohmann::json dashboard_summary() const;
  // Records what became of customers (`recorded_at` is set here, `date` defaults to today);
  // returns how many.
  std::size_t add_outcomes(std::vector<Outcome> outcomes);

  // Scores every row of the CSV with `model` and stores the customers (rows without an id column
  // are not stored: they could not be listed).
  void score_dataset_into_store(const LoadedModel& model, const std::string& csv_path);
  // The top reasons of each scored row as stored with it ([] for rows left unexplained: those in
  // tiers where no playbook rule looks at reasons).
  std::vector<nlohmann::json> stored_reasons(const LoadedModel& model, const Dataset& data,
                                             const std::vector<double>& probabilities) const;
  // The playbook's action for a stored score, from its tier and stored reasons.
  std::optional<Recommendation> stored_action(const ScoredCustomer& score) const;

 private:
  Store& store_;
  const ModelRegistry& registry_;
  const Playbook& playbook_;
  CustomerBaseOptions options_;
};

}  // namespace smartchurn::server
