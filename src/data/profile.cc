// profile_dataset: per-column statistics, duplicates, and the warnings a modeller should see first.
#include "smartchurn/profile.h"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "data/distinct_rows.h"
#include "smartchurn/metrics.h"
#include "util/parallel.h"
#include "util/radix_sort.h"

namespace smartchurn {

namespace {

constexpr std::uint64_t kFoldSeed = 20240501;
constexpr const char* kUnseenLabel = "(unseen)";

// Linear interpolation between order statistics (numpy's default), on sorted values.
double quantile(const std::vector<double>& sorted, double q) {
  double position = q * static_cast<double>(sorted.size() - 1);
  auto below = static_cast<std::size_t>(std::floor(position));
  std::size_t above = std::min(below + 1, sorted.size() - 1);
  double fraction = position - static_cast<double>(below);
  return sorted[below] + (sorted[above] - sorted[below]) * fraction;
}

void profile_numeric(const Column& column, ColumnProfile& out) {
  std::vector<double> values;
  values.reserve(column.values.size());
  for (double v : column.values) {
    if (!is_missing(v)) values.push_back(v);
  }
  if (values.empty()) return;
  if (values.size() < kRadixSortFrom) {
    std::sort(values.begin(), values.end());
  } else {
    radix_sort(values, ascending_key);
  }
  NumericSummary s;
  s.min = values.front();
  s.max = values.back();
  s.q1 = quantile(values, 0.25);
  s.median = quantile(values, 0.5);
  s.q3 = quantile(values, 0.75);
  double sum = 0;
  for (double v : values) sum += v;
  const auto n = static_cast<double>(values.size());
  s.mean = sum / n;
  double squares = 0;
  for (double v : values) squares += (v - s.mean) * (v - s.mean);
  s.std = values.size() > 1 ? std::sqrt(squares / (n - 1)) : 0.0;
  const double iqr = s.q3 - s.q1;
  for (double v : values) {
    if (v < s.q1 - 1.5 * iqr || v > s.q3 + 1.5 * iqr) ++s.outliers;
  }
  // Equal-width bins over [min, max], the maximum in the last bin; one bin when all are equal.
  s.histogram.assign(s.max > s.min ? kHistogramBins : 1, 0);
  const double width = (s.max - s.min) / static_cast<double>(s.histogram.size());
  for (double v : values) {
    std::size_t bin = width > 0 ? static_cast<std::size_t>((v - s.min) / width) : 0;
    ++s.histogram[std::min(bin, s.histogram.size() - 1)];
  }
  std::size_t longest_run = 0;
  for (std::size_t i = 0; i < values.size();) {
    std::size_t j = i;
    while (j < values.size() && values[j] == values[i]) ++j;
    ++out.distinct;
    longest_run = std::max(longest_run, j - i);
    i = j;
  }
  out.top_share = static_cast<double>(longest_run) / n;
  out.numeric = s;
}

// Boolean and text columns: counts per value, the top five and the share of the first. Counts
// are kept per code, so an identifier's millions of levels cost no string copies.
void profile_levels(const Column& column, ColumnProfile& out) {
  std::vector<std::string> labels;
  std::vector<std::size_t> counts;
  if (column.type() == ColumnType::kBoolean) {
    labels = {column.schema.false_label, column.schema.true_label};
    counts.assign(2, 0);
    for (double v : column.values) {
      if (!is_missing(v)) ++counts[v > 0.5 ? 1 : 0];
    }
  } else {
    const std::size_t known = column.schema.levels.size();
    counts.assign(known + 1, 0);  // the last counts unseen codes
    for (int32_t code : column.codes) {
      if (code >= 0 && static_cast<std::size_t>(code) < known) ++counts[std::size_t(code)];
      if (code == kUnseenCode) ++counts[known];
    }
  }
  std::vector<std::size_t> present;  // codes with a count, most frequent first, ties in code order
  std::size_t cells = 0;
  for (std::size_t code = 0; code < counts.size(); ++code) {
    if (counts[code] == 0) continue;
    present.push_back(code);
    cells += counts[code];
  }
  const std::size_t top = std::min<std::size_t>(present.size(), 5);
  std::partial_sort(present.begin(), present.begin() + std::ptrdiff_t(top), present.end(),
                    [&](std::size_t a, std::size_t b) {
                      return counts[a] != counts[b] ? counts[a] > counts[b] : a < b;
                    });
  out.distinct = present.size();
  if (cells > 0)
    out.top_share = static_cast<double>(counts[present.front()]) / static_cast<double>(cells);
  for (std::size_t i = 0; i < top; ++i) {
    const std::size_t code = present[i];
    std::string value = column.type() == ColumnType::kBoolean ? labels[code]
                        : code < column.schema.levels.size()  ? column.schema.levels[code]
                                                              : kUnseenLabel;
    out.top.push_back({std::move(value), counts[code]});
  }
}

// Rows equal to an earlier row on every non-identifier column (missing equals missing).
std::size_t count_duplicate_rows(const Dataset& data) {
  std::vector<const Column*> columns;
  for (const auto& c : data.columns) {
    if (c.type() != ColumnType::kIdentifier) columns.push_back(&c);
  }
  return data.rows() - first_distinct_rows(data, columns).size();
}

// The column as a score for ROC-AUC: numeric values with missing below the minimum.
std::optional<double> numeric_auc(const Column& column, const std::vector<float>& y) {
  double lowest = std::numeric_limits<double>::infinity();
  for (double v : column.values) {
    if (!is_missing(v)) lowest = std::min(lowest, v);
  }
  if (std::isinf(lowest)) return std::nullopt;
  std::vector<double> scores(column.values.size());
  for (std::size_t i = 0; i < scores.size(); ++i) {
    scores[i] = is_missing(column.values[i]) ? lowest - 1.0 : column.values[i];
  }
  return roc_auc(y, scores);
}

// Levels scored by their positive rate in the other folds, so that a level seen once (an id-like
// column) cannot score itself perfectly. Missing is a level of its own.
std::optional<double> level_auc(const Column& column, const std::vector<float>& y) {
  const std::size_t rows = y.size();
  std::vector<std::size_t> level(rows);
  std::size_t levels = 0;
  if (column.type() == ColumnType::kBoolean) {
    for (std::size_t i = 0; i < rows; ++i) {
      double v = column.values[i];
      level[i] = is_missing(v) ? 2 : (v > 0.5 ? 1 : 0);
    }
    levels = 3;
  } else {
    const std::size_t known = column.schema.levels.size();
    for (std::size_t i = 0; i < rows; ++i) {
      int32_t code = column.codes[i];
      level[i] =
          code >= 0 ? static_cast<std::size_t>(code) : (code == kMissingCode ? known : known + 1);
    }
    levels = known + 2;
  }
  std::mt19937_64 rng(kFoldSeed);
  std::vector<int> fold(rows);
  for (auto& f : fold) f = static_cast<int>(rng() % kLeakageFolds);

  // counts[f * levels + l]: rows and positives of level l in fold f.
  std::vector<double> n(kLeakageFolds * levels), pos(kLeakageFolds * levels), n_all(levels),
      pos_all(levels), fold_n(kLeakageFolds), fold_pos(kLeakageFolds);
  double total_pos = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    const std::size_t cell = static_cast<std::size_t>(fold[i]) * levels + level[i];
    n[cell] += 1;
    pos[cell] += y[i];
    n_all[level[i]] += 1;
    pos_all[level[i]] += y[i];
    fold_n[fold[i]] += 1;
    fold_pos[fold[i]] += y[i];
    total_pos += y[i];
  }
  std::vector<double> scores(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    const auto f = static_cast<std::size_t>(fold[i]);
    const std::size_t cell = f * levels + level[i];
    const double train_n = n_all[level[i]] - n[cell];
    const double train_pos = pos_all[level[i]] - pos[cell];
    const double rest_n = static_cast<double>(rows) - fold_n[f];
    const double prior = rest_n > 0 ? (total_pos - fold_pos[f]) / rest_n : 0.5;
    scores[i] = train_n > 0 ? train_pos / train_n : prior;
  }
  return roc_auc(y, scores);
}

// Pearson r over rows where both are present; nullopt when either is constant there.
std::optional<double> pearson(const std::vector<double>& a, const std::vector<double>& b) {
  double n = 0, sa = 0, sb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (is_missing(a[i]) || is_missing(b[i])) continue;
    n += 1;
    sa += a[i];
    sb += b[i];
  }
  if (n < 3) return std::nullopt;
  const double ma = sa / n, mb = sb / n;
  double cov = 0, va = 0, vb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (is_missing(a[i]) || is_missing(b[i])) continue;
    cov += (a[i] - ma) * (b[i] - mb);
    va += (a[i] - ma) * (a[i] - ma);
    vb += (b[i] - mb) * (b[i] - mb);
  }
  if (va <= 0 || vb <= 0) return std::nullopt;
  return cov / std::sqrt(va * vb);
}

