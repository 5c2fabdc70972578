// XGBoost's booster JSON decoded once into plain trees: what the engine's flat forest, the
// exporters and the XGBoost interop export read, so there is one reading of the booster arrays.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <vector>

namespace smartchurn::xgb {

struct TreeNode {
  int left = -1;  // index in the tree (always above the node's own), -1 for a leaf
  int right = -1;
  int feature = 0;     // split feature (0 for a leaf)
  float value = 0.0f;  // split threshold (NaN for a categorical split), or the leaf value
  bool default_left = false;
  bool categorical = false;
  std::vector<int> categories;  // categorical split: the codes sent right
  bool is_leaf() const { return left < 0; }
};

struct TreeEnsemble {
  float base_score = 0.5f;  // a probability, as XGBoost stores it for binary:logistic
  int parallel_trees = 1;   // trees per boosting round (rf: the forest size)
  std::vector<std::vector<TreeNode>> trees;  // only the trees of the rounds the model predicts with

  // Highest split feature + 1 (0 for stumps only).
  std::size_t features_read() const;
};

// Decodes the trees of the first `rounds` rounds of `booster` (XGBoost's JSON model, non-finite
// numbers as the strings "NaN", "Infinity", "-Infinity"; parameters as numbers or numeric text,
// `num_parallel_tree` 1 when absent). Throws Error(kIncompatible) for a model that is not a
// binary:logistic gbtree, Error(kBadData) for a malformed one (arrays of different sizes, a child
// outside its tree or above its parent, more rounds asked than held).
TreeEnsemble decode_booster(const nlohmann::json& booster, int rounds);

// XGBoost's starting margin: the logit of the base score, computed in float as XGBoost does.
float base_margin(float base_score);

}  // namespace smartchurn::xgb
