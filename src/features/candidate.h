// A candidate feature: one output column of the pipeline before selection, with everything needed
// to compute it from raw input columns. Fitting creates candidates; transform evaluates the kept
// ones.
#pragma once

#include <limits>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "smartchurn/dataset.h"

namespace smartchurn::features {

enum class FeatureKind {
  kNumeric,   // a numeric column, capped, imputed (linear models), scaled (linear models)
  kBoolean,   // a two-valued column as 0/1
  kOneHot,    // 1 when a categorical column holds `level` ("(other)": rare or unseen levels)
  kCategory,  // native category code: index into `levels`, levels.size() for "(other)"
  kMissingIndicator,  // 1 when the source column is missing
  kRatio,             // sources[0] / sources[1] on capped values; missing when the divisor is 0
  kProduct,           // sources[0] * sources[1] on capped values
  kCount,             // how many of the source columns hold `level`
};
const char* to_string(FeatureKind kind);
FeatureKind feature_kind_from_string(const std::string& name);

inline constexpr double kNoFill = std::numeric_limits<double>::quiet_NaN();
inline constexpr const char* kOtherLevel = "(other)";
inline constexpr const char* kMissingLevel = "(missing)";

struct Candidate {
  FeatureKind kind = FeatureKind::kNumeric;
  std::string name;
  std::vector<std::string> sources;  // input columns, in the order the kind uses them
  // Caps applied to each numeric source before anything else (same size as sources, or empty).
  std::vector<double> lower, upper;
  double fill = kNoFill;  // replaces a missing value; NaN leaves it missing (tree models)
  double center = 0.0;    // standardisation: (x - center) / scale
  double scale = 1.0;
  std::string level;                // kOneHot, kCount: the level tested
  std::vector<std::string> levels;  // kCategory: the kept levels

  bool is_continuous() const {
    return kind == FeatureKind::kNumeric || kind == FeatureKind::kRatio ||
           kind == FeatureKind::kProduct || kind == FeatureKind::kCount;
  }
};
void to_json(nlohmann::json& j, const Candidate& c);
void from_json(const nlohmann::json& j, Candidate& c);

// The candidate's values for `rows` of `data`, before fill and scaling (NaN = missing). Source
// columns are looked up by name; a missing column is kBadData naming it.
std::vector<double> raw_values(const Candidate& c, const Dataset& data,
                               std::span<const std::size_t> rows);
// raw_values with the fill and the standardisation applied.
std::vector<double> final_values(const Candidate& c, const Dataset& data,
                                 std::span<const std::size_t> rows);

// Capped numeric value of a cell (NaN stays NaN).
double capped(double value, double lower, double upper);

}  // namespace smartchurn::features
