// Datasets: upload (profiled first), list, one with its profile, profile against a target, delete.
#include "server/routes/route_groups.h"

namespace smartchurn::server {

namespace {

nlohmann::json dataset_json(const DatasetRecord& d, bool with_profile) {
  nlohmann::json j = {{"id", d.id},     {"name", d.name},       {"sha256", d.sha256},
                      {"rows", d.rows}, {"columns", d.columns}, {"created_at", d.created_at}};
  if (with_profile) j["profile"] = d.profile;
  return j;
}

}  // namespace

void add_dataset_routes(Router& router, ChurnService& service) {
  router.add({"POST", api_path("/datasets"), Role::kAnalyst, BodyKind::kUpload, [&](Request& r) {
                auto record = service.add_dataset(r.upload_path, r.upload_filename);
                Response response = Response::json(dataset_json(record, true), 201);
                response.headers.push_back(
                    {"Location", api_path("/datasets/" + std::to_string(record.id))});
                return response;
              }});
  router.add({"GET", api_path("/datasets"), Role::kViewer, BodyKind::kNone, [&](Request&) {
                nlohmann::json list = nlohmann::json::array();
                for (const auto& d : service.datasets()) list.push_back(dataset_json(d, false));
                return Response::json({{"datasets", list}});
              }});
  router.add({"GET", api_path("/datasets/{id}"), Role::kViewer, BodyKind::kNone, [&](Request& r) {
                const int64_t id = r.id_param();
                auto record = service.dataset(id);
                if (!record) throw_missing("dataset", id);
                return Response::json(dataset_json(*record, true));
              }});
  router.add({"GET", api_path("/datasets/{id}/profile"), Role::kViewer, BodyKind::kNone,
              [&](Request& r) {
                const int64_t id = r.id_param();
                std::optional<std::string> positive = r.query_value("positive_label");
                if (positive && positive->empty()) positive.reset();
                auto profile =
                    service.dataset_profile(id, r.query_value("target").value_or(""), positive);
                if (profile.is_null()) throw_missing("dataset", id);
                return Response::json(profile);
              },
              Cost::kSlow});
  router.add({"DELETE", api_path("/datasets/{id}"), Role::kAnalyst, BodyKind::kNone,
              [&](Request& r) {
                const int64_t id = r.id_param();
                if (!service.delete_dataset(id)) throw_missing("dataset", id);
                return Response::no_content();
              },
              Cost::kSlow});
}

}  // namespace smartchurn::server
