// Feature selection over the candidate features of the training rows.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "features/candidate.h"

namespace smartchurn::features {

struct Selection {
  std::vector<std::size_t> kept;                     // indices into the candidates, ascending
  nlohmann::json dropped = nlohmann::json::array();  // [{feature, reason}]
};

// Drops, in candidate order (so single-column features win over combined ones): constant and
// near-constant features (one value in >= 99.9% of rows), exact duplicates of a kept feature, and
// features whose |Pearson r| with a kept feature is at or above `collinear_threshold`.
Selection select_features(const std::vector<features::Candidate>& candidates,
                          const std::vector<std::vector<double>>& columns,
                          double collinear_threshold);

// Keeps the `k` features with the highest gain in a quick gradient-boosting fit (100 rounds),
// returning ascending positions into `columns`.
std::vector<std::size_t> top_k_by_importance(const std::vector<std::vector<double>>& columns,
                                             const std::vector<bool>& categorical,
                                             std::span<const float> y, std::size_t k,
                                             uint64_t seed);

}  // namespace smartchurn::features
