// Training jobs: start (checked against the data set before a job exists), status, progress
// events, cancel.
#include <fmt/format.h>

#include "server/request_fields.h"
#include "server/routes/route_groups.h"
#include "smartchurn/error.h"

namespace smartchurn::server {

namespace {

constexpr int64_t kMinFolds = 2;
constexpr int64_t kMaxFolds = 20;

std::map<std::string, std::map<std::string, double>> parse_params(const nlohmann::json& value) {
  if (!value.is_object()) {
    throw_field("params",
                "params must be an object of model: {parameter: number}, not " + json_kind(value));
  }
  std::map<std::string, std::map<std::string, double>> out;
  for (const auto& [model, values] : value.items()) {
    const std::string model_field = member_path("params", model);
    if (!values.is_object()) {
      throw_field(model_field, fmt::format("{} must be an object of parameter: number, not {}",
                                           model_field, json_kind(values)));
    }
    auto& parsed = out[model];
    for (const auto& [name, number] : values.items()) {
      const std::string field = member_path(model_field, name);
      if (!number.is_number()) {
        throw_field(field, fmt::format("{} must be a number, not {}", field, json_kind(number)));
      }
      parsed[name] = number.get<double>();
    }
  }
  return out;
}

}  // namespace

TrainingRequest parse_training_request(const nlohmann::json& body) {
  object_body(body);
  refuse_unknown_members(body, {"dataset_id", "target", "positive_label", "id_column", "na_values",
                                "models", "params", "folds"});
  TrainingRequest request;
  request.dataset_id =
      integer_value(required_member(body, "dataset_id", "dataset_id"), "dataset_id", 1, INT64_MAX);
  request.target = string_value(required_member(body, "target", "target"), "target");
  if (request.target.empty()) throw_field("target", "target must name a column");
  if (const auto* positive = optional_member(body, "positive_label")) {
    std::string label = string_value(*positive, "positive_label");
    if (!label.empty()) request.positive_label = std::move(label);  // "" means "detect"
  }
  if (const auto* ids = optional_member(body, "id_column")) {
    request.id_columns = string_list(*ids, "id_column");
  }
  if (const auto* na = optional_member(body, "na_values")) {
    request.na_values = string_list(*na, "na_values");
  }
  if (const auto* models = optional_member(body, "models")) {
    request.models = string_list(*models, "models");
    if (request.models.empty()) throw_field("models", "models must name at least one model");
  }
  if (const auto* params = optional_member(body, "params")) request.params = parse_params(*params);
  if (const auto* folds = optional_member(body, "folds")) {
    request.folds = static_cast<int>(integer_value(*folds, "folds", kMinFolds, kMaxFolds));
  }
  return request;
}

void add_training_routes(Router& router, ChurnService& service) {
  router.add(
      {"POST", api_path("/training-jobs"), Role::kAnalyst, BodyKind::kJson,
       [&](Request& r) {
         const int64_t id = service.start_training(parse_training_request(r.json()));
         Response response = Response::json(training_job_json(*service.job(id)), 202);
         response.headers.push_back({"Location", api_path("/training-jobs/" + std::to_string(id))});
         return response;
       },
       Cost::kSlow});
  router.add(
      {"GET", api_path("/training-jobs/{id}"), Role::kViewer, BodyKind::kNone, [&](Request& r) {
         const int64_t id = r.id_param();
         auto job = service.job(id);
         if (!job) throw_missing("training job", id);
         return Response::json(training_job_json(*job));
       }});
  router.add({"GET", api_path("/training-jobs/{id}/events"), Role::kViewer, BodyKind::kNone,
              [&](Request& r) {
                const int64_t id = r.id_param();
                if (!service.job(id)) throw_missing("training job", id);
                Response response;
                response.events = [&service, id](EventSink& sink) {
                  service.follow_job(id,
                                     [&](const JobEvent& e) { return sink.send(e.event, e.data); });
                };
                return response;
              }});
  router.add(
      {"DELETE", api_path("/training-jobs/{id}"), Role::kAnalyst, BodyKind::kNone, [&](Request& r) {
         const int64_t id = r.id_param();
         service.cancel_job(id);
         return Response::json(training_job_json(*service.job(id)), 202);
       }});
}

}  // namespace smartchurn::server
