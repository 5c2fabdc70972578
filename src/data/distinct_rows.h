// Exact duplicate rows of a data set, found by hashing each row's stored values (not their text),
// so that millions of rows take a few hundred milliseconds and a few bytes per row.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "smartchurn/dataset.h"

namespace smartchurn {

// The first row of each group of rows that are equal on `columns` (missing equals missing, -0
// equals 0, categorical cells by level), in ascending order.
std::vector<std::size_t> first_distinct_rows(const Dataset& data,
                                             std::span<const Column* const> columns);

}  // namespace smartchurn
