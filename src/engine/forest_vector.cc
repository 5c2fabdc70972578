// The AVX-512 block walk of FlatForest: 16 rows step down a tree together. A tree of at most 64
// nodes fits its tables in a few registers, so a step reads the rows' nodes with permutes and the
// rows' feature values with one gather; the comparisons are mask operations, so no step
// branches (but at a category set with codes of 64 or more, which the general node decides). Chosen
// at run time (the build targets plain x86-64); the scalar walk stays for other CPUs and bigger
// trees. Results are those of the scalar walk, bit for bit: the same comparisons and the leaf
// values added in tree order.
#include <cmath>
#include <cstring>

#include "engine/flat_forest.h"

#if defined(__x86_64__) && defined(__GNUC__)
#define SMARTCHURN_VECTOR_WALK 1
// GCC 12 reports the intrinsics' deliberately undefined pass-through operands
// (_mm512_undefined_*) as maybe-uninitialized where they are inlined.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#endif

namespace smartchurn::engine {

#if SMARTCHURN_VECTOR_WALK

namespace {

// Flags and the left child beside a node's feature index in the meta table.
constexpr uint32_t kFeatureMask = 0xFFFFu;
constexpr uint32_t kCategorical = 1u << 16;   // split / high hold the category set (codes 0..63)
constexpr uint32_t kMissingRight = 1u << 17;  // a missing value goes right
constexpr uint32_t kWide = 1u << 18;          // codes of 64 or more: split holds the wide index
constexpr int kLeftShift = 24;                // the left child's local index (0..63)
constexpr std::size_t kTables = 4;            // split, high, meta, value

uint32_t bits_of(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

}  // namespace

// Reaches FlatForest's wide nodes from the kernel (a friend of the class).
struct VectorWalk {
  template <int kSlots>
  [[gnu::target("avx512f")]] static __m512i lookup(const __m512i* table, __m512i at) {
    const __m512i low = _mm512_permutex2var_epi32(table[0], at, table[1]);
    if constexpr (kSlots == 32) {
      return low;
    } else {
      const __m512i high = _mm512_permutex2var_epi32(table[2], at, table[3]);
      const __mmask16 upper = _mm512_test_epi32_mask(at, _mm512_set1_epi32(32));
      return _mm512_mask_blend_epi32(upper, low, high);
    }
  }

  // Lanes at a wide node: the general node decides.
  [[gnu::cold, gnu::noinline]] static __mmask16 wide_right(const FlatForest& forest, __mmask16 wide,
                                                           __mmask16 right, const uint32_t* split,
                                                           const float* x) {
    for (unsigned k = 0; k < 16; ++k) {
      if (!((wide >> k) & 1u)) continue;
      const auto bit = static_cast<__mmask16>(1u << k);
      right = forest.wide_goes_right(split[k], x[k]) ? static_cast<__mmask16>(right | bit)
                                                     : static_cast<__mmask16>(right & ~bit);
    }
    return right;
  }

