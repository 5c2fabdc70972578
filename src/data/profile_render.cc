// A Profile as JSON (for tools) and as an aligned text table (for people).
#include <fmt/core.h>

#include <algorithm>
#include <cmath>

#include "smartchurn/profile.h"

namespace smartchurn {

namespace {

// Compact number for the table: integers as such, others with up to 6 significant digits.
std::string short_number(double v) {
  if (std::isnan(v)) return "-";
  if (v == std::floor(v) && std::abs(v) < 1e15) return fmt::format("{:.0f}", v);
  return fmt::format("{:.6g}", v);
}

std::string top_values_text(const ColumnProfile& c) {
  std::string out;
  if (c.type == ColumnType::kIdentifier) return out;  // every value once: nothing to learn
  for (const auto& level : c.top) {
    if (!out.empty()) out += ", ";
    std::string value = level.value.size() > 24 ? level.value.substr(0, 21) + "..." : level.value;
    out += fmt::format("{} ({})", value, level.count);
  }
  return out;
}

// Long names are elided in the middle so that names differing only at the end stay distinct.
std::string table_name(const std::string& name) {
  constexpr std::size_t kMax = 40;
  if (name.size() <= kMax) return name;
  return name.substr(0, 20) + "..." + name.substr(name.size() - (kMax - 23));
}

}  // namespace

nlohmann::json to_json(const Profile& profile) {
  nlohmann::json j;
  j["source"] = profile.source;
  j["rows"] = profile.rows;
  j["columns"] = profile.columns;
  j["duplicate_rows"] = profile.duplicate_rows;
  if (profile.target) {
    const auto& t = *profile.target;
    j["target"] = {{"column", t.column},
                   {"positive_label", t.positive_label},
                   {"negative_label", t.negative_label},
                   {"positives", t.positives},
                   {"rate", t.rate}};
  } else {
    j["target"] = nullptr;
  }
  j["column_profiles"] = nlohmann::json::array();
  for (const auto& c : profile.column_profiles) {
    nlohmann::json col{{"name", c.name},         {"type", to_string(c.type)},
                       {"missing", c.missing},   {"missing_pct", c.missing_pct},
                       {"distinct", c.distinct}, {"top_share", c.top_share}};
    if (c.numeric) {
      const auto& s = *c.numeric;
      col["numeric"] = {{"min", s.min},
                        {"q1", s.q1},
                        {"median", s.median},
                        {"q3", s.q3},
                        {"max", s.max},
                        {"mean", s.mean},
                        {"std", s.std},
                        {"outliers", s.outliers},
                        {"histogram", s.histogram}};
    }
    col["top"] = nlohmann::json::array();
    for (const auto& level : c.top)
      col["top"].push_back({{"value", level.value}, {"count", level.count}});
    col["target_auc"] = c.target_auc ? nlohmann::json(*c.target_auc) : nlohmann::json(nullptr);
    j["column_profiles"].push_back(std::move(col));
  }
  j["warnings"] = nlohmann::json::array();
  for (const auto& w : profile.warnings) {
    j["warnings"].push_back(
        {{"kind", to_string(w.kind)}, {"columns", w.columns}, {"message", w.message}});
  }
  return j;
}

std::string render_profile_text(const Profile& profile) {
  std::string out =
      fmt::format("{}: {} rows x {} columns, {} duplicate rows (identifiers ignored)\n",
                  profile.source, profile.rows, profile.columns, profile.duplicate_rows);
  if (profile.target) {
    const auto& t = *profile.target;
    out += fmt::format("target: {} (positive '{}'): {} of {} rows, rate {:.2f}%\n", t.column,
                       t.positive_label, t.positives, profile.rows, 100.0 * t.rate);
  }
  out += "\n";

  const std::vector<std::string> headings{"column", "type",     "missing", "distinct",
                                          "min",    "median",   "max",     "mean",
                                          "std",    "outliers", "auc",     "top values"};
  std::vector<std::vector<std::string>> table{headings};
  for (const auto& c : profile.column_profiles) {
    std::vector<std::string> row{table_name(c.name), to_string(c.type),
                                 fmt::format("{} ({:.1f}%)", c.missing, c.missing_pct),
                                 std::to_string(c.distinct)};
    if (c.numeric) {
      const auto& s = *c.numeric;
      for (double v : {s.min, s.median, s.max, s.mean, s.std}) row.push_back(short_number(v));
      row.push_back(std::to_string(s.outliers));
    } else {
      row.insert(row.end(), 6, "");
    }
    row.push_back(c.target_auc ? fmt::format("{:.3f}", *c.target_auc) : "");
    row.push_back(top_values_text(c));
    table.push_back(std::move(row));
  }
  std::vector<std::size_t> widths(headings.size(), 0);
  for (const auto& row : table) {
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const auto& row : table) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      const bool last = i + 1 == row.size();
      line += last ? row[i] : fmt::format("{:<{}}  ", row[i], widths[i]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }

  out += "\n";
  if (profile.warnings.empty()) {
    out += "no warnings\n";
  } else {
    out += fmt::format("warnings ({}):\n", profile.warnings.size());
    for (const auto& w : profile.warnings) {
      out += fmt::format("  [{}] {}\n", to_string(w.kind), w.message);
    }
  }
  return out;
}

}  // namespace smartchurn
