// Builds small in-memory data sets for unit tests, without going through CSV.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "smartchurn/dataset.h"

namespace smartchurn::test {

class DatasetBuilder {
 public:
  DatasetBuilder& numeric(const std::string& name, const std::vector<double>& values) {
    Column c;
    c.schema.name = name;
    c.schema.type = ColumnType::kNumeric;
    c.values = values;
    for (double v : values) c.missing += std::isnan(v);
    return add(std::move(c));
  }
  DatasetBuilder& boolean(const std::string& name, const std::vector<double>& values,
                          const std::string& true_label = "Yes",
                          const std::string& false_label = "No") {
    Column c;
    c.schema.name = name;
    c.schema.type = ColumnType::kBoolean;
    c.schema.true_label = true_label;
    c.schema.false_label = false_label;
    c.values = values;
    for (double v : values) c.missing += std::isnan(v);
    return add(std::move(c));
  }
  // Empty text is a missing cell.
  DatasetBuilder& categorical(const std::string& name, const std::vector<std::string>& cells,
                              ColumnType type = ColumnType::kCategorical) {
    Column c;
    c.schema.name = name;
    c.schema.type = type;
    for (const auto& cell : cells) {
      if (cell.empty()) {
        c.codes.push_back(kMissingCode);
        ++c.missing;
        continue;
      }
      auto it = std::find(c.schema.levels.begin(), c.schema.levels.end(), cell);
      if (it == c.schema.levels.end()) {
        c.schema.levels.push_back(cell);
        it = c.schema.levels.end() - 1;
      }
      c.codes.push_back(static_cast<int32_t>(it - c.schema.levels.begin()));
    }
    return add(std::move(c));
  }
  Dataset build() {
    data_.source = "test.csv";
    return data_;
  }

 private:
  DatasetBuilder& add(Column c) {
    std::size_t rows = std::max(c.values.size(), c.codes.size());
    if (data_.lines.empty()) {
      for (std::size_t r = 0; r < rows; ++r) data_.lines.push_back(r + 2);
    }
    data_.columns.push_back(std::move(c));
    return *this;
  }
  Dataset data_;
};

}  // namespace smartchurn::test
