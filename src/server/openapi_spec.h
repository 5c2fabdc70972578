// docs/openapi.yaml, embedded at build time (cmake/embed_file.cmake), so that an installed binary
// serves the spec of exactly its own API at GET /api/v1/openapi.yaml.
#pragma once

#include <string_view>

namespace smartchurn::server {
std::string_view openapi_spec_yaml();
}  // namespace smartchurn::server
