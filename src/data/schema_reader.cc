// read_with_schema: reads scoring data exactly as the training data was read, without inferring
// types again; rows that cannot be read go to a rejects list instead of stopping the run.
#include <algorithm>
#include <unordered_map>

#include "data/text_util.h"
#include "smartchurn/dataset.h"
#include "smartchurn/error.h"

namespace smartchurn {

namespace {

// One schema column present in the file, with what is needed to decode its cells.
struct Decoder {
  std::size_t field = 0;  // index in the CSV record
  std::size_t column = 0;  // index in the result
  std::unordered_map<std::string, int32_t> level_code;
};

bool same_text_ignoring_case(std::string_view a, std::string_view b) {
  return detail::to_lower(detail::trim(a)) == detail::to_lower(detail::trim(b));
}

// A boolean cell as 1 / 0, or nullopt when it is neither label (numeric labels compare by value).
std::optional<double> decode_boolean(std::string_view cell, const ColumnSchema& schema) {
  if (detail::trim(cell) == schema.true_label || same_text_ignoring_case(cell, schema.true_label)) {
    return 1.0;
  }
  if (detail::trim(cell) == schema.false_label ||
      same_text_ignoring_case(cell, schema.false_label)) {
    return 0.0;
  }
  auto value = parse_number(cell);
  if (value) {
    if (parse_number(schema.true_label) == value) return 1.0;
    if (parse_number(schema.false_label) == value) return 0.0;
  }
  return std::nullopt;
}

}  // namespace

Dataset read_with_schema(const std::string& path, const Schema& schema,
                         const std::vector<std::string>& optional_columns,
                         std::vector<RejectedRow>& rejects, const CsvOptions& csv) {
  CsvReader reader = CsvReader::open(path, csv);
  const auto& header = reader.header();
  Dataset data;
  data.source = path;
  std::vector<Decoder> decoders;
  std::vector<std::string> absent;  // required columns the file lacks: all named in one message
  for (const auto& cs : schema.columns) {
    bool optional = std::find(optional_columns.begin(), optional_columns.end(), cs.name) !=
                    optional_columns.end();
    if (!optional && std::find(header.begin(), header.end(), cs.name) == header.end()) {
      absent.push_back(cs.name);
    }
  }
  if (absent.size() == 1) {
    throw_bad_data("required column is missing from the file", {path, 1, absent[0]});
  }
  if (!absent.empty()) {
    std::string list;
    for (const auto& name : absent) list += (list.empty() ? "'" : ", '") + name + "'";
    throw_bad_data(std::to_string(absent.size()) + " required columns are missing from the file: " +
                   list, {path, 1, ""});
  }
  for (const auto& cs : schema.columns) {
    auto it = std::find(header.begin(), header.end(), cs.name);
    if (it == header.end()) continue;  // optional
    Decoder d;
    d.field = static_cast<std::size_t>(it - header.begin());
    d.column = data.columns.size();
    Column column;
    column.schema = cs;
    if (cs.type == ColumnType::kIdentifier) column.schema.levels.clear();  // new customers
    for (std::size_t i = 0; i < column.schema.levels.size(); ++i) {
      d.level_code.emplace(column.schema.levels[i], static_cast<int32_t>(i));
    }
    data.columns.push_back(std::move(column));
    decoders.push_back(std::move(d));
  }

  std::vector<std::string> fields;
  std::vector<double> row_values(decoders.size());
  std::vector<int32_t> row_codes(decoders.size());
  bool ragged = false;
  while (reader.next_lenient(fields, ragged)) {
    const std::size_t line = reader.record_line();
    if (ragged) {
      rejects.push_back({line, "",
                         "the record has " + std::to_string(fields.size()) +
                             " fields, the header has " + std::to_string(header.size())});
      continue;
    }
    bool rejected = false;
    for (std::size_t k = 0; k < decoders.size() && !rejected; ++k) {
      const Decoder& d = decoders[k];
      const ColumnSchema& cs = data.columns[d.column].schema;
      const std::string& cell = fields[d.field];
      row_codes[k] = kMissingCode;
      row_values[k] = kMissing;
      if (is_missing_token(cell, schema.na_tokens)) continue;
      switch (cs.type) {
        case ColumnType::kNumeric: {
          auto value = parse_number(cell);
          if (value) {
            row_values[k] = *value;
          } else {
            rejects.push_back({line, cs.name, "'" + cell + "' is not a number"});
            rejected = true;
          }
          break;
        }
        case ColumnType::kBoolean: {
          auto value = decode_boolean(cell, cs);
          if (value) {
            row_values[k] = *value;
          } else {
            rejects.push_back({line, cs.name,
                               "'" + cell + "' is neither '" + cs.true_label + "' nor '" +
                                   cs.false_label + "'"});
            rejected = true;
          }
          break;
        }
        case ColumnType::kIdentifier: break;  // levels are collected when the row is kept
        default: {
          auto it = d.level_code.find(cell);
          row_codes[k] = it == d.level_code.end() ? kUnseenCode : it->second;
        }
      }
    }
    if (rejected) continue;

    data.lines.push_back(line);
    for (std::size_t k = 0; k < decoders.size(); ++k) {
      Decoder& d = decoders[k];
      Column& column = data.columns[d.column];
      const std::string& cell = fields[d.field];
      switch (column.type()) {
        case ColumnType::kNumeric:
        case ColumnType::kBoolean:
          column.values.push_back(row_values[k]);
          if (is_missing(row_values[k])) ++column.missing;
          break;
        case ColumnType::kIdentifier: {
          if (is_missing_token(cell, schema.na_tokens)) {
            column.codes.push_back(kMissingCode);
            ++column.missing;
            break;
          }
          auto [it, inserted] =
              d.level_code.try_emplace(cell, static_cast<int32_t>(column.schema.levels.size()));
          if (inserted) column.schema.levels.push_back(cell);
          column.codes.push_back(it->second);
          break;
        }
        default:
          column.codes.push_back(row_codes[k]);
          if (row_codes[k] == kMissingCode) ++column.missing;
          if (row_codes[k] == kUnseenCode) ++column.unseen;
      }
    }
  }
  data.sha256 = sha256_file(path);
  return data;
}

}  // namespace smartchurn
