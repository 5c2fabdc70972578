// The /api/v1 routes, one file per group: each parses and checks its requests into the service's
// typed structs (every refusal naming its field) and builds the response JSON. Internal to
// src/server; routes.cc adds them all.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "server/churn_service.h"
#include "server/metrics.h"
#include "server/request.h"
#include "server/router.h"

namespace smartchurn::server {

void add_health_routes(Router& router, ChurnService& service,
                       Metrics& metrics);  // and /metrics, /openapi.yaml
void add_dataset_routes(Router& router, ChurnService& service);
void add_training_routes(Router& router, ChurnService& service);
void add_model_routes(Router& router, ChurnService& service);
void add_scoring_routes(Router& router, ChurnService& service);   // predict, what-if, batch
void add_customer_routes(Router& router, ChurnService& service);  // customers, dashboard, outcomes

// The request parsers, exposed for tests: Error(kUsage) naming the field on bad input.
TrainingRequest parse_training_request(const nlohmann::json& body);
PredictRequest parse_predict_request(const nlohmann::json& body);
WhatIfRequest parse_what_if_request(const nlohmann::json& body);
std::vector<Outcome> parse_outcomes(const nlohmann::json& body);

// Shared by the route files.
std::string api_path(const std::string& path);  // "/models" -> "/api/v1/models"
[[noreturn]] void throw_missing(const std::string& what, int64_t id);  // Error(kNotFound)
// Refuses a member of `object` not in `known` (a typo must not be ignored silently).
void refuse_unknown_members(const nlohmann::json& object, const std::vector<std::string>& known,
                            const std::string& parent = "");
// An integer query parameter from `minimum` to `maximum`, `fallback` when absent.
int64_t integer_query(const Request& request, const std::string& name, int64_t fallback,
                      int64_t minimum, int64_t maximum);

}  // namespace smartchurn::server
