// The model registry: list, details, activate, delete.
#include "server/routes/route_groups.h"

namespace smartchurn::server {

namespace {

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

}  // namespace

void add_model_routes(Router& router, ChurnService& service) {
  router.add({"GET", api_path("/models"), Role::kViewer, BodyKind::kNone, [&](Request&) {
                nlohmann::json list = nlohmann::json::array();
                for (const auto& m : service.models()) list.push_back(model_json(m));
                return Response::json({{"models", list}});
              }});
  router.add({"GET", api_path("/models/{id}"), Role::kViewer, BodyKind::kNone,
              [&](Request& r) {
                const int64_t id = r.id_param();
                auto details = service.model_details(id);
                if (details.is_null()) throw_missing("model", id);
                return Response::json(details);
              },
              Cost::kSlow});
  router.add({"POST", api_path("/models/{id}/activate"), Role::kAdmin, BodyKind::kNone,
              [&](Request& r) {
                const int64_t id = r.id_param();
                if (!service.activate_model(id)) throw_missing("model", id);
                return Response::json(model_json(*service.model(id)));
              },
              Cost::kSlow});
  router.add({"DELETE", api_path("/models/{id}"), Role::kAdmin, BodyKind::kNone,
              [&](Request& r) {
                const int64_t id = r.id_param();
                if (!service.delete_model(id)) throw_missing("model", id);
                return Response::no_content();
              },
              Cost::kSlow});
}

}  // namespace smartchurn::server
