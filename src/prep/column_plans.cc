#include "prep/column_plans.h"

#include <algorithm>
#include <cmath>

#include "features/stats.h"

namespace smartchurn::prep {

namespace {

std::vector<double> gather(const std::vector<double>& values, std::span<const std::size_t> rows) {
  std::vector<double> out(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) out[i] = values[rows[i]];
  return out;
}

bool linear(const PrepOptions& o) { return o.style == InputStyle::kScaledOneHot; }

Candidate missing_indicator(const std::string& column) {
  Candidate c;
  c.kind = FeatureKind::kMissingIndicator;
  c.name = column + " is missing";
  c.sources = {column};
  return c;
}

std::vector<Candidate> plan_numeric(const Column& column, std::span<const float> y,
                                    std::span<const std::size_t> rows, const PrepOptions& options,
                                    nlohmann::json& notes) {
  auto values = gather(column.values, rows);
  auto present = features::present_values(values);
  if (present.empty()) {
    notes.push_back(
        {{"column", column.name()}, {"note", "no values in the training rows; left out"}});
    return {};
  }
  const auto q = features::quantiles(present, {0.01, 0.25, 0.5, 0.75, 0.99});
  const double iqr = q[3] - q[1];
  const double lower = std::min(q[1] - options.cap_iqr_multiplier * iqr, q[0]);
  const double upper = std::max(q[3] + options.cap_iqr_multiplier * iqr, q[4]);
  auto capped_cells = std::count_if(present.begin(), present.end(),
                                    [&](double v) { return v < lower || v > upper; });
  if (capped_cells > 0) {
    notes.push_back({{"column", column.name()},
                     {"note", "outliers capped"},
                     {"cells", capped_cells},
                     {"lower", lower},
                     {"upper", upper}});
  }
  Candidate c;
  c.kind = FeatureKind::kNumeric;
  c.name = column.name();
  c.sources = {column.name()};
  c.lower = {lower};
  c.upper = {upper};
  if (linear(options)) c.fill = q[2];
  std::vector<Candidate> out{c};
  if (features::missingness_is_informative(values, y))
    out.push_back(missing_indicator(column.name()));
  return out;
}

std::vector<Candidate> plan_boolean(const Column& column, std::span<const float> y,
                                    std::span<const std::size_t> rows, const PrepOptions& options) {
  auto values = gather(column.values, rows);
  Candidate c;
  c.kind = FeatureKind::kBoolean;
  c.name = column.name();
  c.sources = {column.name()};
  if (linear(options)) {
    auto ones = std::count(values.begin(), values.end(), 1.0);
    auto zeros = std::count(values.begin(), values.end(), 0.0);
    c.fill = ones > zeros ? 1.0 : 0.0;
  }
  std::vector<Candidate> out{c};
  if (features::missingness_is_informative(values, y))
    out.push_back(missing_indicator(column.name()));
  return out;
}

std::vector<Candidate> plan_categorical(const Column& column, std::span<const std::size_t> rows,
                                        const PrepOptions& options, nlohmann::json& notes) {
  std::vector<std::size_t> counts(column.schema.levels.size(), 0);
  std::size_t missing = 0;
  for (std::size_t r : rows) {
    int32_t code = column.codes[r];
    if (code < 0) {
      ++missing;
    } else {
      ++counts[static_cast<std::size_t>(code)];
    }
  }
  // Kept levels, most frequent first (ties by text) so encodings read well and are stable.
  std::vector<std::pair<std::string, std::size_t>> kept;
  std::vector<std::string> rare;
  for (std::size_t code = 0; code < counts.size(); ++code) {
    const std::size_t count = counts[code];
    if (count == 0) continue;
    const std::string& text = column.schema.levels[code];
    if (count >= options.rare_min_count) {
      kept.emplace_back(text, count);
    } else {
      rare.push_back(text);
    }
  }
  std::sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  std::vector<std::string> levels;
  for (const auto& [text, count] : kept) levels.push_back(text);
  if (!rare.empty()) {
    notes.push_back({{"column", column.name()},
                     {"note", "rare levels grouped into (other)"},
                     {"levels", rare.size()}});
  }

  std::vector<Candidate> out;
  if (!linear(options)) {
    Candidate c;
    c.kind = FeatureKind::kCategory;
    c.name = column.name();
    c.sources = {column.name()};
    c.levels = levels;
    out.push_back(std::move(c));
    return out;
  }
  auto one_hot = [&](const std::string& level) {
    Candidate c;
    c.kind = FeatureKind::kOneHot;
    c.name = column.name() + "=" + level;
    c.sources = {column.name()};
    c.level = level;
    return c;
  };
  for (const auto& level : levels) out.push_back(one_hot(level));
  // Rare levels in training and unseen levels when scoring share one bucket; when training had no
  // rare level, the bucket is constant and selection drops it, so unseen values score as baseline.
  Candidate other = one_hot(features::kOtherLevel);
  other.levels = levels;
  out.push_back(std::move(other));
  if (missing > 0) out.push_back(one_hot(features::kMissingLevel));
  return out;
}

}  // namespace

std::vector<Candidate> plan_column(const Column& column, std::span<const float> y_rows,
                                   std::span<const std::size_t> rows, const PrepOptions& options,
                                   nlohmann::json& notes) {
  switch (column.type()) {
    case ColumnType::kNumeric:
      return plan_numeric(column, y_rows, rows, options, notes);
    case ColumnType::kBoolean:
      return plan_boolean(column, y_rows, rows, options);
    case ColumnType::kCategorical:
      return plan_categorical(column, rows, options, notes);
    default:
      notes.push_back({{"column", column.name()},
                       {"note", std::string("not a feature (") + to_string(column.type()) + ")"}});
      return {};
  }
}

}  // namespace smartchurn::prep
