// Training: cross-validates every requested model family on prepared data, ranks them, refits the
// best on all rows and returns it as a model bundle.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "smartchurn/bundle.h"
#include "smartchurn/dataset.h"
#include "smartchurn/metrics.h"
#include "smartchurn/pipeline.h"

namespace smartchurn {

struct TrainOptions {
  std::string target;
  std::optional<std::string> positive;
  std::vector<std::string> models = {"lr", "rf", "gbm"};
  std::map<std::string, nlohmann::json> model_params;  // per model name, overrides defaults
  int folds = 5;
  uint64_t seed = 42;
  int threads = 0;            // 0: every core
  bool keep_leakage = false;  // train on columns that the profile flags as leakage
  std::vector<std::string> drop_columns;
  PrepOptions prep;  // the style is chosen per model
  RiskTiers tiers;
  // The bundle always keeps what explanations need (feature means, a background sample); with
  // this, also the global view (importance, dependence, permutation importance on held-out rows,
  // partial dependence), which costs one more fit and a few thousand predictions.
  bool global_view = true;
  // Called with the share of work done (0..1) and the current step, from the calling thread.
  std::function<void(double, const std::string&)> progress;
};

struct MeanStd {
  double mean = 0, std = 0;
};

struct ModelResult {
  std::string name, title;
  std::map<std::string, MeanStd>
      cv;                      // roc_auc, pr_auc, f1, accuracy, precision, recall, log_loss, brier
  double fit_seconds = 0;      // mean fit time per fold
  nlohmann::json out_of_fold;  // evaluation_report of the out-of-fold predictions
};

struct TrainReport {
  std::vector<ModelResult> leaderboard;  // best first (by mean CV ROC-AUC)
  std::string best;
  std::size_t rows = 0;                // rows in the file
  std::size_t duplicates_removed = 0;  // exact duplicate rows (ignoring ids) left out
  std::string target, positive_label;
  double positive_rate = 0;
  std::vector<std::string> feature_columns;
  nlohmann::json excluded_columns = nlohmann::json::array();  // [{column, reason}]
  nlohmann::json preparation;                                 // summary of the final pipeline
  int folds = 0;
  double seconds = 0;
};
nlohmann::json to_json(const TrainReport& report);

struct TrainResult {
  TrainReport report;
  Bundle bundle;
};

TrainResult train(const Dataset& data, const TrainOptions& options);

}  // namespace smartchurn
