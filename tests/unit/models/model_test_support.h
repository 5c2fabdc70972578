// Seeded synthetic problems and small helpers shared by the model tests.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <span>
#include <vector>

#include "smartchurn/matrix.h"

namespace smartchurn::testing {

struct Problem {
  FeatureMatrix x;
  std::vector<float> y;
};

// Uniform in [0, 1) from the top 53 bits: the same on every standard library.
inline double unit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// Rows [begin, end) of a problem (a local stand-in for FeatureMatrix::select_rows).
inline Problem slice(const Problem& p, std::size_t begin, std::size_t end) {
  Problem out{FeatureMatrix(end - begin, p.x.cols), {}};
  std::copy(p.x.values.begin() + static_cast<std::ptrdiff_t>(begin * p.x.cols),
            p.x.values.begin() + static_cast<std::ptrdiff_t>(end * p.x.cols), out.x.values.begin());
  out.y.assign(p.y.begin() + static_cast<std::ptrdiff_t>(begin),
               p.y.begin() + static_cast<std::ptrdiff_t>(end));
  return out;
}

// Four features: x0 and x1 carry the signal (x1 non-linearly), x2 and x3 are noise; labels follow
// a logistic model of the signal. With `with_missing`, 5 % of x1 is NaN.
inline Problem signal_problem(std::size_t rows, uint64_t seed, bool with_missing) {
  std::mt19937_64 rng(seed);
  Problem p{FeatureMatrix(rows, 4), std::vector<float>(rows)};
  for (std::size_t r = 0; r < rows; ++r) {
    const double x0 = 2 * unit(rng) - 1, x1 = 2 * unit(rng) - 1;
    p.x.at(r, 0) = static_cast<float>(x0);
    p.x.at(r, 1) = static_cast<float>(x1);
    p.x.at(r, 2) = static_cast<float>(2 * unit(rng) - 1);
    p.x.at(r, 3) = static_cast<float>(2 * unit(rng) - 1);
    const double logit = 5 * x0 + 4 * std::abs(x1) - 2;
    p.y[r] = unit(rng) < 1 / (1 + std::exp(-logit)) ? 1.0f : 0.0f;
    if (with_missing && unit(rng) < 0.05) p.x.at(r, 1) = std::numeric_limits<float>::quiet_NaN();
  }
  return p;
}

// Column 0 is a category code in 0..19; churners are the codes in a scattered set (3 % label
// noise), so no threshold on the code separates them. Column 1 is noise.
inline Problem category_problem(std::size_t rows, uint64_t seed) {
  static constexpr bool kChurning[20] = {1, 0, 0, 1, 0, 1, 1, 0, 0, 0,
                                         1, 0, 1, 0, 0, 1, 0, 1, 1, 0};
  std::mt19937_64 rng(seed);
  Problem p{FeatureMatrix(rows, 2), std::vector<float>(rows)};
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t code = static_cast<std::size_t>(unit(rng) * 20);
    p.x.at(r, 0) = static_cast<float>(code);
    p.x.at(r, 1) = static_cast<float>(unit(rng));
    const bool flip = unit(rng) < 0.03;
    p.y[r] = (kChurning[code] != flip) ? 1.0f : 0.0f;
  }
  return p;
}

// ROC-AUC by the rank-sum (Mann-Whitney) formula, ties counted half.
inline double auc(std::span<const float> y, std::span<const double> p) {
  std::vector<std::size_t> order(p.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  double positive_rank_sum = 0, positives = 0;
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j < order.size() && p[order[j]] == p[order[i]]) ++j;
    const double mean_rank = (static_cast<double>(i + j) + 1) / 2;  // ranks are 1-based
    for (std::size_t k = i; k < j; ++k) {
      if (y[order[k]] == 1.0f) {
        positive_rank_sum += mean_rank;
        positives += 1;
      }
    }
    i = j;
  }
  const double negatives = static_cast<double>(y.size()) - positives;
  return (positive_rank_sum - positives * (positives + 1) / 2) / (positives * negatives);
}

}  // namespace smartchurn::testing
