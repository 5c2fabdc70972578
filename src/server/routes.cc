#include "server/routes.h"

#include <filesystem>
#include <sstream>

#include <fmt/format.h>

#include "smartchurn/csv.h"
#include "smartchurn/error.h"

namespace smartchurn::server {

namespace {

constexpr int64_t kMaxPageSize = 1000;

std::string api(const std::string& path) { return std::string(kApiPrefix) + path; }

nlohmann::json model_json(const ModelRecord& m) {
  nlohmann::json cv = m.metrics.contains("cv") ? m.metrics["cv"] : nlohmann::json::object();
  return {{"id", m.id},
          {"name", m.name},
          {"version", m.version},
          {"algorithm", m.algorithm},
          {"active", m.active},
          {"created_at", m.created_at},
          {"dataset_id", m.dataset_id ? nlohmann::json(*m.dataset_id) : nullptr},
          {"job_id", m.job_id ? nlohmann::json(*m.job_id) : nullptr},
          {"cv", cv},
          {"bundle_sha256", m.bundle_sha256}};
}

nlohmann::json dataset_json(const DatasetRecord& d, bool with_profile) {
  nlohmann::json j = {{"id", d.id},     {"name", d.name},       {"sha256", d.sha256},
                      {"rows", d.rows}, {"columns", d.columns}, {"created_at", d.created_at}};
  if (with_profile) j["profile"] = d.profile;
  return j;
}

nlohmann::json prediction_json(const Prediction& p, int64_t version) {
  nlohmann::json j = {{"churn_probability", p.probability},
                      {"risk_tier", p.tier},
                      {"model_version", version}};
  if (!p.customer_id.empty()) j["customer_id"] = p.customer_id;
  if (p.explanation.is_object()) {
    for (const auto& [key, value] : p.explanation.items()) j[key] = value;
  }
  return j;
}

int64_t integer_query(const Request& r, const std::string& name, int64_t fallback, int64_t lo,
                      int64_t hi) {
  auto value = r.query_value(name);
  if (!value) return fallback;
  auto number = parse_number(*value);
  if (!number || *number != std::floor(*number) || *number < double(lo) || *number > double(hi)) {
    throw ApiError(400, "invalid_parameter",
                   fmt::format("{} must be a whole number from {} to {}", name, lo, hi), name);
  }
  return static_cast<int64_t>(*number);
}

ApiError not_found(const std::string& what, int64_t id) {
  return ApiError(404, "not_found", fmt::format("{} {} does not exist", what, id));
}

}  // namespace

void add_api_routes(Router& router, ChurnService& service, Metrics& metrics) {
  auto add = [&](std::string method, std::string path, Role role, BodyKind body, Handler handler) {
    router.add({std::move(method), api(path), role, body, std::move(handler)});
  };
  const auto none = BodyKind::kNone, json = BodyKind::kJson, upload = BodyKind::kUpload;

  // Health: liveness always answers; readiness needs an active model.
  add("GET", "/health/live", Role::kNone, none, [](Request&) {
    return Response::json({{"status", "live"}});
  });
  add("GET", "/health/ready", Role::kNone, none, [&](Request&) {
    auto model = service.active();
    if (!model) return Response::json({{"status", "not ready"}, {"reason", "no active model"}}, 503);
    return Response::json({{"status", "ready"}, {"model_version", model->record.version}});
  });

  // Datasets
  add("POST", "/datasets", Role::kAnalyst, upload, [&](Request& r) {
    auto record = service.add_dataset(r.upload_path, r.upload_filename);
    Response response = Response::json(dataset_json(record, true), 201);
    response.headers.push_back({"Location", api("/datasets/" + std::to_string(record.id))});
    return response;
  });
  add("GET", "/datasets", Role::kViewer, none, [&](Request&) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& d : service.datasets()) list.push_back(dataset_json(d, false));
    return Response::json({{"datasets", list}});
  });
  add("GET", "/datasets/{id}", Role::kViewer, none, [&](Request& r) {
    auto record = service.dataset(r.id_param());
    if (!record) throw not_found("dataset", r.id_param());
    return Response::json(dataset_json(*record, true));
  });
  add("GET", "/datasets/{id}/profile", Role::kViewer, none, [&](Request& r) {
    std::optional<std::string> positive = r.query_value("positive_label");
    if (positive && positive->empty()) positive.reset();
    auto profile =
        service.dataset_profile(r.id_param(), r.query_value("target").value_or(""), positive);
    if (profile.is_null()) throw not_found("dataset", r.id_param());
    return Response::json(profile);
  });
  add("DELETE", "/datasets/{id}", Role::kAnalyst, none, [&](Request& r) {
    if (!service.delete_dataset(r.id_param())) throw not_found("dataset", r.id_param());
    return Response::no_content();
  });

  // Training jobs
  add("POST", "/training-jobs", Role::kAnalyst, json, [&](Request& r) {
    int64_t id = service.start_training(r.json());
    Response response = Response::json(training_job_json(*service.job(id)), 202);
    response.headers.push_back({"Location", api("/training-jobs/" + std::to_string(id))});
    return response;
  });
  add("GET", "/training-jobs/{id}", Role::kViewer, none, [&](Request& r) {
    auto job = service.job(r.id_param());
    if (!job) throw not_found("training job", r.id_param());
    return Response::json(training_job_json(*job));
  });
  add("GET", "/training-jobs/{id}/events", Role::kViewer, none, [&](Request& r) {
    int64_t id = r.id_param();
    if (!service.job(id)) throw not_found("training job", id);
    Response response;
    response.events = [&service, id](EventSink& sink) {
      service.follow_job(id, [&](const JobEvent& e) { return sink.send(e.event, e.data); });
    };
    return response;
  });
  add("DELETE", "/training-jobs/{id}", Role::kAnalyst, none, [&](Request& r) {
    int64_t id = r.id_param();
    auto job = service.job(id);
    if (!job) throw not_found("training job", id);
    if (!service.cancel_job(id)) {
      throw ApiError(409, "conflict",
                     fmt::format("training job {} has already ended ({})", id, to_string(job->status)));
    }
    return Response::json(training_job_json(*service.job(id)), 202);
  });

  // Models
  add("GET", "/models", Role::kViewer, none, [&](Request&) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& m : service.models()) list.push_back(model_json(m));
    return Response::json({{"models", list}});
  });
  add("GET", "/models/{id}", Role::kViewer, none, [&](Request& r) {
    auto details = service.model_details(r.id_param());
    if (details.is_null()) throw not_found("model", r.id_param());
    return Response::json(details);
  });
  add("POST", "/models/{id}/activate", Role::kAdmin, none, [&](Request& r) {
    if (!service.activate_model(r.id_param())) throw not_found("model", r.id_param());
    return Response::json(model_json(*service.model(r.id_param())));
  });
  add("DELETE", "/models/{id}", Role::kAdmin, none, [&](Request& r) {
    if (!service.delete_model(r.id_param())) throw not_found("model", r.id_param());
    return Response::no_content();
  });

  // Scoring
  add("POST", "/predict", Role::kViewer, json, [&](Request& r) {
    nlohmann::json body = r.json();
    if (!body.is_object()) throw ApiError(400, "invalid_json", "the body must be a JSON object");
    // "explain": K beside the fields asks for the top K reasons and an action.
    const std::size_t explain = explain_top_of(body);
    body.erase("explain");
    std::shared_ptr<const LoadedModel> used;
    if (body.contains("customers")) {
      if (!body["customers"].is_array()) {
        throw ApiError(400, "invalid_field", "customers must be an array of objects", "customers");
      }
      auto predictions =
          service.predict(body["customers"].get<std::vector<nlohmann::json>>(), &used, explain);
      nlohmann::json list = nlohmann::json::array();
      for (const auto& p : predictions) list.push_back(prediction_json(p, used->record.version));
      return Response::json({{"predictions", list}, {"model_version", used->record.version}});
    }
    auto predictions = service.predict({std::move(body)}, &used, explain);
    return Response::json(prediction_json(predictions[0], used->record.version));
  });
  add("POST", "/what-if", Role::kViewer, json, [&](Request& r) {
    return Response::json(service.what_if(r.json()));
  });
  add("POST", "/predict/batch", Role::kAnalyst, upload, [&](Request& r) {
    // ?raw_csv=true: cells as they are, for machine pipelines (default: spreadsheet-safe).
    const CsvCells cells =
        r.query_value("raw_csv") == "true" ? CsvCells::kRaw : CsvCells::kSpreadsheetSafe;
    // Large files (or ?async=true) are scored in the background: 202 and a job to poll.
    if (r.query_value("async") == "true" ||
        std::filesystem::file_size(r.upload_path) > service.batch_job_bytes()) {
      int64_t id = service.start_batch(r.upload_path, cells);
      Response response = Response::json(batch_job_json(*service.batch(id)), 202);
      response.headers.push_back({"Location", api("/predict/batch/" + std::to_string(id))});
      return response;
    }
    std::ostringstream csv;  // at most batch_job_bytes of input: larger files run as a job
    auto result = service.predict_file(r.upload_path, csv, static_cast<std::size_t>(-1), cells);
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
  });

  add("GET", "/predict/batch/{id}", Role::kAnalyst, none, [&](Request& r) {
    auto job = service.batch(r.id_param());
    if (!job) throw not_found("batch scoring job", r.id_param());
    return Response::json(batch_job_json(*job));
  });
  add("GET", "/predict/batch/{id}/result", Role::kAnalyst, none, [&](Request& r) {
    auto job = service.batch(r.id_param());
    if (!job) throw not_found("batch scoring job", r.id_param());
    if (job->status != "succeeded") {
      throw ApiError(409, "conflict", fmt::format("batch scoring job {} is {}", job->id, job->status));
    }
    Response response = Response::file(job->result_path, "text/csv");  // streamed
    response.headers.push_back({"Content-Disposition", "attachment; filename=\"scored.csv\""});
    return response;
  });

  // Customers
  add("GET", "/customers", Role::kViewer, none, [&](Request& r) {
    CustomerQuery q;
    q.tier = r.query_value("tier").value_or("");
    if (!q.tier.empty() && q.tier != "low" && q.tier != "medium" && q.tier != "high") {
      throw ApiError(400, "invalid_parameter", "tier must be low, medium or high", "tier");
    }
    q.search = r.query_value("q").value_or("");
    q.segment_column = r.query_value("segment").value_or("");
    q.segment_value = r.query_value("segment_value").value_or("");
    if (!q.segment_column.empty() && !r.query_value("segment_value")) {
      throw ApiError(400, "invalid_parameter", "segment needs a segment_value", "segment_value");
    }
    q.sort = r.query_value("sort").value_or("-churn_probability");
    if (q.sort == "churn_probability" || q.sort == "-churn_probability") {
      q.sort = q.sort[0] == '-' ? "-probability" : "probability";
    } else if (q.sort != "customer_id" && q.sort != "-customer_id") {
      throw ApiError(400, "invalid_parameter",
                     "sort must be churn_probability, -churn_probability, customer_id or -customer_id",
                     "sort");
    }
    q.limit = integer_query(r, "limit", 50, 1, kMaxPageSize);
    q.offset = integer_query(r, "offset", 0, 0, INT64_MAX / 2);
    return Response::json(service.customers(q));
  });
  add("GET", "/customers/{id}", Role::kViewer, none, [&](Request& r) {
    auto customer = service.customer(r.params.at("id"));
    if (customer.is_null()) {
      throw ApiError(404, "not_found", "customer " + r.params.at("id") + " has no score");
    }
    return Response::json(customer);
  });

  add("GET", "/dashboard/summary", Role::kViewer, none, [&](Request&) {
    return Response::json(service.dashboard_summary());
  });
  add("POST", "/outcomes", Role::kAnalyst, json, [&](Request& r) {
    return Response::json({{"recorded", service.add_outcomes(r.json())}}, 201);
  });

  add("GET", "/metrics", Role::kViewer, none, [&](Request&) {
    auto model = service.active();
    metrics.set_gauge("smartchurn_active_model_version", "Version of the active model",
                      model ? double(model->record.version) : 0.0);
    metrics.set_gauge("smartchurn_training_jobs_running", "Training jobs running now",
                      double(service.training_jobs_running()));
    metrics.set_gauge("smartchurn_predictions_logged", "Predictions in the log",
                      double(service.store().prediction_count()));
    return Response::text(metrics.render(), "text/plain; version=0.0.4");
  });
}

}  // namespace smartchurn::server
