// The model registry: trained bundles recorded in the store, loaded for scoring, and the active
// model. The active model is a shared_ptr swapped under a lock: a request keeps the model it
// started with, so activation never fails one. Internal to src/server.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "smartchurn/bundle.h"
#include "smartchurn/explain.h"
#include "smartchurn/scorer.h"
#include "smartchurn/store.h"

namespace smartchurn::server {

// A registry model loaded for scoring; shared by in-flight requests, so activation never pulls a
// model out from under one.
struct LoadedModel {
  ModelRecord record;
  Bundle bundle;
  std::unique_ptr<Scorer> scorer;        // the bundle compiled for fast scoring
  std::unique_ptr<Explainer> explainer;  // null when the model cannot be explained:
  std::string explainer_error;           // ... and why
};

class ModelRegistry {
 public:
  // Bundles are saved under `models_dir` (created when missing).
  ModelRegistry(Store& store, std::string models_dir);

  // Loads the store's active model, if there is one, and returns its record.
  std::optional<ModelRecord> load_active();
  std::vector<ModelRecord> models() const;
  std::optional<ModelRecord> model(int64_t id) const;
  // Record, importance per column and feature, inputs for a scoring form; null when absent.
  nlohmann::json details(int64_t id) const;
  // Loads the bundle first (a model that cannot load is refused); false when there is no such
  // model.
  bool activate(int64_t id);
  // False when there is no such model; Error(kConflict) for the active one.
  bool remove(int64_t id);
  std::shared_ptr<const LoadedModel> active() const;  // null when none
  std::shared_ptr<LoadedModel> load(const ModelRecord& record, bool explainable = true) const;

  // Where a training job saves its bundle, and recording it (returns the model id).
  std::string bundle_path_for_job(int64_t job_id) const;
  int64_t add(const std::string& bundle_path, const Bundle& bundle, const TrainingJobRecord& job,
              const std::string& name);

 private:
  Store& store_;
  std::string models_dir_;
  mutable std::mutex mutex_;
  std::shared_ptr<const LoadedModel> active_;
};

}  // namespace smartchurn::server
