// Small statistics used while fitting the pipeline.
#pragma once

#include <initializer_list>
#include <span>
#include <vector>

namespace smartchurn::features {

// The non-missing values, in their order.
std::vector<double> present_values(std::span<const double> values);
// Linear-interpolated quantiles (numpy's default) of non-empty `values` at ascending `qs` in
// [0, 1]. Found by selection, not a full sort (linear time on millions of rows); reorders `values`.
std::vector<double> quantiles(std::vector<double>& values, std::initializer_list<double> qs);

// How well one feature ranks churners on its own: |ROC-AUC - 0.5| over the rows where it is present
// (0 when those rows hold a single class). `y` is aligned with `values`.
double univariate_strength(std::span<const double> values, std::span<const float> y);

// Whether missingness of a column carries signal: a two-proportion z-test of the churn rate of the
// rows where it is missing against the rest, |z| >= 3 with at least 5 missing rows.
bool missingness_is_informative(std::span<const double> values, std::span<const float> y);

// Pearson correlation over rows where both are present (0 when either is constant there).
double pearson(std::span<const double> a, std::span<const double> b);

}  // namespace smartchurn::features
