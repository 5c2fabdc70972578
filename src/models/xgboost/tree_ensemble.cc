#include "models/xgboost/tree_ensemble.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include "smartchurn/error.h"

namespace smartchurn::xgb {

namespace {

using nlohmann::json;

[[noreturn]] void malformed(const std::string& what) {
  throw_bad_data("the XGBoost model is malformed: " + what);
}

// A number as XGBoost or our booster JSON writes it: plain, numeric text ("5E-1", "100" for
// parameters), or "NaN" / "Infinity" / "-Infinity" for non-finite values.
double number_of(const json& value, const char* what) {
  if (value.is_number()) return value.get<double>();
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (text == "Infinity") return std::numeric_limits<double>::infinity();
    if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
    char* end = nullptr;
    const double parsed = std::strtod(text.c_str(), &end);
    if (!text.empty() && *end == '\0') return parsed;
  }
  malformed(fmt::format("{} is '{}', not a number", what, value.dump()));
}

void decode_categories(const json& tree, std::size_t t, std::vector<TreeNode>& nodes) {
  if (!tree.contains("categories_nodes")) return;
  const auto categories = tree.at("categories").get<std::vector<int64_t>>();
  const auto cat_nodes = tree.at("categories_nodes").get<std::vector<std::size_t>>();
  const auto segments = tree.at("categories_segments").get<std::vector<std::size_t>>();
  const auto sizes = tree.at("categories_sizes").get<std::vector<std::size_t>>();
  if (segments.size() != cat_nodes.size() || sizes.size() != cat_nodes.size()) {
    malformed(fmt::format("tree {} has inconsistent category arrays", t));
  }
  for (std::size_t k = 0; k < cat_nodes.size(); ++k) {
    if (cat_nodes[k] >= nodes.size() || segments[k] > categories.size() ||
        sizes[k] > categories.size() - segments[k]) {
      malformed(fmt::format("tree {} has a category set outside the tree", t));
    }
    auto& set = nodes[cat_nodes[k]].categories;
    for (std::size_t i = segments[k]; i < segments[k] + sizes[k]; ++i) {
      if (categories[i] < 0 || categories[i] > std::numeric_limits<int>::max()) {
        malformed(fmt::format("tree {} has a category code out of range", t));
      }
      set.push_back(static_cast<int>(categories[i]));
    }
  }
}

std::vector<TreeNode> decode_tree(const json& tree, std::size_t t) {
  const auto& left = tree.at("left_children");
  const auto& right = tree.at("right_children");
  const auto& split_index = tree.at("split_indices");
  const auto& condition = tree.at("split_conditions");
  const auto& default_left = tree.at("default_left");
  const json no_types = json::array();
  const auto& split_type = tree.contains("split_type") ? tree["split_type"] : no_types;
  const std::size_t count = left.size();
  if (count == 0 || right.size() != count || split_index.size() != count ||
      condition.size() != count || default_left.size() != count ||
      (!split_type.empty() && split_type.size() != count)) {
    malformed(fmt::format("tree {} has arrays of different sizes", t));
  }
  std::vector<TreeNode> nodes(count);
  const auto size = static_cast<int64_t>(count);
  for (std::size_t i = 0; i < count; ++i) {
    TreeNode& node = nodes[i];
    const auto l = left[i].get<int64_t>();
    const auto r = right[i].get<int64_t>();
    node.value = static_cast<float>(number_of(condition[i], "a split condition"));
    node.default_left = default_left[i].get<int>() != 0;
    node.categorical = !split_type.empty() && split_type[i].get<int>() == 1;
    if (l < 0) continue;  // a leaf
    // Children after their parent: every walk ends, and no node is its own ancestor.
    const auto self = static_cast<int64_t>(i);
    if (l <= self || l >= size || r <= self || r >= size) {
      malformed(fmt::format("tree {} has a child outside the tree", t));
    }
    const auto feature = split_index[i].get<int64_t>();
    if (feature < 0 || feature >= std::numeric_limits<int>::max()) {
      malformed(fmt::format("tree {} splits on feature {}", t, feature));
    }
    node.left = static_cast<int>(l);
    node.right = static_cast<int>(r);
    node.feature = static_cast<int>(feature);
  }
  decode_categories(tree, t, nodes);
  return nodes;
}

}  // namespace

std::size_t TreeEnsemble::features_read() const {
  std::size_t read = 0;
  for (const auto& tree : trees) {
    for (const auto& node : tree) {
      if (!node.is_leaf()) read = std::max(read, static_cast<std::size_t>(node.feature) + 1);
    }
  }
  return read;
}

TreeEnsemble decode_booster(const json& booster, int rounds) {
  TreeEnsemble ensemble;
  try {
    const auto& learner = booster.at("learner");
    const auto objective = learner.at("objective").at("name").get<std::string>();
    if (objective != "binary:logistic") {
      throw Error(ErrorCode::kIncompatible,
                  "only binary:logistic XGBoost models are supported, not '" + objective + "'");
    }
    const auto& gradient_booster = learner.at("gradient_booster");
    const auto name = gradient_booster.at("name").get<std::string>();
    if (name != "gbtree") {
      throw Error(ErrorCode::kIncompatible,
                  "only gbtree XGBoost models are supported, not '" + name + "'");
    }
    const auto& model = gradient_booster.at("model");
    const auto& param = model.at("gbtree_model_param");
    const double parallel = param.contains("num_parallel_tree")
                                ? number_of(param["num_parallel_tree"], "num_parallel_tree")
                                : 1.0;
    if (!(parallel >= 1.0 && parallel <= 1e6)) malformed("num_parallel_tree is out of range");
    ensemble.parallel_trees = static_cast<int>(parallel);
    ensemble.base_score = static_cast<float>(
        number_of(learner.at("learner_model_param").at("base_score"), "base_score"));
    const auto& trees = model.at("trees");
    const auto wanted = static_cast<std::size_t>(std::max(rounds, 0)) *
                        static_cast<std::size_t>(ensemble.parallel_trees);
    if (rounds < 1 || wanted > trees.size()) {
      malformed(fmt::format("{} rounds asked, {} trees held", rounds, trees.size()));
    }
    for (std::size_t t = 0; t < wanted; ++t) ensemble.trees.push_back(decode_tree(trees[t], t));
  } catch (const json::exception& e) {
    malformed(e.what());
  }
  return ensemble;
}

float base_margin(float base_score) { return -std::log(1.0f / base_score - 1.0f); }

}  // namespace smartchurn::xgb
