#include "train/feature_columns.h"

#include <algorithm>

#include "data/distinct_rows.h"
#include "smartchurn/error.h"
#include "smartchurn/profile.h"

namespace smartchurn::training {

ColumnChoice choose_feature_columns(const Dataset& data, const Target& target,
                                    const TrainOptions& options) {
  for (const auto& name : options.drop_columns) data.column(name);  // names an unknown column
  std::vector<std::string> leakage;
  if (!options.keep_leakage) leakage = leakage_columns(profile_dataset(data, target));

  ColumnChoice choice;
  auto exclude = [&](const std::string& column, const std::string& reason) {
    choice.excluded.push_back({{"column", column}, {"reason", reason}});
  };
  auto listed = [](const std::vector<std::string>& list, const std::string& name) {
    return std::find(list.begin(), list.end(), name) != list.end();
  };
  for (const auto& column : data.columns) {
    const std::string& name = column.name();
    if (name == target.column) continue;
    if (column.type() == ColumnType::kIdentifier) {
      exclude(name, "identifier");
    } else if (column.type() == ColumnType::kConstant) {
      exclude(name, "constant");
    } else if (listed(options.drop_columns, name)) {
      exclude(name, "dropped by --drop");
    } else if (listed(leakage, name)) {
      exclude(name, "suspected leakage, predicts the target almost alone; --keep-leakage uses it");
    } else {
      choice.features.push_back(name);
    }
  }
  if (choice.features.empty()) {
    throw_bad_data(
        "no column is left to learn from (all are identifiers, constant, dropped or "
        "leakage)",
        {data.source, 0, ""});
  }
  return choice;
}

std::vector<std::size_t> unique_rows(const Dataset& data, const std::vector<std::string>& columns) {
  std::vector<const Column*> used;
  for (const auto& name : columns) used.push_back(&data.column(name));
  return first_distinct_rows(data, used);
}

}  // namespace smartchurn::training
