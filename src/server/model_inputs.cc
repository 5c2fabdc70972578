#include "server/model_inputs.h"

#include <algorithm>
#include <cmath>

namespace smartchurn::server {

namespace {

const nlohmann::json* column_profile(const nlohmann::json& profile, const std::string& name) {
  if (!profile.is_object() || !profile.contains("column_profiles")) return nullptr;
  for (const auto& c : profile["column_profiles"]) {
    if (c.value("name", "") == name) return &c;
  }
  return nullptr;
}

// The most frequent value the profile saw, when it is one of `allowed`.
nlohmann::json most_frequent(const nlohmann::json* column,
                             const std::vector<std::string>& allowed) {
  if (!column || !column->contains("top")) return nullptr;
  for (const auto& level : (*column)["top"]) {
    const std::string value = level.value("value", "");
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return value;
  }
  return nullptr;
}

}  // namespace

nlohmann::json model_inputs(const Bundle& bundle, const nlohmann::json& profile) {
  const auto& used = bundle.pipeline.input_columns();
  nlohmann::json inputs = nlohmann::json::array();
  for (const auto& column : bundle.schema.columns) {
    if (std::find(used.begin(), used.end(), column.name) == used.end()) continue;
    const nlohmann::json* stats = column_profile(profile, column.name);
    nlohmann::json input = {{"name", column.name}, {"default", nullptr}};
    switch (column.type) {
      case ColumnType::kNumeric: {
        input["type"] = "numeric";
        input["integer"] = column.integer;
        if (stats && stats->contains("numeric") && (*stats)["numeric"].is_object()) {
          const auto& n = (*stats)["numeric"];
          input["min"] = n.value("min", 0.0);
          input["max"] = n.value("max", 0.0);
          double median = n.value("median", 0.0);
          if (column.integer) median = std::round(median);
          input["median"] = median;
          input["default"] = median;
        }
        break;
      }
      case ColumnType::kBoolean: {
        input["type"] = "boolean";
        input["true_label"] = column.true_label;
        input["false_label"] = column.false_label;
        nlohmann::json typical = most_frequent(stats, {column.true_label, column.false_label});
        input["default"] = typical.is_null() ? nlohmann::json(column.false_label) : typical;
        break;
      }
      default: {
        input["type"] = "categorical";
        input["levels"] = column.levels;
        nlohmann::json typical = most_frequent(stats, column.levels);
        if (typical.is_null() && !column.levels.empty()) typical = column.levels.front();
        input["default"] = typical;
        break;
      }
    }
    inputs.push_back(std::move(input));
  }
  return inputs;
}

}  // namespace smartchurn::server