  template <int kSlots>
  [[gnu::target("avx512f")]] static void add_tree(const FlatForest& forest, const uint32_t* tables,
                                                  uint32_t depth, const float* rows,
                                                  std::size_t count, std::size_t stride,
                                                  float* out) {
    constexpr int kVectors = kSlots / 16;
    __m512i split[kVectors], high[kVectors], meta[kVectors], value[kVectors];
    for (int i = 0; i < kVectors; ++i) {
      split[i] = _mm512_loadu_si512(tables + 16 * i);
      high[i] = _mm512_loadu_si512(tables + kSlots + 16 * i);
      meta[i] = _mm512_loadu_si512(tables + 2 * kSlots + 16 * i);
      value[i] = _mm512_loadu_si512(tables + 3 * kSlots + 16 * i);
    }
    const __m512i thirty_two = _mm512_set1_epi32(32);
    const __m512i lanes = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512i one = _mm512_set1_epi32(1);
    const __m512i feature_mask = _mm512_set1_epi32(static_cast<int>(kFeatureMask));
    const __m512i categorical = _mm512_set1_epi32(static_cast<int>(kCategorical));
    const __m512i missing_right = _mm512_set1_epi32(static_cast<int>(kMissingRight));
    const __m512i wide_flag = _mm512_set1_epi32(static_cast<int>(kWide));
    const __m512 zero = _mm512_setzero_ps();
    const auto last = _mm512_set1_epi32(static_cast<int>(count - 1));
    const auto rows_in = _mm512_set1_epi32(static_cast<int>(count));
    const auto stride_v = _mm512_set1_epi32(static_cast<int>(stride));
    // Four groups of 16 rows walk at once, so one group's gather waits while others compute.
    constexpr int kGroups = 4;
    for (std::size_t base = 0; base < count; base += 16 * kGroups) {
      __m512i at[kGroups], offset[kGroups];
      __mmask16 valid[kGroups];
      for (int g = 0; g < kGroups; ++g) {
        const __m512i row =
            _mm512_add_epi32(lanes, _mm512_set1_epi32(static_cast<int>(base + 16 * g)));
        valid[g] = _mm512_cmplt_epi32_mask(row, rows_in);
        offset[g] = _mm512_mullo_epi32(_mm512_min_epi32(row, last), stride_v);
        at[g] = _mm512_setzero_si512();
      }
      for (uint32_t step = 0; step < depth; ++step) {
        for (int g = 0; g < kGroups; ++g) {
          const __m512i s = lookup<kSlots>(split, at[g]);
          const __m512i m = lookup<kSlots>(meta, at[g]);
          const __m512i l = _mm512_srli_epi32(m, kLeftShift);
          const __m512i index = _mm512_add_epi32(offset[g], _mm512_and_si512(m, feature_mask));
          const __m512 x = _mm512_i32gather_ps(index, rows, 4);
          // Numeric: x >= threshold (false for a missing x). Categorical: code c in [0, 64) has
          // bit c of the set, split holding codes 0..31 and high 32..63 (a shift by 32 or more,
          // as unsigned, gives 0: so do codes outside a word, NaN and negatives).
          const __mmask16 at_least = _mm512_cmp_ps_mask(x, _mm512_castsi512_ps(s), _CMP_GE_OQ);
          const __mmask16 missing = _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q);
          const __mmask16 non_negative = _mm512_cmp_ps_mask(x, zero, _CMP_GE_OQ);
          const __m512i code = _mm512_cvttps_epi32(x);
          const __m512i shifted = _mm512_or_si512(
              _mm512_srlv_epi32(s, code),
              _mm512_srlv_epi32(lookup<kSlots>(high, at[g]), _mm512_sub_epi32(code, thirty_two)));
          const __mmask16 in_set = _mm512_mask_test_epi32_mask(non_negative, shifted, one);
          const __mmask16 is_categorical = _mm512_test_epi32_mask(m, categorical);
          const __mmask16 missing_goes_right = _mm512_test_epi32_mask(m, missing_right);
          auto right =
              static_cast<__mmask16>((is_categorical & in_set) | (~is_categorical & at_least) |
                                     (missing & missing_goes_right));
          const __mmask16 wide = _mm512_test_epi32_mask(m, wide_flag);
          if (wide) [[unlikely]] {
            alignas(64) uint32_t split_of[16];
            alignas(64) float x_of[16];
            _mm512_store_si512(split_of, s);
            _mm512_store_ps(x_of, x);
            right = wide_right(forest, wide, right, split_of, x_of);
          }
          at[g] = _mm512_mask_add_epi32(l, right, l, one);
        }
      }
      for (int g = 0; g < kGroups; ++g) {
        const std::size_t first = base + 16 * static_cast<std::size_t>(g);
        if (first >= count) break;
        const __m512 leaf = _mm512_castsi512_ps(lookup<kSlots>(value, at[g]));
        const __m512 sum = _mm512_add_ps(_mm512_maskz_loadu_ps(valid[g], out + first), leaf);
        _mm512_mask_storeu_ps(out + first, valid[g], sum);
      }
    }
  }
};

void FlatForest::build_vector_tables(const std::vector<uint32_t>& tree_sizes) {
  vector_trees_.clear();
  vector_tables_.clear();
  if (!__builtin_cpu_supports("avx512f")) return;  // vector_trees_ empty: the scalar walk
  vector_trees_.resize(tree_sizes.size());
  for (std::size_t t = 0; t < tree_sizes.size(); ++t) {
    const uint32_t size = tree_sizes[t];
    if (size > 64) continue;
    VectorTree& tree = vector_trees_[t];
    tree.slots = size <= 32 ? 32 : 64;
    tree.offset = static_cast<uint32_t>(vector_tables_.size());
    vector_tables_.resize(vector_tables_.size() + kTables * tree.slots);
    uint32_t* split = vector_tables_.data() + tree.offset;
    uint32_t* high = split + tree.slots;
    uint32_t* meta = high + tree.slots;
    uint32_t* value = meta + tree.slots;
    const uint32_t root = tree_roots_[t];
    for (uint32_t k = 0; k < tree.slots; ++k) {
      if (k >= size) {  // padding: a leaf stepping to itself, never reached
        split[k] = bits_of(std::nanf(""));
        meta[k] = k << kLeftShift;
        continue;
      }
      const CompactNode& node = compact_nodes_[root + k];
      value[k] = bits_of(compact_values_[root + k]);
      meta[k] = node.feature | (node.left - root) << kLeftShift;  // a leaf's left is itself
      if (node.wide) {
        const std::size_t general = wide_nodes_[node.right_bits];
        if (!nodes_[general].default_left) meta[k] |= kMissingRight;
        meta[k] |= kCategorical;
        const uint32_t words = category_size_[general];
        const uint32_t* set = category_words_.data() + category_begin_[general];
        if (words > 2) {  // codes of 64 or more
          split[k] = node.right_bits;
          meta[k] = (meta[k] & ~(kCategorical | kMissingRight)) | kWide;
          continue;
        }
        split[k] = words > 0 ? set[0] : 0u;
        high[k] = words > 1 ? set[1] : 0u;
        continue;
      }
      if (node.right_bits & kMissingBit) meta[k] |= kMissingRight;
      if (std::isnan(node.threshold)) {  // a category set, or a leaf (no set: never right)
        split[k] = node.right_bits & ~kMissingBit;
        meta[k] |= kCategorical;
      } else {
        split[k] = bits_of(node.threshold);
      }
    }
  }
}

void FlatForest::vector_tree(std::size_t t, const float* rows, std::size_t count,
                             std::size_t stride, float* out) const {
  const VectorTree& tree = vector_trees_[t];
  const uint32_t* tables = vector_tables_.data() + tree.offset;
  if (tree.slots == 32) {
    VectorWalk::add_tree<32>(*this, tables, tree_depths_[t], rows, count, stride, out);
  } else {
    VectorWalk::add_tree<64>(*this, tables, tree_depths_[t], rows, count, stride, out);
  }
}

#else  // another CPU: the scalar walk only

void FlatForest::build_vector_tables(const std::vector<uint32_t>&) {
  vector_trees_.clear();
  vector_tables_.clear();
}

void FlatForest::vector_tree(std::size_t, const float*, std::size_t, std::size_t, float*) const {}

#endif

}  // namespace smartchurn::engine
