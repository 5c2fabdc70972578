// An XGBoost tree ensemble (gbm: a boosted sequence; rf: parallel trees in one round) flattened
// into one contiguous node array, evaluated exactly as XGBoost 1.7 predicts: float features,
// `x < threshold` goes left, missing follows the default direction, a category in the node's set
// goes right, leaf values summed in float in tree order onto the base margin.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "models/xgboost/tree_ensemble.h"

namespace smartchurn::engine {

// Bit 31 of a row's code bits (a missing value) and of a node's right_bits (missing goes right).
inline constexpr uint32_t kMissingBit = 1u << 31;

class FlatForest {
 public:
  // Every tree of `ensemble` (xgb::decode_booster keeps those of the rounds predicted with).
  explicit FlatForest(const xgb::TreeEnsemble& ensemble);

  std::size_t tree_count() const { return roots_.size(); }
  // Highest feature index read + 1.
  std::size_t features_read() const { return features_read_; }

  // Log-odds of one row of `row` features (NaN = missing).
  float margin(const float* row) const;
  // Log-odds of `count` rows starting at `rows` (row-major, `stride` floats apart), written to
  // `out`, equal to margin() row by row; goes tree by tree over blocks of rows, all rows of a
  // block stepping down a tree together, so the tree's nodes stay in cache and the rows' walks
  // overlap instead of waiting for each other's loads.
  void margins(const float* rows, std::size_t count, std::size_t stride, float* out) const;

  // The logistic link as XGBoost applies it, in float.
  static float probability(float margin);

 private:
  friend struct VectorWalk;  // the AVX-512 walk (forest_vector.cc) asks wide nodes

  struct Node {
    float value;       // split threshold, or leaf value
    uint32_t feature;  // split feature
    int32_t left;      // global index of the left child; -1 for a leaf
    int32_t right;     // global index of the right child
    uint8_t default_left;
    uint8_t categorical;
  };

  // The layout both paths walk: 16-byte nodes, a tree's children side by side in breadth-first
  // order, leaves stepping to themselves, so every tree takes a fixed number of branch-free steps
  // (a group's trees, or a block's rows, walk together: their loads overlap instead of queueing).
  // A step goes right when x >= threshold (NaN for categorical splits and leaves, -inf for a
  // numeric split on NaN) or when the row's code bits of the feature meet `right_bits`: bit c for
  // category c (0..30) in the node's set, bit 31 when a missing value goes right. A categorical
  // split on a code above 30 is `wide`: right_bits then indexes wide_nodes_, and the step asks
  // the general node (a rarely taken branch).
  struct CompactNode {
    float threshold;
    uint32_t left;  // index of the left child (the right one follows); a leaf's own index
    uint32_t right_bits;
    uint16_t feature;
    uint16_t wide;
  };
  struct TreeGroup {
    uint32_t first_root;  // into compact_roots_, kGroupTrees entries
    uint32_t trees;       // trees in the group (the rest point at a padding leaf)
    uint32_t depth;       // steps every tree of the group needs to reach its leaf
  };

  // A tree of at most 64 nodes as lookup tables for the AVX-512 block walk (forest_vector.cc):
  // at `offset` in vector_tables_, four arrays of `slots` (32 or 64) entries by node (local
  // index): split (threshold bits, category set bits 0..31 or wide index), high (set bits
  // 32..63), meta (feature, flags: kind and missing direction, left child), leaf value bits. 16
  // rows step together: the tables sit in registers, read with permutes; the rows' values come with
  // one gather per step.
  struct VectorTree {
    uint32_t offset = 0;
    uint32_t slots = 0;  // 0: the tree is walked by the scalar loop
  };

  int32_t leaf_of(const float* row, int32_t node) const;
  bool in_category_set(std::size_t node, float value) const;
  void build_compact_layout();
  void build_vector_tables(const std::vector<uint32_t>& tree_sizes);
  float compact_margin(const float* row) const;
  // Whether `x` goes right at the wide node `right_bits` names.
  bool wide_goes_right(uint32_t wide_index, float x) const;
  void compact_margins(const float* rows, std::size_t count, std::size_t stride, float* out) const;
  // Add tree t's leaf values to out[0, count) for the rows of a block (`bits`: their code bits).
  void scalar_tree(std::size_t t, const float* rows, std::size_t count, std::size_t stride,
                   const uint32_t* bits, float* out) const;
  void vector_tree(std::size_t t, const float* rows, std::size_t count, std::size_t stride,
                   float* out) const;

  std::vector<Node> nodes_;
  std::vector<int32_t> roots_;
  // Categorical nodes: their category set as a bitset of 32-bit words in category_words_.
  std::vector<uint32_t> category_begin_, category_size_;  // per node (word offset, word count)
  std::vector<uint32_t> category_words_;
  std::vector<CompactNode> compact_nodes_;  // empty when a node does not fit the layout
  std::vector<uint32_t> wide_nodes_;        // index into nodes_ of each wide node
  std::vector<float> compact_values_;       // leaf values by compact index
  std::vector<uint32_t> compact_roots_;
  std::vector<TreeGroup> groups_;
  std::vector<uint32_t> tree_roots_, tree_depths_;  // per tree, in the compact layout
  std::vector<VectorTree> vector_trees_;            // per tree; empty without AVX-512
  std::vector<uint32_t> vector_tables_;
  float base_margin_ = 0.0f;
  std::size_t features_read_ = 0;
};

}  // namespace smartchurn::engine
