// A data profile: what each column holds and what may go wrong when a model learns from it
// (identifiers, constant columns, collinear pairs, columns that leak the target).
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "smartchurn/dataset.h"

namespace smartchurn {

struct NumericSummary {
  double min = 0, q1 = 0, median = 0, q3 = 0, max = 0, mean = 0;
  double std = 0;            // sample standard deviation (n - 1), 0 with one value
  std::size_t outliers = 0;  // values outside [Q1 - 1.5 IQR, Q3 + 1.5 IQR] (quartiles interpolated)
  std::vector<std::size_t> histogram;  // counts in kHistogramBins equal-width bins over [min, max]
};

struct LevelCount {
  std::string value;
  std::size_t count = 0;
};

struct ColumnProfile {
  std::string name;
  ColumnType type = ColumnType::kCategorical;
  std::size_t missing = 0;
  double missing_pct = 0;                 // 0..100
  std::size_t distinct = 0;               // distinct non-missing values
  std::optional<NumericSummary> numeric;  // numeric columns
  std::vector<LevelCount> top;            // up to 5 most frequent values (not for numeric columns)
  double top_share = 0;              // share of the most frequent value among non-missing cells
  std::optional<double> target_auc;  // univariate ROC-AUC against the target (features only)
};

enum class WarningKind {
  kIdentifier,       // unique per row or named like an id: never a feature
  kConstant,         // one value
  kNearConstant,     // the top value holds >= 99% of non-missing cells
  kHighCardinality,  // categorical with > 50 levels or levels for > 50% of rows
  kCollinear,        // two numeric columns with |Pearson r| >= 0.95
  kLeakage,          // one column predicts the target almost perfectly (AUC >= 0.97 or <= 0.03)
};
const char* to_string(WarningKind kind);

struct ProfileWarning {
  WarningKind kind = WarningKind::kIdentifier;
  std::vector<std::string> columns;
  std::string message;
};

struct TargetSummary {
  std::string column;
  std::string positive_label;
  std::string negative_label;
  std::size_t positives = 0;
  double rate = 0;  // positives / rows
};

struct Profile {
  std::string source;
  std::size_t rows = 0;
  std::size_t columns = 0;
  std::size_t duplicate_rows = 0;  // rows equal to an earlier row on every non-identifier column
  std::optional<TargetSummary> target;
  std::vector<ColumnProfile> column_profiles;
  std::vector<ProfileWarning> warnings;
};

// Thresholds of the warnings, shared with the tests and the docs.
inline constexpr std::size_t kHistogramBins = 12;
inline constexpr double kNearConstantShare = 0.99;
inline constexpr std::size_t kHighCardinalityLevels = 50;
inline constexpr double kCollinearR = 0.95;
inline constexpr double kLeakageAuc = 0.97;  // and 1 - kLeakageAuc
inline constexpr int kLeakageFolds = 5;

// Profiles every column; with a target also the per-column AUC and the leakage check.
Profile profile_dataset(const Dataset& data, const std::optional<Target>& target);

// Columns with a kLeakage warning, in column order.
std::vector<std::string> leakage_columns(const Profile& profile);

nlohmann::json to_json(const Profile& profile);
// Aligned per-column table, then the warnings.
std::string render_profile_text(const Profile& profile);

}  // namespace smartchurn
