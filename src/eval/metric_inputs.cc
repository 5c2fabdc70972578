#include "eval/metric_inputs.h"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "smartchurn/error.h"
#include "util/radix_sort.h"

namespace smartchurn::internal {

std::size_t check_labels(std::string_view what, std::span<const float> y) {
  std::size_t positives = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (y[i] == 1.0f) {
      ++positives;
    } else if (y[i] != 0.0f) {
      throw_bad_data(fmt::format("{}: label at row {} is {}; expected 0 or 1", what, i, y[i]));
    }
  }
  return positives;
}

std::size_t check_inputs(std::string_view what, std::span<const float> y, std::span<const double> p,
                         ProbabilityRange range) {
  if (y.size() != p.size()) {
    throw_usage(fmt::format("{}: {} labels but {} probabilities", what, y.size(), p.size()));
  }
  if (y.empty()) throw_bad_data(fmt::format("{}: no rows to evaluate", what));
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (!std::isfinite(p[i])) {
      throw_bad_data(fmt::format("{}: probability at row {} is {}", what, i, p[i]));
    }
    if (range == ProbabilityRange::kUnitInterval && (p[i] < 0.0 || p[i] > 1.0)) {
      throw_bad_data(fmt::format("{}: probability at row {} is {}; expected a value in [0, 1]",
                                 what, i, p[i]));
    }
  }
  return check_labels(what, y);
}

void require_both_classes(std::string_view metric, std::size_t positives, std::size_t rows) {
  if (positives == 0 || positives == rows) {
    throw_bad_data(
        fmt::format("{} needs both classes; all labels are {}", metric, positives == 0 ? 0 : 1));
  }
}

namespace {

struct Scored {
  std::uint64_t key;  // ~ascending_key(score): ascending key = descending score
  bool positive;
};

}  // namespace

std::vector<ThresholdCounts> threshold_counts(std::span<const float> y, std::span<const double> p) {
  std::vector<Scored> scored(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) scored[i] = {~ascending_key(p[i]), y[i] == 1.0f};
  // Order within a tie group does not matter: only the counts at the group's end are kept.
  if (scored.size() < kRadixSortFrom) {
    std::sort(scored.begin(), scored.end(),
              [](const Scored& a, const Scored& b) { return a.key < b.key; });
  } else {
    radix_sort(scored, [](const Scored& s) { return s.key; });
  }

  std::vector<ThresholdCounts> counts;
  std::size_t tp = 0, fp = 0;
  for (std::size_t i = 0; i < scored.size(); ++i) {
    (scored[i].positive ? tp : fp) += 1;
    const double score = from_ascending_key(~scored[i].key);
    if (i + 1 == scored.size() || from_ascending_key(~scored[i + 1].key) != score) {
      counts.push_back({score, tp, fp});
    }
  }
  return counts;
}

}  // namespace smartchurn::internal
