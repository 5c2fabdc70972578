#include "server/training_request.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>

#include "server/request_fields.h"
#include "smartchurn/model.h"

namespace smartchurn::server {

namespace {

constexpr std::size_t kColumnsNamed = 20;  // columns listed in a message, at most

// A list member's field: "models" when it was given as one string, "models[2]" otherwise.
std::string list_field(const std::string& name, std::size_t index, std::size_t size) {
  return size == 1 ? name : index_path(name, index);
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

class DatasetColumns {
 public:
  explicit DatasetColumns(const DatasetRecord& dataset) : dataset_(dataset) {
    if (dataset.profile.contains("column_profiles")) {
      for (const auto& column : dataset.profile["column_profiles"]) {
        if (column.is_object() && column.contains("name")) columns_.push_back(&column);
      }
    }
  }

  const nlohmann::json* find(const std::string& name) const {
    for (const auto* column : columns_) {
      if ((*column)["name"] == name) return column;
    }
    return nullptr;
  }

  // Refuses `name` at `field` unless the data set has such a column.
  const nlohmann::json& require(const std::string& name, const std::string& field) const {
    if (const auto* column = find(name)) return *column;
    std::vector<std::string> names;
    for (const auto* column : columns_) {
      if (names.size() == kColumnsNamed) {
        names.push_back("...");
        break;
      }
      names.push_back(fmt::format("'{}'", (*column)["name"].get<std::string>()));
    }
    throw_field(field, fmt::format("{}: data set {} has no column '{}' (its columns: {})", field,
                                   dataset_.id, name, fmt::join(names, ", ")));
  }

 private:
  const DatasetRecord& dataset_;
  std::vector<const nlohmann::json*> columns_;
};

void check_target(const TrainingRequest& request, const DatasetColumns& columns) {
  const nlohmann::json& target = columns.require(request.target, "target");
  const int64_t distinct = target.value("distinct", int64_t{0});
  if (distinct != 2) {
    throw_field("target", fmt::format("target: column '{}' has {} distinct values; a churn target "
                                      "needs exactly two (churners and stayers)",
                                      request.target, distinct));
  }
  if (const int64_t missing = target.value("missing", int64_t{0}); missing > 0) {
    throw_field("target", fmt::format("target: column '{}' is missing in {} row{}; every row needs "
                                      "a churn label",
                                      request.target, missing, missing == 1 ? "" : "s"));
  }
  if (!request.positive_label) return;
  const auto& top = target.contains("top") ? target["top"] : nlohmann::json::array();
  std::vector<std::string> labels;
  for (const auto& level : top) labels.push_back(level.value("value", ""));
  if (labels.size() < 2) return;  // a numeric target: the profile lists no labels to compare
  const std::string wanted = lower(*request.positive_label);
  if (std::none_of(labels.begin(), labels.end(),
                   [&](const std::string& label) { return lower(label) == wanted; })) {
    throw_field("positive_label",
                fmt::format("positive_label: '{}' is not a value of '{}' (its values: '{}')",
                            *request.positive_label, request.target, fmt::join(labels, "', '")));
  }
}

void check_params(const TrainingRequest& request, const std::vector<std::string>& models) {
  for (const auto& [model, values] : request.params) {
    const std::string model_field = member_path("params", model);
    if (std::find(models.begin(), models.end(), model) == models.end()) {
      throw_field(model_field, fmt::format("{}: '{}' is not among the models to train ({})",
                                           model_field, model, fmt::join(models, ", ")));
    }
    const ModelInfo& info = find_model(model);
    for (const auto& [name, value] : values) {
      const std::string field = member_path(model_field, name);
      const std::string& wanted = name;  // clang 14 cannot capture a structured binding
      const auto spec = std::find_if(info.params.begin(), info.params.end(),
                                     [&](const ParamSpec& p) { return p.name == wanted; });
      if (spec == info.params.end()) {
        std::vector<std::string> known;
        for (const auto& p : info.params) known.push_back(p.name);
        throw_field(field, fmt::format("{}: {} has no parameter '{}' (its parameters: {})", field,
                                       model, name, fmt::join(known, ", ")));
      }
      if (value < spec->min_value || value > spec->max_value ||
          (spec->integer && value != static_cast<double>(static_cast<int64_t>(value)))) {
        throw_field(field, fmt::format("{} must be {} from {} to {}, not {}", field,
                                       spec->integer ? "a whole number" : "a number",
                                       spec->min_value, spec->max_value, value));
      }
    }
  }
}

}  // namespace

void check_training_request(const TrainingRequest& request, const DatasetRecord& dataset) {
  const DatasetColumns columns(dataset);
  check_target(request, columns);
  for (std::size_t i = 0; i < request.id_columns.size(); ++i) {
    const std::string field = list_field("id_column", i, request.id_columns.size());
    columns.require(request.id_columns[i], field);
    if (request.id_columns[i] == request.target) {
      throw_field(field, fmt::format("{}: the target '{}' cannot also be an id column", field,
                                     request.target));
    }
  }
  const std::vector<std::string> models =
      request.models.empty() ? TrainOptions{}.models : request.models;
  for (std::size_t i = 0; i < request.models.size(); ++i) {
    const std::string field = list_field("models", i, request.models.size());
    const auto& registry = model_registry();
    if (std::none_of(registry.begin(), registry.end(),
                     [&](const ModelInfo& m) { return m.name == request.models[i]; })) {
      std::vector<std::string> known;
      for (const auto& m : registry) known.push_back(m.name);
      throw_field(field, fmt::format("{}: no model named '{}' (known: {})", field,
                                     request.models[i], fmt::join(known, ", ")));
    }
  }
  check_params(request, models);
  if (request.folds > dataset.rows) {
    throw_field("folds", fmt::format("folds: {} folds need at least {} rows; data set {} has {}",
                                     request.folds, request.folds, dataset.id, dataset.rows));
  }
}

TrainOptions train_options(const TrainingRequest& request) {
  TrainOptions options;
  options.target = request.target;
  options.positive = request.positive_label;
  if (!request.models.empty()) options.models = request.models;
  for (const auto& [model, values] : request.params) {
    nlohmann::json params = nlohmann::json::object();
    for (const auto& [name, value] : values) params[name] = value;
    options.model_params[model] = std::move(params);
  }
  options.folds = request.folds;
  return options;
}

nlohmann::json to_json(const TrainingRequest& request) {
  nlohmann::json out = {
      {"dataset_id", request.dataset_id}, {"target", request.target}, {"folds", request.folds}};
  if (request.positive_label) out["positive_label"] = *request.positive_label;
  if (!request.id_columns.empty()) out["id_column"] = request.id_columns;
  if (!request.na_values.empty()) out["na_values"] = request.na_values;
  if (!request.models.empty()) out["models"] = request.models;
  if (!request.params.empty()) out["params"] = request.params;
  return out;
}

}  // namespace smartchurn::server
