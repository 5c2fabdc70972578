// Health (liveness, readiness), the Prometheus metrics and the API's own OpenAPI description.
#include "server/openapi_spec.h"
#include "server/routes/route_groups.h"
#include "server/runtime_metrics.h"

namespace smartchurn::server {

void add_health_routes(Router& router, ChurnService& service, Metrics& metrics) {
  router.add({"GET", api_path("/health/live"), Role::kNone, BodyKind::kNone, [](Request&) {
                return Response::json({{"status", "live"}});
              }});
  // Readiness needs an active model.
  router.add(
      {"GET", api_path("/health/ready"), Role::kNone, BodyKind::kNone, [&](Request&) {
         auto model = service.active();
         if (!model) {
           return Response::json({{"status", "not ready"}, {"reason", "no active model"}}, 503);
         }
         return Response::json({{"status", "ready"}, {"model_version", model->record.version}});
       }});
  const Handler render_metrics = [&](Request&) {
    auto model = service.active();
    metrics.set_gauge("smartchurn_active_model_version", "Version of the active model",
                      model ? double(model->record.version) : 0.0);
    metrics.set_gauge("smartchurn_training_jobs_running", "Training jobs running now",
                      double(service.training_jobs_running()));
    metrics.set_gauge("smartchurn_predictions_logged", "Predictions in the log",
                      double(service.store().prediction_count()));
    return Response::text(metrics.render() + render_runtime_metrics(SMARTCHURN_VERSION),
                          "text/plain; version=0.0.4; charset=utf-8");
  };
  // /metrics is where a default Prometheus scrape config looks; /api/v1/metrics beside the API.
  router.add({"GET", "/metrics", Role::kViewer, BodyKind::kNone, render_metrics});
  router.add({"GET", api_path("/metrics"), Role::kViewer, BodyKind::kNone, render_metrics});
  // Public like the health checks: it describes the API and holds no data.
  router.add({"GET", api_path("/openapi.yaml"), Role::kNone, BodyKind::kNone, [](Request&) {
                return Response::text(std::string(openapi_spec_yaml()), "application/yaml");
              }});
}

}  // namespace smartchurn::server
