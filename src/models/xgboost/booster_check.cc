#include "models/xgboost/booster_check.h"

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <vector>

#include "smartchurn/error.h"

namespace smartchurn::xgb {

namespace {

// XGBoost writes its counts as strings ("4") in some versions and as numbers in others.
int64_t count_of(const nlohmann::json& value, const std::string& what) {
  if (value.is_number_integer()) return value.get<int64_t>();
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    if (!text.empty() && text.size() < 10 &&
        text.find_first_not_of("0123456789") == std::string::npos) {
      return std::stoll(text);
    }
  }
  throw_bad_data(fmt::format("the booster's {} is not a count", what));
}

// Every element an integer in [0, limit).
std::vector<int64_t> indices_of(const nlohmann::json& tree, const char* member, std::size_t t,
                                int64_t limit) {
  std::vector<int64_t> values;
  if (!tree.contains(member)) return values;
  const auto& list = tree[member];
  if (!list.is_array()) throw_bad_data(fmt::format("tree {} has a bad {}", t, member));
  for (const auto& value : list) {
    if (!value.is_number_integer() || value.get<int64_t>() < 0 || value.get<int64_t>() >= limit) {
      throw_bad_data(fmt::format("tree {} has a bad {}", t, member));
    }
    values.push_back(value.get<int64_t>());
  }
  return values;
}

// XGBoost reads one category set per categorical split, at its segment of `categories`.
void check_categories(const nlohmann::json& tree, std::size_t t, std::size_t nodes) {
  constexpr int64_t kLimit = int64_t{1} << 31;
  const auto split_type = indices_of(tree, "split_type", t, 2);
  if (tree.contains("split_type") && split_type.size() != nodes) {
    throw_bad_data(fmt::format("tree {} has a split_type array of another size", t));
  }
  const auto categories = indices_of(tree, "categories", t, kLimit);
  const auto cat_nodes = indices_of(tree, "categories_nodes", t, static_cast<int64_t>(nodes));
  const auto segments = indices_of(tree, "categories_segments", t, kLimit);
  const auto sizes = indices_of(tree, "categories_sizes", t, kLimit);
  std::size_t categorical = 0;
  for (const auto type : split_type) categorical += type == 1 ? 1 : 0;
  if (segments.size() != cat_nodes.size() || sizes.size() != cat_nodes.size() ||
      categorical != cat_nodes.size()) {
    throw_bad_data(fmt::format("tree {} has inconsistent category arrays", t));
  }
  for (std::size_t k = 0; k < cat_nodes.size(); ++k) {
    if (split_type[static_cast<std::size_t>(cat_nodes[k])] != 1 ||
        segments[k] + sizes[k] > static_cast<int64_t>(categories.size())) {
      throw_bad_data(fmt::format("tree {} has a category set outside its arrays", t));
    }
  }
}

void check_tree(const nlohmann::json& tree, std::size_t t) {
  // XGBoost numbers the trees in order and loads each into the slot its id names: a repeated id
  // left a slot empty, and saving or predicting then crashed on it (found by fuzzing).
  const auto& id = tree.at("id");
  if (!id.is_number_integer() || id.get<int64_t>() != static_cast<int64_t>(t)) {
    throw_bad_data(fmt::format("tree {} has the id {}: trees are numbered in order", t, id.dump()));
  }
  const auto& left = tree.at("left_children");
  const auto& right = tree.at("right_children");
  if (!left.is_array() || !right.is_array()) {
    throw_bad_data(fmt::format("tree {} has no child arrays", t));
  }
  const std::size_t nodes = left.size();
  if (count_of(tree.at("tree_param").at("num_nodes"), "num_nodes") != static_cast<int64_t>(nodes)) {
    throw_bad_data(fmt::format("tree {} holds {} nodes, not the number it declares", t, nodes));
  }
  for (const char* member : {"right_children", "parents", "split_indices", "split_conditions",
                             "default_left", "base_weights", "loss_changes", "sum_hessian"}) {
    if (tree.contains(member) && (!tree[member].is_array() || tree[member].size() != nodes)) {
      throw_bad_data(fmt::format("tree {} has a {} array of another size", t, member));
    }
  }
  check_categories(tree, t, nodes);
  constexpr int64_t kIndexLimit = int64_t{1} << 31;
  indices_of(tree, "split_indices", t, kIndexLimit);
  indices_of(tree, "default_left", t, 2);
  // XGBoost writes the root's parent as 2^31 - 1; every other node names the node above it.
  const auto parents = indices_of(tree, "parents", t, kIndexLimit);
  std::vector<bool> is_child(nodes, false);
  for (std::size_t n = 0; n < nodes; ++n) {
    for (const auto* children : {&left, &right}) {
      const auto& child = (*children)[n];
      if (!child.is_number_integer()) throw_bad_data(fmt::format("tree {} has a bad child", t));
      const int64_t c = child.get<int64_t>();
      if (c == -1) continue;
      if (c <= 0 || c >= static_cast<int64_t>(nodes) || is_child[static_cast<std::size_t>(c)]) {
        throw_bad_data(fmt::format("tree {} has a child outside the tree or shared", t));
      }
      is_child[static_cast<std::size_t>(c)] = true;
      if (!parents.empty() && parents[static_cast<std::size_t>(c)] != static_cast<int64_t>(n)) {
        throw_bad_data(fmt::format("tree {} has a node whose parent is not the node above it", t));
      }
    }
  }
  if (!parents.empty() && parents[0] != kIndexLimit - 1) {
    throw_bad_data(fmt::format("tree {} has a root with a parent", t));
  }
}

}  // namespace

void check_booster_json(const nlohmann::json& model) {
  try {
    const auto& gbtree = model.at("learner").at("gradient_booster").at("model");
    const auto& trees = gbtree.at("trees");
    const auto& info = gbtree.at("tree_info");
    const int64_t declared = count_of(gbtree.at("gbtree_model_param").at("num_trees"), "num_trees");
    if (!trees.is_array() || !info.is_array() || declared != static_cast<int64_t>(trees.size()) ||
        info.size() != trees.size()) {
      throw_bad_data("the booster's tree count does not match its trees");
    }
    for (std::size_t t = 0; t < trees.size(); ++t) check_tree(trees[t], t);
  } catch (const nlohmann::json::exception&) {
    throw_bad_data("the booster is missing its trees or their parameters");
  }
}

}  // namespace smartchurn::xgb
