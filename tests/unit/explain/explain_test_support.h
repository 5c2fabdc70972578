// Bundles trained once per test program on the seeded demo customer base, and records from it.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "smartchurn/bundle.h"
#include "smartchurn/demo.h"
#include "smartchurn/trainer.h"
#include "test_support/temp_dir.h"

namespace smartchurn::test {

// The demo customer base (1000 rows, seed 7), read as `smartchurn train` reads it.
inline const Dataset& demo_customers() {
  static const Dataset data = [] {
    const TempDir dir("smartchurn-explain-demo");
    const std::string path = dir.file("demo.csv");
    write_demo_data(path, {1000, 7});
    ReadOptions options;
    options.id_columns = {"customer_id"};
    options.na_tokens = {"Unknown"};
    Dataset d = read_dataset(path, options);
    return d;
  }();
  return data;
}

// Trained bundles by model, kept for the whole test program. Emptied by a test environment's
// TearDown (explain_test_support.cc): XGBoost boosters must be freed before XGBoost's own statics.
inline std::map<std::string, std::unique_ptr<TrainResult>>& bundle_cache() {
  static std::map<std::string, std::unique_ptr<TrainResult>> cache;
  return cache;
}

// A bundle of one model family trained on the demo customers (small forests keep tests quick).
inline const Bundle& demo_bundle(const std::string& model, bool combined_features = true) {
  const std::string key = model + (combined_features ? "" : "-plain");
  auto& slot = bundle_cache()[key];
  if (!slot) {
    TrainOptions options;
    options.target = "churn";
    options.models = {model};
    options.folds = 2;
    options.threads = 1;
    options.prep.combined_features = combined_features;
    options.model_params["rf"] = {{"n_trees", 20}, {"max_depth", 6}};
    slot = std::make_unique<TrainResult>(train(demo_customers(), options));
  }
  return slot->bundle;
}

// Row `row` of a data set as the text cells of `columns`, as a CSV would hold them.
inline std::vector<std::string> cells_of(const Dataset& data, std::size_t row,
                                         const std::vector<std::string>& columns) {
  std::vector<std::string> cells;
  for (const auto& name : columns) cells.push_back(data.column(name).text_at(row));
  return cells;
}

inline std::vector<std::string_view> views_of(const std::vector<std::string>& cells) {
  return {cells.begin(), cells.end()};
}

}  // namespace smartchurn::test
