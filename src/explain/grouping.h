// From prepared features back to the user's input columns: each feature's contribution is split
// among the columns it comes from by Pipeline::source_shares(), and the columns are ranked.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "smartchurn/explain.h"
#include "smartchurn/pipeline.h"

namespace smartchurn::explain {

// Per feature: (input column index, share), shares summing to 1.
using ColumnShares = std::vector<std::vector<std::pair<std::size_t, double>>>;

// The pipeline's source shares with columns as indices into its input columns.
ColumnShares column_shares(const Pipeline& pipeline);

// Sums per-feature contributions into `columns` input columns.
std::vector<double> group_by_column(std::span<const double> feature_contributions,
                                    const ColumnShares& shares, std::size_t columns);

// Reasons for every column, the largest |contribution| first; ties keep the column order.
std::vector<Reason> ranked_reasons(const std::vector<std::string>& columns,
                                   std::span<const double> contributions,
                                   std::vector<std::string> values);

}  // namespace smartchurn::explain
