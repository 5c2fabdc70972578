// Which columns of a data set a model may learn from, and why the others are left out.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "smartchurn/dataset.h"
#include "smartchurn/trainer.h"

namespace smartchurn::training {

struct ColumnChoice {
  std::vector<std::string> features;
  nlohmann::json excluded = nlohmann::json::array();  // [{column, reason}]
};

// Every column except the target, identifiers, constants, the user's --drop columns and (unless
// keep_leakage) columns the profile flags as suspected leakage.
ColumnChoice choose_feature_columns(const Dataset& data, const Target& target,
                                    const TrainOptions& options);

// Rows to train on: the first of each group of exact duplicates (feature columns and target,
// identifiers ignored) is kept. Returns ascending row indices.
std::vector<std::size_t> unique_rows(const Dataset& data, const std::vector<std::string>& columns);

}  // namespace smartchurn::training
