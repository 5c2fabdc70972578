#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "smartchurn/error.h"
#include "smartchurn/matrix.h"

namespace smartchurn {
namespace {

// 4 x 3 matrix with value 10 * row + col, and a missing value at (2, 1).
FeatureMatrix make_matrix() {
  FeatureMatrix m(4, 3);
  for (std::size_t r = 0; r < 4; ++r) {
    for (std::size_t c = 0; c < 3; ++c) m.at(r, c) = static_cast<float>(10 * r + c);
  }
  m.at(2, 1) = std::numeric_limits<float>::quiet_NaN();
  return m;
}

TEST(SelectRows, CopiesTheListedRowsInTheirOrder) {
  const FeatureMatrix m = make_matrix();
  const std::vector<std::size_t> which = {3, 0, 2, 0};
  const FeatureMatrix selected = m.select_rows(which);
  EXPECT_EQ(selected.rows, 4u);
  EXPECT_EQ(selected.cols, 3u);
  EXPECT_TRUE(std::isnan(selected.at(2, 1)));  // missing stays missing
  std::vector<float> values = selected.values;
  values[2 * 3 + 1] = -1;  // NaN never compares equal
  EXPECT_EQ(values, (std::vector<float>{30, 31, 32, 0, 1, 2, 20, -1, 22, 0, 1, 2}));
}

TEST(SelectRows, EmptySelectionKeepsTheColumns) {
  const FeatureMatrix selected = make_matrix().select_rows({});
  EXPECT_EQ(selected.rows, 0u);
  EXPECT_EQ(selected.cols, 3u);
  EXPECT_TRUE(selected.values.empty());
}

TEST(SelectRows, OutOfRangeRowIsUsageError) {
  const FeatureMatrix m = make_matrix();
  const std::vector<std::size_t> which = {1, 4};
  try {
    m.select_rows(which);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUsage);
    EXPECT_EQ(e.message(), "select_rows: row 4 is out of range for a matrix of 4 rows");
  }
}

TEST(SelectRows, WorksWithZeroColumns) {
  FeatureMatrix m(3, 0);
  const std::vector<std::size_t> which = {2, 1};
  const FeatureMatrix selected = m.select_rows(which);
  EXPECT_EQ(selected.rows, 2u);
  EXPECT_EQ(selected.cols, 0u);
}

}  // namespace
}  // namespace smartchurn
