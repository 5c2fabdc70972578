#include "engine/flat_forest.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace smartchurn::engine {

namespace {

constexpr std::size_t kBlockRows = 128;
// Trees walked together by the one-row path.
constexpr std::size_t kGroupTrees = 8;
// Row code bits: categories 0..30 by their bit, a missing value by the top one.
constexpr uint32_t kCompactCategories = 31;
constexpr float kNeverRight = std::numeric_limits<float>::quiet_NaN();  // x >= NaN is false

uint32_t code_bits(float x) {
  if (std::isnan(x)) return kMissingBit;
  const bool category = x >= 0.0f && x < static_cast<float>(kCompactCategories);
  return category ? 1u << static_cast<uint32_t>(x) : 0u;
}

// XGBoost treats category values at or above this (or below 0) as invalid: they go left.
constexpr float kMaxCategory = 16777216.0f;

}  // namespace

FlatForest::FlatForest(const xgb::TreeEnsemble& ensemble)
    : base_margin_(xgb::base_margin(ensemble.base_score)),
      features_read_(ensemble.features_read()) {
  for (const auto& tree : ensemble.trees) {
    const auto offset = static_cast<int32_t>(nodes_.size());
    roots_.push_back(offset);
    for (const xgb::TreeNode& decoded : tree) {
      Node node{};
      node.value = decoded.value;
      node.left = decoded.is_leaf() ? -1 : offset + decoded.left;
      node.right = decoded.is_leaf() ? -1 : offset + decoded.right;
      node.feature = decoded.is_leaf() ? 0u : static_cast<uint32_t>(decoded.feature);
      node.default_left = decoded.default_left;
      node.categorical = decoded.categorical;
      nodes_.push_back(node);
      // A categorical node's set as a bitset of 32-bit words.
      uint32_t words = 0;
      for (int code : decoded.categories) {
        words = std::max(words, static_cast<uint32_t>(code) / 32 + 1);
      }
      category_begin_.push_back(static_cast<uint32_t>(category_words_.size()));
      category_size_.push_back(words);
      category_words_.resize(category_words_.size() + words, 0u);
      for (int code : decoded.categories) {
        const auto bit = static_cast<uint32_t>(code);
        category_words_[category_begin_.back() + bit / 32] |= 1u << (bit % 32);
      }
    }
  }
  build_compact_layout();
}

void FlatForest::build_compact_layout() {
  // Padding for the last group's missing trees: a leaf that is never summed.
  if (features_read_ > std::numeric_limits<uint16_t>::max()) return;  // keep the general walk
  std::vector<CompactNode> compact{{kNeverRight, 0, 0, 0, 0}};
  std::vector<uint32_t> wide;
  std::vector<float> values{0.0f};
  std::vector<uint32_t> root_of_tree, depth_of_tree, size_of_tree;
  for (int32_t root : roots_) {
    // Breadth first: a split's two children get two consecutive slots.
    std::vector<std::pair<int32_t, uint32_t>> queue{{root, 0}};  // (node, depth)
    const auto root_slot = static_cast<uint32_t>(compact.size());
    compact.emplace_back();
    values.emplace_back();
    uint32_t depth = 0;
    for (std::size_t q = 0; q < queue.size(); ++q) {
      const auto [index, level] = queue[q];
      const auto node = static_cast<std::size_t>(index);
      const Node& n = nodes_[node];
      const auto slot = root_slot + static_cast<uint32_t>(q);
      CompactNode c{kNeverRight, slot, 0u, 0u, 0u};
      values[slot] = n.value;
      depth = std::max(depth, level);
      if (n.left >= 0) {
        c.feature = static_cast<uint16_t>(n.feature);
        if (!n.default_left) c.right_bits |= kMissingBit;
        if (n.categorical) {
          const uint32_t set =
              category_size_[node] == 1 ? category_words_[category_begin_[node]] : 0u;
          if (category_size_[node] > 1 || (set & kMissingBit)) {
            // A code above 30 (bit 31 is the missing bit's): the general node decides.
            c.wide = 1;
            c.right_bits = static_cast<uint32_t>(wide.size());
            wide.push_back(static_cast<uint32_t>(node));
          } else {
            c.right_bits |= set;
          }
        } else {
          // !(x < t) for a non-missing x: x >= t, or always right when t is NaN.
          c.threshold = std::isnan(n.value) ? -std::numeric_limits<float>::infinity() : n.value;
        }
        c.left = static_cast<uint32_t>(root_slot + queue.size());
        queue.emplace_back(n.left, level + 1);
        queue.emplace_back(n.right, level + 1);
        compact.resize(compact.size() + 2);
        values.resize(values.size() + 2);
      }
      compact[slot] = c;
    }
    root_of_tree.push_back(root_slot);
    depth_of_tree.push_back(depth);
    size_of_tree.push_back(static_cast<uint32_t>(queue.size()));
  }
  std::vector<uint32_t> roots;
  std::vector<TreeGroup> groups;
  for (std::size_t t = 0; t < root_of_tree.size(); t += kGroupTrees) {
    TreeGroup group{static_cast<uint32_t>(roots.size()), 0, 0};
    for (std::size_t k = 0; k < kGroupTrees; ++k) {
      const bool real = t + k < root_of_tree.size();
      roots.push_back(real ? root_of_tree[t + k] : 0u);
      if (!real) continue;
      group.trees++;
      group.depth = std::max(group.depth, depth_of_tree[t + k]);
    }
    groups.push_back(group);
  }
  compact_nodes_ = std::move(compact);
  wide_nodes_ = std::move(wide);
  compact_values_ = std::move(values);
  compact_roots_ = std::move(roots);
  groups_ = std::move(groups);
  tree_roots_ = std::move(root_of_tree);
  tree_depths_ = std::move(depth_of_tree);
  build_vector_tables(size_of_tree);
}

