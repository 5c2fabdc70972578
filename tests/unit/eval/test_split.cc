#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "smartchurn/error.h"
#include "smartchurn/split.h"
#include "unit/error_code_of.h"

namespace smartchurn {
namespace {

// 100 rows, 30 positives (every row whose index is 1 mod 10, 4 mod 10 or 7 mod 10).
std::vector<float> make_labels() {
  std::vector<float> y(100, 0.0f);
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (i % 10 == 1 || i % 10 == 4 || i % 10 == 7) y[i] = 1.0f;
  }
  return y;
}

std::size_t count_positives(const std::vector<float>& y, const std::vector<std::size_t>& rows) {
  return static_cast<std::size_t>(
      std::count_if(rows.begin(), rows.end(), [&y](std::size_t r) { return y[r] == 1.0f; }));
}

using test::code_of;

TEST(StratifiedKfold, EveryRowInExactlyOneTestFold) {
  const auto y = make_labels();
  const auto splits = stratified_kfold(y, 5, 42);
  ASSERT_EQ(splits.size(), 5u);
  std::vector<int> times_tested(y.size(), 0);
  for (const Split& split : splits) {
    EXPECT_TRUE(std::is_sorted(split.test.begin(), split.test.end()));
    EXPECT_TRUE(std::is_sorted(split.train.begin(), split.train.end()));
    EXPECT_EQ(split.train.size() + split.test.size(), y.size());
    for (std::size_t row : split.test) ++times_tested[row];
    // train is exactly the complement of test
    std::vector<std::size_t> merged;
    std::merge(split.train.begin(), split.train.end(), split.test.begin(), split.test.end(),
               std::back_inserter(merged));
    for (std::size_t i = 0; i < merged.size(); ++i) ASSERT_EQ(merged[i], i);
  }
  EXPECT_TRUE(std::all_of(times_tested.begin(), times_tested.end(), [](int t) { return t == 1; }));
}

TEST(StratifiedKfold, PreservesClassRatios) {
  const auto y = make_labels();
  for (const Split& split : stratified_kfold(y, 5, 7)) {
    // 70 negatives and 30 positives dealt into 5 folds: 14 + 6 per test fold.
    EXPECT_EQ(split.test.size(), 20u);
    EXPECT_EQ(count_positives(y, split.test), 6u);
    EXPECT_EQ(count_positives(y, split.train), 24u);
  }
}

TEST(StratifiedKfold, UnevenClassesDifferByAtMostOne) {
  // 7 negatives, 4 positives, 3 folds: negatives go to folds 0 1 2 0 1 2 0 (3/2/2), positives
  // continue at fold 1: 1 2 0 1 (1/2/1), so the folds hold 4, 4 and 3 rows.
  const std::vector<float> y = {0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1};
  const auto splits = stratified_kfold(y, 3, 1);
  const std::size_t expected_sizes[3] = {4, 4, 3};
  const std::size_t expected_positives[3] = {1, 2, 1};
  for (std::size_t f = 0; f < 3; ++f) {
    EXPECT_EQ(splits[f].test.size(), expected_sizes[f]);
    EXPECT_EQ(count_positives(y, splits[f].test), expected_positives[f]);
  }
}

TEST(StratifiedKfold, SameSeedSameFoldsOtherSeedOtherFolds) {
  const auto y = make_labels();
  const auto first = stratified_kfold(y, 4, 123);
  const auto again = stratified_kfold(y, 4, 123);
  const auto other = stratified_kfold(y, 4, 124);
  for (std::size_t f = 0; f < 4; ++f) {
    EXPECT_EQ(first[f].test, again[f].test);
    EXPECT_EQ(first[f].train, again[f].train);
  }
  EXPECT_NE(first[0].test, other[0].test);
}

TEST(StratifiedKfold, MatchesAnIndependentImplementation) {
  // Computed offline with /usr/bin/python3: an independent MT19937-64 (checked against the C++
  // standard's 10000th output 9981545732273789042), Fisher-Yates from the end with
  // j = draw % i after rejecting draws below 2^64 % i, class 0 shuffled and dealt first.
  const std::vector<float> y = {1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0};
  const auto splits = stratified_kfold(y, 3, 42);
  EXPECT_EQ(splits[0].test, (std::vector<std::size_t>{2, 5, 6, 11}));
  EXPECT_EQ(splits[1].test, (std::vector<std::size_t>{1, 3, 4, 9}));
  EXPECT_EQ(splits[2].test, (std::vector<std::size_t>{0, 7, 8, 10}));
}

TEST(StratifiedKfold, RejectsTooFewFoldsOrRows) {
  const auto y = make_labels();
  EXPECT_EQ(code_of([&] { stratified_kfold(y, 1, 0); }), ErrorCode::kUsage);
  EXPECT_EQ(code_of([&] { stratified_kfold(y, -3, 0); }), ErrorCode::kUsage);
  EXPECT_EQ(code_of([] { stratified_kfold({}, 5, 0); }), ErrorCode::kBadData);
  const std::vector<float> few_positives = {0, 0, 0, 0, 0, 1, 1};
  try {
    stratified_kfold(few_positives, 3, 0);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData);
    EXPECT_EQ(e.message(),
              "stratified 3-fold split needs at least 3 rows of each class; class 1 has 2");
  }
  EXPECT_EQ(code_of([] {
              stratified_kfold(std::vector<float>{0, 0.5f, 1, 1}, 2, 0);
            }),
            ErrorCode::kBadData);
}

