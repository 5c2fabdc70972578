// XGBoost's model loader trusts the counts and indices in the JSON it is given (a tree count
// larger than the trees held, or a child index outside its tree, crashes inside libxgboost), so a
// saved booster from a bundle file is checked for those before XGBoost sees it.
#pragma once

#include <nlohmann/json.hpp>

namespace smartchurn::xgb {

// Throws Error(kBadData) naming the first inconsistency: the tree count against the trees and
// tree_info arrays, each tree's node count against its per-node arrays, a child outside its tree
// or a node that is the child of two nodes (a cycle or a shared subtree), category sets that do
// not match the categorical splits.
void check_booster_json(const nlohmann::json& model);

}  // namespace smartchurn::xgb
