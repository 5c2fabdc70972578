// Resolves a model's parameters: the declared defaults overlaid with the caller's overrides,
// validated against each ParamSpec's range.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "smartchurn/model.h"

namespace smartchurn {

// Returns an object holding every declared parameter. Unknown names, non-numeric values, values
// outside [min, max] and fractional values of integer parameters are kUsage errors that name the
// parameter and its range.
nlohmann::json resolve_params(const std::string& model_name, const std::vector<ParamSpec>& specs,
                              const nlohmann::json& overrides);

// Reads a resolved parameter (the registry guarantees it is present and in range).
double param_double(const nlohmann::json& params, const std::string& name);
int param_int(const nlohmann::json& params, const std::string& name);

}  // namespace smartchurn