TEST(StratifiedSplit, HoldsOutTheFractionOfEachClass) {
  const auto y = make_labels();
  const Split split = stratified_split(y, 0.2, 9);
  EXPECT_EQ(split.test.size(), 20u);  // 14 of 70 negatives + 6 of 30 positives
  EXPECT_EQ(count_positives(y, split.test), 6u);
  EXPECT_EQ(split.train.size(), 80u);
  EXPECT_EQ(count_positives(y, split.train), 24u);
  EXPECT_TRUE(std::is_sorted(split.test.begin(), split.test.end()));
  EXPECT_TRUE(std::is_sorted(split.train.begin(), split.train.end()));
  std::vector<std::size_t> merged;
  std::merge(split.train.begin(), split.train.end(), split.test.begin(), split.test.end(),
             std::back_inserter(merged));
  for (std::size_t i = 0; i < merged.size(); ++i) ASSERT_EQ(merged[i], i);
}

TEST(StratifiedSplit, KeepsBothClassesOnBothSides) {
  // 0.1 of 3 positives rounds to 0 and 0.9 of 3 to 3; both are clamped to leave one row each side.
  const std::vector<float> y = {1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(count_positives(y, stratified_split(y, 0.1, 3).test), 1u);
  EXPECT_EQ(count_positives(y, stratified_split(y, 0.9, 3).train), 1u);
}

TEST(StratifiedSplit, DeterministicForASeed) {
  const auto y = make_labels();
  EXPECT_EQ(stratified_split(y, 0.3, 5).test, stratified_split(y, 0.3, 5).test);
  EXPECT_NE(stratified_split(y, 0.3, 5).test, stratified_split(y, 0.3, 6).test);
  // Same algorithm as MatchesAnIndependentImplementation above, 0.25 of each class, seed 7.
  const std::vector<float> small = {1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0};
  EXPECT_EQ(stratified_split(small, 0.25, 7).test, (std::vector<std::size_t>{3, 4, 5}));
}

TEST(StratifiedSplit, OverASubsetReturnsRowsOfTheSubset) {
  const auto y = make_labels();
  std::vector<std::size_t> even_rows;
  for (std::size_t i = 0; i < y.size(); i += 2) even_rows.push_back(i);
  const Split split = stratified_split(y, even_rows, 0.2, 11);
  // Even rows: 40 negatives and 10 positives (4 mod 10 only): 8 + 2 held out.
  EXPECT_EQ(split.test.size(), 10u);
  EXPECT_EQ(count_positives(y, split.test), 2u);
  EXPECT_EQ(split.train.size() + split.test.size(), 50u);
  for (std::size_t row : split.test) EXPECT_EQ(row % 2, 0u);
  for (std::size_t row : split.train) EXPECT_EQ(row % 2, 0u);
  // The order the subset is listed in does not matter.
  std::vector<std::size_t> reversed(even_rows.rbegin(), even_rows.rend());
  EXPECT_EQ(stratified_split(y, reversed, 0.2, 11).test, split.test);
}

TEST(StratifiedSplit, RejectsBadArguments) {
  const auto y = make_labels();
  for (double fraction : {0.0, 1.0, -0.5, 1.5, std::nan("")}) {
    EXPECT_EQ(code_of([&] { stratified_split(y, fraction, 0); }), ErrorCode::kUsage) << fraction;
  }
  const std::vector<std::size_t> out_of_range = {0, 100};
  EXPECT_EQ(code_of([&] { stratified_split(y, out_of_range, 0.5, 0); }), ErrorCode::kUsage);
  const std::vector<std::size_t> duplicated = {1, 2, 1, 3};
  EXPECT_EQ(code_of([&] { stratified_split(y, duplicated, 0.5, 0); }), ErrorCode::kUsage);
  EXPECT_EQ(code_of([] { stratified_split({}, 0.5, 0); }), ErrorCode::kBadData);
  try {
    stratified_split(std::vector<float>{0, 0, 0, 1}, 0.5, 0);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData);
    EXPECT_EQ(e.message(),
              "stratified train/test split needs at least 2 rows of each class; class 1 has 1");
  }
}

}  // namespace
}  // namespace smartchurn
