#include "features/combined.h"

#include <algorithm>
#include <map>
#include <set>

#include "features/stats.h"

namespace smartchurn::features {

using features::Candidate;
using features::FeatureKind;

namespace {

constexpr std::size_t kPairSources = 4;
constexpr std::size_t kMaxPairFeatures = 3;
constexpr double kMinGain = 0.01;
constexpr std::size_t kMinGroupSize = 3;
// Strengths are measured on at most this many training rows: an AUC on a million rows is within
// about 0.001 of the whole set's, far below kMinGain, and on ten million rows it is 10x cheaper.
constexpr std::size_t kStrengthRows = 1'000'000;

bool yes_like(const std::string& level) {
  std::string lower;
  for (char c : level) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "yes" || lower == "true" || lower == "y" || lower == "1";
}

struct Scored {
  Candidate candidate;
  double strength;
};

// Every k-th of `rows` (with its label), at most kStrengthRows in all: spread over the whole set,
// so a file sorted by date or by outcome is still covered; all rows when there are fewer.
struct RowSample {
  std::vector<std::size_t> rows;
  std::vector<float> y;
};

RowSample spread_sample(std::span<const float> y, std::span<const std::size_t> rows) {
  RowSample sample;
  const std::size_t count = std::min(rows.size(), kStrengthRows);
  sample.rows.reserve(count);
  sample.y.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t at = i * rows.size() / count;
    sample.rows.push_back(rows[at]);
    sample.y.push_back(y[at]);
  }
  return sample;
}

std::vector<Candidate> ratio_and_product_features(const Dataset& data, std::span<const float> y_all,
                                                  std::span<const std::size_t> all_rows,
                                                  const std::vector<Candidate>& base) {
  const RowSample sample = spread_sample(y_all, all_rows);
  const std::span<const std::size_t> rows = sample.rows;
  const std::span<const float> y = sample.y;
  std::vector<Scored> numeric;
  for (const auto& c : base) {
    if (c.kind != FeatureKind::kNumeric) continue;
    numeric.push_back({c, features::univariate_strength(features::raw_values(c, data, rows), y)});
  }
  std::stable_sort(numeric.begin(), numeric.end(),
                   [](const Scored& a, const Scored& b) { return a.strength > b.strength; });
  if (numeric.size() > kPairSources) numeric.resize(kPairSources);

  std::vector<Scored> kept;
  for (std::size_t i = 0; i < numeric.size(); ++i) {
    for (std::size_t j = i + 1; j < numeric.size(); ++j) {
      const Candidate& a = numeric[i].candidate;
      const Candidate& b = numeric[j].candidate;
      double needed = std::max(numeric[i].strength, numeric[j].strength) + kMinGain;
      for (FeatureKind kind : {FeatureKind::kRatio, FeatureKind::kProduct}) {
        Candidate c;
        c.kind = kind;
        c.sources = {a.sources[0], b.sources[0]};
        c.name = a.sources[0] + (kind == FeatureKind::kRatio ? " / " : " * ") + b.sources[0];
        c.lower = {a.lower[0], b.lower[0]};
        c.upper = {a.upper[0], b.upper[0]};
        double strength = features::univariate_strength(features::raw_values(c, data, rows), y);
        if (strength >= needed) kept.push_back({std::move(c), strength - needed});
      }
    }
  }
  std::stable_sort(kept.begin(), kept.end(),
                   [](const Scored& a, const Scored& b) { return a.strength > b.strength; });
  std::vector<Candidate> out;
  for (std::size_t i = 0; i < kept.size() && i < kMaxPairFeatures; ++i) {
    out.push_back(kept[i].candidate);
  }
  return out;
}

std::vector<Candidate> count_features(const Dataset& data, std::span<const std::size_t> rows,
                                      const std::vector<Candidate>& base) {
  // Each categorical or boolean input column once, in input order, with the values it holds.
  std::vector<std::string> columns;
  std::map<std::set<std::string>, std::vector<std::string>> groups;
  for (const auto& c : base) {
    bool discrete = c.kind == FeatureKind::kBoolean || c.kind == FeatureKind::kOneHot ||
                    c.kind == FeatureKind::kCategory;
    const std::string& name = c.sources[0];
    if (!discrete || std::find(columns.begin(), columns.end(), name) != columns.end()) continue;
    columns.push_back(name);
    const Column& column = data.column(name);
    std::set<std::string> values;
    if (column.type() == ColumnType::kBoolean) {
      values = {column.schema.true_label, column.schema.false_label};
    } else {
      // Codes first: a set insert per row would compare strings millions of times.
      std::vector<bool> present(column.schema.levels.size(), false);
      for (std::size_t r : rows) {
        if (column.codes[r] >= 0) present[std::size_t(column.codes[r])] = true;
      }
      for (std::size_t level = 0; level < present.size(); ++level) {
        if (present[level]) values.insert(column.schema.levels[level]);
      }
    }
    groups[values].push_back(name);
  }
  std::vector<Candidate> out;
  for (const auto& [values, members] : groups) {
    if (members.size() < kMinGroupSize) continue;
    auto yes = std::find_if(values.begin(), values.end(), yes_like);
    if (yes == values.end()) continue;
    Candidate c;
    c.kind = FeatureKind::kCount;
    c.sources = members;
    c.level = *yes;
    c.name = "count of " + *yes + " in (";
    for (std::size_t i = 0; i < members.size(); ++i) c.name += (i ? ", " : "") + members[i];
    c.name += ")";
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

std::vector<Candidate> combined_features(const Dataset& data, std::span<const float> y_rows,
                                         std::span<const std::size_t> rows,
                                         const std::vector<Candidate>& base) {
  auto out = ratio_and_product_features(data, y_rows, rows, base);
  auto counts = count_features(data, rows, base);
  out.insert(out.end(), counts.begin(), counts.end());
  return out;
}

}  // namespace smartchurn::features
