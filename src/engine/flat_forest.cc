#include "engine/flat_forest.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "smartchurn/error.h"

namespace smartchurn::engine {

namespace {

constexpr std::size_t kBlockRows = 128;
// XGBoost treats category values at or above this (or below 0) as invalid: they go left.
constexpr float kMaxCategory = 16777216.0f;

[[noreturn]] void incompatible(const std::string& what) {
  throw Error(ErrorCode::kIncompatible, "the engine cannot compile this XGBoost model: " + what);
}

// A JSON number, or one of the strings our booster JSON uses for non-finite values.
float number_of(const nlohmann::json& value) {
  if (value.is_number()) return static_cast<float>(value.get<double>());
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (text == "NaN") return std::numeric_limits<float>::quiet_NaN();
    if (text == "Infinity") return std::numeric_limits<float>::infinity();
    if (text == "-Infinity") return -std::numeric_limits<float>::infinity();
  }
  incompatible("a split value is neither a number nor NaN/Infinity");
}

// XGBoost keeps its parameters as text ("5E-1", "100").
double parameter(const nlohmann::json& value) {
  if (value.is_number()) return value.get<double>();
  try {
    return std::stod(value.get<std::string>());
  } catch (const std::exception&) {
    incompatible("parameter '" + value.dump() + "' is not a number");
  }
}

}  // namespace

FlatForest::FlatForest(const nlohmann::json& booster, int rounds) {
  try {
    const auto& learner = booster.at("learner");
    const std::string objective = learner.at("objective").at("name").get<std::string>();
    if (objective != "binary:logistic") incompatible("objective '" + objective + "'");
    const auto& gradient_booster = learner.at("gradient_booster");
    if (gradient_booster.at("name") != "gbtree") {
      incompatible("booster '" + gradient_booster.at("name").dump() + "'");
    }
    const auto& model = gradient_booster.at("model");
    const auto parallel =
        static_cast<std::size_t>(parameter(model.at("gbtree_model_param").at("num_parallel_tree")));
    const auto& trees = model.at("trees");
    const std::size_t wanted = static_cast<std::size_t>(std::max(rounds, 0)) * parallel;
    if (wanted == 0 || wanted > trees.size()) {
      incompatible(std::to_string(rounds) + " rounds asked, " + std::to_string(trees.size()) +
                   " trees held");
    }
    // For binary:logistic, base_score is a probability; XGBoost turns it into a margin in float.
    const auto base_score =
        static_cast<float>(parameter(learner.at("learner_model_param").at("base_score")));
    base_margin_ = -std::log(1.0f / base_score - 1.0f);

    for (std::size_t t = 0; t < wanted; ++t) {
      const auto& tree = trees[t];
      const auto& left = tree.at("left_children");
      const auto& right = tree.at("right_children");
      const auto& feature = tree.at("split_indices");
      const auto& condition = tree.at("split_conditions");
      const auto& default_left = tree.at("default_left");
      const std::size_t count = left.size();
      const auto offset = static_cast<int32_t>(nodes_.size());
      std::vector<uint8_t> split_type(count, 0);
      if (tree.contains("split_type")) split_type = tree["split_type"].get<std::vector<uint8_t>>();
      if (right.size() != count || feature.size() != count || condition.size() != count ||
          default_left.size() != count || split_type.size() != count || count == 0) {
        incompatible("tree " + std::to_string(t) + " has arrays of different sizes");
      }
      roots_.push_back(offset);
      for (std::size_t n = 0; n < count; ++n) {
        Node node{};
        node.value = number_of(condition[n]);
        const int32_t l = left[n].get<int32_t>();
        const int32_t r = right[n].get<int32_t>();
        if (l >= 0) {
          if (static_cast<std::size_t>(l) >= count || r < 0 || static_cast<std::size_t>(r) >= count) {
            incompatible("tree " + std::to_string(t) + " has a child outside the tree");
          }
          node.left = offset + l;
          node.right = offset + r;
          node.feature = feature[n].get<uint32_t>();
          features_read_ = std::max<std::size_t>(features_read_, node.feature + 1u);
        } else {
          node.left = -1;
          node.right = -1;
        }
        node.default_left = default_left[n].get<int>() != 0;
        node.categorical = split_type[n] == 1;
        nodes_.push_back(node);
      }
      category_begin_.resize(nodes_.size(), 0);
      category_size_.resize(nodes_.size(), 0);
      if (!tree.contains("categories_nodes")) continue;
      const auto categories = tree.at("categories").get<std::vector<int64_t>>();
      const auto cat_nodes = tree.at("categories_nodes").get<std::vector<std::size_t>>();
      const auto segments = tree.at("categories_segments").get<std::vector<std::size_t>>();
      const auto sizes = tree.at("categories_sizes").get<std::vector<std::size_t>>();
      if (segments.size() != cat_nodes.size() || sizes.size() != cat_nodes.size()) {
        incompatible("tree " + std::to_string(t) + " has inconsistent category arrays");
      }
      for (std::size_t k = 0; k < cat_nodes.size(); ++k) {
        if (cat_nodes[k] >= count || segments[k] + sizes[k] > categories.size()) {
          incompatible("tree " + std::to_string(t) + " has a category set outside the tree");
        }
        int64_t largest = -1;
        for (std::size_t i = 0; i < sizes[k]; ++i) {
          largest = std::max(largest, categories[segments[k] + i]);
        }
        const std::size_t global = static_cast<std::size_t>(offset) + cat_nodes[k];
        const auto words = static_cast<std::size_t>(largest + 32) / 32;
        category_begin_[global] = static_cast<uint32_t>(category_words_.size());
        category_size_[global] = static_cast<uint32_t>(words);
        category_words_.resize(category_words_.size() + words, 0u);
        for (std::size_t i = 0; i < sizes[k]; ++i) {
          const auto code = categories[segments[k] + i];
          if (code < 0) incompatible("a negative category in a split");
          const auto bit = static_cast<std::size_t>(code);
          category_words_[category_begin_[global] + bit / 32] |= 1u << (bit % 32);
        }
      }
    }
  } catch (const nlohmann::json::exception& e) {
    incompatible(e.what());
  }
}

