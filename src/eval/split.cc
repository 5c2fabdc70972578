// Stratified k-fold and train/test splits, reproducible for a seed on every platform.
#include "smartchurn/split.h"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "eval/metric_inputs.h"
#include "smartchurn/error.h"
#include "util/random.h"

namespace smartchurn {

namespace {

// util::Random's draws, not std::uniform_int_distribution's (implementation-defined): the same
// seed gives the same folds with every standard library.
void fisher_yates_shuffle(std::vector<std::size_t>& items, util::Random& random) {
  for (std::size_t i = items.size(); i > 1; --i) {
    const auto j = static_cast<std::size_t>(random.below(i));
    std::swap(items[i - 1], items[j]);
  }
}

struct RowsByClass {
  std::vector<std::size_t> of_class[2];  // ascending row indices with label 0, label 1
};

// `rows` must be ascending and in range.
RowsByClass group_by_class(std::string_view what, std::span<const float> y,
                           std::span<const std::size_t> rows) {
  internal::check_labels(what, y);
  RowsByClass grouped;
  for (const std::size_t row : rows) grouped.of_class[y[row] == 1.0f ? 1 : 0].push_back(row);
  return grouped;
}

void require_rows_per_class(const RowsByClass& grouped, std::size_t needed, std::string_view what) {
  for (int label = 0; label < 2; ++label) {
    const std::size_t have = grouped.of_class[label].size();
    if (have < needed) {
      throw_bad_data(fmt::format("{} needs at least {} rows of each class; class {} has {}", what,
                                 needed, label, have));
    }
  }
}

}  // namespace

std::vector<Split> stratified_kfold(std::span<const float> y, int folds, uint64_t seed) {
  if (folds < 2)
    throw_usage(fmt::format("stratified_kfold: folds must be at least 2, got {}", folds));
  if (y.empty()) throw_bad_data("stratified_kfold: no rows to split");
  const auto fold_count = static_cast<std::size_t>(folds);
  std::vector<std::size_t> all_rows(y.size());
  std::iota(all_rows.begin(), all_rows.end(), std::size_t{0});
  RowsByClass grouped = group_by_class("stratified_kfold", y, all_rows);
  require_rows_per_class(grouped, fold_count, fmt::format("stratified {}-fold split", folds));

  // Deal each shuffled class round-robin; class 1 continues where class 0 stopped so total fold
  // sizes also differ by at most one.
  util::Random rng(seed);
  std::vector<std::size_t> fold_of_row(y.size());
  std::size_t next_fold = 0;
  for (auto& rows : grouped.of_class) {
    fisher_yates_shuffle(rows, rng);
    for (const std::size_t row : rows) {
      fold_of_row[row] = next_fold;
      next_fold = (next_fold + 1) % fold_count;
    }
  }

  std::vector<Split> splits(fold_count);
  for (std::size_t row = 0; row < y.size(); ++row) {  // ascending by construction
    for (std::size_t fold = 0; fold < fold_count; ++fold) {
      (fold_of_row[row] == fold ? splits[fold].test : splits[fold].train).push_back(row);
    }
  }
  return splits;
}

Split stratified_split(std::span<const float> y, double test_fraction, uint64_t seed) {
  std::vector<std::size_t> all_rows(y.size());
  std::iota(all_rows.begin(), all_rows.end(), std::size_t{0});
  return stratified_split(y, all_rows, test_fraction, seed);
}

Split stratified_split(std::span<const float> y, std::span<const std::size_t> rows,
                       double test_fraction, uint64_t seed) {
  if (!(test_fraction > 0.0 && test_fraction < 1.0)) {
    throw_usage(fmt::format("stratified_split: test fraction must be between 0 and 1, got {}",
                            test_fraction));
  }
  if (rows.empty()) throw_bad_data("stratified_split: no rows to split");
  // Sorting first makes the result independent of the order rows are listed in.
  std::vector<std::size_t> sorted_rows(rows.begin(), rows.end());
  std::sort(sorted_rows.begin(), sorted_rows.end());
  if (sorted_rows.back() >= y.size()) {
    throw_usage(fmt::format("stratified_split: row {} is out of range for {} labels",
                            sorted_rows.back(), y.size()));
  }
  const auto duplicate = std::adjacent_find(sorted_rows.begin(), sorted_rows.end());
  if (duplicate != sorted_rows.end()) {
    throw_usage(fmt::format("stratified_split: row {} is listed twice", *duplicate));
  }
  RowsByClass grouped = group_by_class("stratified_split", y, sorted_rows);
  // Two rows per class let both parts hold both classes.
  require_rows_per_class(grouped, 2, "stratified train/test split");

  util::Random rng(seed);
  Split split;
  for (auto& class_rows : grouped.of_class) {
    fisher_yates_shuffle(class_rows, rng);
    const std::size_t size = class_rows.size();
    const auto rounded =
        static_cast<std::size_t>(std::llround(test_fraction * static_cast<double>(size)));
    const std::size_t test_size = std::clamp<std::size_t>(rounded, 1, size - 1);
    split.test.insert(split.test.end(), class_rows.begin(), class_rows.begin() + test_size);
    split.train.insert(split.train.end(), class_rows.begin() + test_size, class_rows.end());
  }
  std::sort(split.test.begin(), split.test.end());
  std::sort(split.train.begin(), split.train.end());
  return split;
}

}  // namespace smartchurn
