// Exporting a model bundle for use outside SmartChurn: as dependency-free C99 source that scores
// customers exactly as Bundle::predict does (for embedding in other systems or edge devices), and
// as a documented, versioned, human-readable JSON description, and tree models as XGBoost's own
// model file. docs/export.md describes both.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "smartchurn/bundle.h"

namespace smartchurn {

// Version of the JSON description written by export_json ("format_version").
inline constexpr int kExportJsonFormat = 1;

// Writes the C source and its header. `prefix` names every public symbol (PREFIX_predict,
// PREFIX_input, ...); it must be a C identifier (kUsage otherwise). `header_name` is how the source
// includes the header ("scorer.h"). Errors: kBadData when the bundle holds a model the exporter
// does not know.
void export_c(const Bundle& bundle, std::ostream& source, std::ostream& header,
              const std::string& prefix, const std::string& header_name = "scorer.h");

// The model as a self-describing JSON document (inputs, preparation, model, metrics).
nlohmann::json export_json(const Bundle& bundle);

// A tree model's booster as XGBoost's own JSON model text (only the rounds it predicts with), for
// xgboost.Booster(model_file=...) reading the feature matrix `smartchurn transform` writes.
// Errors: kUsage for a model that is not a tree ensemble (logistic regression).
std::string export_xgboost(const Bundle& bundle);

}  // namespace smartchurn