void add_column_warnings(const ColumnProfile& c, std::size_t rows,
                         std::vector<ProfileWarning>& out) {
  auto warn = [&](WarningKind kind, std::string message) {
    out.push_back({kind, {c.name}, std::move(message)});
  };
  if (c.type == ColumnType::kIdentifier) {
    warn(WarningKind::kIdentifier,
         fmt::format("'{}' is an identifier (unique per row or named like an id); it is not used "
                     "as a feature",
                     c.name));
    return;
  }
  if (c.type == ColumnType::kConstant) {
    warn(WarningKind::kConstant,
         c.top.empty()
             ? fmt::format("'{}' is empty in every row; it carries no information", c.name)
             : fmt::format("'{}' has the single value '{}'; it carries no information", c.name,
                           c.top.front().value));
    return;
  }
  if (c.distinct > 1 && c.top_share >= kNearConstantShare) {
    std::string value = c.top.empty() ? "one value" : "'" + c.top.front().value + "'";
    warn(WarningKind::kNearConstant,
         fmt::format("'{}' is nearly constant: {} is {:.1f}% of its non-missing values", c.name,
                     value, 100.0 * c.top_share));
  }
  if (c.type == ColumnType::kCategorical &&
      (c.distinct > kHighCardinalityLevels || 2 * c.distinct > rows)) {
    warn(WarningKind::kHighCardinality,
         fmt::format("'{}' has {} levels for {} rows; consider dropping or grouping it", c.name,
                     c.distinct, rows));
  }
  if (c.target_auc && (*c.target_auc >= kLeakageAuc || *c.target_auc <= 1.0 - kLeakageAuc)) {
    warn(WarningKind::kLeakage,
         fmt::format("'{}' alone predicts the target (ROC-AUC {:.4f}); it probably leaks the "
                     "outcome: drop it before training",
                     c.name, *c.target_auc));
  }
}

}  // namespace

