#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "util/radix_sort.h"

namespace smartchurn {
namespace {

TEST(RadixSort, DoublesSortAsTheyCompare) {
  std::mt19937_64 random(3);
  std::vector<double> values;
  for (double special : {0.0, -0.0, -1e300, 1e300, 5e-324, -5e-324, 1.0, -1.0})
    values.push_back(special);
  for (int i = 0; i < 100000; ++i) {
    values.push_back(i % 2 ? std::normal_distribution<double>(0, 1e6)(random)
                           : static_cast<double>(random() % 50));  // ties
  }
  std::vector<double> expected = values;
  std::sort(expected.begin(), expected.end());
  radix_sort(values, ascending_key);
  ASSERT_EQ(values.size(), expected.size());
  for (std::size_t i = 0; i < values.size(); ++i) ASSERT_EQ(values[i], expected[i]) << i;
  for (double v : {0.0, -0.0, -2.5, 3e200, 7.0}) {
    EXPECT_EQ(std::signbit(from_ascending_key(ascending_key(v))), std::signbit(v));
    EXPECT_EQ(from_ascending_key(ascending_key(v)), v);
  }
}

TEST(RadixSort, IsStable) {
  struct Item {
    uint64_t key;
    int order;
  };
  std::vector<Item> items;
  for (int i = 0; i < 1000; ++i) items.push_back({static_cast<uint64_t>((i * 7919) % 13) << 40, i});
  radix_sort(items, [](const Item& item) { return item.key; });
  for (std::size_t i = 1; i < items.size(); ++i) {
    ASSERT_TRUE(items[i - 1].key < items[i].key ||
                (items[i - 1].key == items[i].key && items[i - 1].order < items[i].order));
  }
}

}  // namespace
}  // namespace smartchurn
