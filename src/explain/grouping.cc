#include "explain/grouping.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "smartchurn/error.h"

namespace smartchurn::explain {

ColumnShares column_shares(const Pipeline& pipeline) {
  const auto& columns = pipeline.input_columns();
  ColumnShares out;
  for (const auto& feature : pipeline.source_shares()) {
    out.emplace_back();
    for (const auto& [name, share] : feature) {
      auto it = std::find(columns.begin(), columns.end(), name);
      if (it == columns.end()) {
        throw Error(ErrorCode::kInternal, "a feature comes from '" + name +
                                              "', which is not an input column of the model");
      }
      out.back().emplace_back(static_cast<std::size_t>(it - columns.begin()), share);
    }
  }
  return out;
}

std::vector<double> group_by_column(std::span<const double> feature_contributions,
                                    const ColumnShares& shares, std::size_t columns) {
  if (feature_contributions.size() != shares.size()) {
    throw Error(ErrorCode::kInternal, "contributions for " +
                                          std::to_string(feature_contributions.size()) +
                                          " features, shares for " + std::to_string(shares.size()));
  }
  std::vector<double> out(columns, 0.0);
  for (std::size_t f = 0; f < shares.size(); ++f) {
    for (const auto& [column, share] : shares[f]) out[column] += feature_contributions[f] * share;
  }
  return out;
}

std::vector<Reason> ranked_reasons(const std::vector<std::string>& columns,
                                   std::span<const double> contributions,
                                   std::vector<std::string> values) {
  std::vector<std::size_t> order(columns.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::abs(contributions[a]) > std::abs(contributions[b]);
  });
  std::vector<Reason> out;
  out.reserve(columns.size());
  for (std::size_t c : order) out.push_back({columns[c], std::move(values[c]), contributions[c]});
  return out;
}

}  // namespace smartchurn::explain
