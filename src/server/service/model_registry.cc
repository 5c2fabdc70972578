#include "server/service/model_registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "server/model_inputs.h"
#include "smartchurn/error.h"

namespace smartchurn::server {

namespace fs = std::filesystem;

ModelRegistry::ModelRegistry(Store& store, std::string models_dir)
    : store_(store), models_dir_(std::move(models_dir)) {
  fs::create_directories(models_dir_);
}

std::optional<ModelRecord> ModelRegistry::load_active() {
  auto record = store_.active_model();
  if (!record) return std::nullopt;
  auto loaded = load(*record);
  std::lock_guard lock(mutex_);
  active_ = std::move(loaded);
  return record;
}

std::vector<ModelRecord> ModelRegistry::models() const { return store_.list_models(); }
std::optional<ModelRecord> ModelRegistry::model(int64_t id) const { return store_.get_model(id); }

std::string ModelRegistry::bundle_path_for_job(int64_t job_id) const {
  return (fs::path(models_dir_) / fmt::format("model-job{}.json", job_id)).string();
}

int64_t ModelRegistry::add(const std::string& bundle_path, const Bundle& bundle,
                           const TrainingJobRecord& job, const std::string& name) {
  ModelRecord record;
  record.name = name;
  record.algorithm = bundle.model_name;
  record.parameters = bundle.model->parameters();
  record.metrics = bundle.metrics;
  record.schema = bundle.schema;
  record.bundle_path = bundle_path;
  record.bundle_sha256 = sha256_file(bundle_path);
  record.dataset_id = job.dataset_id;
  record.job_id = job.id;
  record.created_at = timestamp_utc();
  return store_.add_model(record);
}

std::shared_ptr<LoadedModel> ModelRegistry::load(const ModelRecord& record,
                                                 bool explainable) const {
  auto loaded = std::make_shared<LoadedModel>();
  loaded->record = record;
  loaded->bundle = load_bundle(record.bundle_path);
  loaded->bundle.model->set_threads(1);  // one customer per request: no thread team to wake
  loaded->scorer = std::make_unique<Scorer>(loaded->bundle);
  if (explainable) {
    try {
      loaded->explainer = std::make_unique<Explainer>(loaded->bundle);
    } catch (const Error& e) {
      // The model still scores; explanations answer 409 with the reason.
      loaded->explainer_error = e.message();
    }
  }
  return loaded;
}

nlohmann::json ModelRegistry::details(int64_t id) const {
  auto record = store_.get_model(id);
  if (!record) return nullptr;
  auto loaded = load(*record, false);
  const Bundle& b = loaded->bundle;
  // The training data's profile gives the score form its ranges and typical values.
  nlohmann::json training_profile = nullptr;
  if (record->dataset_id) {
    if (auto dataset = store_.get_dataset(*record->dataset_id)) training_profile = dataset->profile;
  }
  // Importance per input column: the features made from a column add up to it.
  std::map<std::string, double> by_column;
  auto importance = b.model->feature_importance();
  const auto& features = b.pipeline.features();
  for (std::size_t i = 0; i < features.size() && i < importance.size(); ++i) {
    for (const auto& source : features[i].sources) {
      by_column[source] += importance[i] / static_cast<double>(features[i].sources.size());
    }
  }
  double total = 0;
  for (const auto& [column, value] : by_column) total += value;
  nlohmann::json columns = nlohmann::json::array();
  for (const auto& [column, value] : by_column) {
    columns.push_back({{"column", column}, {"importance", total > 0 ? value / total : 0.0}});
  }
  std::sort(columns.begin(), columns.end(), [](const auto& a, const auto& c) {
    return a["importance"].template get<double>() > c["importance"].template get<double>();
  });
  nlohmann::json feature_list = nlohmann::json::array();
  for (std::size_t i = 0; i < features.size(); ++i) {
    feature_list.push_back({{"name", features[i].name},
                            {"kind", features[i].kind},
                            {"sources", features[i].sources},
                            {"importance", i < importance.size() ? importance[i] : 0.0}});
  }
  return {{"id", record->id},
          {"name", record->name},
          {"version", record->version},
          {"algorithm", record->algorithm},
          {"active", record->active},
          {"created_at", record->created_at},
          {"dataset_id", record->dataset_id ? nlohmann::json(*record->dataset_id) : nullptr},
          {"parameters", record->parameters},
          {"metrics", record->metrics},
          {"schema", record->schema},
          {"feature_importance", columns},
          {"features", feature_list},
          {"risk_tiers", {{"medium", b.tiers.medium}, {"high", b.tiers.high}}},
          {"target", {{"column", b.target_column}, {"positive_label", b.positive_label}}},
          {"id_column",
           b.id_columns.empty() ? nlohmann::json(nullptr) : nlohmann::json(b.id_columns[0])},
          {"inputs", model_inputs(b, training_profile)},
          // Global view saved at training time; null for bundles from before explanations.
          {"explanations", b.explanation.global}};
}

bool ModelRegistry::activate(int64_t id) {
  auto record = store_.get_model(id);
  if (!record) return false;
  auto loaded = load(*record);  // a bundle that cannot load is refused before the switch
  if (!store_.activate_model(id)) return false;
  loaded->record.active = true;
  std::lock_guard lock(mutex_);
  active_ = std::move(loaded);  // in-flight requests keep the model they hold
  return true;
}

bool ModelRegistry::remove(int64_t id) {
  auto record = store_.get_model(id);
  if (!record) return false;
  if (record->active) {
    throw_conflict(fmt::format("model {} is the active model; activate another one first", id));
  }
  if (!store_.delete_model(id)) return false;
  std::error_code ignored;
  fs::remove(record->bundle_path, ignored);
  return true;
}

std::shared_ptr<const LoadedModel> ModelRegistry::active() const {
  std::lock_guard lock(mutex_);
  return active_;
}

}  // namespace smartchurn::server
