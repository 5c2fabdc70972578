// A model bundle: one versioned JSON file with everything needed to score new customers exactly as
// the training data was prepared: input schema, preparation, model, metrics and provenance. JSON
// keeps it readable and safe: loading a bundle never runs code from it.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "smartchurn/dataset.h"
#include "smartchurn/model.h"
#include "smartchurn/pipeline.h"

namespace smartchurn {

inline constexpr int kBundleFormat = 1;

struct RiskTiers {
  double medium = 0.3;  // probability at or above which a customer is "medium"
  double high = 0.6;    // ... and "high"
  const char* tier(double probability) const {
    return probability >= high ? "high" : probability >= medium ? "medium" : "low";
  }
};

// What explanations need from training, saved with the model. Bundles written before
// explanations existed have none: they still load, tree models explain exactly, linear models use
// the standardisation centres as reference, and the model-agnostic method asks for a retrain.
struct ExplanationBasis {
  // Mean of each prepared feature over the training rows: the linear models' reference point.
  std::vector<double> feature_means;
  // A seeded sample of training rows as raw text, one cell per pipeline input column, in that
  // order: the background of the model-agnostic method.
  std::vector<std::vector<std::string>> background;
  // The global view computed at training time (see docs/explanations.md): importance,
  // dependence, permutation importance, partial dependence. Null when absent.
  nlohmann::json global;

  bool empty() const { return feature_means.empty() && background.empty() && global.is_null(); }
};

struct Bundle {
  Schema schema;                        // every column of the training file
  std::vector<std::string> id_columns;  // identifier columns, the user's --id first
  std::string target_column, positive_label, negative_label;
  Pipeline pipeline;
  std::string model_name;
  std::unique_ptr<Model> model;
  RiskTiers tiers;
  nlohmann::json metrics;     // cross-validated figures of this model and the leaderboard
  nlohmann::json provenance;  // software version, created_at, training data sha256 and rows
  ExplanationBasis explanation;

  // Churn probabilities for every row of `data` (read with `schema`).
  std::vector<double> predict(const Dataset& data) const;
  // Columns a scoring file must have: the pipeline's inputs.
  const std::vector<std::string>& required_columns() const { return pipeline.input_columns(); }
  // Every other column of the schema (ids, target, unused columns) may be absent when scoring.
  std::vector<std::string> optional_columns() const;
  // The first identifier column of the training data that `data` has, or null.
  const Column* id_column(const Dataset& data) const;
};

nlohmann::json bundle_to_json(const Bundle& bundle);
Bundle bundle_from_json(const nlohmann::json& j);

// Writes to a temporary file, flushes it to disk and renames it over `path`, so a crash leaves
// either the old file or the new one, never a torn one.
void save_bundle(const Bundle& bundle, const std::string& path);
// Errors: kIo (unreadable), kBadData (not a bundle, damaged), kIncompatible (other format version,
// naming both versions).
Bundle load_bundle(const std::string& path);

// Current time as ISO 8601 UTC, or SOURCE_DATE_EPOCH when set (reproducible builds of bundles).
std::string timestamp_utc();

}  // namespace smartchurn
