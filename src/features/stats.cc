#include "features/stats.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "smartchurn/metrics.h"

namespace smartchurn::features {

std::vector<double> present_values(std::span<const double> values) {
  std::vector<double> out;
  out.reserve(values.size());
  for (double v : values) {
    if (!std::isnan(v)) out.push_back(v);
  }
  return out;
}

std::vector<double> quantiles(std::vector<double>& values, std::initializer_list<double> qs) {
  std::vector<double> out;
  // Selecting the k-th value leaves every smaller one before it, so a higher quantile only
  // needs to look from there on.
  std::optional<std::size_t> selected;
  for (double q : qs) {
    const double position = q * static_cast<double>(values.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const auto nth = values.begin() + static_cast<std::ptrdiff_t>(below);
    if (selected != below) {
      std::nth_element(values.begin() + static_cast<std::ptrdiff_t>(selected.value_or(0)), nth,
                       values.end());
      selected = below;
    }
    const double low = *nth;
    const double high = below + 1 < values.size() ? *std::min_element(nth + 1, values.end()) : low;
    out.push_back(low + (high - low) * (position - static_cast<double>(below)));
  }
  return out;
}

double univariate_strength(std::span<const double> values, std::span<const float> y) {
  std::vector<float> labels;
  std::vector<double> scores;
  labels.reserve(values.size());
  scores.reserve(values.size());
  bool has_pos = false, has_neg = false;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (std::isnan(values[i])) continue;
    labels.push_back(y[i]);
    scores.push_back(values[i]);
    (y[i] > 0.5f ? has_pos : has_neg) = true;
  }
  if (!has_pos || !has_neg) return 0.0;
  return std::abs(roc_auc(labels, scores) - 0.5);
}

bool missingness_is_informative(std::span<const double> values, std::span<const float> y) {
  double missing = 0, missing_pos = 0, present = 0, present_pos = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (std::isnan(values[i])) {
      ++missing;
      missing_pos += y[i];
    } else {
      ++present;
      present_pos += y[i];
    }
  }
  if (missing < 5 || present < 5) return false;
  double pooled = (missing_pos + present_pos) / (missing + present);
  double se = std::sqrt(pooled * (1 - pooled) * (1 / missing + 1 / present));
  if (se == 0) return false;
  return std::abs(missing_pos / missing - present_pos / present) / se >= 3.0;
}

double pearson(std::span<const double> a, std::span<const double> b) {
  double n = 0, sa = 0, sb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) || std::isnan(b[i])) continue;
    ++n;
    sa += a[i];
    sb += b[i];
  }
  if (n < 2) return 0.0;
  double ma = sa / n, mb = sb / n, cov = 0, va = 0, vb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) || std::isnan(b[i])) continue;
    cov += (a[i] - ma) * (b[i] - mb);
    va += (a[i] - ma) * (a[i] - ma);
    vb += (b[i] - mb) * (b[i] - mb);
  }
  if (va == 0 || vb == 0) return 0.0;
  return cov / std::sqrt(va * vb);
}

}  // namespace smartchurn::features