const char* to_string(WarningKind kind) {
  switch (kind) {
    case WarningKind::kIdentifier:
      return "identifier";
    case WarningKind::kConstant:
      return "constant";
    case WarningKind::kNearConstant:
      return "near-constant";
    case WarningKind::kHighCardinality:
      return "high-cardinality";
    case WarningKind::kCollinear:
      return "collinear";
    case WarningKind::kLeakage:
      return "leakage";
  }
  return "warning";
}

Profile profile_dataset(const Dataset& data, const std::optional<Target>& target) {
  Profile profile;
  profile.source = data.source;
  profile.rows = data.rows();
  profile.columns = data.columns.size();
  profile.duplicate_rows = count_duplicate_rows(data);
  if (target) {
    TargetSummary t{target->column, target->positive_label, target->negative_label, 0,
                    target->positive_rate()};
    for (float v : target->y) t.positives += v > 0.5f ? 1 : 0;
    profile.target = t;
  }
  const bool with_auc = target && target->y.size() == data.rows() &&
                        profile.target->positives > 0 && profile.target->positives < data.rows();

  // Columns are independent; on millions of rows each takes seconds (sorts, leakage AUCs).
  profile.column_profiles.resize(data.columns.size());
  parallel_for(data.columns.size(), resolve_threads(0), [&](std::size_t i) {
    const Column& column = data.columns[i];
    ColumnProfile& c = profile.column_profiles[i];
    c.name = column.name();
    c.type = column.type();
    for (std::size_t r = 0; r < data.rows(); ++r) c.missing += column.is_missing_at(r) ? 1 : 0;
    c.missing_pct = data.rows() > 0
                        ? 100.0 * static_cast<double>(c.missing) / static_cast<double>(data.rows())
                        : 0.0;
    if (c.type == ColumnType::kNumeric) {
      profile_numeric(column, c);
    } else {
      profile_levels(column, c);
    }
    const bool is_target = target && c.name == target->column;
    const bool feature = c.type != ColumnType::kIdentifier && c.type != ColumnType::kConstant;
    if (with_auc && feature && !is_target) {
      c.target_auc = c.type == ColumnType::kNumeric ? numeric_auc(column, target->y)
                                                    : level_auc(column, target->y);
    }
  });
  for (const auto& c : profile.column_profiles) {
    if (!(target && c.name == target->column))
      add_column_warnings(c, data.rows(), profile.warnings);
  }

  for (std::size_t i = 0; i < data.columns.size(); ++i) {
    const Column& a = data.columns[i];
    if (a.type() != ColumnType::kNumeric || (target && a.name() == target->column)) continue;
    for (std::size_t j = i + 1; j < data.columns.size(); ++j) {
      const Column& b = data.columns[j];
      if (b.type() != ColumnType::kNumeric || (target && b.name() == target->column)) continue;
      auto r = pearson(a.values, b.values);
      if (r && std::abs(*r) >= kCollinearR) {
        profile.warnings.push_back(
            {WarningKind::kCollinear,
             {a.name(), b.name()},
             fmt::format("'{}' and '{}' are collinear (Pearson r = {:.3f}); a linear model "
                         "cannot tell them apart",
                         a.name(), b.name(), *r)});
      }
    }
  }
  return profile;
}

std::vector<std::string> leakage_columns(const Profile& profile) {
  std::vector<std::string> out;
  for (const auto& w : profile.warnings) {
    if (w.kind == WarningKind::kLeakage) out.push_back(w.columns.front());
  }
  return out;
}

}  // namespace smartchurn
