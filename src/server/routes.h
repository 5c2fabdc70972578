// The REST API under /api/v1: binds each route of docs/openapi.yaml to the service.
#pragma once

#include "server/churn_service.h"
#include "server/metrics.h"
#include "server/router.h"

namespace smartchurn::server {

inline constexpr const char* kApiPrefix = "/api/v1";

// Adds every API route to `router`. `metrics` is rendered by GET /api/v1/metrics.
void add_api_routes(Router& router, ChurnService& service, Metrics& metrics);

}  // namespace smartchurn::server
