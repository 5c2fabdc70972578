#include "models/params.h"

#include <fmt/format.h>

#include <cmath>

#include "smartchurn/error.h"

namespace smartchurn {
namespace {

std::string describe_range(const ParamSpec& spec) {
  return fmt::format("{} in [{}, {}]", spec.integer ? "an integer" : "a number", spec.min_value,
                     spec.max_value);
}

std::string known_names(const std::vector<ParamSpec>& specs) {
  std::string out;
  for (const auto& spec : specs) out += (out.empty() ? "" : ", ") + spec.name;
  return out.empty() ? "none" : out;
}

}  // namespace

nlohmann::json resolve_params(const std::string& model_name, const std::vector<ParamSpec>& specs,
                              const nlohmann::json& overrides) {
  if (!overrides.is_null() && !overrides.is_object()) {
    throw_usage(fmt::format("parameters of model '{}' must be a JSON object", model_name));
  }
  nlohmann::json resolved = nlohmann::json::object();
  for (const auto& spec : specs) {
    if (spec.integer) {
      resolved[spec.name] = static_cast<long long>(spec.default_value);
    } else {
      resolved[spec.name] = spec.default_value;
    }
  }
  if (overrides.is_null()) return resolved;
  for (const auto& [name, value] : overrides.items()) {
    const ParamSpec* spec = nullptr;
    for (const auto& candidate : specs) {
      if (candidate.name == name) spec = &candidate;
    }
    if (spec == nullptr) {
      throw_usage(fmt::format("model '{}' has no parameter '{}' (known: {})", model_name, name,
                              known_names(specs)));
    }
    if (!value.is_number() || value.is_boolean()) {
      throw_usage(fmt::format("parameter '{}' of model '{}' must be {}", name, model_name,
                              describe_range(*spec)));
    }
    const double number = value.get<double>();
    const bool whole = std::isfinite(number) && std::floor(number) == number;
    if (!std::isfinite(number) || number < spec->min_value || number > spec->max_value ||
        (spec->integer && !whole)) {
      throw_usage(fmt::format("parameter '{}' of model '{}' must be {}, got {}", name, model_name,
                              describe_range(*spec), value.dump()));
    }
    if (spec->integer) {
      resolved[name] = static_cast<long long>(number);
    } else {
      resolved[name] = number;
    }
  }
  return resolved;
}

double param_double(const nlohmann::json& params, const std::string& name) {
  return params.at(name).get<double>();
}

int param_int(const nlohmann::json& params, const std::string& name) {
  return static_cast<int>(params.at(name).get<long long>());
}

}  // namespace smartchurn
