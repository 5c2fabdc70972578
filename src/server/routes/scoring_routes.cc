// Scoring with the active model: /predict (one customer or a list), /what-if, and batch scoring
// of an uploaded CSV (at once, or as a background job for large files).
#include <fmt/format.h>

#include <filesystem>
#include <sstream>

#include "server/request_fields.h"
#include "server/routes/route_groups.h"
#include "smartchurn/error.h"

namespace smartchurn::server {

namespace {

constexpr int64_t kMaxReasons = 100000;  // far above any model's input count

std::size_t parse_explain(const nlohmann::json& body) {
  const auto* explain = optional_member(body, "explain");
  if (explain == nullptr) return 0;
  return static_cast<std::size_t>(integer_value(*explain, "explain", 1, kMaxReasons));
}

nlohmann::json prediction_json(const Prediction& p, int64_t version) {
  nlohmann::json j = {
      {"churn_probability", p.probability}, {"risk_tier", p.tier}, {"model_version", version}};
  if (!p.customer_id.empty()) j["customer_id"] = p.customer_id;
  if (p.explanation.is_object()) {
    for (const auto& [key, value] : p.explanation.items()) j[key] = value;
  }
  return j;
}

// ?raw_csv=true: cells as they are, for machine pipelines (default: spreadsheet-safe).
CsvCells cells_of(const Request& r) {
  const auto raw = r.query_value("raw_csv");
  if (!raw || *raw == "false") return CsvCells::kSpreadsheetSafe;
  if (*raw == "true") return CsvCells::kRaw;
  throw Error(ErrorCode::kUsage, "raw_csv must be true or false", {"", 0, "raw_csv"});
}

Response batch_result(ChurnService& service, Request& r) {
  std::ostringstream csv;  // at most batch_job_bytes of input: larger files run as a job
  auto result = service.predict_file(r.upload_path, csv, static_cast<std::size_t>(-1), cells_of(r));
  if (r.header("accept").find("application/json") != std::string::npos) {
    nlohmann::json rejects = nlohmann::json::array();
    for (const auto& x : result.rejects) {
      rejects.push_back({{"line", x.line}, {"column", x.column}, {"reason", x.reason}});
    }
    return Response::json({{"rows", result.rows},
                           {"model_version", result.model_version},
                           {"rejected", rejects},
                           {"csv", csv.str()}});
  }
  Response response = Response::text(std::move(csv).str(), "text/csv");
  response.headers.push_back({"Content-Disposition", "attachment; filename=\"scored.csv\""});
  response.headers.push_back({"X-Rejected-Rows", std::to_string(result.rejected)});
  return response;
}

}  // namespace

PredictRequest parse_predict_request(const nlohmann::json& body) {
  object_body(body);
  PredictRequest request;
  // "explain": K beside the fields asks for the top K reasons and an action.
  request.explain_top = parse_explain(body);
  if (body.contains("customers")) {
    const auto& customers = body["customers"];
    if (!customers.is_array()) {
      throw_field("customers",
                  "customers must be an array of objects, not " + json_kind(customers));
    }
    request.customers.assign(customers.begin(), customers.end());
    request.paths = {"customers", true};
  } else {
    nlohmann::json customer = body;
    customer.erase("explain");
    request.customers.push_back(std::move(customer));
    request.paths = {"", false};
  }
  return request;
}

WhatIfRequest parse_what_if_request(const nlohmann::json& body) {
  object_body(body);
  refuse_unknown_members(body, {"customer", "changes", "explain"});
  WhatIfRequest request;
  const auto& customer = required_member(body, "customer", "customer");
  if (!customer.is_object()) {
    throw_field("customer", "customer must be a JSON object with the customer's fields, not " +
                                json_kind(customer));
  }
  request.customer = customer;
  if (const auto* changes = optional_member(body, "changes")) {
    if (!changes->is_object()) {
      throw_field("changes",
                  "changes must be a JSON object of column: new value, not " + json_kind(*changes));
    }
    for (const auto& [column, value] : changes->items()) request.changes[column] = value;
  }
  if (body.contains("explain")) request.explain_top = parse_explain(body);
  return request;
}

void add_scoring_routes(Router& router, ChurnService& service) {
  router.add({"POST", api_path("/predict"), Role::kViewer, BodyKind::kJson, [&](Request& r) {
                const nlohmann::json body = r.json();
                const PredictRequest request = parse_predict_request(body);
                if (request.customers.size() > service.max_customers_per_request()) {
                  throw ApiError(413, "payload_too_large",
                                 fmt::format("at most {} customers per request; send a CSV to "
                                             "/predict/batch",
                                             service.max_customers_per_request()),
                                 "customers");
                }
                std::shared_ptr<const LoadedModel> used;
                auto predictions = service.predict(request, &used);
                const int64_t version = used->record.version;
                if (!request.paths.listed) {
                  return Response::json(prediction_json(predictions[0], version));
                }
                nlohmann::json list = nlohmann::json::array();
                for (const auto& p : predictions) list.push_back(prediction_json(p, version));
                return Response::json({{"predictions", list}, {"model_version", version}});
              }});
  router.add({"POST", api_path("/what-if"), Role::kViewer, BodyKind::kJson, [&](Request& r) {
                return Response::json(service.what_if(parse_what_if_request(r.json())));
              }});
  router.add(
      {"POST", api_path("/predict/batch"), Role::kAnalyst, BodyKind::kUpload, [&](Request& r) {
         // Large files (or ?async=true) are scored in the background: 202 and a job.
         if (r.query_value("async") == "true" ||
             std::filesystem::file_size(r.upload_path) > service.batch_job_bytes()) {
           const int64_t id = service.start_batch(r.upload_path, cells_of(r));
           Response response = Response::json(batch_job_json(*service.batch(id)), 202);
           response.headers.push_back(
               {"Location", api_path("/predict/batch/" + std::to_string(id))});
           return response;
         }
         return batch_result(service, r);
       }});
  router.add(
      {"GET", api_path("/predict/batch/{id}"), Role::kAnalyst, BodyKind::kNone, [&](Request& r) {
         const int64_t id = r.id_param();
         auto job = service.batch(id);
         if (!job) throw_missing("batch scoring job", id);
         return Response::json(batch_job_json(*job));
       }});
  router.add(
      {"GET", api_path("/predict/batch/{id}/result"), Role::kAnalyst, BodyKind::kNone,
       [&](Request& r) {
         const int64_t id = r.id_param();
         auto job = service.batch(id);
         if (!job) throw_missing("batch scoring job", id);
         if (job->status != BatchStatus::kSucceeded) {
           throw_conflict(
               fmt::format("batch scoring job {} is {}", job->id, to_string(job->status)));
         }
         Response response = Response::file(job->result_path, "text/csv");  // streamed
         response.headers.push_back({"Content-Disposition", "attachment; filename=\"scored.csv\""});
         return response;
       }});
}

}  // namespace smartchurn::server
