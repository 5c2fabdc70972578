#include "server/routes.h"

#include "server/routes/route_groups.h"

namespace smartchurn::server {

void add_api_routes(Router& router, ChurnService& service, Metrics& metrics) {
  add_health_routes(router, service, metrics);
  add_dataset_routes(router, service);
  add_training_routes(router, service);
  add_model_routes(router, service);
  add_scoring_routes(router, service);
  add_customer_routes(router, service);
}

}  // namespace smartchurn::server