bool FlatForest::wide_goes_right(uint32_t wide_index, float x) const {
  const std::size_t node = wide_nodes_[wide_index];
  if (std::isnan(x)) return !nodes_[node].default_left;
  return in_category_set(node, x);
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

float FlatForest::compact_margin(const float* row) const {
  thread_local std::vector<uint32_t> row_bits;
  if (row_bits.size() < features_read_) row_bits.resize(features_read_);
  uint32_t* bits = row_bits.data();
  for (std::size_t f = 0; f < features_read_; ++f) bits[f] = code_bits(row[f]);
  const CompactNode* nodes = compact_nodes_.data();
  float sum = base_margin_;
  for (const TreeGroup& group : groups_) {
    uint32_t at[kGroupTrees];
    for (std::size_t k = 0; k < kGroupTrees; ++k) at[k] = compact_roots_[group.first_root + k];
    for (uint32_t step = 0; step < group.depth; ++step) {
      for (std::size_t k = 0; k < kGroupTrees; ++k) {
        const CompactNode& n = nodes[at[k]];
        const float x = row[n.feature];
        // `|`, not `||`: a branch here would be mispredicted half the time.
        uint32_t right = static_cast<uint32_t>(x >= n.threshold) |
                         static_cast<uint32_t>((bits[n.feature] & n.right_bits) != 0);
        if (n.wide) [[unlikely]]
          right = wide_goes_right(n.right_bits, x);
        at[k] = n.left + right;
      }
    }
    // Summed in tree order, as XGBoost does.
    for (std::size_t k = 0; k < group.trees; ++k) sum += compact_values_[at[k]];
  }
  return sum;
}

float FlatForest::margin(const float* row) const {
  if (!compact_nodes_.empty()) return compact_margin(row);
  float sum = base_margin_;
  for (int32_t root : roots_) sum += nodes_[static_cast<std::size_t>(leaf_of(row, root))].value;
  return sum;
}

void FlatForest::scalar_tree(std::size_t t, const float* rows, std::size_t count,
                             std::size_t stride, const uint32_t* bits, float* out) const {
  const CompactNode* nodes = compact_nodes_.data();
  const std::size_t features = features_read_;
  uint32_t at[kBlockRows];
  for (std::size_t r = 0; r < count; ++r) at[r] = tree_roots_[t];
  for (uint32_t step = 0; step < tree_depths_[t]; ++step) {
    for (std::size_t r = 0; r < count; ++r) {
      const CompactNode& node = nodes[at[r]];
      const float x = rows[r * stride + node.feature];
      // As in compact_margin: `|`, not `||`, so no branch is mispredicted.
      uint32_t right =
          static_cast<uint32_t>(x >= node.threshold) |
          static_cast<uint32_t>((bits[r * features + node.feature] & node.right_bits) != 0);
      if (node.wide) [[unlikely]]
        right = wide_goes_right(node.right_bits, x);
      at[r] = node.left + right;
    }
  }
  for (std::size_t r = 0; r < count; ++r) out[r] += compact_values_[at[r]];
}

void FlatForest::compact_margins(const float* rows, std::size_t count, std::size_t stride,
                                 float* out) const {
  thread_local std::vector<uint32_t> block_bits;  // a block's row code bits, row-major
  const std::size_t features = features_read_;
  if (block_bits.size() < kBlockRows * features) block_bits.resize(kBlockRows * features);
  uint32_t* bits = block_bits.data();
  const bool every_tree_vector =
      !vector_trees_.empty() && std::all_of(vector_trees_.begin(), vector_trees_.end(),
                                            [](const VectorTree& tree) { return tree.slots > 0; });
  for (std::size_t begin = 0; begin < count; begin += kBlockRows) {
    const std::size_t n = std::min(kBlockRows, count - begin);
    const float* block = rows + begin * stride;
    for (std::size_t r = 0; r < n; ++r) out[begin + r] = base_margin_;
    if (!every_tree_vector) {
      for (std::size_t r = 0; r < n; ++r) {
        for (std::size_t f = 0; f < features; ++f) {
          bits[r * features + f] = code_bits(block[r * stride + f]);
        }
      }
    }
    // Tree by tree, each adding its leaf values in tree order, as margin() does.
    for (std::size_t t = 0; t < tree_roots_.size(); ++t) {
      if (!vector_trees_.empty() && vector_trees_[t].slots > 0) {
        vector_tree(t, block, n, stride, out + begin);
      } else {
        scalar_tree(t, block, n, stride, bits, out + begin);
      }
    }
  }
}

void FlatForest::margins(const float* rows, std::size_t count, std::size_t stride,
                         float* out) const {
  if (!compact_nodes_.empty()) {
    compact_margins(rows, count, stride, out);
    return;
  }
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

float FlatForest::probability(float margin) { return 1.0f / (1.0f + std::exp(-margin)); }

}  // namespace smartchurn::engine
