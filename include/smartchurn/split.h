// Stratified splits: every part keeps the data set's churn rate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace smartchurn {

struct Split {
  std::vector<std::size_t> train;  // row indices, ascending
  std::vector<std::size_t> test;   // row indices, ascending
};

// Stratified k-fold: rows of each class are shuffled with `seed` and dealt round-robin into `folds`
// parts, so fold sizes differ by at most one per class. Throws kUsage when folds < 2 and kBadData
// when a class has fewer rows than folds. Same inputs, same seed: same folds.
std::vector<Split> stratified_kfold(std::span<const float> y, int folds, uint64_t seed);

// Stratified train/test split holding out `test_fraction` (0 < f < 1) of each class.
Split stratified_split(std::span<const float> y, double test_fraction, uint64_t seed);

// The same as above over a subset of rows: `rows` are indices into y, and the result holds
// indices from `rows`.
Split stratified_split(std::span<const float> y, std::span<const std::size_t> rows,
                       double test_fraction, uint64_t seed);

}  // namespace smartchurn