bool FlatForest::in_category_set(std::size_t node, float value) const {
  if (!(value >= 0.0f && value < kMaxCategory)) return false;
  const auto code = static_cast<uint32_t>(value);
  const uint32_t word = code / 32;
  if (word >= category_size_[node]) return false;
  return (category_words_[category_begin_[node] + word] >> (code % 32)) & 1u;
}

int32_t FlatForest::leaf_of(const float* row, int32_t node) const {
  for (;;) {
    const Node& n = nodes_[static_cast<std::size_t>(node)];
    if (n.left < 0) return node;
    const float x = row[n.feature];
    if (std::isnan(x)) {
      node = n.default_left ? n.left : n.right;
    } else if (n.categorical) {
      node = in_category_set(static_cast<std::size_t>(node), x) ? n.right : n.left;
    } else {
      node = x < n.value ? n.left : n.right;
    }
  }
}

float FlatForest::margin(const float* row) const {
  float sum = base_margin_;
  for (int32_t root : roots_) sum += nodes_[static_cast<std::size_t>(leaf_of(row, root))].value;
  return sum;
}

void FlatForest::margins(const float* rows, std::size_t count, std::size_t stride,
                         float* out) const {
  for (std::size_t begin = 0; begin < count; begin += kBlockRows) {
    const std::size_t end = std::min(count, begin + kBlockRows);
    for (std::size_t r = begin; r < end; ++r) out[r] = base_margin_;
    for (int32_t root : roots_) {
      for (std::size_t r = begin; r < end; ++r) {
        out[r] += nodes_[static_cast<std::size_t>(leaf_of(rows + r * stride, root))].value;
      }
    }
  }
}

float FlatForest::probability(float margin) {
  return 1.0f / (1.0f + std::exp(-margin));
}

}  // namespace smartchurn::engine
