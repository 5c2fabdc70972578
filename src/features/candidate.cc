#include "features/candidate.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "smartchurn/error.h"

namespace smartchurn::features {

namespace {

constexpr const char* kKindNames[] = {"numeric",           "boolean", "one_hot", "category",
                                      "missing_indicator", "ratio",   "product", "count"};

const Column& source_column(const Dataset& data, const std::string& name) {
  int index = data.index_of(name);
  if (index < 0) throw_bad_data("required column '" + name + "' is absent", {data.source, 0, ""});
  return data.columns[static_cast<std::size_t>(index)];
}

// The text of each level code of a column, so candidates match levels by text, not by code.
const std::vector<std::string>& level_texts(const Column& column) { return column.schema.levels; }

// 1 where the cell equals `level` (by text), for categorical and boolean columns.
std::vector<double> matches_level(const Column& column, const std::string& level,
                                  std::span<const std::size_t> rows) {
  std::vector<double> out(rows.size(), 0.0);
  if (column.type() == ColumnType::kBoolean) {
    double wanted = level == column.schema.true_label    ? 1.0
                    : level == column.schema.false_label ? 0.0
                                                         : -1.0;
    for (std::size_t i = 0; i < rows.size(); ++i) out[i] = column.values[rows[i]] == wanted;
    return out;
  }
  // Levels are distinct, so at most one code has the text: compare codes, not strings, per row.
  const auto& texts = level_texts(column);
  const auto found = std::find(texts.begin(), texts.end(), level);
  if (found == texts.end()) return out;
  const auto wanted = static_cast<int32_t>(found - texts.begin());
  for (std::size_t i = 0; i < rows.size(); ++i) out[i] = column.codes[rows[i]] == wanted;
  return out;
}

std::vector<double> numeric_source(const Column& column, std::span<const std::size_t> rows,
                                   double lower, double upper) {
  std::vector<double> out(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i)
    out[i] = capped(column.values[rows[i]], lower, upper);
  return out;
}

}  // namespace

const char* to_string(FeatureKind kind) { return kKindNames[static_cast<int>(kind)]; }

FeatureKind feature_kind_from_string(const std::string& name) {
  for (int i = 0; i < static_cast<int>(std::size(kKindNames)); ++i) {
    if (name == kKindNames[i]) return static_cast<FeatureKind>(i);
  }
  throw_bad_data("unknown feature kind '" + name + "' in the model bundle");
}

double capped(double value, double lower, double upper) {
  if (std::isnan(value)) return value;
  return std::clamp(value, lower, upper);
}

std::vector<double> raw_values(const Candidate& c, const Dataset& data,
                               std::span<const std::size_t> rows) {
  const Column& first = source_column(data, c.sources.at(0));
  auto lower = [&](std::size_t i) { return c.lower.empty() ? -INFINITY : c.lower[i]; };
  auto upper = [&](std::size_t i) { return c.upper.empty() ? INFINITY : c.upper[i]; };
  switch (c.kind) {
    case FeatureKind::kNumeric:
    case FeatureKind::kBoolean:
      return numeric_source(first, rows, lower(0), upper(0));
    case FeatureKind::kMissingIndicator: {
      std::vector<double> out(rows.size());
      for (std::size_t i = 0; i < rows.size(); ++i) out[i] = first.is_missing_at(rows[i]);
      return out;
    }
    case FeatureKind::kOneHot: {
      if (c.level == kMissingLevel) {
        std::vector<double> out(rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i) out[i] = first.codes[rows[i]] == kMissingCode;
        return out;
      }
      if (c.level != kOtherLevel) return matches_level(first, c.level, rows);
      // "(other)": a present level that is none of the kept ones (rare in training, or unseen).
      const auto& texts = level_texts(first);
      const std::unordered_set<std::string> kept(c.levels.begin(), c.levels.end());
      std::vector<double> code_is_other(texts.size());
      for (std::size_t code = 0; code < texts.size(); ++code) {
        code_is_other[code] = kept.count(texts[code]) ? 0.0 : 1.0;
      }
      std::vector<double> out(rows.size(), 0.0);
      for (std::size_t i = 0; i < rows.size(); ++i) {
        int32_t code = first.codes[rows[i]];
        if (code == kUnseenCode) out[i] = 1.0;
        if (code >= 0) out[i] = code_is_other[static_cast<std::size_t>(code)];
      }
      return out;
    }
    case FeatureKind::kCategory: {
      // Map the column's codes to the kept levels once, then per row.
      const auto& texts = level_texts(first);
      std::vector<double> code_to_output(texts.size(), static_cast<double>(c.levels.size()));
      for (std::size_t l = 0; l < c.levels.size(); ++l) {
        auto it = std::find(texts.begin(), texts.end(), c.levels[l]);
        if (it != texts.end())
          code_to_output[static_cast<std::size_t>(it - texts.begin())] = double(l);
      }
      std::vector<double> out(rows.size());
      for (std::size_t i = 0; i < rows.size(); ++i) {
        int32_t code = first.codes[rows[i]];
        out[i] = code == kMissingCode  ? NAN
                 : code == kUnseenCode ? static_cast<double>(c.levels.size())
                                       : code_to_output[static_cast<std::size_t>(code)];
      }
      return out;
    }
    case FeatureKind::kRatio:
    case FeatureKind::kProduct: {
      auto a = numeric_source(first, rows, lower(0), upper(0));
      auto b = numeric_source(source_column(data, c.sources.at(1)), rows, lower(1), upper(1));
      for (std::size_t i = 0; i < rows.size(); ++i) {
        if (c.kind == FeatureKind::kProduct) {
          a[i] *= b[i];
        } else {
          a[i] = b[i] == 0.0 ? NAN : a[i] / b[i];
        }
      }
      return a;
    }
    case FeatureKind::kCount: {
      std::vector<double> out(rows.size(), 0.0);
      for (const auto& name : c.sources) {
        auto hit = matches_level(source_column(data, name), c.level, rows);
        for (std::size_t i = 0; i < rows.size(); ++i) out[i] += hit[i];
      }
      return out;
    }
  }
  throw Error(ErrorCode::kInternal, "unhandled feature kind");
}

std::vector<double> final_values(const Candidate& c, const Dataset& data,
                                 std::span<const std::size_t> rows) {
  auto values = raw_values(c, data, rows);
  for (double& v : values) {
    if (std::isnan(v)) v = c.fill;
    v = (v - c.center) / c.scale;
  }
  return values;
}

void to_json(nlohmann::json& j, const Candidate& c) {
  j = nlohmann::json{{"kind", to_string(c.kind)}, {"name", c.name}, {"sources", c.sources}};
  if (!c.lower.empty()) j["lower"] = c.lower;
  if (!c.upper.empty()) j["upper"] = c.upper;
  if (!std::isnan(c.fill)) j["fill"] = c.fill;
  if (c.center != 0.0 || c.scale != 1.0) {
    j["center"] = c.center;
    j["scale"] = c.scale;
  }
  if (!c.level.empty()) j["level"] = c.level;
  if (!c.levels.empty()) j["levels"] = c.levels;
}

void from_json(const nlohmann::json& j, Candidate& c) {
  c.kind = feature_kind_from_string(j.at("kind").get<std::string>());
  c.name = j.at("name").get<std::string>();
  c.sources = j.at("sources").get<std::vector<std::string>>();
  c.lower = j.value("lower", std::vector<double>{});
  c.upper = j.value("upper", std::vector<double>{});
  // Caps are per source or absent; the engine reads one per source (a short list once escaped
  // as std::out_of_range from a hostile bundle).
  for (const auto* caps : {&c.lower, &c.upper}) {
    if (!caps->empty() && caps->size() != c.sources.size()) {
      throw_bad_data("feature '" + c.name + "' has " + std::to_string(caps->size()) + " caps for " +
                     std::to_string(c.sources.size()) + " sources");
    }
  }
  c.fill = j.contains("fill") ? j["fill"].get<double>() : kNoFill;
  c.center = j.value("center", 0.0);
  c.scale = j.value("scale", 1.0);
  c.level = j.value("level", std::string{});
  c.levels = j.value("levels", std::vector<std::string>{});
}

}  // namespace smartchurn::features
