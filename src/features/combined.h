// Combined features, chosen by a documented rule from the training rows only.
//
// Ratios and products: the four numeric columns that rank churners best on their own (univariate
// ROC-AUC) are paired; for each pair (a more informative than b) the candidates are a / b and a *
// b. A candidate is kept when it ranks churners better than both of its sources by at least 0.01 of
// |AUC - 0.5|; at most three are kept, best first. Strengths are measured on at most a million
// training rows, spread evenly over them.
//
// Counts: categorical and boolean columns that share the same set of values (such as Yes / No /
// "No internet service") form a group; a group of three or more whose values include a yes-like one
// (Yes, True, Y, 1) gets a feature counting how many of its columns say yes.
#pragma once

#include <span>
#include <vector>

#include "features/candidate.h"

namespace smartchurn::features {

// `y_rows[i]` is the label of `rows[i]`; `base` holds the candidates made from single columns.
std::vector<features::Candidate> combined_features(const Dataset& data,
                                                   std::span<const float> y_rows,
                                                   std::span<const std::size_t> rows,
                                                   const std::vector<features::Candidate>& base);

}  // namespace smartchurn::features
