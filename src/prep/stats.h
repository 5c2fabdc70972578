// Small statistics used while fitting the pipeline.
#pragma once

#include <span>
#include <vector>

namespace smartchurn::prep {

// Linear-interpolated quantile (numpy's default) of already sorted values; q in [0, 1].
double quantile_sorted(std::span<const double> sorted, double q);
// The non-missing values, sorted.
std::vector<double> sorted_present(std::span<const double> values);

// How well one feature ranks churners on its own: |ROC-AUC - 0.5| over the rows where it is present
// (0 when those rows hold a single class). `y` is aligned with `values`.
double univariate_strength(std::span<const double> values, std::span<const float> y);

// Whether missingness of a column carries signal: a two-proportion z-test of the churn rate of the
// rows where it is missing against the rest, |z| >= 3 with at least 5 missing rows.
bool missingness_is_informative(std::span<const double> values, std::span<const float> y);

// Pearson correlation over rows where both are present (0 when either is constant there).
double pearson(std::span<const double> a, std::span<const double> b);

}  // namespace smartchurn::prep
