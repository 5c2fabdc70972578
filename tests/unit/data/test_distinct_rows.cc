#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>
#include <tuple>

#include "data/distinct_rows.h"
#include "unit/dataset_builder.h"

namespace smartchurn {
namespace {

std::vector<const Column*> all_columns(const Dataset& data) {
  std::vector<const Column*> out;
  for (const auto& c : data.columns) out.push_back(&c);
  return out;
}

TEST(DistinctRows, KeepsTheFirstOfEachGroupOfEqualRows) {
  Dataset data = test::DatasetBuilder()
                     .numeric("tenure", {1, 2, 1, 1, 2})
                     .categorical("contract", {"Monthly", "Yearly", "Monthly", "Yearly", "Yearly"})
                     .build();
  EXPECT_EQ(first_distinct_rows(data, all_columns(data)), (std::vector<std::size_t>{0, 1, 3}));
}

TEST(DistinctRows, MissingEqualsMissingAndMinusZeroEqualsZero) {
  Dataset data = test::DatasetBuilder()
                     .numeric("charges", {NAN, 0.0, NAN, -0.0, 5.0})
                     .boolean("partner", {NAN, 1, NAN, 1, 0})
                     .categorical("region", {"", "North", "", "North", ""})
                     .build();
  EXPECT_EQ(first_distinct_rows(data, all_columns(data)), (std::vector<std::size_t>{0, 1, 4}));
}

TEST(DistinctRows, LooksOnlyAtTheGivenColumns) {
  Dataset data = test::DatasetBuilder()
                     .categorical("id", {"a", "b", "c"}, ColumnType::kIdentifier)
                     .numeric("tenure", {3, 3, 4})
                     .build();
  std::vector<const Column*> tenure_only = {&data.columns[1]};
  EXPECT_EQ(first_distinct_rows(data, tenure_only), (std::vector<std::size_t>{0, 2}));
  EXPECT_EQ(first_distinct_rows(data, all_columns(data)), (std::vector<std::size_t>{0, 1, 2}));
}

TEST(DistinctRows, AgreesWithASetOnManyRowsWithFewValues) {
  // 20,000 rows over 3 x 4 x 5 possible values: almost every row repeats an earlier one, so
  // the table resolves many equal hashes and probes past many occupied slots.
  std::vector<double> a, b;
  std::vector<std::string> c;
  uint64_t state = 7;
  auto next = [&](uint64_t n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % n;
  };
  std::set<std::tuple<double, double, std::string>> seen;
  std::vector<std::size_t> expected;
  for (std::size_t r = 0; r < 20000; ++r) {
    a.push_back(static_cast<double>(next(3)));
    b.push_back(next(4) == 0 ? NAN : static_cast<double>(next(100)) / 4);
    c.push_back(std::string(1, static_cast<char>('p' + next(5))));
    if (seen.insert({a.back(), std::isnan(b.back()) ? -1.0 : b.back(), c.back()}).second) {
      expected.push_back(r);
    }
  }
  Dataset data = test::DatasetBuilder().numeric("a", a).numeric("b", b).categorical("c", c).build();
  EXPECT_EQ(first_distinct_rows(data, all_columns(data)), expected);
}

}  // namespace
}  // namespace smartchurn
